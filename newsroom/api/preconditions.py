"""Edits that refuse to overwrite what the client has not seen: ETags and If-Match.

An object's ETag is a hash of its stored fields, so it changes whenever the object does, needs
no column of its own, and two clients that read the same state hold the same tag. A client
sends ``If-Match: "<etag>"`` with PUT, PATCH or DELETE; when the object changed meanwhile the
write is refused with 412 (``stale``) and nothing is saved. Without If-Match a write goes
through as before (scripts that own the object need not read it first).

The check and the write happen in one transaction with the row locked, so two clients holding
the same tag cannot both pass it.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from newsroom.errors import Stale

from .schema import error_response

IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description='The object\'s "etag" as read, in quotes: the write is refused (412) if the object changed since. '
                "Without it the write goes through whatever changed.")
STALE = error_response("If-Match names another version: the object changed since it was read; nothing was saved. "
                       "Read it again and redo the edit.")
# Methods that change an object; only they are checked.
WRITE_METHODS = ("PUT", "PATCH", "DELETE")


def etag_of(instance: models.Model) -> str:
    """A tag of ``instance``'s stored fields (not its relations to many): equal tags, equal rows."""
    values = {field.attname: field.value_from_object(instance) for field in instance._meta.concrete_fields}
    encoded = json.dumps(values, cls=DjangoJSONEncoder, sort_keys=True, default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()[:32]


def if_match_allows(header: str | None, etag: str) -> bool:
    """Whether an If-Match header lets a write to an object tagged ``etag`` through (RFC 9110:
    a list of tags, weak ones compared as strong, or ``*`` for any existing object)."""
    if header is None:
        return True
    tags = [tag.strip() for tag in header.split(",")]
    return any(tag == "*" or tag.removeprefix("W/").strip('"') == etag for tag in tags)


class IfMatchMixin:
    """A model viewset whose update and destroy honour If-Match (412 when stale). The object is
    locked from the check to the write. An answer of one object carries its tag as ETag too."""

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            self.if_match_check()
            return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            self.if_match_check()
            return super().destroy(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        # One object answered: its tag also as the ETag header, where HTTP clients look for it.
        data = getattr(response, "data", None)
        if response.status_code in (200, 201) and isinstance(data, dict) and isinstance(data.get("etag"), str):
            response["ETag"] = f'"{data["etag"]}"'
        return super().finalize_response(request, response, *args, **kwargs)

    def if_match_check(self) -> None:
        """Lock the object of the URL and refuse the write if If-Match names another version."""
        header = self.request.headers.get("If-Match")
        if header is None:
            return
        instance = self.get_object()
        locked = type(instance).objects.select_for_update().get(pk=instance.pk)
        if not if_match_allows(header, etag_of(locked)):
            raise Stale("The object changed since you read it; nothing was saved. Read it again and redo the edit.")

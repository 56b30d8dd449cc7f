"""One error envelope for the whole API: {"error": {"code", "message", "detail"}}.

Domain errors raised by services (``newsroom.errors``) map to 400/409/412 here, so
services never import DRF.
"""

from axes import helpers as axes_helpers
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from newsroom.errors import Conflict, DomainError, Stale

DOMAIN_STATUS = {Conflict: status.HTTP_409_CONFLICT, Stale: status.HTTP_412_PRECONDITION_FAILED}
API_PREFIX = "/api/"
# Seconds a client should wait before retrying after the database connection dropped.
RETRY_AFTER_SECONDS = 1


def exception_handler(exc, context):
    """Translate domain and DRF errors into the envelope; anything else is a 500 as usual."""
    if isinstance(exc, (OperationalError, InterfaceError)):
        return _database_unavailable(exc)
    if isinstance(exc, DomainError):
        code = next((s for cls, s in DOMAIN_STATUS.items() if isinstance(exc, cls)), 400)
        return _envelope(code, exc.code, str(exc), exc.detail)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    message = _message(exc)
    response.data = {"error": {"code": _code(exc), "message": message, "detail": response.data}}
    return response


def _database_unavailable(exc):
    """A lost or refused database connection is transient: 503 with Retry-After, never a 500.
    Whatever the request committed stays committed; writes are safe to retry (a repeated
    submit returns the saved annotation). The broken connection is dropped at once."""
    if not connection.in_atomic_block:  # inside one, the transaction's owner cleans up
        connection.close_if_unusable_or_obsolete()
    response = _envelope(status.HTTP_503_SERVICE_UNAVAILABLE, "database_unavailable",
                         "The database connection was lost; retry the request.", {})
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _envelope(status_code, code, message, detail):
    return Response({"error": {"code": code, "message": message, "detail": detail}}, status=status_code)


def _code(exc):
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    return codes if isinstance(codes, str) else getattr(exc, "default_code", "invalid")


def _message(exc):
    if isinstance(exc, exceptions.ValidationError):
        return "The request is not valid; see detail."
    return str(getattr(exc, "detail", exc))


# Django's handlers for what happens before a view runs (a URL no route matches, a request
# Django refuses, such as one with too many form fields) or after it crashed: under /api/
# the envelope, elsewhere the site's pages.

def bad_request(request, exception):
    if request.path.startswith(API_PREFIX):
        return _json_envelope(400, "bad_request", "The request could not be read.")
    return defaults.bad_request(request, exception)


def page_not_found(request, exception):
    if request.path.startswith(API_PREFIX):
        return _json_envelope(404, "not_found", "No such URL in the API.")
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(API_PREFIX):
        return _json_envelope(500, "server_error", "A server error occurred.")
    return defaults.server_error(request)


def lockout(request, original_response=None, credentials=None):
    """Axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE): under /api/ the envelope with
    Retry-After, on the login forms (the API's too) axes' own message."""
    if not request.path.startswith(API_PREFIX) or request.path == reverse("rest_framework:login"):
        return HttpResponse(axes_helpers.get_lockout_message(), status=settings.AXES_HTTP_RESPONSE_CODE)
    response = _json_envelope(settings.AXES_HTTP_RESPONSE_CODE, "locked_out", axes_helpers.get_lockout_message())
    if cool_off := axes_helpers.get_cool_off(request):
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response


def _json_envelope(status_code, code, message):
    return JsonResponse({"error": {"code": code, "message": message, "detail": None}}, status=status_code)

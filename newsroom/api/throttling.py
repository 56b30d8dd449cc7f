"""Rate limits of the API's expensive actions (exports, releases, imports, pre-annotation
runs): per user, rates in ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (from the environment),
counted in the default cache. Over the rate, ``429`` with ``Retry-After``."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle


class ActionRateThrottle(ScopedRateThrottle):
    """DRF's scoped throttle, with the scope chosen per action by ``ActionThrottleMixin`` and
    the rates read at each request (DRF's own reads them once, at import)."""

    @property
    def THROTTLE_RATES(self):  # noqa: N802 - the name DRF reads
        return api_settings.DEFAULT_THROTTLE_RATES


class ActionThrottleMixin:
    """Rate limits declared per action: ``throttle_scopes`` maps an action ("create",
    "export") to a scope of the throttle rates; other actions are not limited."""

    throttle_scopes: dict[str, str] = {}
    throttle_classes = [ActionRateThrottle]

    @property
    def throttle_scope(self) -> str | None:
        return self.throttle_scopes.get(getattr(self, "action", None))


class ThrottledErrorSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=["throttled"])
    message = serializers.CharField(help_text="Says in how many seconds to try again.")
    detail = serializers.DictField(help_text='{"detail": the same message}.')


class ThrottledEnvelopeSerializer(serializers.Serializer):
    error = ThrottledErrorSerializer()


THROTTLED = OpenApiResponse(ThrottledEnvelopeSerializer,
                            description="Too many requests of this kind from you: try again after the seconds in the "
                                        "Retry-After header (rates: THROTTLE_* settings).")

"""The OpenAPI document as a contract: the error envelope as a component, and every error status
an operation can answer.

Views declare their own answers (``extend_schema(responses={200: X, 409: error_response("...")})``);
``AutoSchema`` adds the statuses that follow from what a view is, so a new endpoint documents
them without repeating them:

    400  the operation takes a request body or validated query parameters (filters)
    401  the first authentication class asks for credentials (token auth answers 401; session auth 403)
    403  any permission other than AllowAny (not signed in, or no role that allows it)
    404  the path names an object, or a paginated list is asked for a page past its end
    415  the operation takes a request body (another media type is refused)
    429  a throttle limits the action
    503  always: the database connection was lost (``errors.exception_handler``); retry

A view adds error statuses of its own to the actions it does not decorate, without restating
their answers, with ``error_responses = {"create": {409: error_response("...")}}`` (keyed by
action; ``None`` for a plain ``APIView``). An error
response declared with a description only gets the envelope as its body.
"""

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import permissions, serializers
from rest_framework.throttling import ScopedRateThrottle


class ErrorBodySerializer(serializers.Serializer):
    code = serializers.CharField(help_text='For programs: "invalid", "not_found", "permission_denied", '
                                           '"not_authenticated", "conflict", "throttled", ...')
    message = serializers.CharField(help_text="For people: what went wrong.")
    detail = serializers.JSONField(allow_null=True, help_text="What exactly: every problem by field "
                                                              '({"field": ["message"]}), or what a domain error '
                                                              "adds; null when there is nothing more to say.")


class ErrorSerializer(serializers.Serializer):
    """The one error envelope of the API (``newsroom.api.errors``)."""

    error = ErrorBodySerializer()


def error_response(description: str) -> OpenApiResponse:
    """An error status of an operation: the envelope, with what the status means there."""
    return OpenApiResponse(ErrorSerializer, description)


ERROR_RESPONSES = {
    400: error_response("The request is not valid: detail lists every problem by field."),
    401: error_response("No credentials, or credentials that are not valid."),
    403: error_response("Not signed in, or signed in without the role (or staff status) this needs."),
    404: error_response("No such object among those the caller may see, or a page cursor that is not valid."),
    409: error_response("The request conflicts with the current state of the object."),
    415: error_response("The request body is not in a media type this operation reads."),
    429: error_response("Too many requests; retry after the seconds in Retry-After."),
    503: error_response("The database connection was lost; retry after the seconds in Retry-After (what the "
                        "request committed stays committed, and a repeated write is safe)."),
}
# Query parameters whose bad values are ignored or answered 404, never 400.
UNVALIDATED_QUERY_PARAMETERS = {"cursor", "page_size", "ordering"}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the error statuses every operation can answer."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        responses = operation["responses"]
        declared = getattr(self.view, "error_responses", {}).get(getattr(self.view, "action", None), {})
        for code, response in declared.items():
            responses.setdefault(str(code), self._get_response_for_code(response, str(code)))
        for code in self._error_statuses(operation):
            responses.setdefault(str(code), self._get_response_for_code(ERROR_RESPONSES[code], str(code)))
        for code, response in responses.items():
            if code >= "400" and "content" not in response:
                responses[code] = self._get_response_for_code(error_response(response["description"]), code)
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _get_paginator(self):
        # Only reads page through lists; a write answering several objects answers all of them.
        return super()._get_paginator() if self.method == "GET" else None

    def _error_statuses(self, operation) -> list[int]:
        statuses = []
        has_body = "requestBody" in operation
        filters = [p for p in operation.get("parameters", [])
                   if p["in"] == "query" and p["name"] not in UNVALIDATED_QUERY_PARAMETERS]
        if has_body or filters:
            statuses.append(400)
        if self._asks_for_credentials():
            statuses.append(401)
        if any(not isinstance(p, permissions.AllowAny) for p in self.view.get_permissions()):
            statuses.append(403)
        if "{" in self.path or (self.method == "GET" and self._is_list_view() and self._get_paginator()):
            statuses.append(404)
        if has_body:
            statuses.append(415)
        if any(self._limits(throttle) for throttle in self.view.get_throttles()):
            statuses.append(429)
        statuses.append(503)
        return statuses

    def _limits(self, throttle) -> bool:
        # A scoped throttle limits only the actions that have a scope (``ActionThrottleMixin``).
        return not isinstance(throttle, ScopedRateThrottle) or bool(getattr(self.view, "throttle_scope", None))

    def _asks_for_credentials(self) -> bool:
        authenticators = self.view.get_authenticators()
        return bool(authenticators and authenticators[0].authenticate_header(self.view.request))

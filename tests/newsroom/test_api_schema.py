"""The OpenAPI document is a contract: it validates and generates without warnings."""

import json

from django.core.management import call_command
from django.urls import path
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.utils import extend_schema
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from newsroom.api.schema import ErrorSerializer, error_response


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.json"
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(target))
    paths = json.loads(target.read_text())["paths"]
    assert {"/api/imports/", "/api/articles/", "/api/projects/{id}/next/", "/api/items/{id}/annotations/",
            "/api/items/{id}/gold/"} <= set(paths)


def _schema(tmp_path) -> dict:
    target = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(target))
    return json.loads(target.read_text())


def _answer(schema, path, method, status="200") -> dict:
    return schema["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]


def test_every_error_status_is_documented_with_the_envelope(tmp_path):
    schema = _schema(tmp_path)
    assert set(schema["components"]["schemas"]["Error"]["properties"]) == {"error"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            errors = {code: answer for code, answer in operation["responses"].items() if code >= "400"}
            assert "403" in errors, (method, path)
            assert "404" in errors or "{" not in path, (method, path)
            for code, answer in errors.items():
                body = answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
                # SubmitRefused, ThrottledEnvelope: the envelope with its detail spelled out.
                assert body in ("Error", "SubmitRefused", "ThrottledEnvelope"), (method, path, code)
    submit = schema["paths"]["/api/items/{id}/annotations/"]["post"]["responses"]
    assert {"400", "403", "404", "409", "415"} <= set(submit)
    assert {"400", "404"} <= set(schema["paths"]["/api/items/"]["get"]["responses"])


def test_reports_and_review_answers_are_typed(tmp_path):
    schema = _schema(tmp_path)
    assert _answer(schema, "/api/projects/{id}/agreement/", "get") == {"$ref": "#/components/schemas/AgreementReport"}
    assert _answer(schema, "/api/projects/{id}/predictor-quality/", "get")["items"] == {
        "$ref": "#/components/schemas/PredictorQuality"}
    assert _answer(schema, "/api/items/{id}/review/", "get") == {"$ref": "#/components/schemas/ItemReview"}
    assert _answer(schema, "/api/items/{id}/gold/", "post", "201") == {"$ref": "#/components/schemas/GoldAccepted"}


def test_unpaginated_lists_are_documented_as_arrays(tmp_path):
    schema = _schema(tmp_path)
    for path, method, status in [("/api/items/{id}/annotations/", "get", "200"),
                                 ("/api/items/{id}/predictions/", "get", "200"),
                                 ("/api/projects/{project_pk}/preannotation-runs/", "post", "202")]:
        assert _answer(schema, path, method, status)["type"] == "array", path
    assert "PaginatedItemList" in _answer(schema, "/api/items/", "get")["$ref"]


def test_fields_that_can_be_null_are_nullable(tmp_path):
    components = _schema(tmp_path)["components"]["schemas"]
    for component, field in [("Item", "source"), ("Item", "published_at"), ("ArticleList", "source"),
                             ("ImportBatch", "created_by"), ("Release", "created_by"), ("Item", "agreement")]:
        assert components[component]["properties"][field].get("nullable"), (component, field)


def test_new_endpoints_get_their_error_statuses_from_what_they_are():
    class FivePerMinute(UserRateThrottle):
        rate = "5/minute"

    class Throttled(APIView):
        throttle_classes = [FivePerMinute]
        error_responses = {None: {409: error_response("Taken.")}}

        @extend_schema(request=ErrorSerializer, responses={201: None})
        def post(self, request, pk):
            return None

    generator = SchemaGenerator(patterns=[path("api/things/<int:pk>/", Throttled.as_view())])
    responses = generator.get_schema(request=None, public=True)["paths"]["/api/things/{id}/"]["post"]["responses"]
    assert set(responses) == {"201", "400", "403", "404", "409", "415", "429", "503"}
    assert responses["409"]["description"] == "Taken."

"""The endpoints a client needs (users, tokens, members, imports into a project, stored articles
added to a project, exports by labels) are in the OpenAPI document with typed answers."""

import json

import pytest
from django.core.management import call_command

# path -> method -> (status, the schema of its answer)
TYPED = {
    "/api/users/": {"get": ("200", "PaginatedUserList"), "post": ("201", "User")},
    "/api/users/{id}/": {"get": ("200", "User"), "patch": ("200", "User")},
    "/api/users/{id}/deactivate/": {"post": ("200", "User")},
    "/api/users/{id}/activate/": {"post": ("200", "User")},
    "/api/auth/token/": {"post": ("200", "Token")},
    "/api/auth/token/rotate/": {"post": ("201", "Token")},
    "/api/projects/{project_pk}/articles/": {"post": ("200", "ArticlesAdded")},
    "/api/projects/{project_pk}/members/": {"get": ("200", "PaginatedMembershipList"), "post": ("201", "Membership")},
    "/api/projects/{project_pk}/members/{id}/": {"patch": ("200", "Membership")},
    "/api/imports/": {"post": ("201", "ImportBatch")},
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    target = tmp_path_factory.mktemp("schema") / "schema.json"
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(target))
    return json.loads(target.read_text())


@pytest.mark.parametrize("path, method, status, name",
                         [(path, method, *answer) for path, methods in TYPED.items() for method, answer in methods.items()])
def test_each_endpoint_answers_with_its_serializer(schema, path, method, status, name):
    response = schema["paths"][path][method]["responses"][status]
    assert response["content"]["application/json"]["schema"] == {"$ref": f"#/components/schemas/{name}"}


def test_error_statuses_are_documented(schema):
    assert {"400", "403", "409"} <= set(schema["paths"]["/api/users/"]["post"]["responses"])
    assert {"400", "403", "404"} <= set(schema["paths"]["/api/projects/{project_pk}/articles/"]["post"]["responses"])
    assert "204" in schema["paths"]["/api/auth/token/"]["delete"]["responses"]


def test_new_fields_have_their_types_and_nullability(schema):
    components = schema["components"]["schemas"]
    assert components["ImportBatch"]["properties"]["project"]["nullable"] is True
    assert components["Membership"]["properties"]["roles"]["type"] == "array"
    request = components["ProjectImportInputRequest"]["properties"]
    assert request["verbatim"]["type"] == "boolean" and request["project"]["nullable"] is True
    labels = next(p for p in schema["paths"]["/api/projects/{id}/export/"]["get"]["parameters"] if p["name"] == "labels")
    assert (labels["schema"]["enum"], labels["schema"]["default"]) == (["gold", "annotations", "both"], "gold")

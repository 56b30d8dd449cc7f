"""The OpenAPI document is a contract: it validates and generates without warnings."""

import json

from django.core.management import call_command


def test_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.json"
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json", "--file", str(target))
    paths = json.loads(target.read_text())["paths"]
    assert {"/api/imports/", "/api/articles/", "/api/projects/{id}/next/", "/api/items/{id}/annotations/",
            "/api/items/{id}/gold/"} <= set(paths)

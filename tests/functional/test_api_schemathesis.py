"""Property-based tests of the HSDS API with schemathesis: requests generated from the served
OpenAPI document, sent in-process to the Flask app (WSGI, no network); no answer may be a server
error, and every answer must match the document (status code, content type, JSON schema)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, given, settings
from openapi_spec_validator import validate as validate_openapi
from schemathesis import GenerationMode

from finder.catalogue import queries
from finder.extensions import db

OPENAPI_CHECKS = ("status_code_conformance", "content_type_conformance", "response_schema_conformance")


@pytest.fixture(scope="module")
def api_app(geo_app: Flask) -> Iterator[Flask]:
    """The test catalogue plus the located test offers (so distances are exercised too)."""
    app = geo_app
    with app.app_context():
        queries.forget_cached()
        yield app
        db.session.remove()


@pytest.fixture(scope="module")
def api_schema(api_app: Flask):
    loaded = schemathesis.openapi.from_wsgi("/api/openapi.json", api_app)
    validate_openapi(loaded.raw_schema)
    return loaded


OPERATIONS = [("GET", path) for path in (
    "/", "/services", "/services/{id}", "/organizations", "/organizations/{id}", "/taxonomies", "/taxonomies/{id}",
    "/taxonomy_terms", "/taxonomy_terms/{id}", "/service_at_locations", "/service_at_locations/{id}")]


def _checks(names: tuple[str, ...]) -> list:
    from schemathesis.specs.openapi import checks as openapi_checks

    return [schemathesis.checks.not_a_server_error, *(getattr(openapi_checks, name) for name in names)]


def _run(operation, mode: GenerationMode, checks: list, examples: int) -> None:
    # schemathesis.pytest.from_fixture does not work with pytest 9 (it reads a removed node
    # attribute), so the operation's hypothesis strategy is driven directly.
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck),
              phases=[Phase.explicit, Phase.generate])
    def check(case) -> None:
        response = case.call()
        case.validate_response(response, checks=checks)

    check()


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_valid_requests_get_documented_answers(api_schema, method, path):
    """Requests that follow the document: no 5xx, and status, content type and body as documented."""
    _run(api_schema[path][method], GenerationMode.POSITIVE, _checks(OPENAPI_CHECKS), 25)


@pytest.mark.parametrize(("method", "path"), [op for op in OPERATIONS if not op[1].endswith("}") and op[1] != "/"])
def test_invalid_requests_never_give_server_errors(api_schema, method, path):
    """Requests that break the document (wrong types, out of range): never a 5xx, always JSON."""
    _run(api_schema[path][method], GenerationMode.NEGATIVE, _checks(("content_type_conformance",)), 15)


def test_every_operation_is_generated(api_schema):
    operations = {op.ok().label for op in api_schema.get_all_operations()}
    assert operations == {f"{method} {path}" for method, path in OPERATIONS}

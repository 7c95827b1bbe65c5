"""The OpenAPI 3.1 description of our HSDS 3.0 API, built from the official HSDS schemas.

The HSDS object schemas come from finder/api/hsds/ (Open Referral, CC BY-SA 4.0), with their
references pointed at components/schemas, so the document works offline. The allowed values of
our filters (kinds, themes, gemeenten, wijken, ...) are read from the catalogue.
"""

from __future__ import annotations

import copy
import functools
import json
from typing import Any

from finder.api import params as P
from finder.catalogue import queries
from finder.catalogue.hsds import HSDS_VERSION, SCHEMA_DIR
from finder.i18n import LANGUAGES

# Keywords of the HSDS files that only the tabular format and the documentation use.
_DROP = frozenset(("name", "path", "core", "constraints", "datapackage_metadata", "datapackage_type",
                   "tabular_required", "example"))


def _clean(node: Any, properties: bool = False) -> Any:
    if isinstance(node, list):
        return [_clean(x) for x in node]
    if not isinstance(node, dict):
        return node
    if properties:  # keys are property names here, not keywords
        return {k: _clean(v) for k, v in node.items()}
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROP:
            continue
        if key == "$ref":
            out[key] = value.replace("#/definitions/", "#/components/schemas/")
        else:
            out[key] = _clean(value, properties=key == "properties")
    return out


def _load(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


@functools.cache
def _schemas() -> dict[str, Any]:
    service = _load("service_with_definitions.json")
    schemas: dict[str, Any] = {name: _clean(d) for name, d in service.pop("definitions").items()}
    schemas["service"] = _clean(service)
    for name in ("service_list", "organization_list", "service_at_location_list"):
        schemas[name] = _clean(_load(f"{name}.json"))
    organization = copy.deepcopy(schemas["organization"])
    organization["properties"]["services"] = {
        "type": "array", "description": "The organisation's published services (list fields; all fields with "
        "full_service=true).", "items": _ref("service")}
    schemas["organization_full"] = organization
    sal = copy.deepcopy(schemas["service_at_location"])
    sal["properties"]["service"] = _ref("service")
    schemas["service_at_location_full"] = sal
    schemas["service_minimal"] = {
        "type": "object", "required": ["id", "name", "status"],
        "description": "minimal=true: the service's id, name, description, status, organisation and when it "
                       "last changed.",
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "organization_id": {"type": "string", "format": "uuid"},
            "name": {"type": "string"},
            "description": {"type": "string"},
            "status": {"type": "string", "enum": ["active", "inactive", "defunct", "temporarily closed"]},
            "last_modified": {"type": "string", "format": "date-time"},
        },
    }
    schemas["Page"] = {
        "type": "object",
        "required": ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty"],
        "properties": {
            "total_items": {"type": "integer", "description": "The number of results of the whole query."},
            "total_pages": {"type": "integer", "description": "The number of pages."},
            "page_number": {"type": "integer", "description": "The number of this page (from 1)."},
            "size": {"type": "integer", "description": "The number of results on this page."},
            "first_page": {"type": "boolean", "description": "Whether this is the first page."},
            "last_page": {"type": "boolean", "description": "Whether this is the last page (or past it)."},
            "empty": {"type": "boolean", "description": "Whether this page has no results."},
        },
    }
    schemas["Error"] = {
        "type": "object", "required": ["error"],
        "properties": {
            "error": {"type": "string", "description": "What is wrong, in English."},
            "parameter": {"type": "string", "description": "The query parameter that is wrong, if any."},
        },
    }
    schemas["Root"] = {
        "type": "object", "required": ["version", "profile", "openapi_url"],
        "properties": {
            "version": {"type": "string", "description": "HSDS version of this API."},
            "profile": {"type": "string", "format": "uri", "description": "The HSDS profile of this API (base "
                        "HSDS 3.0)."},
            "openapi_url": {"type": "string", "format": "uri", "description": "URL of this OpenAPI document."},
        },
    }
    return schemas


def _param(name: str, description: str, schema: dict[str, Any], where: str = "query") -> dict[str, Any]:
    return {"name": name, "in": where, "required": where == "path", "description": description, "schema": schema}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _page_of(items: dict[str, Any]) -> dict[str, Any]:
    return {"allOf": [_ref("Page")], "type": "object", "required": ["contents"],
            "properties": {"contents": {"type": "array", "items": items}}}


ERRORS = {
    "400": _json(_ref("Error"), "A parameter is wrong: `parameter` names it."),
}
NOT_FOUND = {"404": _json(_ref("Error"), "There is no published record with this id.")}
UNAVAILABLE = {"503": _json(_ref("Error"), "The search index is being rebuilt: try again in a minute (only when "
                                            "`search` or an index filter is used).")}


def _paging() -> list[dict[str, Any]]:
    return [
        _param("page", "Page number, from 1.", {"type": "integer", "minimum": 1, "maximum": P.MAX_PAGE, "default": 1}),
        _param("per_page", f"Results per page (at most {P.MAX_PER_PAGE}).",
               {"type": "integer", "minimum": 1, "maximum": P.MAX_PER_PAGE, "default": P.PER_PAGE}),
        _param("format", "Only json (ndjson is not offered).", {"type": "string", "enum": ["json"]}),
    ]


def _lang() -> dict[str, Any]:
    return _param("lang", "Language of names and descriptions: a current translation where one exists, else Dutch "
                  "(translations are never mixed with Dutch within a record).",
                  {"type": "string", "enum": list(LANGUAGES), "default": "nl"})


def _service_filters() -> list[dict[str, Any]]:
    vocab = queries.vocabulary()
    uuid = {"type": "string", "format": "uuid"}
    return [
        _param("search", "Words, searched like the site does (Dutch stemming, synonyms of everyday words, spelling "
               "correction); results are ranked by relevance. Without it, results are ordered by name. Only "
               f"the first {P.MAX_TEXT} characters are used.", {"type": "string", "maxLength": 500}),
        _param("taxonomy_term_id", "Services with this taxonomy term (a kind, theme, audience, access, cost, review "
               "or service-area scope term: see /taxonomy_terms).", uuid),
        _param("taxonomy_id", "Services with any term of this taxonomy.", uuid),
        _param("organization_id", "Services of this organisation.", uuid),
        _param("modified_after", "Services changed on or after this moment (ISO 8601 date or date-time; UTC "
               "without a zone).", {"type": "string", "format": "date-time"}),
        _param("kind", "Kind of offer.", {"type": "string", "enum": list(vocab.kinds)}),
        _param("theme", "Theme (question).", {"type": "string", "enum": list(vocab.themes)}),
        _param("gemeente", "Services that serve this gemeente (including regional and national offers).",
               {"type": "string", "enum": list(vocab.gemeenten)}),
        _param("wijk", "Services that serve this CBS wijk (the wijk itself or its whole gemeente).",
               {"type": "string", "enum": sorted(vocab.wijken)}),
        _param("audience", "For whom.", {"type": "string", "enum": list(vocab.audiences)}),
        _param("access", "How to get in.", {"type": "string", "enum": list(vocab.access)}),
        _param("cost", "What it costs.", {"type": "string", "enum": list(vocab.costs)}),
        _param("language", "Services offered in this language (ISO 639-1).",
               {"type": "string", "enum": list(vocab.languages) or ["nl"]}),
        _param("minimum_age", "With maximum_age: the ages looked for. Services whose age range overlaps them "
               "(services without an age limit included).", {"type": "integer", "minimum": 0, "maximum": 120}),
        _param("maximum_age", "See minimum_age; not lower than it.", {"type": "integer", "minimum": 0, "maximum": 120}),
    ]


def document(openapi_url: str, examples: dict[str, str] | None = None) -> dict[str, Any]:
    """The OpenAPI document (its filter values come from the current catalogue). `examples` gives
    an existing id per record type (service, organization, taxonomy, taxonomy_term,
    service_at_location) for the id parameters."""
    examples = examples or {}

    def id_of(kind: str) -> list[dict[str, Any]]:
        param = _param("id", "The record's id (a UUID).", {"type": "string"}, "path")
        if kind in examples:
            param["example"] = examples[kind]
        return [param]

    boolean = {"type": "boolean", "default": False}
    # Every item is a service_list item and, with full=true, a fully nested service: both hold.
    service_items = {"allOf": [_ref("service_list"), _ref("service")]}
    paths = {
        "/": {"get": {
            "operationId": "getAPIMetaInformation", "summary": "Which HSDS version and profile this API follows.",
            "responses": {"200": _json(_ref("Root"), "About this API.")}}},
        "/services": {"get": {
            "operationId": "getPaginatedListOfServices",
            "summary": "Published services: list fields (full=true: fully nested; minimal=true: a few fields). "
                       "All filters combine with AND.",
            "parameters": [*_service_filters(), *_paging(),
                           _param("minimal", "Only id, name, description, status, organisation and last change.",
                                  boolean),
                           _param("full", "Fully nested services (as /services/{id}).", boolean), _lang()],
            "responses": {"200": _json(_page_of(service_items), "A page of services."), **ERRORS, **UNAVAILABLE}}},
        "/services/{id}": {"get": {
            "operationId": "getFullyNestedServiceById", "summary": "A published service, fully nested.",
            "parameters": [*id_of("service"), _lang()],
            "responses": {"200": _json(_ref("service"), "The service."), **ERRORS, **NOT_FOUND}}},
        "/organizations": {"get": {
            "operationId": "getPaginatedListOfOrganizations",
            "summary": "Organisations with at least one published service, by name.",
            "parameters": [_param("search", "Part of the name.", {"type": "string", "maxLength": 500}), *_paging(),
                           _param("full", "Fully nested organisations, with their services.", boolean),
                           _param("full_service", "With full=true: the services fully nested.", boolean), _lang()],
            "responses": {"200": _json(_page_of({"allOf": [_ref("organization_list"), _ref("organization_full")]}),
                                       "A page of organisations."), **ERRORS}}},
        "/organizations/{id}": {"get": {
            "operationId": "getOrganizationById",
            "summary": "An organisation with its phones, locations and published services.",
            "parameters": [*id_of("organization"), _param("full_service", "The services fully nested.", boolean),
                           _lang()],
            "responses": {"200": _json(_ref("organization_full"), "The organisation."), **ERRORS, **NOT_FOUND}}},
        "/taxonomies": {"get": {
            "operationId": "getPaginatedListOfTaxonomies",
            "summary": "Our taxonomies: themes, kinds, audience, access, cost, review and service-area scope.",
            "parameters": [_param("search", "Part of the name.", {"type": "string", "maxLength": 500}), *_paging()],
            "responses": {"200": _json(_page_of(_ref("taxonomy")), "A page of taxonomies."), **ERRORS}}},
        "/taxonomies/{id}": {"get": {
            "operationId": "getTaxonomyById", "summary": "A taxonomy.", "parameters": id_of("taxonomy"),
            "responses": {"200": _json(_ref("taxonomy"), "The taxonomy."), **NOT_FOUND}}},
        "/taxonomy_terms": {"get": {
            "operationId": "getPaginatedListOfTaxonomyTerms", "summary": "Taxonomy terms.",
            "parameters": [
                _param("search", "Part of the name.", {"type": "string", "maxLength": 500}), *_paging(),
                _param("taxonomy_id", "Terms of this taxonomy.", {"type": "string", "format": "uuid"}),
                _param("top_only", "Only terms without a parent.", boolean),
                _param("parent_id", "Terms with this parent.", {"type": "string", "format": "uuid"}), _lang()],
            "responses": {"200": _json(_page_of(_ref("taxonomy_term")), "A page of taxonomy terms."), **ERRORS}}},
        "/taxonomy_terms/{id}": {"get": {
            "operationId": "getTaxonomyTermById", "summary": "A taxonomy term.",
            "parameters": [*id_of("taxonomy_term"), _lang()],
            "responses": {"200": _json(_ref("taxonomy_term"), "The taxonomy term."), **ERRORS, **NOT_FOUND}}},
        "/service_at_locations": {"get": {
            "operationId": "getPaginatedListOfServiceAtLocation",
            "summary": "Published services at their locations. With lat and lon: only located addresses (a "
                       "location known only by its town has no point), nearest first.",
            "parameters": [
                *_service_filters(), *_paging(),
                _param("lat", "Latitude (WGS84) to measure from; with lon.",
                       {"type": "number", "minimum": -90, "maximum": 90}),
                _param("lon", "Longitude (WGS84) to measure from; with lat.",
                       {"type": "number", "minimum": -180, "maximum": 180}),
                _param("radius", "Only locations within this many km of lat/lon.",
                       {"type": "number", "exclusiveMinimum": 0, "maximum": P.MAX_RADIUS_KM}),
                _param("proximity", "As radius, in metres (HSDS). This API has no postcode centroids: it needs "
                       "lat and lon.", {"type": "number", "exclusiveMinimum": 0, "maximum": P.MAX_RADIUS_KM * 1000}),
                _param("postcode", "Locations whose address has this postcode (four digits, or four digits and "
                       "two letters).", {"type": "string", "pattern": r"^[1-9][0-9]{3} ?([A-Za-z]{2})?$"}),
                _param("full", "Fully nested (as /service_at_locations/{id}).", boolean), _lang()],
            "responses": {"200": _json(_page_of({"allOf": [_ref("service_at_location_list"),
                                                          _ref("service_at_location_full")]}),
                                       "A page of services at locations."), **ERRORS, **UNAVAILABLE}}},
        "/service_at_locations/{id}": {"get": {
            "operationId": "getServiceAtLocationById", "summary": "A service at a location, fully nested.",
            "parameters": [*id_of("service_at_location"), _lang()],
            "responses": {"200": _json(_ref("service_at_location_full"), "The service at its location."), **ERRORS,
                          **NOT_FOUND}}},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Wegwijzer Jeugd & Gezin: Open Referral HSDS API",
            "version": "1.0.0",
            "summary": f"The published social-basis offer for children, young people and parents in regio Alkmaar, "
                       f"IJmond and Zuid-Kennemerland, as Open Referral HSDS {HSDS_VERSION}.",
            "description": (
                "Read-only. Texts are in Dutch (B1) unless `lang` finds a current translation. What is not known "
                "is left out (HSDS allows no null). Our own vocabularies are taxonomies: see /taxonomies. "
                "Parameters not described here are ignored; a described one with a bad value gives 400. The "
                "object schemas are those of HSDS 3.0 (Human Services Data Specification: an Open Referral "
                "resource, https://openreferral.org/, CC BY-SA 4.0)."),
            "license": {"name": "CC BY-SA 4.0 (HSDS schemas)", "identifier": "CC-BY-SA-4.0"},
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "servers": [{"url": openapi_url.rsplit("/", 1)[0]}],
        "paths": paths,
        "components": {"schemas": dict(_schemas())},  # read-only: it is serialised at once
    }

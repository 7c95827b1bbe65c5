"""The HSDS 3.0 API under /api/: every answer checked against the official compiled HSDS schemas
(tests/fixtures/hsds, Open Referral, CC BY-SA 4.0), filters, search, paging, languages, errors, CORS."""

from __future__ import annotations

import functools
import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker
from openapi_spec_validator import validate as validate_openapi
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from sqlalchemy import select

from finder import models
from finder.catalogue import queries
from finder.catalogue.translation_text import fingerprint
from finder.extensions import db
from finder.geo.distance import distance_km

HSDS = Path(__file__).resolve().parent.parent / "fixtures" / "hsds"
UUID_RE = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"


def _read(name: str) -> dict[str, Any]:
    path = HSDS / "schema" / name
    if path.suffix == ".gz":
        return json.loads(gzip.decompress(path.read_bytes()))
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def validator(name: str) -> Draft202012Validator:
    """compiled/service, compiled/service_list, ..., taxonomy, taxonomy_term (official HSDS 3.0)."""
    files = {
        "compiled/service": "compiled/service.json.gz", "compiled/organization": "compiled/organization.json.gz",
        "compiled/service_at_location": "compiled/service_at_location.json.gz",
    }
    schema = _read(files.get(name, f"{name}.json"))
    registry = Registry().with_resources(
        (n, DRAFT202012.create_resource(_read(n))) for n in ("taxonomy.json", "taxonomy_term.json", "metadata.json"))
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def assert_valid(doc: Any, name: str) -> None:
    errors = [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
              for e in validator(name).iter_errors(doc)]
    assert errors == [], (name, doc.get("id") if isinstance(doc, dict) else None, errors[:5])


def page_of(client, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    data = response.get_json()
    assert set(data) == {"total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty",
                         "contents"}
    assert data["size"] == len(data["contents"]) and data["empty"] == (not data["contents"])
    return data


def all_items(client, url: str) -> list[dict[str, Any]]:
    """Every item of a list endpoint, page by page (100 a page)."""
    sep = "&" if "?" in url else "?"
    items, page = [], 1
    while True:
        data = page_of(client, f"{url}{sep}per_page=100&page={page}")
        items += data["contents"]
        if data["last_page"]:
            assert len(items) == data["total_items"]
            return items
        page += 1


def names(client, url: str) -> list[str]:
    return [s["name"] for s in all_items(client, url)]


def ids(client, url: str) -> set[str]:
    return {s["id"] for s in all_items(client, url)}


def check_every_endpoint(client) -> dict[str, int]:
    """Call every endpoint for every record and check each answer against its HSDS schema."""
    counts: dict[str, int] = {}
    services = all_items(client, "/api/services")
    for item in services:
        assert_valid(item, "compiled/service_list")
        assert item["status"] == "active"
    for item in all_items(client, "/api/services?full=true"):
        assert_valid(item, "compiled/service")
    for item in all_items(client, "/api/services?minimal=true"):
        assert_valid(item, "compiled/service_list")
        assert set(item) <= {"id", "name", "description", "status", "organization_id", "last_modified"}
    for item in services:
        response = client.get(f"/api/services/{item['id']}")
        assert response.status_code == 200
        full = response.get_json()
        assert_valid(full, "compiled/service")
        assert full["name"] == item["name"]
    organizations = all_items(client, "/api/organizations")
    for item in organizations:
        assert_valid(item, "compiled/organization_list")
    for item in all_items(client, "/api/organizations?full=true"):
        assert_valid(item, "compiled/organization")
    for item in organizations:
        full = client.get(f"/api/organizations/{item['id']}?full_service=true").get_json()
        assert_valid(full, "compiled/organization")
        assert full["services"], "an organisation is listed for its published services"
        for service in full["services"]:
            assert_valid(service, "compiled/service")
    for item in all_items(client, "/api/taxonomies"):
        assert_valid(item, "taxonomy")
        assert client.get(f"/api/taxonomies/{item['id']}").get_json() == item
    terms = all_items(client, "/api/taxonomy_terms")
    for item in terms:
        assert_valid(item, "taxonomy_term")
        assert client.get(f"/api/taxonomy_terms/{item['id']}").get_json() == item
    sals = all_items(client, "/api/service_at_locations")
    for item in sals:
        assert_valid(item, "compiled/service_at_location_list")
        full = client.get(f"/api/service_at_locations/{item['id']}").get_json()
        assert_valid(full, "compiled/service_at_location")
    for item in all_items(client, "/api/service_at_locations?full=true"):
        assert_valid(item, "compiled/service_at_location")
    root = client.get("/api/").get_json()
    counts.update(services=len(services), organizations=len(organizations), terms=len(terms), sals=len(sals))
    assert root["version"] == "3.0"
    return counts


def service_by_slug(slug: str) -> models.Service:
    return db.session.scalar(select(models.Service).where(models.Service.slug == slug))


# -- schemas ----------------------------------------------------------------------------------


def test_the_official_examples_pass_the_validators():
    """The validators themselves: the official examples pass, a broken copy fails."""
    example = json.loads((HSDS / "examples" / "service_full.json").read_text())
    assert_valid(example, "compiled/service")
    broken = dict(example, id="not-a-uuid")
    broken.pop("status")
    assert len(list(validator("compiled/service").iter_errors(broken))) == 2


def test_every_endpoint_follows_the_hsds_schemas(app, client):
    counts = check_every_endpoint(client)
    assert counts == {"services": 4, "organizations": 3, "terms": counts["terms"], "sals": 0}
    assert counts["terms"] >= 6 + 20  # kinds, themes and our fixed vocabularies


def test_located_services_follow_the_schemas(geo_client):
    counts = check_every_endpoint(geo_client)
    assert counts["sals"] == 5


def test_the_real_catalogue_follows_the_hsds_schemas(catalogue, real_client):
    counts = check_every_endpoint(real_client)
    published = db.session.scalar(select(db.func.count()).select_from(models.Service).where(
        models.Service.status == "gepubliceerd"))
    assert counts["services"] == published > 100
    assert counts["organizations"] > 50
    first = page_of(real_client, "/api/services")
    assert (first["size"], first["total_items"]) == (50, published)  # 50 a page by default


def test_root_and_openapi_document(geo_client):
    client = geo_client
    response = client.get("/api/")
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"
    root = response.get_json()
    assert root == {"version": "3.0", "profile": root["profile"], "openapi_url": "http://localhost/api/openapi.json"}
    assert root["profile"].startswith("https://")
    doc = client.get("/api/openapi.json").get_json()
    validate_openapi(doc)  # a valid OpenAPI 3.1 document (raises otherwise)
    assert doc["openapi"].startswith("3.1")
    # it describes exactly the API's endpoints
    served = {
        rule.rule.removeprefix("/api").replace("<service_id>", "{id}").replace("<org_id>", "{id}")
        .replace("<taxonomy_id>", "{id}").replace("<term_id>", "{id}").replace("<sal_id>", "{id}")
        for rule in client.application.url_map.iter_rules()
        if rule.rule.startswith("/api/") and "GET" in rule.methods and "<path:" not in rule.rule
    }
    assert set(doc["paths"]) == served - {"/openapi.json"}
    params = {p["name"] for p in doc["paths"]["/services"]["get"]["parameters"]}
    assert params == {"search", "page", "per_page", "taxonomy_term_id", "taxonomy_id", "organization_id",
                      "modified_after", "minimal", "full", "kind", "theme", "gemeente", "wijk", "audience", "access",
                      "cost", "language", "minimum_age", "maximum_age", "lang", "format"}
    kinds = next(p for p in doc["paths"]["/services"]["get"]["parameters"] if p["name"] == "kind")
    assert kinds["schema"]["enum"] == list(models.KINDS)
    assert "$ref" not in json.dumps(doc).replace('"$ref": "#/components/', "").replace('"$ref":"#/components/', "")


# -- filters, search, paging --------------------------------------------------------------------


def test_filters_combine_with_and(app, client):
    assert names(client, "/api/services?kind=jongerenwerk") == ["Jongerenwerk Haarlem Test"]
    assert names(client, "/api/services?kind=jongerenwerk&gemeente=haarlem") == ["Jongerenwerk Haarlem Test"]
    assert names(client, "/api/services?kind=jongerenwerk&gemeente=velsen") == []
    # national offers serve every gemeente
    assert names(client, "/api/services?gemeente=velsen") == [
        "Spreekuur scheiding Velsen", "Test Hulplijn voor armoede"]
    assert names(client, "/api/services?gemeente=velsen&cost=gratis") == ["Spreekuur scheiding Velsen"]
    assert names(client, "/api/services?wijk=WK036103") == ["Test Hulplijn voor armoede", "Wijkmaatje Overdie"]
    assert names(client, "/api/services?minimum_age=13&maximum_age=15") == [
        "Jongerenwerk Haarlem Test", "Spreekuur scheiding Velsen", "Test Hulplijn voor armoede"]  # no limit: included
    assert names(client, "/api/services?maximum_age=5&audience=kinderen") == []
    assert names(client, "/api/services?access=aanmelden") == ["Wijkmaatje Overdie"]
    assert names(client, "/api/services?theme=eenzaamheid&kind=maatjesproject") == ["Wijkmaatje Overdie"]
    # HSDS filters
    org = service_by_slug("test-wijkmaatje-overdie").organization_id
    assert names(client, f"/api/services?organization_id={org}") == ["Jongerenwerk Haarlem Test", "Wijkmaatje Overdie"]
    assert names(client, f"/api/services?organization_id={org}&theme=sport-en-vrije-tijd") == [
        "Jongerenwerk Haarlem Test"]
    theme = models.stable_id("theme", "schulden")
    assert names(client, f"/api/services?taxonomy_term_id={theme}") == ["Test Hulplijn voor armoede"]
    assert names(client, f"/api/services?taxonomy_term_id={theme}&kind=jongerenwerk") == []
    kind = models.stable_id("kind", "maatjesproject")
    assert names(client, f"/api/services?taxonomy_term_id={kind}") == ["Wijkmaatje Overdie"]
    access = client.get("/api/taxonomy_terms?search=aanmelden").get_json()["contents"][0]["id"]
    assert names(client, f"/api/services?taxonomy_term_id={access}") == ["Wijkmaatje Overdie"]
    unknown = "00000000-0000-4000-8000-000000000000"
    assert names(client, f"/api/services?taxonomy_term_id={unknown}") == []
    assert names(client, f"/api/services?taxonomy_id={models.THEMES_TAXONOMY}&kind=armoedevoorziening") == [
        "Test Hulplijn voor armoede"]
    assert "Concept dat niet getoond wordt" not in names(client, "/api/services")


def test_filters_on_the_real_catalogue_are_intersections(catalogue, real_client):
    for first, second in (("kind=jongerenwerk", "gemeente=velsen"), ("theme=scheiding", "gemeente=haarlem"),
                          ("access=vrij toegankelijk", "cost=gratis"), ("kind=armoedevoorziening", "wijk=WK036103")):
        a, b = ids(real_client, f"/api/services?{first}"), ids(real_client, f"/api/services?{second}")
        both = ids(real_client, f"/api/services?{first}&{second}")
        assert both == a & b and both, (first, second)
        assert both < a or both < b


def test_modified_after(app, client):
    service = service_by_slug("test-wijkmaatje-overdie")
    later = datetime.now(UTC) + timedelta(days=30)
    service.last_modified = later
    db.session.commit()
    moment = (later - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert names(client, f"/api/services?modified_after={moment}") == ["Wijkmaatje Overdie"]
    assert names(client, f"/api/services?modified_after={later.date().isoformat()}") == ["Wijkmaatje Overdie"]
    assert len(names(client, "/api/services?modified_after=2000-01-01")) == 4
    stamp = client.get(f"/api/services/{service.id}").get_json()["last_modified"]
    assert stamp.endswith("Z") and stamp.startswith(later.strftime("%Y-%m-%dT%H:%M"))


def test_search_uses_the_sites_search(app, client):
    found = page_of(client, "/api/services?search=scheiding")["contents"]
    assert [s["name"] for s in found] == ["Spreekuur scheiding Velsen"]
    assert [a["taxonomy_term"]["code"] for a in client.get(f"/api/services/{found[0]['id']}").get_json()["attributes"]
            if a["link_type"] == "kind"] == ["scheidingsplein"]
    # the synonym table, stemming and spelling correction of the site
    assert names(client, "/api/services?search=ruzie over de kinderen") == ["Spreekuur scheiding Velsen"]
    assert names(client, "/api/services?search=scheidng") == ["Spreekuur scheiding Velsen"]
    assert names(client, "/api/services?search=blut") == ["Test Hulplijn voor armoede"]
    # query syntax is just text
    for text in ('AND OR NOT ("', "*:*", "naam:[a TO z]", "\x00\x1f%_"):
        assert client.get("/api/services", query_string={"search": text}).status_code == 200
    # search + filters: AND
    assert names(client, "/api/services?search=scheiding&gemeente=haarlem") == []
    assert names(client, "/api/services?search=jongeren&gemeente=haarlem") == ["Jongerenwerk Haarlem Test"]


def test_search_ranking_on_the_real_catalogue(catalogue, real_client):
    found = page_of(real_client, "/api/services?search=scheiding&per_page=5")["contents"]
    assert found and any("cheiding" in s["name"] for s in found[:3])
    kinds = [a["taxonomy_term"]["code"] for s in found[:3]
             for a in real_client.get(f"/api/services/{s['id']}").get_json()["attributes"] if a["link_type"] == "kind"]
    assert "scheidingsplein" in kinds
    # paged by the index, or ranked in full and sliced (with a database filter): the same order
    paged = [s["id"] for page in (1, 2, 3) for s in page_of(
        real_client, f"/api/services?search=geen geld voor sport&per_page=4&page={page}")["contents"]]
    sliced = [s["id"] for s in page_of(
        real_client, "/api/services?search=geen geld voor sport&per_page=12&modified_after=2000-01-01")["contents"]]
    assert len(paged) == 12 and paged == sliced


def test_pagination_envelope(app, client):
    everything = [s["id"] for s in page_of(client, "/api/services")["contents"]]
    first = page_of(client, "/api/services?per_page=3")
    assert (first["total_items"], first["total_pages"], first["page_number"], first["size"]) == (4, 2, 1, 3)
    assert first["first_page"] and not first["last_page"] and not first["empty"]
    second = page_of(client, "/api/services?per_page=3&page=2")
    assert (second["page_number"], second["size"], second["first_page"], second["last_page"]) == (2, 1, False, True)
    assert [s["id"] for s in first["contents"] + second["contents"]] == everything
    beyond = page_of(client, "/api/services?per_page=3&page=9")
    assert beyond["empty"] and beyond["contents"] == [] and beyond["last_page"] and beyond["total_items"] == 4
    assert page_of(client, "/api/services?per_page=100")["size"] == 4  # per_page=100 is allowed
    terms = page_of(client, "/api/taxonomy_terms?per_page=10&page=5")
    assert (terms["total_pages"], terms["size"]) == (-(-terms["total_items"] // 10), terms["total_items"] - 40)
    nothing = page_of(client, "/api/services?kind=cjg-menukaart")
    assert (nothing["total_items"], nothing["total_pages"], nothing["empty"]) == (0, 0, True)


def test_content_in_the_requested_language(app, client):
    service = service_by_slug("test-scheidingsspreekuur")
    texts = {"name": "Divorce consultation Velsen", "summary": "A consultation hour for parents who separate.",
             "how_to_get": "Walk in during the consultation hour."}
    source = fingerprint([service.name, service.summary, service.how_to_get])
    for field, text in texts.items():
        db.session.add(models.Translation(entity_type="service", entity_id=service.id, field=field, locale="en",
                                          text=text, status="machine", source_hash=source))
    db.session.commit()
    queries.forget_cached()
    english = client.get(f"/api/services/{service.id}?lang=en").get_json()
    assert_valid(english, "compiled/service")
    assert english["name"] == "Divorce consultation Velsen"
    assert english["description"] == "A consultation hour for parents who separate."  # no Dutch mixed in
    assert english["application_process"] == "Walk in during the consultation hour."
    dutch = client.get(f"/api/services/{service.id}").get_json()
    assert dutch["name"] == "Spreekuur scheiding Velsen"
    assert dutch["description"].startswith("Een spreekuur voor ouders die uit elkaar gaan.\n\nJe praat met een coach")
    listed = page_of(client, "/api/services?lang=en&gemeente=velsen")["contents"]
    assert [s["name"] for s in listed] == ["Divorce consultation Velsen", "Test Hulplijn voor armoede"]
    assert client.get(f"/api/services/{service.id}?lang=ar").get_json()["name"] == "Spreekuur scheiding Velsen"
    sal_free = client.get(f"/api/organizations/{service.organization_id}?lang=en").get_json()
    assert sal_free["services"][0]["name"] == "Divorce consultation Velsen"
    # theme names come from the translated taxonomy where there is one (content/translations is not loaded here)
    terms = page_of(client, "/api/taxonomy_terms?lang=en&per_page=100")["contents"]
    assert all(t["language"] in ("nl", "en") for t in terms)
    # a stale translation is not shown
    service.summary = "Een spreekuur, nu ook op zaterdag."
    db.session.commit()
    queries.forget_cached()
    assert client.get(f"/api/services/{service.id}?lang=en").get_json()["name"] == "Spreekuur scheiding Velsen"


def test_theme_translations_on_the_real_catalogue(catalogue, real_client):
    terms = page_of(real_client, f"/api/taxonomy_terms?lang=en&taxonomy_id={models.THEMES_TAXONOMY}")["contents"]
    money = next(t for t in terms if t["code"] == "geldzorgen-en-armoede")
    assert money["name"] == "Money worries and poverty" and money["language"] == "en"
    assert_valid(money, "taxonomy_term")


def test_mapping_is_honest(app, client):
    hulplijn = client.get(f"/api/services/{service_by_slug('test-hulplijn').id}").get_json()
    assert "url" not in hulplijn and "email" not in hulplijn  # not known: left out, never null
    assert "minimum_age" not in hulplijn and "interpretation_services" not in hulplijn
    assert hulplijn["assured_date"] == "2026-11-25"
    assert [a["name"] for a in hulplijn["service_areas"]] == ["Heel Nederland"]
    assert hulplijn["cost_options"][0]["amount_description"] == "inkomen tot 120% van het minimum"
    assert "amount" not in hulplijn["cost_options"][0]
    codes = {(a["link_type"], a["taxonomy_term"]["code"]) for a in hulplijn["attributes"]}
    assert codes == {("kind", "armoedevoorziening"), ("theme", "geldzorgen-en-armoede"), ("theme", "schulden"),
                     ("audience", "ouders"), ("access", "vrij toegankelijk"), ("cost", "inkomensgrens")}
    jongerenwerk = client.get(f"/api/services/{service_by_slug('test-jongerenwerk-haarlem').id}").get_json()
    assert "assured_date" not in jongerenwerk  # te controleren: never checked
    assert ("review", "te controleren") in {(a["link_type"], a["taxonomy_term"]["code"])
                                            for a in jongerenwerk["attributes"]}
    assert (jongerenwerk["minimum_age"], jongerenwerk["maximum_age"]) == (12, 23)
    area = jongerenwerk["service_areas"][0]
    assert (area["name"], area["uri"]) == ("Haarlem", "http://localhost/gemeente/haarlem")
    wijk = client.get(f"/api/services/{service_by_slug('test-wijkmaatje-overdie').id}").get_json()["service_areas"]
    assert wijk[0]["uri"] == "http://localhost/wijk/WK036103" and "(Alkmaar)" in wijk[0]["name"]
    # term ids in attributes resolve at /taxonomy_terms
    for attr in hulplijn["attributes"]:
        assert client.get(f"/api/taxonomy_terms/{attr['taxonomy_term_id']}").status_code == 200


def test_service_at_locations_near_a_point(geo_client):
    point = (52.466, 4.611)
    near = page_of(geo_client, f"/api/service_at_locations?lat={point[0]}&lon={point[1]}&radius=2")["contents"]
    assert [s["service"]["name"] for s in near] == ["Inloop Noord", "Inloop Zuid"]
    wide = page_of(geo_client, f"/api/service_at_locations?lat={point[0]}&lon={point[1]}")["contents"]
    distances = [distance_km(point, (s["location"]["latitude"], s["location"]["longitude"])) for s in wide]
    assert distances == sorted(distances) and len(wide) == 4  # "Buurthuis" (town only) has no point: left out
    assert "Inloop Dorp" not in [s["service"]["name"] for s in wide]
    metres = page_of(geo_client, f"/api/service_at_locations?lat={point[0]}&lon={point[1]}&proximity=2000")
    assert [s["id"] for s in metres["contents"]] == [s["id"] for s in near]
    everything = page_of(geo_client, "/api/service_at_locations")["contents"]
    dorp = next(s for s in everything if s["service"]["name"] == "Inloop Dorp")
    assert "latitude" not in dorp["location"]  # known to its town only: never a pin
    velsen = page_of(geo_client, "/api/service_at_locations?gemeente=haarlem&kind=maatjesproject")["contents"]
    assert [s["service"]["name"] for s in velsen] == ["Inloop Haarlem"]
    full = page_of(geo_client, "/api/service_at_locations?full=true&search=inloop noord")["contents"]
    assert full[0]["location"]["addresses"][0]["address_1"] == "Teststraat 1"
    assert full[0]["location"]["addresses"][0]["postal_code"] == ""  # required by HSDS, unknown here


# -- errors, CORS ------------------------------------------------------------------------------

BAD = [
    ("/api/services?page=abc", "page"),
    ("/api/services?page=0", "page"),
    ("/api/services?page=99999999999999999999", "page"),
    ("/api/services?per_page=101", "per_page"),
    ("/api/services?per_page=-5", "per_page"),
    ("/api/services?page=1&page=2", "page"),
    ("/api/services?modified_after=gisteren", "modified_after"),
    ("/api/services?modified_after=2025-13-45", "modified_after"),
    ("/api/services?kind=onbekend", "kind"),
    ("/api/services?theme=geen-thema", "theme"),
    ("/api/services?gemeente=amsterdam", "gemeente"),
    ("/api/services?wijk=WK999999", "wijk"),
    ("/api/services?access=soms", "access"),
    ("/api/services?cost=duur", "cost"),
    ("/api/services?minimal=misschien", "minimal"),
    ("/api/services?minimal=true&full=true", "full"),
    ("/api/services?lang=xx", "lang"),
    ("/api/services?minimum_age=10&maximum_age=5", "maximum_age"),
    ("/api/services?minimum_age=tien", "minimum_age"),
    ("/api/services?organization_id=not-a-uuid", "organization_id"),
    ("/api/services?taxonomy_term_id=1", "taxonomy_term_id"),
    ("/api/services/00000000-0000-4000-8000-000000000000?lang=klingon", "lang"),
    ("/api/service_at_locations?lat=91&lon=4.6", "lat"),
    ("/api/service_at_locations?lat=abc&lon=4.6", "lat"),
    ("/api/service_at_locations?lat=NaN&lon=4.6", "lat"),
    ("/api/service_at_locations?lat=52.4", "lon"),
    ("/api/service_at_locations?radius=5", "radius"),
    ("/api/service_at_locations?lat=52.4&lon=4.6&radius=0", "radius"),
    ("/api/service_at_locations?lat=52.4&lon=4.6&radius=1&proximity=1000", "proximity"),
    ("/api/service_at_locations?postcode=ABCD", "postcode"),
    ("/api/taxonomy_terms?taxonomy_id=vragen", "taxonomy_id"),
    ("/api/organizations?full_service=ja", "full_service"),
    ("/api/taxonomies?format=ndjson", "format"),
]


@pytest.mark.parametrize(("url", "parameter"), BAD)
def test_bad_parameters_give_400_json(geo_client, url, parameter):
    response = geo_client.get(url)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert body["parameter"] == parameter and body["error"]


def test_not_found_and_unpublished(geo_client):
    client = geo_client
    concept = service_by_slug("test-concept")
    for url in ("/api/services/00000000-0000-4000-8000-000000000000", f"/api/services/{concept.id}",
                "/api/organizations/00000000-0000-4000-8000-000000000000", "/api/taxonomies/x",
                "/api/taxonomy_terms/x", "/api/service_at_locations/x", "/api/nothing-here", "/api/services/a/b"):
        response = client.get(url)
        assert response.status_code == 404 and response.get_json() == {"error": "not found"}, url
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    response = client.post("/api/services")
    assert response.status_code == 405 and "GET" in response.headers["Allow"]
    assert response.get_json()["error"].startswith("method not allowed")
    assert client.delete("/api/").status_code == 405


def test_cors_preflight(geo_client):
    client = geo_client
    response = client.options("/api/services", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "Accept"})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert response.headers["Access-Control-Allow-Headers"] == "Accept"
    assert "Access-Control-Allow-Origin" not in client.get("/over").headers  # only the API is shared


def test_search_while_the_index_is_rebuilt(app, client, monkeypatch):
    from finder.catalogue import hsds
    from finder.search import IndexUnavailable

    class Rebuilding:
        def doc_count(self) -> int:
            raise IndexUnavailable

        def search(self, *args: object) -> None:
            raise IndexUnavailable

    monkeypatch.setattr(hsds, "current_index", lambda: Rebuilding())
    response = client.get("/api/services?search=scheiding")
    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    assert response.get_json()["error"].startswith("the search index is being rebuilt")
    assert client.get("/api/services?kind=jongerenwerk").status_code == 503  # an index filter
    assert client.get(f"/api/services?search=x&organization_id={models.THEMES_TAXONOMY}").status_code == 503
    assert page_of(client, f"/api/services?taxonomy_id={models.THEMES_TAXONOMY}")["total_items"] == 4  # database only

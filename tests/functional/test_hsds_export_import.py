"""HSDS 3.0 export (JSON and tabular data package) and import: schemas, round trip, official
examples, all-or-nothing and --partial."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from test_api import validator

from finder import models
from finder.catalogue import queries
from finder.extensions import db

ROOT = Path(__file__).resolve().parent.parent.parent
HSDS = ROOT / "tests" / "fixtures" / "hsds"
EXAMPLES = HSDS / "examples"


def errors_of(doc: Any, name: str) -> list[str]:
    """Problems of `doc` against an official HSDS 3.0 schema (test_api's validators)."""
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator(name).iter_errors(doc)]


def export(app: Flask, directory: Path) -> str:
    result = app.test_cli_runner().invoke(args=["export-hsds", str(directory), "--base-url", "https://wegwijzer.test/"])
    assert result.exit_code == 0, result.output
    return result.output


def run_import(app: Flask, *args: str):
    return app.test_cli_runner().invoke(args=["import-hsds", *args])


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def real_export(catalogue_app: Flask, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real catalogue, exported once for this module."""
    directory = tmp_path_factory.mktemp("export")
    with catalogue_app.app_context():
        queries.forget_cached()
        export(catalogue_app, directory)
        db.session.remove()
    return directory


def empty_catalogue(tmp: Path, loaded_app) -> Flask:
    """A fresh database with only the reference data (taxonomy, gemeenten, wijken): no services."""
    content = tmp / "content"
    (content / "services").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "taxonomy.yaml", content / "taxonomy.yaml")
    shutil.copytree(ROOT / "content" / "geo", content / "geo")
    (content / "synonyms.yaml").write_text("synonyms: []\n", encoding="utf-8")
    return loaded_app(tmp, content)


# -- export -----------------------------------------------------------------------------------


def test_export_of_the_real_catalogue_follows_the_schemas(catalogue, real_export):
    services = json.loads((real_export / "services.json").read_text(encoding="utf-8"))
    published = db.session.scalar(select(func.count()).select_from(models.Service).where(
        models.Service.status == "gepubliceerd"))
    assert len(services) == published > 100
    for service in services:
        assert errors_of(service, "compiled/service") == [], service["id"]
    organizations = json.loads((real_export / "organizations.json").read_text(encoding="utf-8"))
    assert {o["id"] for o in organizations} == {s["organization_id"] for s in services}
    for org in organizations:
        assert errors_of(org, "compiled/organization") == [], org["id"]
        assert org["uri"].startswith("https://wegwijzer.test/organisatie/")
    taxonomies = json.loads((real_export / "taxonomies.json").read_text(encoding="utf-8"))
    terms = json.loads((real_export / "taxonomy_terms.json").read_text(encoding="utf-8"))
    for item in taxonomies:
        assert errors_of(item, "taxonomy") == []
    for item in terms:
        assert errors_of(item, "taxonomy_term") == []
    term_ids = {t["id"] for t in terms}
    used = {a["taxonomy_term_id"] for s in services for a in s["attributes"]}
    assert used <= term_ids  # every attribute's term is in taxonomy_terms.json
    assert {t["taxonomy_id"] for t in terms} == {t["id"] for t in taxonomies}
    # no nulls anywhere: unknown facts are left out
    assert "null" not in (real_export / "services.json").read_text(encoding="utf-8")


def test_export_csv_files_match_the_datapackage(catalogue, real_export):
    package = json.loads((real_export / "datapackage.json").read_text(encoding="utf-8"))
    official = {r["name"]: r for r in json.loads((HSDS / "datapackage.json").read_text())["resources"]}
    assert package["profile"] == "tabular-data-package" and "license" not in package  # the data's is not known
    assert "openreferral" in package["sources"][0]["path"]
    names = [r["name"] for r in package["resources"]]
    assert {"service", "organization", "location", "service_at_location", "phone", "schedule", "service_area",
            "language", "cost_option", "taxonomy", "taxonomy_term", "attribute", "address"} <= set(names)
    written = {p.name for p in real_export.glob("*.csv")}
    assert written == {r["path"] for r in package["resources"]}  # only the resources written, all listed
    rows: dict[str, list[dict[str, str]]] = {}
    for resource in package["resources"]:
        fields = [f["name"] for f in resource["schema"]["fields"]]
        assert fields == [f["name"] for f in official[resource["name"]]["schema"]["fields"]]  # HSDS column names
        assert resource["path"] == official[resource["name"]]["path"]
        header, data = read_csv(real_export / resource["path"])
        assert header == fields, resource["name"]
        rows[resource["name"]] = data
        keys = [row["id"] for row in data]
        assert len(keys) == len(set(keys)), f"{resource['name']}: ids must be unique"
        for spec in resource["schema"]["fields"]:
            if spec.get("constraints", {}).get("required"):
                assert all(row[spec["name"]] for row in data), (resource["name"], spec["name"])
        for key in resource["schema"].get("foreignKeys", []):
            assert key["reference"]["resource"] in names
    # foreign keys resolve
    ids = {name: {row["id"] for row in data} for name, data in rows.items()}
    for name, data in rows.items():
        resource = next(r for r in package["resources"] if r["name"] == name)
        for key in resource["schema"].get("foreignKeys", []):
            target = ids[key["reference"]["resource"]]
            for row in data:
                assert not row[key["fields"]] or row[key["fields"]] in target, (name, key["fields"], row["id"])
    services = json.loads((real_export / "services.json").read_text(encoding="utf-8"))
    assert len(rows["service"]) == len(services)
    assert len(rows["phone"]) >= sum(len(s["phones"]) for s in services)
    assert len(rows["service_area"]) == sum(len(s["service_areas"]) for s in services)
    assert {r["link_entity"] for r in rows["attribute"]} == {"service", "service_area"}
    by_id = {s["id"]: s for s in services}
    for row in rows["service"][:20]:
        assert row["name"] == by_id[row["id"]]["name"] and row["status"] == "active"


# -- round trip --------------------------------------------------------------------------------


def _service_facts(service: models.Service) -> dict[str, Any]:
    return {
        "organization_id": service.organization_id,
        **{k: getattr(service, k) for k in ("name", "summary", "description", "how_to_get", "kind", "audience",
                                            "minimum_age", "maximum_age", "access", "referred_by", "cost", "website",
                                            "email", "needs_review", "assured_date", "status")},
        "themes": sorted(a.taxonomy_term_id for a in service.attributes),
        "phones": [(p.id, p.number, p.description) for p in service.phones],
        "schedules": [(s.id, s.description) for s in service.schedules],
        "languages": sorted((x.id, x.code) for x in service.languages),
        "costs": sorted((c.id, c.option, c.amount, c.amount_description) for c in service.cost_options),
        "areas": sorted((a.id, a.scope, a.gemeente_slug, a.wijk_code, a.region, a.description)
                        for a in service.service_areas),
        "locations": sorted((s.id, s.location.id, s.location.name, s.location.address_1, s.location.postal_code,
                             s.location.city, s.location.latitude, s.location.longitude, s.location.precision)
                            for s in service.service_at_locations),
    }


def _catalogue_facts() -> tuple[dict[str, Any], dict[str, Any]]:
    services = db.session.scalars(select(models.Service).where(models.Service.status == "gepubliceerd"))
    facts = {s.id: _service_facts(s) for s in services}
    orgs = {o.id: (o.slug, o.name, o.description, o.website, o.email, [(p.id, p.number, p.description)
                                                                        for p in o.phones])
            for o in db.session.scalars(select(models.Organization))
            if any(f["organization_id"] == o.id for f in facts.values())}
    return facts, orgs


def test_export_import_round_trip(catalogue_app, real_export, tmp_path, app_loader):
    with catalogue_app.app_context():
        before, orgs_before = _catalogue_facts()
        db.session.remove()
    fresh = empty_catalogue(tmp_path / "fresh", app_loader)
    with fresh.app_context():
        queries.forget_cached()
        result = run_import(fresh, str(real_export), "--publish")
        assert result.exit_code == 0, result.output[-3000:]
        assert result.output.count(": created") == len(before) + len(orgs_before)
        after, orgs_after = _catalogue_facts()
        assert after == before
        assert orgs_after == orgs_before
        # the index followed the commit: the imported services are found by the site's search
        client = fresh.test_client()
        found = client.get("/api/services?search=scheiding&per_page=3").get_json()
        assert found["total_items"] > 0
        # exporting again gives the same HSDS (apart from when records changed)
        again = tmp_path / "again"
        export(fresh, again)
        for name in ("services.json", "organizations.json", "taxonomy_terms.json"):
            first = json.loads((real_export / name).read_text(encoding="utf-8"))
            second = json.loads((again / name).read_text(encoding="utf-8"))
            for item in first + second:
                item.pop("last_modified", None)
            assert second == first, name
        # and importing the same files again changes nothing
        result = run_import(fresh, str(real_export), "--publish")
        assert result.exit_code == 0 and ": created" not in result.output and ": updated" not in result.output
        assert result.output.count(": unchanged") >= len(before)
        db.session.remove()


def test_imported_changes_are_updates_and_wait_for_review(catalogue_app, real_export, tmp_path, app_loader):
    fresh = empty_catalogue(tmp_path / "fresh", app_loader)
    services = json.loads((real_export / "services.json").read_text(encoding="utf-8"))[:3]
    first = tmp_path / "services.json"
    first.write_text(json.dumps(services), encoding="utf-8")
    with fresh.app_context():
        queries.forget_cached()
        assert run_import(fresh, str(first), "--publish").exit_code == 0
        changed = [dict(services[0], name="Een nieuwe naam"), *services[1:]]
        second = tmp_path / "changed.json"
        second.write_text(json.dumps(changed), encoding="utf-8")
        result = run_import(fresh, str(second))
        assert result.exit_code == 0
        assert f'service {services[0]["id"]} "Een nieuwe naam": updated' in result.output
        assert result.output.count(": unchanged") == 2 + len({s["organization_id"] for s in services})
        row = db.session.get(models.Service, services[0]["id"])
        assert row.name == "Een nieuwe naam" and row.status == "concept"  # changed without --publish: not public
        assert db.session.get(models.Service, services[1]["id"]).status == "gepubliceerd"
        assert fresh.test_client().get(f"/api/services/{services[0]['id']}").status_code == 404
        revisions = db.session.scalars(select(models.Revision).where(models.Revision.entity_id == row.id)).all()
        assert [r.author for r in revisions] == ["hsds-import", "hsds-import"]
        db.session.remove()


# -- the official examples -----------------------------------------------------------------------


@pytest.mark.parametrize("example", ["service_full.json", "organization_full.json", "service_at_location_full.json"])
def test_official_examples_import(app, example):
    result = run_import(app, str(EXAMPLES / example))
    assert result.exit_code == 0, result.output
    assert 'service ac148810-d857-441c-9679-408f346de14b "Community Counselling": created' in result.output
    assert "0 with errors, 0 skipped; saved" in result.output.splitlines()[-1]
    service = db.session.get(models.Service, "ac148810-d857-441c-9679-408f346de14b")
    assert service.status == "concept"  # not published without --publish
    assert service.organization.name == "Example Organization Inc."
    assert service.how_to_get.startswith("If you are an NHS patient")
    assert (service.minimum_age, service.maximum_age) == (12, 100)
    assert [p.number for p in service.phones] == ['"+44 1234 234567"']
    assert service.schedules[0].description.startswith("The service is available from 10 am")
    assert [c.amount for c in service.cost_options] == [35.0]
    assert service.kind == "overig" and service.access == "onbekend"  # nothing invented
    assert "interpretation_services" in result.output  # reported as not kept
    assert "coordinates (100, 101) are not a valid point" in result.output
    location = service.locations[0]
    assert (location.name, location.address_1, location.city) == (
        "MyCity Civic Center", "1-30 Main Street, MyVillage", "MyCity")
    assert location.latitude is None and location.precision is None  # (100, 101) is not a point
    assert app.test_client().get(f"/api/services/{service.id}").status_code == 404  # concept: not in the API


def test_official_examples_publish_and_are_found(app):
    result = run_import(app, str(EXAMPLES / "service_full.json"), "--publish")
    assert result.exit_code == 0, result.output
    client = app.test_client()
    found = client.get("/api/services?search=counselling").get_json()["contents"]
    assert [s["name"] for s in found] == ["Community Counselling"]
    full = client.get(f"/api/services/{found[0]['id']}").get_json()
    assert errors_of(full, "compiled/service") == []
    assert full["assured_date"] == "2005-01-01"
    assert ("theme", "name") not in {(a["link_type"], a["taxonomy_term"]["name"]) for a in full["attributes"]}
    assert {a["taxonomy_term"]["code"] for a in full["attributes"]} >= {"code", "overig"}
    for name in ("taxonomy.json", "taxonomy_term.json"):
        assert run_import(app, str(EXAMPLES / name)).exit_code == 0


# -- broken input ----------------------------------------------------------------------------------


def _broken_file(tmp_path: Path) -> tuple[Path, dict[str, Any], dict[str, Any]]:
    good = json.loads((EXAMPLES / "service_full.json").read_text())
    broken = json.loads(json.dumps(good))
    broken["id"] = "5d0b1a9e-8e2f-4c3e-9a51-1c2d3e4f5a6b"
    broken["name"] = ""
    broken["email"] = "geen-adres"
    broken["phones"] = [{"id": "3b1f0e2a-6c4d-4e5f-8a9b-0c1d2e3f4a5b"}]
    path = tmp_path / "services.json"
    path.write_text(json.dumps([good, broken]), encoding="utf-8")
    return path, good, broken


def test_a_broken_file_imports_nothing(app, tmp_path):
    path, good, broken = _broken_file(tmp_path)
    count = db.session.scalar(select(func.count()).select_from(models.Service))
    result = run_import(app, str(path))
    assert result.exit_code == 1
    line = next(x for x in result.output.splitlines() if x.startswith(f"service {broken['id']}"))
    assert ": error:" in line and "name: required" in line and "email: not an e-mail address" in line
    assert "phones[0].number: required" in line
    assert f"service {good['id']} \"Community Counselling\": skipped" in result.output
    assert "Nothing was saved" in result.output
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(models.Service)) == count
    assert db.session.get(models.Organization, good["organization"]["id"]) is None


def test_partial_saves_the_valid_records(app, tmp_path):
    path, good, broken = _broken_file(tmp_path)
    result = run_import(app, str(path), "--partial")
    assert result.exit_code == 1  # errors are still errors
    assert f'service {good["id"]} "Community Counselling": created' in result.output
    assert f"service {broken['id']}: error" in result.output
    assert "the valid records were saved" in result.output
    db.session.rollback()
    assert db.session.get(models.Service, good["id"]) is not None
    assert db.session.get(models.Service, broken["id"]) is None


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "cannot read JSON"),
    ("42", "expected an HSDS object"),
])
def test_unreadable_files(app, tmp_path, content, message):
    path = tmp_path / "broken.json"
    path.write_text(content, encoding="utf-8")
    result = run_import(app, str(path))
    assert result.exit_code == 1 and message in result.output


def test_references_must_resolve(app, tmp_path):
    service = json.loads((EXAMPLES / "service_full.json").read_text())
    del service["organization"]
    service["organization_id"] = "11111111-2222-4333-8444-555555555555"
    service["attributes"][0].pop("taxonomy_term")
    service["attributes"][0]["taxonomy_term_id"] = "11111111-2222-4333-8444-666666666666"
    path = tmp_path / "service.json"
    path.write_text(json.dumps(service), encoding="utf-8")
    result = run_import(app, str(path))
    assert result.exit_code == 1
    assert "organization_id: unknown organization 11111111-2222-4333-8444-555555555555" in result.output
    # an object we cannot recognise
    path.write_text(json.dumps([{"foo": "bar"}]), encoding="utf-8")
    result = run_import(app, str(path))
    assert result.exit_code == 1 and "cannot tell which HSDS object this is" in result.output


def test_an_empty_folder_is_an_error(app, tmp_path):
    result = run_import(app, str(tmp_path))
    assert result.exit_code == 1 and "no HSDS JSON files" in result.output

"""Loading content/ (YAML) into the database: validated first, then written all-or-nothing.

Every problem is reported with file, record and field, and then nothing is written. Records are
upserted by slug and compared by a hash of their YAML, so a second load changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from finder import models
from finder.catalogue import content_schema as cs
from finder.catalogue.revisions import record_revision
from finder.catalogue.translation_text import SERVICE_FIELDS, THEME_FIELDS
from finder.extensions import db
from finder.geo.gazetteer import Gazetteer, display_wijk_name

LOADER = "content-loader"
# The date on which the seed sources were compiled and checked (content/README.md).
SEED_CHECKED = date(2026, 11, 25)


class ContentError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s) in content")
        self.problems = problems


@dataclass
class LoadReport:
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, kind: str, outcome: str) -> None:
        self.counts[f"{kind} {outcome}"] += 1

    @property
    def changed(self) -> int:
        return sum(v for k, v in self.counts.items() if not k.endswith("unchanged"))

    def summary(self) -> str:
        return "\n".join(f"{k}: {v}" for k, v in sorted(self.counts.items())) or "nothing to load"


@dataclass
class Content:
    taxonomy: cs.TaxonomyFile
    synonyms: list[cs.SynonymIn]
    organizations: list[cs.OrganizationIn]
    services: list[cs.ServiceIn]
    menukaarten: list[cs.MenukaartIn]
    wijken: list[dict[str, Any]]
    translations: list[cs.TranslationFile] = field(default_factory=list)


def _hash(model: BaseModel | dict[str, Any]) -> str:
    data = model.model_dump(mode="json") if isinstance(model, BaseModel) else model
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _describe(error: dict[str, Any]) -> str:
    loc = ".".join(str(p) for p in error["loc"]) or "(record)"
    return f"field {loc}: {error['msg']}"


def _read_yaml(path: Path, problems: list[str]) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as exc:
        problems.append(f"{path.name}: cannot read YAML: {exc}")
        return None


def _records(path: Path, data: Any, key: str, model: type[BaseModel], problems: list[str]) -> list[Any]:
    """Validate each record on its own, so every broken record is reported by name."""
    items = data.get(key) if isinstance(data, dict) else None
    if items is None:
        return []
    if not isinstance(items, list):
        problems.append(f"{path.name}: '{key}' must be a list")
        return []
    out = []
    for i, raw in enumerate(items):
        name = raw.get("slug") or raw.get("phrase") if isinstance(raw, dict) else None
        try:
            out.append(model.model_validate(raw))
        except ValidationError as exc:
            for err in exc.errors():
                problems.append(f"{path.name}: {key}[{i}] ({name or '?'}): {_describe(err)}")
    return out


def read_content(directory: Path) -> Content:
    """Read and check everything under `directory`; raise ContentError listing all problems."""
    problems: list[str] = []
    tax_path = directory / "taxonomy.yaml"
    raw_tax = _read_yaml(tax_path, problems)
    taxonomy = None
    if raw_tax is not None:
        try:
            taxonomy = cs.TaxonomyFile.model_validate(raw_tax)
        except ValidationError as exc:
            problems += [f"taxonomy.yaml: {_describe(e)}" for e in exc.errors()]
    synonyms: list[cs.SynonymIn] = []
    for syn_path in [directory / "synonyms.yaml", *sorted(directory.glob("synonyms.*.yaml"))]:
        records = _records(syn_path, _read_yaml(syn_path, problems) or {}, "synonyms", cs.SynonymIn, problems)
        locale = syn_path.name.removeprefix("synonyms.").removesuffix(".yaml")
        for record in records:
            if locale not in ("yaml", record.locale) and syn_path.name != "synonyms.yaml":
                problems.append(f"{syn_path.name}: synonyms ({record.phrase}): field locale: must be {locale}")
        synonyms += records
    translations = _read_translations(directory / "translations", problems)

    organizations: list[cs.OrganizationIn] = []
    services: list[cs.ServiceIn] = []
    menukaarten: list[cs.MenukaartIn] = []
    where: dict[str, str] = {}
    for path in sorted((directory / "services").glob("*.yaml")):
        data = _read_yaml(path, problems)
        if data is None:
            continue
        if not isinstance(data, dict) or set(data) - {"organizations", "services", "menukaarten"}:
            problems.append(f"{path.name}: top-level keys must be organizations, services, menukaarten")
            continue
        for key, model, bucket in (
            ("organizations", cs.OrganizationIn, organizations),
            ("services", cs.ServiceIn, services),
            ("menukaarten", cs.MenukaartIn, menukaarten),
        ):
            for record in _records(path, data, key, model, problems):
                ref = f"{key}:{record.slug}"
                if ref in where:
                    problems.append(f"{path.name}: {key} ({record.slug}): slug also used in {where[ref]}")
                    continue
                where[ref] = path.name
                bucket.append(record)

    wijken = _read_wijken(directory / "geo" / "wijken.csv", problems)
    if taxonomy is not None:
        problems += _cross_check(taxonomy, synonyms, organizations, services, menukaarten, wijken, where)
        themes, slugs = {t.slug for t in taxonomy.themes}, {s.slug for s in services}
        for t in translations:
            name = f"translations/{t.locale}.yaml"
            problems += [f"{name}: themes ({slug}): unknown theme" for slug in sorted(set(t.themes) - themes)]
            problems += [f"{name}: services ({slug}): unknown service" for slug in sorted(set(t.services) - slugs)]
    if problems or taxonomy is None:
        raise ContentError(problems)
    return Content(taxonomy, synonyms, organizations, services, menukaarten, wijken, translations)


def _read_translations(directory: Path, problems: list[str]) -> list[cs.TranslationFile]:
    """content/translations/<locale>.yaml; the file name must be its locale."""
    found: list[cs.TranslationFile] = []
    for path in sorted(directory.glob("*.yaml")) if directory.is_dir() else []:
        data = _read_yaml(path, problems)
        if data is None:
            continue
        try:
            parsed = cs.TranslationFile.model_validate(data)
        except ValidationError as exc:
            problems += [f"translations/{path.name}: {_describe(e)}" for e in exc.errors()]
            continue
        if path.stem != parsed.locale:
            problems.append(f"translations/{path.name}: locale {parsed.locale} does not match the file name")
            continue
        found.append(parsed)
    return found


def _read_wijken(path: Path, problems: list[str]) -> list[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    except OSError as exc:
        problems.append(f"geo/wijken.csv: {exc}")
        return []


def _cross_check(
    taxonomy: cs.TaxonomyFile,
    synonyms: list[cs.SynonymIn],
    organizations: list[cs.OrganizationIn],
    services: list[cs.ServiceIn],
    menukaarten: list[cs.MenukaartIn],
    wijken: list[dict[str, Any]],
    where: dict[str, str],
) -> list[str]:
    problems: list[str] = []
    themes = {t.slug for t in taxonomy.themes}
    gemeenten = {g.slug for g in taxonomy.gemeenten}
    regions = {r.slug for r in taxonomy.regions}
    codes = {g.cbs_code for g in taxonomy.gemeenten}
    wijk_codes = {w["code"] for w in wijken}
    orgs = {o.slug for o in organizations}
    kinds = {s.slug: s.kind for s in services}
    for w in wijken:
        if w["gemeente_code"] not in codes:
            problems.append(f"geo/wijken.csv: wijk {w['code']}: unknown gemeente_code {w['gemeente_code']}")
    for t in taxonomy.themes:
        for rel in set(t.related) - themes:
            problems.append(f"taxonomy.yaml: themes ({t.slug}): field related: unknown theme '{rel}'")
    for s in synonyms:
        for th in set(s.themes) - themes:
            problems.append(f"synonyms.yaml: synonyms ({s.phrase}): field themes: unknown theme '{th}'")
    for s in services:
        file = where[f"services:{s.slug}"]
        prefix = f"{file}: services ({s.slug}): field"
        if s.organization not in orgs:
            problems.append(f"{prefix} organization: unknown organisation '{s.organization}'")
        for th in sorted(set(s.themes) - themes):
            problems.append(f"{prefix} themes: unknown theme '{th}'")
        for g in sorted(set(s.area.gemeenten) - gemeenten):
            problems.append(f"{prefix} area.gemeenten: unknown gemeente '{g}'")
        for r in sorted(set(s.area.regions) - regions):
            problems.append(f"{prefix} area.regions: unknown region '{r}'")
        for wk in sorted(set(s.area.wijken) - wijk_codes):
            problems.append(f"{prefix} area.wijken: unknown wijk '{wk}'")
    for m in menukaarten:
        prefix = f"{where[f'menukaarten:{m.slug}']}: menukaarten ({m.slug}): field"
        if m.organization not in orgs:
            problems.append(f"{prefix} organization: unknown organisation '{m.organization}'")
        for g in sorted(set(m.gemeenten) - gemeenten):
            problems.append(f"{prefix} gemeenten: unknown gemeente '{g}'")
        for slug in m.services:
            if slug not in kinds:
                problems.append(f"{prefix} services: unknown service '{slug}'")
    return problems


# -- writing ---------------------------------------------------------------------------------


def load_content(directory: Path) -> LoadReport:
    """Check all of content/ and then upsert it (flush only; the caller commits once)."""
    content = read_content(directory)
    report = LoadReport()
    session = db.session
    _load_geo(content, report)
    _load_taxonomy(content.taxonomy, report)
    _load_synonyms(content.synonyms, report)
    session.flush()
    org_ids = {o.slug: _load_organization(o, report) for o in content.organizations}
    session.flush()
    gaz = Gazetteer.from_files(directory / "geo", {g.cbs_code: g.slug for g in content.taxonomy.gemeenten})
    service_ids = {s.slug: _load_service(s, org_ids[s.organization], report, gaz) for s in content.services}
    session.flush()
    for m in content.menukaarten:
        _load_menukaart(m, org_ids[m.organization], service_ids, report)
    session.flush()
    _load_translations(content.translations, service_ids, report)
    session.flush()
    return report


def _load_translations(files: list[cs.TranslationFile], service_ids: dict[str, str], report: LoadReport) -> None:
    """Translation rows for every filled-in field (upsert; rows of other origins are kept). Once an
    editor has worked on a service's or a theme's translation (it has revisions, under the record's
    id), the file no longer overrides it: not the editor's text, and not a translation the editor
    removed."""
    rows = db.session.scalars(select(models.Translation))
    existing = {(t.entity_type, t.entity_id, t.field, t.locale): t for t in rows}
    edited = set(db.session.execute(
        select(models.Revision.entity_id, models.Revision.entity_type)
        .where(models.Revision.entity_type.startswith("translation:")).distinct()
    ).all())
    for file in files:
        entries: list[tuple[str, str, cs.BaseModel, tuple[str, ...]]] = [
            ("theme", models.stable_id("theme", slug), entry, THEME_FIELDS) for slug, entry in file.themes.items()
        ] + [
            ("service", service_ids[slug], entry, SERVICE_FIELDS) for slug, entry in file.services.items()
        ]
        for entity_type, entity_id, entry, fields in entries:
            if (entity_id, f"translation:{file.locale}") in edited:
                report.add("translation", "kept")
                continue
            for name in fields:
                text = getattr(entry, name)
                if not text:
                    continue
                key = (entity_type, entity_id, name, file.locale)
                row = existing.get(key)
                values = {"text": text, "status": file.status, "source_hash": entry.source}  # type: ignore[attr-defined]
                if row is None:
                    db.session.add(models.Translation(entity_type=entity_type, entity_id=entity_id, field=name,
                                                      locale=file.locale, **values))
                    report.add("translation", "created")
                elif any(getattr(row, k) != v for k, v in values.items()):
                    for k, v in values.items():
                        setattr(row, k, v)
                    row.updated_at = models.utcnow()
                    report.add("translation", "updated")
                else:
                    report.add("translation", "unchanged")


def _upsert_plain(model: type[Any], key: Any, values: dict[str, Any], kind: str, report: LoadReport) -> Any:
    obj = db.session.get(model, key)
    if obj is None:
        obj = model(**values)
        db.session.add(obj)
        report.add(kind, "created")
        return obj
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    report.add(kind, "updated" if changed else "unchanged")
    return obj


def _load_geo(content: Content, report: LoadReport) -> None:
    by_code = {g.cbs_code: g.slug for g in content.taxonomy.gemeenten}
    for g in content.taxonomy.gemeenten:
        _upsert_plain(
            models.Gemeente, g.slug, {"slug": g.slug, "name": g.name, "cbs_code": g.cbs_code, "region": g.region},
            "gemeente", report,
        )
    db.session.flush()
    for w in content.wijken:
        values = {
            "code": w["code"],
            "name": display_wijk_name(w["name"]),  # "Wijk 06 Santpoort-Noord" → "Santpoort-Noord"
            "gemeente_slug": by_code[w["gemeente_code"]],
            "latitude": float(w["centroid_lat"]),
            "longitude": float(w["centroid_lon"]),
        }
        _upsert_plain(models.Wijk, w["code"], values, "wijk", report)


def _load_taxonomy(taxonomy: cs.TaxonomyFile, report: LoadReport) -> None:
    for tax_id, name, description in (
        (models.THEMES_TAXONOMY, "Vragen", "Thema's naar de vragen van ouders en jongeren"),
        (models.KINDS_TAXONOMY, "Soorten aanbod", "De vijf soorten aanbod van de sociale basis, en overig"),
    ):
        _upsert_plain(
            models.Taxonomy, tax_id, {"id": tax_id, "name": name, "description": description}, "taxonomy", report
        )
    db.session.flush()
    for pos, theme in enumerate(taxonomy.themes):
        tid = models.stable_id("theme", theme.slug)
        values = {
            "id": tid, "taxonomy_id": models.THEMES_TAXONOMY, "code": theme.slug, "name": theme.name,
            "description": theme.description, "question": theme.question, "terms": list(theme.terms),
            "related": list(theme.related), "position": pos,
        }
        _upsert_plain(models.TaxonomyTerm, tid, values, "theme", report)
    for pos, kind in enumerate(taxonomy.kinds):
        tid = models.stable_id("kind", kind.slug)
        values = {
            "id": tid, "taxonomy_id": models.KINDS_TAXONOMY, "code": kind.slug, "name": kind.name, "position": pos,
        }
        _upsert_plain(models.TaxonomyTerm, tid, values, "kind", report)


def _load_synonyms(synonyms: list[cs.SynonymIn], report: LoadReport) -> None:
    existing = {(s.locale, s.phrase): s for s in db.session.scalars(select(models.Synonym))}
    for syn in synonyms:
        key = (syn.locale, syn.phrase.casefold())
        row = existing.get(key)
        if row is None:
            db.session.add(models.Synonym(locale=key[0], phrase=key[1], themes=list(syn.themes), terms=list(syn.terms)))
            report.add("synonym", "created")
        elif row.themes != list(syn.themes) or row.terms != list(syn.terms):
            row.themes, row.terms = list(syn.themes), list(syn.terms)
            report.add("synonym", "updated")
        else:
            report.add("synonym", "unchanged")


def _fact(f: cs.Fact | None) -> tuple[str | None, str | None]:
    return (f.value, f.source) if f else (None, None)


LABELS = {"organization": "organisation"}  # how the load report names a kind


def _changed_record(model: type[Any], kind: str, slug: str, record: BaseModel, report: LoadReport,
                    **new: Any) -> tuple[str, Any]:
    """(id, row) of a content record; row is None when its YAML did not change (counted as
    unchanged). A missing row is created with the `new` values."""
    row_id = models.stable_id(kind, slug)
    row = db.session.get(model, row_id)
    digest = _hash(record)
    if row is not None and row.content_hash == digest:
        report.add(LABELS.get(kind, kind), "unchanged")
        return row_id, None
    if row is None:
        row = model(id=row_id, slug=slug, **new)
        db.session.add(row)
        report.add(LABELS.get(kind, kind), "created")
    else:
        report.add(LABELS.get(kind, kind), "updated")
    row.content_hash = digest
    return row_id, row


def _load_organization(o: cs.OrganizationIn, report: LoadReport) -> str:
    oid, org = _changed_record(models.Organization, "organization", o.slug, o, report)
    if org is None:
        return oid
    org.name, org.description = o.name, o.description
    org.website, org.website_source = _fact(o.website)
    org.email, org.email_source = _fact(o.email)
    org.sources = [s.model_dump(mode="json") for s in o.sources]
    org.phones = (
        [models.Phone(number=o.phone.value, description=o.phone.label, source=o.phone.source)] if o.phone else []
    )
    org.last_modified = models.utcnow()
    return oid


def _load_service(s: cs.ServiceIn, org_id: str, report: LoadReport, gaz: Gazetteer) -> str:
    sid, service = _changed_record(models.Service, "service", s.slug, s, report, version=0)
    if service is None:
        return sid
    service.organization_id = org_id
    for name in ("name", "summary", "description", "how_to_get", "kind", "access", "cost", "source_date",
                 "evidence", "review_note", "status", "minimum_age", "maximum_age"):
        setattr(service, name, getattr(s, name))
    service.audience = list(s.audience)
    service.referred_by = list(s.referred_by)
    service.website, service.website_source = _fact(s.website)
    service.email, service.email_source = _fact(s.email)
    service.facts = [f.model_dump(mode="json") for f in s.facts]
    service.sources = [src.model_dump(mode="json") for src in s.sources]
    service.needs_review = s.review == "te controleren"
    service.assured_date = SEED_CHECKED if s.review == "bevestigd" else None
    service.phones = [
        models.Phone(number=p.value, description=p.label, source=p.source, position=i) for i, p in enumerate(s.phones)
    ]
    service.schedules = [
        models.Schedule(description=x.description, source=x.source, position=i) for i, x in enumerate(s.schedules)
    ]
    service.languages = [models.Language(code=code) for code in s.languages]
    service.cost_options = (
        [models.CostOption(option=s.cost, amount_description=s.cost_detail.value, source=s.cost_detail.source)]
        if s.cost_detail else []
    )
    service.service_areas = _areas(s.area)
    service.attributes = [
        models.Attribute(link_entity="service", link_type="theme", taxonomy_term_id=models.stable_id("theme", t))
        for t in dict.fromkeys(s.themes)
    ]
    service.service_at_locations = [
        models.ServiceAtLocation(location=_location(loc, org_id, gaz)) for loc in s.locations
    ]
    service.last_modified = models.utcnow()
    service.version = (service.version or 0) + 1
    db.session.flush()
    record_revision(service, author=LOADER, reason="load-content")
    return sid


def _location(loc: cs.LocationIn, org_id: str, gaz: Gazetteer) -> models.Location:
    """A location as the content gives it. Coordinates only with an address and their geocoder;
    otherwise the location is known to its gemeente (through its town) at best, without a pin."""
    location = models.Location(
        organization_id=org_id, name=loc.name, address_1=loc.address, postal_code=loc.postcode,
        city=loc.city, source=loc.source,
    )
    if loc.latitude is not None and loc.longitude is not None:
        location.latitude, location.longitude, location.precision = loc.latitude, loc.longitude, "adres"
        location.geocode_status, location.geocode_source = "gevonden", loc.geocoded_by
        located = gaz.locate(loc.latitude, loc.longitude)
        location.wijk_code = located.wijk.key if located.wijk else None
    elif loc.city and gaz.resolve(loc.city).status == "found":
        location.precision = "gemeente"
    return location


def _areas(area: cs.AreaIn) -> list[models.ServiceArea]:
    note = "; ".join(x for x in (", ".join(area.kernen), area.note) if x)
    if area.scope in ("landelijk", "online"):
        return [models.ServiceArea(scope=area.scope, name=area.scope, description=note)]
    if area.scope == "wijk":
        wijk_gemeente = dict(db.session.execute(select(models.Wijk.code, models.Wijk.gemeente_slug)).all())
        return [
            models.ServiceArea(scope="wijk", wijk_code=code, gemeente_slug=wijk_gemeente.get(code), description=note)
            for code in area.wijken
        ]
    region = ",".join(area.regions) or None
    gemeenten = area.gemeenten or list(
        db.session.scalars(select(models.Gemeente.slug).where(models.Gemeente.region.in_(area.regions)))
    )
    return [
        models.ServiceArea(scope=area.scope, gemeente_slug=g, region=region, description=note)
        for g in dict.fromkeys(gemeenten)
    ]


def _load_menukaart(m: cs.MenukaartIn, org_id: str, service_ids: dict[str, str], report: LoadReport) -> None:
    _mid, row = _changed_record(models.Menukaart, "menukaart", m.slug, m, report)
    if row is None:
        return
    row.name, row.organization_id, row.age_band, row.intro = m.name, org_id, m.age_band, m.intro
    row.gemeenten = list(m.gemeenten)
    row.items = [models.MenukaartItem(service_id=service_ids[slug], position=i) for i, slug in enumerate(m.services)]

"""Open Referral HSDS 3.0: our catalogue as HSDS objects (API, export) and HSDS files into it (import).

Mapping rules (see the API description at /api/openapi.json):

- Ids are our UUID strings. Objects HSDS has and we keep inside another record (a location's
  address, the attributes for kind, audience, access, cost and review) get a uuid5 of the record
  they belong to, so they are stable across exports.
- What we do not know is left out, never filled in: HSDS allows no null, so an unknown field is
  absent. The exceptions are fields HSDS requires that we may not know (an organisation's or a
  kind's `description`, an address's `postal_code`, `state_province`, `city`): empty strings.
- `description` is our summary and description (two paragraphs); `application_process` is
  "hoe krijg ik dit". With `lang`, a current translation gives name, description (the
  translated summary) and application_process; translations are never mixed with Dutch.
- Our own vocabularies are HSDS taxonomies: themes ("Vragen") and kinds ("Soorten aanbod") are
  in the database; audience, access (with who may refer in the attribute `value`), cost, review
  ("te controleren") and the scope of a service area are fixed here (VIRTUAL_TAXONOMIES).
- A service area names its gemeente or wijk, and its `uri` is our page of that place.
  Schedules are the free text of the source (`description`); no opening hours are derived.
- Sources and facts have no place in HSDS and stay out of it.

Only published services are shown or exported; an organisation appears with its published
services. The catalogue layer only flushes; the caller commits once.

Import (Importer): every record is checked first (ids must be UUIDs, references must resolve),
then all are written, or none when one is bad (unless partial). A record's fields replace ours
(an absent field is unknown); an absent list (phones, schedules, ...) keeps what we have. What
has no place here (programs, funding, contacts: no personal details are kept, structured opening
times, ...) is reported as not kept. A child id already used elsewhere gets a derived id.
Imported services are concept unless published on purpose, and te controleren unless the record
has an assured_date and no "te controleren" term.
"""

from __future__ import annotations

import csv
import json
import math
import re
import unicodedata
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from finder import models
from finder.catalogue import queries
from finder.catalogue.revisions import record_revision
from finder.catalogue.search import synonym_table
from finder.catalogue.translated import service_text, theme_text
from finder.extensions import db
from finder.geo import gazetteer
from finder.geo.distance import bounding_box, distance_km
from finder.i18n import DEFAULT_LOCALE
from finder.search import IndexUnavailable, SearchQuery, current_index, normalise

HSDS_VERSION = "3.0"
# We publish base HSDS 3.0 (no profile of our own): its documentation is the profile.
HSDS_PROFILE = "https://docs.openreferral.org/en/latest/hsds/"
# The official HSDS 3.0 files the API and the export are built from (CC BY-SA 4.0, see README there).
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "api" / "hsds"
IMPORTER = "hsds-import"
_IDS = uuid.UUID("1f0c7a52-5b1e-4c64-9d53-3c3f0e8e2a71")  # namespace of derived ids

STATUS_TO_HSDS = {"gepubliceerd": "active", "concept": "inactive", "ter beoordeling": "inactive",
                  "gearchiveerd": "defunct"}
HSDS_STATUSES = ("active", "inactive", "defunct", "temporarily closed")
SCOPE_NAMES = {"landelijk": "Heel Nederland", "online": "Online of telefonisch, overal"}


def clean_text(text: str, limit: int = 200) -> str:
    """Visible text only (no control characters), single spaces, at most `limit` characters."""
    return normalise(text, limit)


def derived_id(*parts: str) -> str:
    """A stable id for an HSDS object we keep inside another record."""
    return str(uuid.uuid5(_IDS, ":".join(parts)))


# -- our vocabularies as HSDS taxonomies -----------------------------------------------------


@dataclass(frozen=True)
class VirtualTaxonomy:
    """A taxonomy of fixed values stored in a service field (not in the taxonomy table)."""

    slug: str
    name: str
    description: str
    link_type: str
    terms: tuple[tuple[str, str, str], ...]  # (code, name, description)

    @property
    def id(self) -> str:
        return models.stable_id("taxonomy", self.slug)

    def term_id(self, code: str) -> str:
        return models.stable_id(self.slug, code)


VIRTUAL_TAXONOMIES = (
    VirtualTaxonomy("doelgroepen", "Doelgroepen", "Voor wie het aanbod is.", "audience", (
        ("ouders", "Ouders en opvoeders", "Voor ouders, verzorgers en opvoeders."),
        ("jongeren", "Jongeren", "Voor jongeren (ongeveer 12 tot 23 jaar)."),
        ("kinderen", "Kinderen", "Voor kinderen."),
        ("professionals", "Professionals", "Voor professionals die doorverwijzen of samenwerken."),
    )),
    VirtualTaxonomy("toegang", "Toegang", "Hoe je bij het aanbod komt. In value staat wie kan verwijzen "
                    "(huisarts, cjg, wijkteam, school, jeugdarts, gemeente, intermediair), met komma's.", "access", (
        ("vrij toegankelijk", "Vrij toegankelijk", "Je kunt zo binnenlopen of bellen."),
        ("aanmelden", "Aanmelden", "Je meldt je eerst aan."),
        ("verwijzing nodig", "Verwijzing nodig", "Je hebt een verwijzing nodig."),
    )),
    VirtualTaxonomy("kosten", "Kosten", "Wat het aanbod kost.", "cost", (
        ("gratis", "Gratis", "Het aanbod is gratis."),
        ("eigen bijdrage", "Eigen bijdrage", "Je betaalt een eigen bijdrage."),
        ("inkomensgrens", "Inkomensgrens", "Voor mensen met een inkomen onder een grens."),
    )),
    VirtualTaxonomy("controle", "Controle", "Of een redacteur de gegevens al heeft gecontroleerd.", "review", (
        ("te controleren", "Te controleren", "De gegevens zijn nog niet door een redacteur gecontroleerd."),
    )),
    VirtualTaxonomy("bereik", "Bereik", "Waar het aanbod voor is (bij een servicegebied). In value staat "
                    "de regio, als die bekend is.", "scope", (
        ("wijk", "Wijk", "Voor een wijk (CBS-wijk)."),
        ("gemeente", "Gemeente", "Voor de hele gemeente."),
        ("regio", "Regio", "Voor een regio; het gebied noemt een gemeente van die regio."),
        ("landelijk", "Landelijk", "Voor heel Nederland."),
        ("online", "Online", "Online of telefonisch, overal."),
    )),
)
VIRTUAL = {t.link_type: t for t in VIRTUAL_TAXONOMIES}
VIRTUAL_BY_ID = {t.id: t for t in VIRTUAL_TAXONOMIES}
# term id → (taxonomy, code)
VIRTUAL_TERMS = {t.term_id(code): (t, code) for t in VIRTUAL_TAXONOMIES for code, _n, _d in t.terms}


# -- formatting ------------------------------------------------------------------------------


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    """Set a value that is known: None and empty text stay out (HSDS allows no null)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return
    target[key] = value


def format_datetime(value: datetime) -> str:
    """ISO 8601 in UTC with milliseconds, as HSDS shows last_modified."""
    if value.tzinfo is None:  # SQLite gives back naive values: they were stored in UTC
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


@dataclass
class Context:
    """What every mapping needs: the language, our public base URL and lookup tables."""

    locale: str = DEFAULT_LOCALE
    base_url: str = "http://localhost/"
    gemeenten: dict[str, str] = field(default_factory=dict)
    wijk_names: dict[str, str] = field(default_factory=dict)
    wijk_gemeente: dict[str, str] = field(default_factory=dict)
    taxonomies: dict[str, models.Taxonomy] = field(default_factory=dict)

    @classmethod
    def make(cls, locale: str = DEFAULT_LOCALE, base_url: str = "http://localhost/") -> Context:
        vocab = queries.vocabulary()
        taxonomies = {t.id: t for t in db.session.scalars(select(models.Taxonomy))}
        return cls(locale, base_url.rstrip("/") + "/", dict(vocab.gemeenten), dict(vocab.wijk_names),
                   dict(vocab.wijken), taxonomies)

    def url(self, path: str) -> str:
        return self.base_url + path.lstrip("/")


# -- taxonomies ------------------------------------------------------------------------------


def taxonomy_record(taxonomy: models.Taxonomy | VirtualTaxonomy) -> dict[str, Any]:
    out: dict[str, Any] = {"id": taxonomy.id, "name": taxonomy.name, "description": taxonomy.description or ""}
    if isinstance(taxonomy, models.Taxonomy):
        _put(out, "uri", taxonomy.uri)
        _put(out, "version", taxonomy.version)
    return out


def all_taxonomies() -> list[dict[str, Any]]:
    rows = list(db.session.scalars(select(models.Taxonomy).order_by(models.Taxonomy.name)))
    return [taxonomy_record(t) for t in rows] + [taxonomy_record(t) for t in VIRTUAL_TAXONOMIES]


def term_record(term: models.TaxonomyTerm, ctx: Context, detail: bool = True) -> dict[str, Any]:
    name, description, language = term.name, term.description or "", "nl"
    if term.taxonomy_id == models.THEMES_TAXONOMY and ctx.locale != DEFAULT_LOCALE:
        texts = theme_text(term, ctx.locale)
        name, description, language = texts.name, texts.description, texts.lang
    taxonomy = ctx.taxonomies.get(term.taxonomy_id) or db.session.get(models.Taxonomy, term.taxonomy_id)
    out: dict[str, Any] = {"id": term.id, "code": term.code, "name": name, "description": description}
    _put(out, "parent_id", term.parent_id)
    if taxonomy is not None:
        out["taxonomy"] = taxonomy.name
        if detail:
            out["taxonomy_detail"] = taxonomy_record(taxonomy)
    out["language"] = language
    out["taxonomy_id"] = term.taxonomy_id
    return out


def virtual_term_record(taxonomy: VirtualTaxonomy, code: str, detail: bool = True) -> dict[str, Any]:
    name, description = next((n, d) for c, n, d in taxonomy.terms if c == code)
    out: dict[str, Any] = {"id": taxonomy.term_id(code), "code": code, "name": name, "description": description,
                           "taxonomy": taxonomy.name}
    if detail:
        out["taxonomy_detail"] = taxonomy_record(taxonomy)
    out["language"] = "nl"
    out["taxonomy_id"] = taxonomy.id
    return out


def all_terms(ctx: Context) -> list[dict[str, Any]]:
    rows = db.session.scalars(
        select(models.TaxonomyTerm).order_by(models.TaxonomyTerm.taxonomy_id, models.TaxonomyTerm.position,
                                             models.TaxonomyTerm.code)
    )
    out = [term_record(t, ctx) for t in rows]
    out += [virtual_term_record(t, code) for t in VIRTUAL_TAXONOMIES for code, _n, _d in t.terms]
    return out


def _attribute(link_id: str, link_entity: str, link_type: str, term: dict[str, Any], attr_id: str,
               value: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"id": attr_id, "link_id": link_id, "taxonomy_term_id": term["id"], "link_type": link_type,
                           "link_entity": link_entity}
    _put(out, "value", value)
    out["taxonomy_term"] = term
    return out


def _virtual_attribute(link_id: str, link_entity: str, kind: str, code: str, value: str | None = None
                       ) -> dict[str, Any]:
    taxonomy = VIRTUAL[kind]
    return _attribute(link_id, link_entity, kind, virtual_term_record(taxonomy, code),
                      derived_id("attribute", link_id, kind, code), value)


def service_attributes(service: models.Service, ctx: Context) -> list[dict[str, Any]]:
    """Kind, themes (and any other stored attribute), audience, access, cost and review."""
    out: list[dict[str, Any]] = []
    kind_term = db.session.get(models.TaxonomyTerm, models.stable_id("kind", service.kind))
    if kind_term is not None:
        out.append(_attribute(service.id, "service", "kind", term_record(kind_term, ctx),
                              derived_id("attribute", service.id, "kind")))
    for attr in service.attributes:
        out.append(_attribute(service.id, "service", attr.link_type, term_record(attr.taxonomy_term, ctx), attr.id,
                              attr.value))
    for audience in service.audience:
        if audience in models.AUDIENCES:
            out.append(_virtual_attribute(service.id, "service", "audience", audience))
    if service.access in dict.fromkeys(c for c, _n, _d in VIRTUAL["access"].terms):
        out.append(_virtual_attribute(service.id, "service", "access", service.access,
                                      ",".join(service.referred_by) or None))
    if service.cost in dict.fromkeys(c for c, _n, _d in VIRTUAL["cost"].terms):
        out.append(_virtual_attribute(service.id, "service", "cost", service.cost))
    if service.needs_review:
        out.append(_virtual_attribute(service.id, "service", "review", "te controleren"))
    return out


# -- services, organisations, locations ------------------------------------------------------


def organization_record(org: models.Organization, ctx: Context, *, phones: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"id": org.id, "name": org.name, "description": org.description or ""}
    _put(out, "email", org.email)
    _put(out, "website", org.website)
    out["uri"] = ctx.url(f"organisatie/{org.slug}")
    if phones:
        out["phones"] = [_phone(p) for p in org.phones]
    return out


def _phone(phone: models.Phone) -> dict[str, Any]:
    out: dict[str, Any] = {"id": phone.id}
    _put(out, "service_id", phone.service_id)
    _put(out, "organization_id", phone.organization_id)
    out["number"] = phone.number
    _put(out, "description", phone.description)
    return out


def location_record(location: models.Location, *, full: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"id": location.id, "location_type": "physical"}
    _put(out, "organization_id", location.organization_id)
    _put(out, "name", location.name)
    if location.precision == "adres" and location.latitude is not None and location.longitude is not None:
        out["latitude"], out["longitude"] = location.latitude, location.longitude
    if full:
        addresses = []
        if location.address_1 or location.city:
            addresses.append({
                "id": derived_id("address", location.id), "location_id": location.id,
                "address_1": location.address_1 or "", "city": location.city or "",
                "state_province": "", "postal_code": location.postal_code or "",
                "country": location.country or "NL", "address_type": "physical",
            })
        out["addresses"] = addresses
        out["accessibility"] = [
            {k: v for k, v in {"id": a.id, "location_id": location.id, "description": a.description or None,
                               "details": a.details or None, "url": a.url}.items() if v}
            for a in location.accessibility
        ]
    return out


def _area(area: models.ServiceArea, ctx: Context) -> dict[str, Any]:
    out: dict[str, Any] = {"id": area.id, "service_id": area.service_id}
    uri = None
    if area.scope in SCOPE_NAMES:
        name = SCOPE_NAMES[area.scope]
    elif area.scope == "wijk" and area.wijk_code:
        gemeente = ctx.gemeenten.get(ctx.wijk_gemeente.get(area.wijk_code, ""), "")
        wijk = ctx.wijk_names.get(area.wijk_code, area.wijk_code)
        name = f"{wijk} ({gemeente})" if gemeente else wijk
        uri = ctx.url(f"wijk/{area.wijk_code}")
    elif area.gemeente_slug:
        name = ctx.gemeenten.get(area.gemeente_slug, area.gemeente_slug)
        uri = ctx.url(f"gemeente/{area.gemeente_slug}")
    else:
        name = area.name or area.scope
    out["name"] = name
    _put(out, "description", area.description)
    _put(out, "uri", uri)
    if area.scope in models.SCOPES:
        out["attributes"] = [_virtual_attribute(area.id, "service_area", "scope", area.scope, area.region)]
    return out


def _texts(service: models.Service, ctx: Context) -> dict[str, str]:
    """name, description and application_process in the requested language where possible."""
    if ctx.locale != DEFAULT_LOCALE:
        texts = service_text(service, ctx.locale)
        if texts.lang != DEFAULT_LOCALE:
            return {"name": texts.name, "description": texts.summary, "application_process": texts.how_to_get}
    description = "\n\n".join(t.strip() for t in (service.summary, service.description) if t and t.strip())
    return {"name": service.name, "description": description, "application_process": service.how_to_get}


def service_record(service: models.Service, ctx: Context, shape: str = "list") -> dict[str, Any]:
    """A service as HSDS: shape "minimal" (id, name, description, status, organisation link and
    modification date), "list" (compiled/service_list.json) or "full" (compiled/service.json)."""
    texts = _texts(service, ctx)
    out: dict[str, Any] = {"id": service.id, "organization_id": service.organization_id, "name": texts["name"]}
    _put(out, "description", texts["description"])
    if shape != "minimal":
        _put(out, "url", service.website)
        _put(out, "email", service.email)
    out["status"] = STATUS_TO_HSDS.get(service.status, "inactive")
    if shape != "minimal":
        _put(out, "application_process", texts["application_process"])
        _put(out, "minimum_age", service.minimum_age)
        _put(out, "maximum_age", service.maximum_age)
        _put(out, "assured_date", service.assured_date.isoformat() if service.assured_date else None)
    out["last_modified"] = format_datetime(service.last_modified)
    if shape == "minimal":
        return out
    out["organization"] = organization_record(service.organization, ctx)
    if shape == "full":
        out["phones"] = [_phone(p) for p in service.phones]
        out["schedules"] = [{"id": s.id, "service_id": service.id, "description": s.description}
                            for s in service.schedules if s.description]
        out["service_areas"] = [_area(a, ctx) for a in service.service_areas]
        out["service_at_locations"] = [sal_record(sal, ctx, shape="nested") for sal in service.service_at_locations]
        out["languages"] = [
            {k: v for k, v in {"id": lang.id, "service_id": service.id, "name": lang.name or None,
                               "code": lang.code, "note": lang.note or None}.items() if v}
            for lang in service.languages
        ]
        out["cost_options"] = [_cost_option(c) for c in service.cost_options]
        out["contacts"] = [
            {k: v for k, v in {"id": c.id, "service_id": service.id, "name": c.name or None, "title": c.title or None,
                               "email": c.email}.items() if v}
            for c in service.contacts
        ]
        out["attributes"] = service_attributes(service, ctx)
    return out


def _cost_option(cost: models.CostOption) -> dict[str, Any]:
    out: dict[str, Any] = {"id": cost.id, "service_id": cost.service_id}
    _put(out, "option", cost.option)
    _put(out, "currency", cost.currency)
    _put(out, "amount", cost.amount)
    _put(out, "amount_description", cost.amount_description)
    return out


def sal_record(sal: models.ServiceAtLocation, ctx: Context, shape: str = "list") -> dict[str, Any]:
    """A service at a location: "nested" (inside a full service), "list"
    (compiled/service_at_location_list.json) or "full" (compiled/service_at_location.json)."""
    out: dict[str, Any] = {"id": sal.id, "service_id": sal.service_id, "location_id": sal.location_id,
                           "location": location_record(sal.location, full=shape != "list")}
    if shape == "list":
        out["service"] = service_record(sal.service, ctx, "list")
    elif shape == "full":
        service = service_record(sal.service, ctx, "full")
        service.pop("service_at_locations", None)  # the compiled schema leaves the way back out
        out["service"] = service
    return out


def load_services(ids: list[str]) -> list[models.Service]:
    """Published services of `ids`, in that order."""
    found: dict[str, models.Service] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        stmt = select(models.Service).where(models.Service.id.in_(chunk)).options(*queries.service_detail_options())
        found.update({s.id: s for s in db.session.scalars(stmt) if s.published})
    return [found[i] for i in ids if i in found]


def get_service(service_id: str) -> models.Service | None:
    found = load_services([service_id])
    return found[0] if found else None


# -- finding services (the API's filters) ----------------------------------------------------


class SearchUnavailable(Exception):
    """The search index is being rebuilt: text search and index filters cannot answer now."""


@dataclass(frozen=True)
class ServiceFilter:
    """Validated filters, combined with AND. Values of kind, theme, gemeente, wijk, audience,
    access, cost and language are known values of the vocabulary (checked by the caller)."""

    text: str = ""
    kind: str | None = None
    theme: str | None = None
    gemeente: str | None = None
    wijk: str | None = None
    audience: str | None = None
    access: str | None = None
    cost: str | None = None
    language: str | None = None
    minimum_age: int | None = None
    maximum_age: int | None = None
    organization_id: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    modified_after: datetime | None = None


class _Impossible(Exception):
    """Two filters ask for different values of one field: nothing can match."""


def _set(filters: dict[str, Any], key: str, value: Any) -> None:
    if filters.get(key) not in (None, value):
        raise _Impossible
    filters[key] = value


def _conditions(flt: ServiceFilter) -> tuple[dict[str, Any], list[Any]] | None:
    """The filters for the index (as the site's search takes them) and the SQL conditions;
    None when no service can pass them."""
    vocab = queries.vocabulary()
    index: dict[str, Any] = {}
    sql: list[Any] = []
    try:
        for key in ("kind", "theme", "gemeente", "audience", "access", "cost", "language"):
            if getattr(flt, key):
                _set(index, key, getattr(flt, key))
        if flt.wijk:
            _set(index, "wijk", (flt.wijk, vocab.wijken[flt.wijk]))
        if flt.minimum_age is not None or flt.maximum_age is not None:
            low = flt.minimum_age if flt.minimum_age is not None else 0
            high = flt.maximum_age if flt.maximum_age is not None else 120
            _set(index, "age", (low, high))
        if flt.taxonomy_term_id:
            _term_filter(flt.taxonomy_term_id, index, sql)
        if flt.taxonomy_id:
            _taxonomy_filter(flt.taxonomy_id, index, sql)
    except _Impossible:
        return None
    if flt.organization_id:
        sql.append(models.Service.organization_id == flt.organization_id)
    if flt.modified_after is not None:
        sql.append(models.Service.last_modified >= flt.modified_after.astimezone(UTC))
    return index, sql


def service_page(flt: ServiceFilter, page: int, per_page: int) -> tuple[int, list[str]]:
    """(number of matches, ids of this page). A text search with only the site's filters is
    paged by the index itself; otherwise all matching ids are ordered and sliced.

    :raise SearchUnavailable: when the index is needed and is being rebuilt.
    """
    conditions = _conditions(flt)
    if conditions is not None and flt.text and not conditions[1]:
        try:
            result = current_index().search(SearchQuery(flt.text, conditions[0], page, per_page), synonym_table())
        except IndexUnavailable as exc:
            raise SearchUnavailable from exc
        return result.total, list(result.ids)
    ids = service_ids(flt)
    return len(ids), ids[(page - 1) * per_page : page * per_page]


def service_ids(flt: ServiceFilter) -> list[str]:
    """Ids of the published services that pass every filter: ranked by the site's search when
    there is text, otherwise by name.

    :raise SearchUnavailable: when the index is needed and is being rebuilt.
    """
    conditions = _conditions(flt)
    if conditions is None:
        return []
    index, sql = conditions
    published = models.Service.status == "gepubliceerd"
    if not flt.text and not index:
        rows = db.session.execute(select(models.Service.id, models.Service.name).where(published, *sql)).all()
        return [r.id for r in sorted(rows, key=lambda r: (r.name.casefold(), r.id))]
    ranked = _index_ids(flt.text, index)
    rows = []
    for start in range(0, len(ranked), 500):
        chunk = ranked[start : start + 500]
        rows += db.session.execute(
            select(models.Service.id, models.Service.name).where(models.Service.id.in_(chunk), published, *sql)
        ).all()
    if flt.text:
        keep = {r.id for r in rows}
        return [i for i in ranked if i in keep]
    return [r.id for r in sorted(rows, key=lambda r: (r.name.casefold(), r.id))]


def _index_ids(text: str, filters: dict[str, Any]) -> list[str]:
    """Every match of the site's search (AND, then OR, then spelling), best first."""
    try:
        index = current_index()
        size = max(1, index.doc_count())
        result = index.search(SearchQuery(text, filters, 1, size), synonym_table())
    except IndexUnavailable as exc:
        raise SearchUnavailable from exc
    return list(result.ids)


def _term_filter(term_id: str, index: dict[str, Any], sql: list[Any]) -> None:
    if term_id in VIRTUAL_TERMS:
        taxonomy, code = VIRTUAL_TERMS[term_id]
        if taxonomy.link_type in ("audience", "access", "cost"):
            _set(index, taxonomy.link_type, code)
        elif taxonomy.link_type == "review":
            sql.append(models.Service.needs_review.is_(True))
        else:  # scope: services with an area of this scope
            sql.append(models.Service.service_areas.any(models.ServiceArea.scope == code))
        return
    term = db.session.get(models.TaxonomyTerm, term_id)
    if term is None:
        raise _Impossible
    if term.taxonomy_id == models.KINDS_TAXONOMY:
        _set(index, "kind", term.code)
    elif term.taxonomy_id == models.THEMES_TAXONOMY:
        if index.get("theme") not in (None, term.code):  # a second theme: both must be there
            sql.append(models.Service.attributes.any(models.Attribute.taxonomy_term_id == term.id))
        else:
            index["theme"] = term.code
    else:
        sql.append(models.Service.attributes.any(models.Attribute.taxonomy_term_id == term.id))


def _taxonomy_filter(taxonomy_id: str, index: dict[str, Any], sql: list[Any]) -> None:
    """Services with any term of this taxonomy."""
    virtual = VIRTUAL_BY_ID.get(taxonomy_id)
    if virtual is not None:
        column = {"access": models.Service.access, "cost": models.Service.cost}.get(virtual.link_type)
        if column is not None:
            sql.append(column != "onbekend")
        elif virtual.link_type == "audience":
            sql.append(func.json_array_length(models.Service.audience) > 0)
        elif virtual.link_type == "review":
            sql.append(models.Service.needs_review.is_(True))
        else:
            sql.append(models.Service.service_areas.any())
        return
    if taxonomy_id == models.KINDS_TAXONOMY:
        return  # every service has a kind
    if db.session.get(models.Taxonomy, taxonomy_id) is None:
        raise _Impossible
    terms = select(models.TaxonomyTerm.id).where(models.TaxonomyTerm.taxonomy_id == taxonomy_id)
    sql.append(models.Service.attributes.any(models.Attribute.taxonomy_term_id.in_(terms)))


@dataclass(frozen=True)
class GeoFilter:
    point: tuple[float, float] | None = None
    radius_km: float | None = None
    postcode: str | None = None  # "1971" or "1971AB": the location's postcode starts with it


def service_at_locations(flt: ServiceFilter, geo: GeoFilter) -> list[tuple[str, float | None]]:
    """(service_at_location id, distance in km) of published services passing `flt`: nearest
    first when there is a point (then only located addresses count), else in the services'
    order and by location name."""
    ids = service_ids(flt)
    order = {sid: i for i, sid in enumerate(ids)}
    stmt = (
        select(models.ServiceAtLocation.id, models.ServiceAtLocation.service_id, models.Location.name,
               models.Location.latitude, models.Location.longitude, models.Location.precision,
               models.Location.postal_code)
        .join(models.Location, models.Location.id == models.ServiceAtLocation.location_id)
        .join(models.Service, models.Service.id == models.ServiceAtLocation.service_id)
        .where(models.Service.status == "gepubliceerd")
    )
    if geo.point is not None:
        stmt = stmt.where(models.Location.precision == "adres", models.Location.latitude.is_not(None),
                          models.Location.longitude.is_not(None))
        if geo.radius_km is not None:
            lat0, lat1, lon0, lon1 = bounding_box(geo.point, geo.radius_km)
            stmt = stmt.where(models.Location.latitude.between(lat0, lat1),
                              models.Location.longitude.between(lon0, lon1))
    rows = [r for r in db.session.execute(stmt).all() if r.service_id in order]
    if geo.postcode:
        wanted = geo.postcode.replace(" ", "").upper()
        rows = [r for r in rows if (r.postal_code or "").replace(" ", "").upper().startswith(wanted)]
    if geo.point is None:
        rows.sort(key=lambda r: (order[r.service_id], (r.name or "").casefold(), r.id))
        return [(r.id, None) for r in rows]
    found = []
    for r in rows:
        km = distance_km(geo.point, (r.latitude, r.longitude))
        if geo.radius_km is None or km <= geo.radius_km:
            found.append((km, order[r.service_id], r.id))
    return [(sal_id, km) for km, _o, sal_id in sorted(found)]


def load_service_at_locations(ids: list[str]) -> list[models.ServiceAtLocation]:
    stmt = (
        select(models.ServiceAtLocation)
        .where(models.ServiceAtLocation.id.in_(ids))
        .options(selectinload(models.ServiceAtLocation.location).selectinload(models.Location.accessibility),
                 selectinload(models.ServiceAtLocation.service).options(*queries.service_detail_options()))
    )
    found = {sal.id: sal for sal in db.session.scalars(stmt) if sal.service.published}
    return [found[i] for i in ids if i in found]


def _published_orgs() -> Any:
    return select(models.Service.organization_id).where(models.Service.status == "gepubliceerd")


def organization_ids(text: str = "") -> list[str]:
    """Organisations with at least one published service, by name; `text` is part of the name."""
    stmt = select(models.Organization.id, models.Organization.name).where(models.Organization.id.in_(_published_orgs()))
    needle = normalise(text).casefold()
    rows = [r for r in db.session.execute(stmt).all() if needle in normalise(r.name).casefold()]
    return [r.id for r in sorted(rows, key=lambda r: (r.name.casefold(), r.id))]


def load_organizations(ids: list[str]) -> list[models.Organization]:
    stmt = select(models.Organization).where(models.Organization.id.in_(ids)).options(
        selectinload(models.Organization.phones))
    found = {o.id: o for o in db.session.scalars(stmt)}
    return [found[i] for i in ids if i in found]


def find_organization(org_id: str) -> models.Organization | None:
    """An organisation with at least one published service (None otherwise)."""
    stmt = (select(models.Organization)
            .where(models.Organization.id == org_id, models.Organization.id.in_(_published_orgs()))
            .options(selectinload(models.Organization.phones)))
    return db.session.scalar(stmt)


def organization_full(org: models.Organization, ctx: Context, full_services: bool = False) -> dict[str, Any]:
    """compiled/organization.json: the organisation, its phones, locations and published services."""
    out = organization_record(org, ctx, phones=True)
    services = load_services(service_ids(ServiceFilter(organization_id=org.id)))
    locations = {sal.location.id: sal.location for s in services for sal in s.service_at_locations
                 if sal.location.organization_id == org.id}
    out["locations"] = [location_record(loc, full=True) for loc in locations.values()]
    out["services"] = [service_record(s, ctx, "full" if full_services else "list") for s in services]
    return out


def example_ids() -> dict[str, str]:
    """One existing id per record type (the first by name), for the API description."""
    out: dict[str, str] = {}
    services = service_ids(ServiceFilter())
    if services:
        out["service"] = services[0]
    orgs = organization_ids()
    if orgs:
        out["organization"] = orgs[0]
    out["taxonomy"] = models.THEMES_TAXONOMY
    term = db.session.scalar(select(models.TaxonomyTerm.id).order_by(models.TaxonomyTerm.position).limit(1))
    if term:
        out["taxonomy_term"] = term
    sal = db.session.scalar(
        select(models.ServiceAtLocation.id).join(models.Service).where(models.Service.status == "gepubliceerd")
        .order_by(models.ServiceAtLocation.id).limit(1))
    if sal:
        out["service_at_location"] = sal
    return out


# -- export ----------------------------------------------------------------------------------


def _official_datapackage() -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / "datapackage.json").read_text(encoding="utf-8"))


# Our tables in the order of the official datapackage, and the HSDS records they come from.
TABLES = ("organization", "service", "attribute", "service_at_location", "location", "phone", "contact",
          "address", "schedule", "service_area", "language", "accessibility", "taxonomy_term", "cost_option",
          "taxonomy")


@dataclass
class ExportReport:
    services: int
    organizations: int
    taxonomies: int
    terms: int
    rows: dict[str, int]

    def summary(self) -> str:
        tables = ", ".join(f"{name}: {n}" for name, n in self.rows.items())
        return (f"Exported {self.services} services, {self.organizations} organisations, {self.taxonomies} "
                f"taxonomies and {self.terms} taxonomy terms (HSDS {HSDS_VERSION}).\nCSV rows: {tables}")


def export_hsds(directory: Path, base_url: str = "http://localhost/") -> ExportReport:
    """Write the published catalogue as HSDS 3.0 JSON and as a tabular data package."""
    directory.mkdir(parents=True, exist_ok=True)
    ctx = Context.make(DEFAULT_LOCALE, base_url)
    services = [service_record(s, ctx, "full") for s in load_services(service_ids(ServiceFilter()))]
    org_rows = load_organizations(organization_ids())
    organizations = [organization_record(o, ctx, phones=True) for o in org_rows]
    taxonomies = all_taxonomies()
    terms = all_terms(ctx)
    for name, data in (("services.json", services), ("organizations.json", organizations),
                       ("taxonomies.json", taxonomies), ("taxonomy_terms.json", terms)):
        (directory / name).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    tables = _tables(services, organizations, taxonomies, terms)
    official = {r["name"]: r for r in _official_datapackage()["resources"]}
    # The official descriptor, with our name; its licence and homepage are those of the
    # specification, not of this data, so they are not copied.
    package: dict[str, Any] = {
        "name": "wegwijzer_jeugd_en_gezin",
        "title": "Wegwijzer Jeugd & Gezin (HSDS 3.0)",
        "description": ("Het gepubliceerde aanbod van de Wegwijzer Jeugd & Gezin (regio Alkmaar, IJmond en "
                        "Zuid-Kennemerland) in de Human Services Data Specification 3.0 van Open Referral."),
        "profile": "tabular-data-package",
        "created": format_datetime(models.utcnow()),
        "sources": [{"title": "Human Services Data Specification 3.0: an Open Referral resource "
                              "(https://openreferral.org/), CC BY-SA 4.0: the table and field definitions",
                     "path": "https://github.com/openreferral/specification/tree/3.0"}],
    }
    resources = []
    for name in TABLES:
        resource = json.loads(json.dumps(official[name]))
        fields = [f["name"] for f in resource["schema"]["fields"]]
        keys = resource["schema"].get("foreignKeys", [])
        resource["schema"]["foreignKeys"] = [k for k in keys if k["reference"]["resource"] in TABLES]
        if not resource["schema"]["foreignKeys"]:
            resource["schema"].pop("foreignKeys")
        rows = [[_cell(row.get(f)) for f in fields] for row in tables[name]]
        with (directory / resource["path"]).open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(fields)
            writer.writerows(rows)
        for i, spec in enumerate(resource["schema"]["fields"]):
            # HSDS requires a few fields we may not know (an organisation's description, a postcode):
            # they are empty, and the package says so instead of claiming they are always there.
            if spec.get("constraints", {}).get("required") and any(not row[i] for row in rows):
                spec["constraints"]["required"] = False
                spec["description"] = spec.get("description", "") + " (Wegwijzer: empty when not known.)"
        resources.append(resource)
    package["resources"] = resources
    (directory / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=1) + "\n",
                                                encoding="utf-8")
    return ExportReport(len(services), len(organizations), len(taxonomies), len(terms),
                        {name: len(tables[name]) for name in TABLES})


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else repr(value)
    return str(value)


def _tables(services: list[dict[str, Any]], organizations: list[dict[str, Any]], taxonomies: list[dict[str, Any]],
            terms: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Flatten the nested JSON into one list of rows per HSDS table (foreign keys filled in)."""
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    seen: dict[str, set[str]] = {name: set() for name in TABLES}

    def add(table: str, row: dict[str, Any]) -> None:
        if row["id"] not in seen[table]:
            seen[table].add(row["id"])
            tables[table].append(row)

    for org in organizations:
        add("organization", org)
        for phone in org.get("phones", []):
            add("phone", phone)
    for service in services:
        add("service", service)
        for key, table in (("phones", "phone"), ("schedules", "schedule"), ("languages", "language"),
                           ("cost_options", "cost_option"), ("contacts", "contact"), ("attributes", "attribute")):
            for row in service.get(key, []):
                add(table, row)
        for area in service.get("service_areas", []):
            add("service_area", area)
            for attr in area.get("attributes", []):
                add("attribute", attr)
        for sal in service.get("service_at_locations", []):
            add("service_at_location", sal)
            location = sal["location"]
            add("location", location)
            for address in location.get("addresses", []):
                add("address", address)
            for item in location.get("accessibility", []):
                add("accessibility", item)
    for taxonomy in taxonomies:
        add("taxonomy", taxonomy)
    for term in terms:
        add("taxonomy_term", term)
    return tables


# -- import ----------------------------------------------------------------------------------


class HsdsFileError(Exception):
    """The input cannot be read at all (not JSON, no HSDS files): nothing is imported."""


@dataclass
class ReportLine:
    kind: str
    id: str
    label: str
    outcome: str  # created | updated | unchanged | error | skipped
    detail: str = ""
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        label = f' "{self.label}"' if self.label else ""
        text = f"{self.kind} {self.id or '?'}{label}: {self.outcome}"
        if self.detail:
            text += f": {self.detail}"
        return "\n".join([text, *(f"  note: {n}" for n in self.notes)])


@dataclass
class ImportReport:
    lines: list[ReportLine] = field(default_factory=list)
    saved: bool = False

    @property
    def errors(self) -> list[ReportLine]:
        return [line for line in self.lines if line.outcome == "error"]

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)

    def summary(self) -> str:
        counts = ", ".join(f"{self.count(o)} {label}" for o, label in (
            ("created", "created"), ("updated", "updated"), ("unchanged", "unchanged"), ("error", "with errors"),
            ("skipped", "skipped")))
        return f"{counts}; {'saved' if self.saved else 'nothing saved'}"


@dataclass
class Record:
    kind: str  # service | organization | taxonomy | taxonomy_term | service_at_location
    data: dict[str, Any]
    origin: str  # file name, for the report


FILE_KINDS = (("taxonomies.json", "taxonomy"), ("taxonomy_terms.json", "taxonomy_term"),
              ("organizations.json", "organization"), ("services.json", "service"),
              ("service_at_locations.json", "service_at_location"))
ORDER = {"taxonomy": 0, "taxonomy_term": 1, "organization": 2, "service": 3, "service_at_location": 4}


def read_hsds(path: Path) -> list[Record]:
    """The HSDS records in a file (one object, a list, or a page with `contents`) or a folder
    with services.json, organizations.json, taxonomies.json, taxonomy_terms.json.

    :raise HsdsFileError: when nothing can be read.
    """
    if path.is_dir():
        records: list[Record] = []
        found = False
        for name, kind in FILE_KINDS:
            file = path / name
            if file.is_file():
                found = True
                records += [Record(kind, item, name) for item in _items(_load_json(file), name)]
        if not found:
            raise HsdsFileError(f"{path}: no HSDS JSON files (expected {', '.join(n for n, _k in FILE_KINDS)})")
        return records
    data = _load_json(path)
    hinted = dict(FILE_KINDS).get(path.name)
    return [Record(hinted or detect_kind(item), item, path.name) for item in _items(data, path.name)]


def _load_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HsdsFileError(f"{path.name}: cannot read JSON: {exc}") from exc


def _items(data: Any, name: str) -> list[Any]:
    if isinstance(data, dict) and isinstance(data.get("contents"), list):
        return list(data["contents"])
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        return [data]
    raise HsdsFileError(f"{name}: expected an HSDS object, a list of them or a page with 'contents'")


_ORG_KEYS = frozenset(("services", "website", "legal_status", "tax_status", "tax_id", "year_incorporated", "logo",
                       "organization_identifiers", "programs", "parent_organization_id", "funding", "locations"))


def detect_kind(item: Any) -> str:
    """Which HSDS object this is, by the fields only it has."""
    if not isinstance(item, dict):
        return "unknown"
    keys = set(item)
    if "status" in keys:
        return "service"
    if "location" in keys or ("location_id" in keys and "service_id" in keys):
        return "service_at_location"
    if keys & {"taxonomy_id", "taxonomy_detail", "parent_id", "term_uri", "code"}:
        return "taxonomy_term"
    if keys & _ORG_KEYS:
        return "organization"
    if keys & {"version"} or (keys <= {"id", "name", "description", "uri", "version", "metadata"} and "uri" in keys):
        return "taxonomy"
    if keys <= {"id", "name", "alternate_name", "description", "email", "uri", "phones", "contacts", "attributes",
                "metadata"} and "name" in keys:
        return "organization"
    return "unknown"


class Problems:
    """Errors of one record with the path of the field; notes on what was not kept."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.notes: list[str] = []
        self.dropped: list[str] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}" if where else message)

    def drop(self, data: dict[str, Any], where: str, keys: Iterable[str]) -> None:
        """Fields with a value that this catalogue has no place for."""
        self.dropped += [_join(where, k) for k in keys if data.get(k) not in (None, "", [], {})]

    def all_notes(self) -> list[str]:
        notes = list(dict.fromkeys(self.notes))
        if self.dropped:
            notes.insert(0, "not kept (no place in this catalogue): " + ", ".join(dict.fromkeys(self.dropped)))
        return notes


_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
_URL = re.compile(r"^https?://[^\s/]+\S*$", re.IGNORECASE)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _get_id(data: dict[str, Any], key: str, where: str, p: Problems, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            p.error(_join(where, key), "required")
        return None
    if not isinstance(value, str) or not _UUID.match(value):
        p.error(_join(where, key), f"not a UUID: {value!r}"[:120])
        return None
    return value.lower()


def _get_text(data: dict[str, Any], key: str, where: str, p: Problems, *, required: bool = False,
              max_len: int | None = None) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            p.error(_join(where, key), "required")
        return ""
    if not isinstance(value, str):
        p.error(_join(where, key), "must be text")
        return ""
    value = value.strip()
    if max_len is not None and len(value) > max_len:
        p.error(_join(where, key), f"longer than {max_len} characters")
        return ""
    return value


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _get_list(data: dict[str, Any], key: str, where: str, p: Problems) -> list[dict[str, Any]] | None:
    """None when the key is absent (keep what we have); a list of objects otherwise."""
    if key not in data or data[key] is None:
        return None
    value = data[key]
    if not isinstance(value, list) or not all(isinstance(x, dict) for x in value):
        p.error(_join(where, key), "must be a list of objects")
        return []
    return value


def _get_age(data: dict[str, Any], key: str, p: Problems) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        p.error(key, "must be a number")
        return None
    if value != int(value) or not 0 <= value <= 120:
        p.error(key, "must be a whole number of years from 0 to 120")
        return None
    return int(value)


# Contacts are not imported: this catalogue keeps no personal contact details (see models.Contact).
NOT_KEPT_SERVICE = ("alternate_name", "interpretation_services", "fees_description", "wait_time", "fees",
                    "accreditations", "eligibility_description", "assurer_email", "licenses", "alert", "program",
                    "program_id", "funding", "required_documents", "contacts", "metadata")


@dataclass
class OrgPlan:
    id: str
    name: str
    description: str
    email: str | None
    website: str | None
    slug_hint: str | None
    phones: list[dict[str, Any]] | None


@dataclass
class LocationPlan:
    id: str
    name: str
    address_1: str
    postal_code: str
    city: str
    country: str
    latitude: float | None
    longitude: float | None
    accessibility: list[dict[str, Any]] | None


@dataclass
class SalPlan:
    id: str
    location: LocationPlan


@dataclass
class TermPlan:
    id: str
    taxonomy_id: str
    code: str
    name: str
    description: str
    parent_id: str | None
    taxonomy: dict[str, Any] | None  # a taxonomy to create when it is not known


@dataclass
class ServicePlan:
    id: str
    organization_id: str
    name: str
    scalars: dict[str, Any]
    status: str  # the HSDS status
    children: dict[str, list[dict[str, Any]] | None]
    attributes: list[tuple[str, str, str, str | None]] | None  # stored rows: (attribute id, term id, link type, value)
    terms: list[TermPlan]
    locations: list[SalPlan] | None


class Importer:
    """Checks every record first, then writes the good ones (all of them, or none when one is
    bad unless `partial`). Flushes only; the caller commits."""

    def __init__(self, *, partial: bool = False, publish: bool = False) -> None:
        self.partial = partial
        self.publish = publish
        self.report = ImportReport()
        self.terms: dict[str, TermPlan] = {}
        self.term_lines: dict[str, ReportLine] = {}
        self.taxonomies: dict[str, dict[str, Any]] = {}
        self.taxonomy_lines: dict[str, ReportLine] = {}
        self.orgs: dict[str, OrgPlan] = {}
        self.org_lines: dict[str, ReportLine] = {}
        self.services: list[tuple[ServicePlan, ReportLine, str]] = []
        self.sals: list[tuple[str, SalPlan, ReportLine]] = []
        self.used: dict[str, set[str]] = {}
        self.slugs: dict[type, set[str]] = {}

    # -- checking ----------------------------------------------------------------------
    def check(self, records: Iterable[Record]) -> None:
        for record in sorted(records, key=lambda r: ORDER.get(r.kind, 9)):
            if record.kind == "taxonomy":
                self._check_taxonomy(record)
            elif record.kind == "taxonomy_term":
                self._check_term_record(record)
            elif record.kind == "organization":
                self._check_org_record(record)
            elif record.kind == "service":
                self._check_service_record(record.data, record.origin)
            elif record.kind == "service_at_location":
                self._check_sal_record(record)
            else:
                data = record.data if isinstance(record.data, dict) else {}
                self.report.lines.append(ReportLine(
                    "record", str(data.get("id") or ""), "", "error",
                    f"{record.origin}: cannot tell which HSDS object this is"))

    def _line(self, kind: str, data: dict[str, Any], p: Problems, ok_outcome: str = "") -> ReportLine:
        ident = data.get("id") if isinstance(data.get("id"), str) else ""
        label = data.get("name") if isinstance(data.get("name"), str) else ""
        line = ReportLine(kind, ident, label[:80], "error" if p.errors else ok_outcome,
                          "; ".join(p.errors), p.all_notes())
        self.report.lines.append(line)
        return line

    def _check_taxonomy(self, record: Record) -> None:
        p = Problems()
        data = record.data
        tid = _get_id(data, "id", "", p)
        tax = {"id": tid, "name": _get_text(data, "name", "", p, required=True, max_len=120),
               "description": _get_text(data, "description", "", p),
               "uri": _get_text(data, "uri", "", p, max_len=500) or None,
               "version": _get_text(data, "version", "", p, max_len=40) or None}
        line = self._line("taxonomy", data, p)
        if p.errors or tid is None:
            return
        if tid in VIRTUAL_BY_ID:
            line.outcome, line.detail = "unchanged", "one of our own fixed taxonomies"
            return
        self.taxonomies[tid] = tax
        self.taxonomy_lines[tid] = line
        line.outcome = "pending"

    def _check_term_record(self, record: Record) -> None:
        p = Problems()
        term = self._check_term(record.data, "", p)
        line = self._line("taxonomy_term", record.data, p)
        if term is None and not p.errors:
            line.outcome, line.detail = "unchanged", "one of our own fixed taxonomy terms"
        elif term is not None and not p.errors:
            self.terms[term.id] = term
            self.term_lines[term.id] = line
            line.outcome = "pending"

    def _check_term(self, data: dict[str, Any], where: str, p: Problems) -> TermPlan | None:
        """A taxonomy term from the file (None for our fixed terms)."""
        tid = _get_id(data, "id", where, p)
        if tid is None or tid in VIRTUAL_TERMS:
            return None
        name = _get_text(data, "name", where, p, required=True, max_len=250)
        description = _get_text(data, "description", where, p)
        code = _get_text(data, "code", where, p, max_len=120) or tid
        parent_id = _get_id(data, "parent_id", where, p, required=False)
        detail = data.get("taxonomy_detail") if isinstance(data.get("taxonomy_detail"), dict) else None
        taxonomy_id = _get_id(data, "taxonomy_id", where, p, required=False)
        taxonomy: dict[str, Any] | None = None
        if detail is not None:
            dp = Problems()
            detail_id = _get_id(detail, "id", "", dp)
            taxonomy = {"id": detail_id, "name": _get_text(detail, "name", "", dp, required=True, max_len=120),
                        "description": _get_text(detail, "description", "", dp),
                        "uri": _get_text(detail, "uri", "", dp, max_len=500) or None,
                        "version": _get_text(detail, "version", "", dp, max_len=40) or None}
            for e in dp.errors:
                p.error(_join(where, "taxonomy_detail"), e)
            taxonomy_id = taxonomy_id or detail_id
        if taxonomy_id is None:
            label = _get_text(data, "taxonomy", where, p, max_len=120) or "Geïmporteerd"
            taxonomy_id = derived_id("taxonomy", label)
            taxonomy = {"id": taxonomy_id, "name": label, "description": "", "uri": None, "version": None}
        existing = db.session.get(models.TaxonomyTerm, tid)
        if existing is not None and existing.taxonomy_id != taxonomy_id:
            p.error(_join(where, "taxonomy_id"), "this term belongs to another taxonomy here")
        clash = db.session.scalar(select(models.TaxonomyTerm).where(
            models.TaxonomyTerm.taxonomy_id == taxonomy_id, models.TaxonomyTerm.code == code,
            models.TaxonomyTerm.id != tid))
        if clash is not None or any(t.id != tid and t.taxonomy_id == taxonomy_id and t.code == code
                                    for t in self.terms.values()):
            p.error(_join(where, "code"), f"code {code!r} is already used by another term of this taxonomy")
        if p.errors:
            return None
        return TermPlan(tid, taxonomy_id, code, name, description, parent_id,
                        taxonomy if taxonomy is not None and taxonomy["id"] not in self.taxonomies else None)

    def _check_org(self, data: dict[str, Any], where: str, p: Problems) -> OrgPlan | None:
        oid = _get_id(data, "id", where, p)
        name = _get_text(data, "name", where, p, required=True, max_len=250)
        description = _get_text(data, "description", where, p)
        email = _get_text(data, "email", where, p, max_len=250) or None
        if email and not _EMAIL.match(email):
            p.error(_join(where, "email"), "not an e-mail address")
        website = _get_text(data, "website", where, p, max_len=500) or None
        if website and not _URL.match(website):
            p.error(_join(where, "website"), "not a web address (http or https)")
        uri = _get_text(data, "uri", where, p)
        match = re.search(r"/organisatie/([a-z0-9][a-z0-9-]*)/?$", uri)
        phones = self._check_phones(data, where, p)
        p.drop(data, where, ("alternate_name", "tax_status", "tax_id", "year_incorporated", "legal_status", "logo",
                             "parent_organization_id", "funding", "contacts", "programs", "organization_identifiers",
                             "attributes", "metadata", "locations"))
        if p.errors or oid is None:
            return None
        return OrgPlan(oid, name, description, email, website, match.group(1) if match else None, phones)

    def _check_phones(self, data: dict[str, Any], where: str, p: Problems) -> list[dict[str, Any]] | None:
        items = _get_list(data, "phones", where, p)
        if items is None:
            return None
        phones = []
        for i, item in enumerate(items):
            at = f"{_join(where, 'phones')}[{i}]"
            pid = _get_id(item, "id", at, p)
            number = _get_text(item, "number", at, p, required=True, max_len=60)
            description = _get_text(item, "description", at, p, max_len=250)
            p.drop(item, at, ("extension", "type", "languages"))
            if pid:
                phones.append({"id": pid, "number": number, "description": description})
        return phones

    def _check_org_record(self, record: Record) -> None:
        p = Problems()
        data = record.data
        plan = self._check_org(data, "", p)
        services = _get_list(data, "services", "", p)
        line = self._line("organization", data, p)
        if plan is None:
            return
        self.orgs[plan.id] = plan
        self.org_lines[plan.id] = line
        line.outcome = "pending"
        for item in services or []:
            item = dict(item)
            item.setdefault("organization_id", plan.id)
            self._check_service_record(item, record.origin)

    def _check_service_record(self, data: dict[str, Any], origin: str) -> str | None:
        p = Problems()
        plan = self._check_service(data, p)
        line = self._line("service", data, p)
        if plan is None:
            return None
        line.outcome = "pending"
        self.services.append((plan, line, origin))
        return plan.id

    def _check_service(self, data: dict[str, Any], p: Problems) -> ServicePlan | None:
        sid = _get_id(data, "id", "", p)
        name = _get_text(data, "name", "", p, required=True, max_len=250)
        status = data.get("status")
        if status not in HSDS_STATUSES:
            p.error("status", f"required, one of {', '.join(HSDS_STATUSES)}")
        text = _get_text(data, "description", "", p)
        first, _sep, rest = text.partition("\n\n")
        summary, description = (first.strip(), rest.strip()) if len(first) <= 500 else ("", text)
        scalars: dict[str, Any] = {
            "name": name, "summary": summary, "description": description,
            "how_to_get": _get_text(data, "application_process", "", p),
            "website": _get_text(data, "url", "", p, max_len=500) or None,
            "email": _get_text(data, "email", "", p, max_len=250) or None,
            "minimum_age": _get_age(data, "minimum_age", p),
            "maximum_age": _get_age(data, "maximum_age", p),
        }
        if scalars["website"] and not _URL.match(scalars["website"]):
            p.error("url", "not a web address (http or https)")
        if scalars["email"] and not _EMAIL.match(scalars["email"]):
            p.error("email", "not an e-mail address")
        if (scalars["minimum_age"] is not None and scalars["maximum_age"] is not None
                and scalars["minimum_age"] > scalars["maximum_age"]):
            p.error("maximum_age", "lower than minimum_age")
        assured = _get_text(data, "assured_date", "", p)
        assured_date = None
        if assured:
            try:
                assured_date = date.fromisoformat(assured) if _DATE.match(assured) else None
            except ValueError:
                assured_date = None
            if assured_date is None:
                p.error("assured_date", "not a date (YYYY-MM-DD)")
        scalars["assured_date"] = assured_date
        # the organisation: nested, or by id (in this import or already here)
        org_id = _get_id(data, "organization_id", "", p, required=False)
        if isinstance(data.get("organization"), dict):
            op = Problems()
            org = self._check_org(data["organization"], "organization", op)
            p.errors += op.errors
            p.notes += op.notes
            p.dropped += op.dropped
            if org is not None:
                if org_id and org_id != org.id:
                    p.error("organization_id", "differs from organization.id")
                org_id = org.id
                if org.id not in self.orgs:
                    self.orgs[org.id] = org
        if org_id is None and not p.errors:
            p.error("organization", "required: a service needs its organization (organization or organization_id)")
        elif org_id and org_id not in self.orgs and db.session.get(models.Organization, org_id) is None:
            p.error("organization_id", f"unknown organization {org_id}")
        elif org_id and org_id in self.org_lines and self.org_lines[org_id].outcome == "error":
            p.error("organization_id", f"organization {org_id} has errors")
        children: dict[str, list[dict[str, Any]] | None] = {"phones": self._check_phones(data, "", p)}
        children["schedules"] = self._check_schedules(data, p)
        children["languages"] = self._check_languages(data, p)
        children["cost_options"] = self._check_costs(data, p)
        children["service_areas"] = self._check_areas(data, p)
        attributes, terms = self._check_attributes(data, scalars, p)
        locations = None
        sal_items = _get_list(data, "service_at_locations", "", p)
        if sal_items is not None:
            locations = [x for i, item in enumerate(sal_items)
                         if (x := self._check_sal(item, f"service_at_locations[{i}]", p)) is not None]
        p.drop(data, "", NOT_KEPT_SERVICE)
        if p.errors or sid is None or org_id is None:
            return None
        return ServicePlan(sid, org_id, name, scalars, status, children, attributes, terms, locations)

    def _check_schedules(self, data: dict[str, Any], p: Problems) -> list[dict[str, Any]] | None:
        items = _get_list(data, "schedules", "", p)
        if items is None:
            return None
        out = []
        for i, item in enumerate(items):
            at = f"schedules[{i}]"
            sid = _get_id(item, "id", at, p)
            description = _get_text(item, "description", at, p) or _get_text(item, "notes", at, p)
            structured = [k for k in ("valid_from", "valid_to", "dtstart", "timezone", "until", "count", "wkst",
                                      "freq", "interval", "byday", "byweekno", "bymonthday", "byyearday", "opens_at",
                                      "closes_at", "schedule_link", "attending_type")
                          if item.get(k) not in (None, "")]
            if structured:
                p.notes.append(f"opening times are kept as text only: {at}: {', '.join(structured)} not kept")
            if not description:
                p.notes.append(f"not kept: {at} has no description")
            elif sid:
                out.append({"id": sid, "description": description})
        return out

    def _check_languages(self, data: dict[str, Any], p: Problems) -> list[dict[str, Any]] | None:
        items = _get_list(data, "languages", "", p)
        if items is None:
            return None
        out = []
        for i, item in enumerate(items):
            at = f"languages[{i}]"
            lid = _get_id(item, "id", at, p)
            code = _get_text(item, "code", at, p, max_len=10)
            if not code:
                p.notes.append(f"not kept: {at} has no language code")
            elif lid:
                out.append({"id": lid, "code": code, "name": _get_text(item, "name", at, p, max_len=60),
                            "note": _get_text(item, "note", at, p, max_len=250)})
        return out

    def _check_costs(self, data: dict[str, Any], p: Problems) -> list[dict[str, Any]] | None:
        items = _get_list(data, "cost_options", "", p)
        if items is None:
            return None
        out = []
        for i, item in enumerate(items):
            at = f"cost_options[{i}]"
            cid = _get_id(item, "id", at, p)
            amount = item.get("amount")
            if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int | float)
                                       or not math.isfinite(amount)):
                p.error(f"{at}.amount", "must be a number")
                amount = None
            currency = _get_text(item, "currency", at, p, max_len=3) or None
            p.drop(item, at, ("valid_from", "valid_to"))
            if cid:
                out.append({"id": cid, "option": _get_text(item, "option", at, p, max_len=250),
                            "amount": float(amount) if amount is not None else None, "currency": currency,
                            "amount_description": _get_text(item, "amount_description", at, p)})
        return out

    def _check_areas(self, data: dict[str, Any], p: Problems) -> list[dict[str, Any]] | None:
        items = _get_list(data, "service_areas", "", p)
        if items is None:
            return None
        vocab = queries.vocabulary()
        by_name = {name.casefold(): slug for slug, name in vocab.gemeenten.items()}
        out = []
        for i, item in enumerate(items):
            at = f"service_areas[{i}]"
            aid = _get_id(item, "id", at, p)
            name = _get_text(item, "name", at, p, max_len=250)
            description = _get_text(item, "description", at, p)
            uri = _get_text(item, "uri", at, p)
            scope, region = None, None
            for attr in item.get("attributes") or []:
                term_id = (attr.get("taxonomy_term_id") or (attr.get("taxonomy_term") or {}).get("id")
                           if isinstance(attr, dict) else None)
                if isinstance(term_id, str) and term_id.lower() in VIRTUAL_TERMS:
                    taxonomy, code = VIRTUAL_TERMS[term_id.lower()]
                    if taxonomy.link_type == "scope":
                        scope = code
                        region = attr.get("value") if isinstance(attr.get("value"), str) else None
            wijk = re.search(r"/wijk/(WK\d{6})/?$", uri)
            gemeente = re.search(r"/gemeente/([a-z0-9-]+)/?$", uri)
            area: dict[str, Any] | None = None
            if wijk and wijk.group(1) in vocab.wijken:
                area = {"scope": "wijk", "wijk_code": wijk.group(1), "gemeente_slug": vocab.wijken[wijk.group(1)],
                        "region": None}
            elif gemeente and gemeente.group(1) in vocab.gemeenten:
                area = {"scope": scope if scope in ("gemeente", "regio") else "gemeente",
                        "gemeente_slug": gemeente.group(1), "wijk_code": None,
                        "region": region}
            elif scope in ("landelijk", "online"):
                area = {"scope": scope, "gemeente_slug": None, "wijk_code": None, "region": None}
            elif name.casefold() in by_name:
                area = {"scope": "gemeente", "gemeente_slug": by_name[name.casefold()], "wijk_code": None,
                        "region": None}
            if area is None:
                p.notes.append(f"not kept: {at} ({name or uri or 'no name'}) is not a gemeente, wijk or national area "
                               "we know")
            elif aid:
                area.update(id=aid, description=description,
                            name=area["scope"] if area["scope"] in ("landelijk", "online") else "")
                out.append(area)
        return out

    def _check_attributes(self, data: dict[str, Any], scalars: dict[str, Any], p: Problems
                          ) -> tuple[list[tuple[str, str, str, str | None]] | None, list[TermPlan]]:
        items = _get_list(data, "attributes", "", p)
        review = False
        stored: list[tuple[str, str, str, str | None]] = []
        terms: list[TermPlan] = []
        kinds: list[str] = []
        singles: dict[str, list[str]] = {"access": [], "cost": []}
        audience: list[str] = []
        referrers: list[str] = []
        for i, item in enumerate(items or []):
            at = f"attributes[{i}]"
            aid = _get_id(item, "id", at, p)
            nested = item.get("taxonomy_term") if isinstance(item.get("taxonomy_term"), dict) else None
            term_id = _get_id(item, "taxonomy_term_id", at, p, required=nested is None)
            if nested is not None:
                term_id = term_id or _get_id(nested, "id", f"{at}.taxonomy_term", p)
            if term_id is None or aid is None:
                continue
            value = item.get("value") if isinstance(item.get("value"), str) else None
            if term_id in VIRTUAL_TERMS:
                taxonomy, code = VIRTUAL_TERMS[term_id]
                if taxonomy.link_type == "audience":
                    audience.append(code)
                elif taxonomy.link_type in singles:
                    singles[taxonomy.link_type].append(code)
                    if taxonomy.link_type == "access" and value:
                        referrers = [r.strip() for r in value.split(",") if r.strip()]
                        unknown = [r for r in referrers if r not in models.REFERRERS]
                        if unknown:
                            p.error(f"{at}.value", f"unknown referrer(s): {', '.join(unknown)}")
                elif taxonomy.link_type == "review":
                    review = True
                continue
            existing = db.session.get(models.TaxonomyTerm, term_id)
            plan = self.terms.get(term_id)
            if existing is None and plan is None and nested is not None:
                plan = self._check_term(nested, f"{at}.taxonomy_term", p)
                if plan is not None:
                    terms.append(plan)
            if existing is None and plan is None:
                if not p.errors:
                    p.error(f"{at}.taxonomy_term_id", f"unknown taxonomy term {term_id}")
                continue
            taxonomy_id = existing.taxonomy_id if existing is not None else plan.taxonomy_id  # type: ignore[union-attr]
            code = existing.code if existing is not None else plan.code  # type: ignore[union-attr]
            if taxonomy_id == models.KINDS_TAXONOMY:
                kinds.append(code)
            elif taxonomy_id == models.THEMES_TAXONOMY:
                stored.append((aid, term_id, "theme", None))
            else:
                link_type = _get_text(item, "link_type", at, p, max_len=60) or "attribute"
                stored.append((aid, term_id, link_type, (value or None) and value[:250]))
        for name, found in (("kind", kinds), ("access", singles["access"]), ("cost", singles["cost"])):
            if len(set(found)) > 1:
                p.error("attributes", f"more than one {name}: {', '.join(sorted(set(found)))}")
        if kinds and kinds[0] not in models.KINDS:
            p.error("attributes", f"unknown kind {kinds[0]}")
        scalars["kind"] = kinds[0] if kinds else "overig"
        scalars["access"] = singles["access"][0] if singles["access"] else "onbekend"
        scalars["referred_by"] = referrers
        scalars["cost"] = singles["cost"][0] if singles["cost"] else "onbekend"
        scalars["audience"] = list(dict.fromkeys(audience))
        scalars["needs_review"] = review or scalars["assured_date"] is None
        if items is None:
            return None, terms
        return stored, terms

    def _check_sal(self, data: dict[str, Any], where: str, p: Problems) -> SalPlan | None:
        sid = _get_id(data, "id", where, p)
        loc = data.get("location")
        if not isinstance(loc, dict):
            p.error(_join(where, "location"), "required (the location of this service)")
            return None
        at = _join(where, "location")
        lid = _get_id(loc, "id", at, p)
        if "location_type" in loc and loc.get("location_type") not in ("physical", "postal", "virtual"):
            p.error(f"{at}.location_type", "must be physical, postal or virtual")
        addresses = _get_list(loc, "addresses", at, p) or []
        chosen = next((a for a in addresses if a.get("address_type") == "physical"), addresses[0] if addresses else {})
        a_at = f"{at}.addresses[{addresses.index(chosen) if chosen in addresses else 0}]"
        address_1 = _get_text(chosen, "address_1", a_at, p, max_len=250)
        if chosen.get("address_2"):
            address_2 = _get_text(chosen, "address_2", a_at, p)
            address_1 = f"{address_1}, {address_2}"[:250] if address_1 else address_2[:250]
        country = _get_text(chosen, "country", a_at, p) or "NL"
        if not re.fullmatch(r"[A-Za-z]{2}", country):
            p.error(f"{a_at}.country", "must be a two-letter country code")
        latitude, longitude = loc.get("latitude"), loc.get("longitude")
        if latitude is not None or longitude is not None:
            good = all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
                       for v in (latitude, longitude))
            if not good or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):  # type: ignore[operator]
                p.notes.append(f"not kept: {at} coordinates ({latitude}, {longitude}) are not a valid point")
                latitude = longitude = None
        accessibility = None
        items = _get_list(loc, "accessibility", at, p)
        if items is not None:
            accessibility = []
            for i, item in enumerate(items):
                x_at = f"{at}.accessibility[{i}]"
                xid = _get_id(item, "id", x_at, p)
                url = _get_text(item, "url", x_at, p, max_len=500) or None
                if url and not _URL.match(url):
                    p.error(f"{x_at}.url", "not a web address (http or https)")
                if xid:
                    accessibility.append({"id": xid, "description": _get_text(item, "description", x_at, p),
                                          "details": _get_text(item, "details", x_at, p), "url": url})
        p.drop(loc, at, ("languages", "contacts", "phones", "schedules", "url", "alternate_name", "description",
                         "transportation", "external_identifier", "external_identifier_type", "attributes",
                         "metadata"))
        p.drop(data, where, ("contacts", "phones", "schedules", "description", "attributes", "metadata"))
        if sid is None or lid is None:
            return None
        return SalPlan(sid, LocationPlan(
            lid, _get_text(loc, "name", at, p, max_len=250), address_1,
            _get_text(chosen, "postal_code", a_at, p, max_len=20), _get_text(chosen, "city", a_at, p, max_len=120),
            country.upper(), latitude, longitude, accessibility))

    def _check_sal_record(self, record: Record) -> None:
        p = Problems()
        data = record.data
        service_id = _get_id(data, "service_id", "", p, required=False)
        if isinstance(data.get("service"), dict):
            nested = self._check_service_record(data["service"], record.origin)
            if nested is None:
                p.error("service", "has errors")
            elif service_id and service_id != nested:
                p.error("service_id", "differs from service.id")
            service_id = service_id or nested
        elif service_id and db.session.get(models.Service, service_id) is None and all(
                plan.id != service_id for plan, _line, _origin in self.services):
            p.error("service_id", f"unknown service {service_id}")
        if service_id is None and not p.errors:
            p.error("service", "required: the service (service or service_id)")
        sal = self._check_sal(data, "", p)
        line = self._line("service_at_location", data, p)
        if sal is not None and service_id and not p.errors:
            line.outcome = "pending"
            self.sals.append((service_id, sal, line))

    # -- writing -----------------------------------------------------------------------
    def apply(self) -> ImportReport:
        """Write what was checked (flush only)."""
        if self.report.errors and not self.partial:
            for line in self.report.lines:
                if line.outcome == "pending":
                    line.outcome, line.detail = "skipped", "not saved: other records have errors"
            return self.report
        bad_services = {line.id for line in self.report.lines if line.kind == "service" and line.outcome == "error"}
        for tid, tax in self.taxonomies.items():
            self.taxonomy_lines[tid].outcome = self._upsert_taxonomy(tax)
        db.session.flush()
        for term in _parents_first(self.terms):
            outcome = self._upsert_term(term)
            if term.id in self.term_lines:
                self.term_lines[term.id].outcome = outcome
        for org in self.orgs.values():
            outcome = self._upsert_org(org)
            line = self.org_lines.get(org.id)
            if line is not None:
                line.outcome = outcome
            else:  # came inside a service
                self.report.lines.append(ReportLine("organization", org.id, org.name[:80], outcome))
        db.session.flush()
        for plan, line, origin in self.services:
            if plan.id in bad_services:  # the same service twice, once broken
                line.outcome, line.detail = "skipped", "this service also has a record with errors"
                continue
            line.outcome = self._upsert_service(plan, origin, line)
            db.session.flush()
        for service_id, sal, line in self.sals:
            service = db.session.get(models.Service, service_id)
            if service is None:
                line.outcome, line.detail = "skipped", f"service {service_id} was not saved"
                continue
            line.outcome = self._upsert_sal(service, sal, line)
            db.session.flush()
        self.report.saved = True
        return self.report

    @staticmethod
    def _upsert_taxonomy(tax: dict[str, Any]) -> str:
        row = db.session.get(models.Taxonomy, tax["id"])
        if row is None:
            db.session.add(models.Taxonomy(**tax))
            return "created"
        if all(getattr(row, k) == v for k, v in tax.items()):
            return "unchanged"
        for k, v in tax.items():
            setattr(row, k, v)
        return "updated"

    def _upsert_term(self, term: TermPlan) -> str:
        if term.taxonomy is not None and db.session.get(models.Taxonomy, term.taxonomy_id) is None:
            db.session.add(models.Taxonomy(**term.taxonomy))
            db.session.flush()
            self.report.lines.append(ReportLine("taxonomy", term.taxonomy_id, term.taxonomy["name"][:80], "created"))
        row = db.session.get(models.TaxonomyTerm, term.id)
        parent = term.parent_id if term.parent_id and (
            term.parent_id in self.terms or db.session.get(models.TaxonomyTerm, term.parent_id) is not None) else None
        values = {"taxonomy_id": term.taxonomy_id, "code": term.code, "name": term.name,
                  "description": term.description, "parent_id": parent}
        if row is None:
            position = db.session.scalar(select(func.count()).select_from(models.TaxonomyTerm).where(
                models.TaxonomyTerm.taxonomy_id == term.taxonomy_id)) or 0
            db.session.add(models.TaxonomyTerm(id=term.id, position=position, **values))
            outcome = "created"
        elif any(getattr(row, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(row, k, v)
            outcome = "updated"
        else:
            outcome = "unchanged"
        db.session.flush()
        return outcome

    def _slug(self, model: type, wanted: str | None, name: str) -> str:
        taken = self.slugs.setdefault(model, set())
        base = (wanted or slugify(name) or "zonder-naam")[:110]
        slug, n = base, 1
        while slug in taken or db.session.scalar(select(model.slug).where(model.slug == slug)) is not None:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        return slug

    def _child_id(self, model: type, wanted: str, parent_key: str, current: set[str], line: ReportLine | None) -> str:
        """The file's id when it is free (or already ours), else a stable id derived from it."""
        used = self.used.setdefault(model.__name__, set())
        if wanted in current and wanted not in used:
            used.add(wanted)
            return wanted
        if wanted not in used and db.session.get(model, wanted) is None:
            used.add(wanted)
            return wanted
        new = derived_id(model.__name__, parent_key, wanted)
        used.add(new)
        if line is not None:
            line.notes.append(f"{model.__tablename__} {wanted} is used by another record here: stored as {new}")
        return new

    def _upsert_org(self, plan: OrgPlan) -> str:
        org = db.session.get(models.Organization, plan.id)
        values = {"name": plan.name, "description": plan.description, "email": plan.email, "website": plan.website}
        phones = None
        if plan.phones is not None:
            current = {p.id for p in org.phones} if org is not None else set()
            phones = [dict(p, id=self._child_id(models.Phone, p["id"], plan.id, current, self.org_lines.get(plan.id)))
                      for p in plan.phones]
        if org is not None:
            same = all(getattr(org, k) == v for k, v in values.items())
            if phones is not None:
                same = same and [(p.id, p.number, p.description) for p in org.phones] == [
                    (p["id"], p["number"], p["description"]) for p in phones]
            if same:
                return "unchanged"
        outcome = "updated"
        if org is None:
            org = models.Organization(id=plan.id, slug=self._slug(models.Organization, plan.slug_hint, plan.name),
                                      sources=[])
            db.session.add(org)
            outcome = "created"
        for k, v in values.items():
            setattr(org, k, v)
        if phones is not None:
            org.phones = self._sync(org.phones, phones, models.Phone, lambda p, i: {
                "number": p["number"], "description": p["description"], "position": i, "organization_id": org.id})
        org.last_modified = models.utcnow()
        return outcome

    @staticmethod
    def _sync(existing: list[Any], wanted: list[dict[str, Any]], model: type, values: Any) -> list[Any]:
        """Children with these ids and values: existing rows updated in place, others created."""
        by_id = {c.id: c for c in existing}
        out = []
        for i, item in enumerate(wanted):
            fields = values(item, i)
            row = by_id.get(item["id"])
            if row is None:
                row = model(id=item["id"], **fields)
            else:
                for k, v in fields.items():
                    if getattr(row, k) != v:
                        setattr(row, k, v)
            out.append(row)
        return out

    def _service_state(self, service: models.Service, plan: ServicePlan) -> dict[str, Any]:
        """What the import would compare: the plan's sections only."""
        state: dict[str, Any] = {k: getattr(service, k) for k in plan.scalars}
        state["organization_id"] = service.organization_id
        if plan.children["phones"] is not None:
            state["phones"] = [(p.id, p.number, p.description) for p in service.phones]
        if plan.children["schedules"] is not None:
            state["schedules"] = [(s.id, s.description) for s in service.schedules]
        if plan.children["languages"] is not None:
            state["languages"] = sorted((x.id, x.code, x.name, x.note) for x in service.languages)
        if plan.children["cost_options"] is not None:
            state["cost_options"] = sorted((c.id, c.option, c.amount, c.currency, c.amount_description)
                                           for c in service.cost_options)
        if plan.children["service_areas"] is not None:
            state["service_areas"] = sorted((a.id, a.scope, a.gemeente_slug, a.wijk_code, a.region, a.description)
                                            for a in service.service_areas)
        if plan.attributes is not None:
            state["attributes"] = sorted((a.id, a.taxonomy_term_id, a.link_type, a.value) for a in service.attributes)
        if plan.locations is not None:
            state["locations"] = [_sal_state(sal.id, sal.location) for sal in service.service_at_locations]
        return state

    def _plan_state(self, plan: ServicePlan, children: dict[str, Any], locations: list[SalPlan] | None
                    ) -> dict[str, Any]:
        state: dict[str, Any] = dict(plan.scalars)
        state["organization_id"] = plan.organization_id
        if children["phones"] is not None:
            state["phones"] = [(p["id"], p["number"], p["description"]) for p in children["phones"]]
        if children["schedules"] is not None:
            state["schedules"] = [(s["id"], s["description"]) for s in children["schedules"]]
        if children["languages"] is not None:
            state["languages"] = sorted((x["id"], x["code"], x["name"], x["note"]) for x in children["languages"])
        if children["cost_options"] is not None:
            state["cost_options"] = sorted((c["id"], c["option"], c["amount"], c["currency"], c["amount_description"])
                                           for c in children["cost_options"])
        if children["service_areas"] is not None:
            state["service_areas"] = sorted((a["id"], a["scope"], a["gemeente_slug"], a["wijk_code"], a["region"],
                                             a["description"]) for a in children["service_areas"])
        if children["attributes"] is not None:
            state["attributes"] = sorted(children["attributes"])
        if locations is not None:
            state["locations"] = [_plan_sal_state(s) for s in locations]
        return state

    def _upsert_service(self, plan: ServicePlan, origin: str, line: ReportLine) -> str:
        service = db.session.get(models.Service, plan.id)
        key = plan.id
        children: dict[str, Any] = {}
        for name, model in (("phones", models.Phone), ("schedules", models.Schedule), ("languages", models.Language),
                            ("cost_options", models.CostOption),
                            ("service_areas", models.ServiceArea)):
            items = plan.children[name]
            if items is None:
                children[name] = None
                continue
            current = {c.id for c in getattr(service, name)} if service is not None else set()
            children[name] = [dict(x, id=self._child_id(model, x["id"], key, current, line)) for x in items]
        if plan.attributes is None:
            children["attributes"] = None
        else:
            current = {a.id for a in service.attributes} if service is not None else set()
            children["attributes"] = [(self._child_id(models.Attribute, aid, key, current, line), term, link, value)
                                      for aid, term, link, value in plan.attributes]
        locations = None
        if plan.locations is not None:
            locations = [self._resolve_sal(service, s, key, line) for s in plan.locations]
        if service is not None and self._service_state(service, plan) == self._plan_state(plan, children, locations):
            return "unchanged"
        for term in plan.terms:
            if db.session.get(models.TaxonomyTerm, term.id) is None:
                self._upsert_term(term)
                self.report.lines.append(ReportLine("taxonomy_term", term.id, term.name[:80], "created"))
        outcome = "updated"
        if service is None:
            service = models.Service(id=plan.id, slug=self._slug(models.Service, None, plan.name), version=0,
                                     sources=[], facts=[])
            db.session.add(service)
            outcome = "created"
        service.organization_id = plan.organization_id
        for k, v in plan.scalars.items():
            setattr(service, k, v)
        service.status = self._status(plan.status)
        if service.needs_review and not service.review_note:
            service.review_note = f"Geïmporteerd uit {origin} (HSDS); nog niet gecontroleerd door een redacteur."
        sid = service.id
        if children["phones"] is not None:
            service.phones = self._sync(service.phones, children["phones"], models.Phone, lambda x, i: {
                "number": x["number"], "description": x["description"], "position": i, "service_id": sid})
        if children["schedules"] is not None:
            service.schedules = self._sync(service.schedules, children["schedules"], models.Schedule, lambda x, i: {
                "description": x["description"], "position": i, "service_id": sid})
        if children["languages"] is not None:
            service.languages = self._sync(service.languages, children["languages"], models.Language, lambda x, i: {
                "code": x["code"], "name": x["name"], "note": x["note"], "service_id": sid})
        if children["cost_options"] is not None:
            service.cost_options = self._sync(service.cost_options, children["cost_options"], models.CostOption,
                                              lambda x, i: {k: x[k] for k in ("option", "amount", "currency",
                                                                              "amount_description")} | {
                                                  "service_id": sid})
        if children["service_areas"] is not None:
            service.service_areas = self._sync(service.service_areas, children["service_areas"], models.ServiceArea,
                                               lambda x, i: {k: x[k] for k in ("scope", "gemeente_slug", "wijk_code",
                                                                               "region", "name", "description")} | {
                                                   "service_id": sid})
        if children["attributes"] is not None:
            service.attributes = self._sync(
                service.attributes, [{"id": a, "term": t, "link": link, "value": v}
                                     for a, t, link, v in children["attributes"]],
                models.Attribute, lambda x, i: {"link_id": sid, "link_entity": "service", "link_type": x["link"],
                                                "taxonomy_term_id": x["term"], "value": x["value"]})
        if locations is not None:
            self._apply_locations(service, locations)
        service.last_modified = models.utcnow()
        service.version = (service.version or 0) + 1
        db.session.flush()
        record_revision(service, author=IMPORTER, reason=f"import-hsds {origin}")
        return outcome

    def _status(self, hsds_status: str) -> str:
        if hsds_status == "defunct":
            return "gearchiveerd"
        if hsds_status == "active" and self.publish:
            return "gepubliceerd"
        return "concept"

    def _resolve_sal(self, service: models.Service | None, sal: SalPlan, key: str, line: ReportLine | None) -> SalPlan:
        """The ids this service-at-location will have (a location of another service is copied)."""
        current_sals = {s.id: s for s in service.service_at_locations} if service is not None else {}
        sal_id = self._child_id(models.ServiceAtLocation, sal.id, key, set(current_sals), line)
        current_loc = {current_sals[sal_id].location_id} if sal_id in current_sals else set()
        loc_id = sal.location.id
        existing = db.session.get(models.Location, loc_id)
        shared = existing is not None and loc_id not in current_loc and db.session.scalar(
            select(models.ServiceAtLocation.id).where(models.ServiceAtLocation.location_id == loc_id)) is not None
        used = self.used.setdefault("Location", set())
        if shared or (loc_id in used and loc_id not in current_loc):
            new = derived_id("Location", key, loc_id)
            if line is not None:
                line.notes.append(f"location {loc_id} is shared with another service: stored as {new} for this one")
            loc_id = new
        used.add(loc_id)
        accessibility = None
        if sal.location.accessibility is not None:
            current = {a.id for a in existing.accessibility} if existing is not None and not shared else set()
            accessibility = [dict(a, id=self._child_id(models.Accessibility, a["id"], loc_id, current, line))
                             for a in sal.location.accessibility]
        location = LocationPlan(**{**sal.location.__dict__, "id": loc_id, "accessibility": accessibility})
        return SalPlan(sal_id, location)

    def _apply_locations(self, service: models.Service, sals: list[SalPlan]) -> None:
        by_id = {s.id: s for s in service.service_at_locations}
        rows = []
        for sal in sals:
            row = by_id.get(sal.id)
            if row is None:
                row = models.ServiceAtLocation(id=sal.id, service_id=service.id)
            location = row.location if row.location is not None and row.location.id == sal.location.id else None
            if location is None:
                location = db.session.get(models.Location, sal.location.id)
            if location is None:
                location = models.Location(id=sal.location.id)
            self._fill_location(location, sal.location, service.organization_id)
            row.location = location
            rows.append(row)
        service.service_at_locations = rows

    def _upsert_sal(self, service: models.Service, sal: SalPlan, line: ReportLine) -> str:
        resolved = self._resolve_sal(service, sal, service.id, line)
        existing = {s.id: s for s in service.service_at_locations}
        if resolved.id in existing and _sal_state(resolved.id, existing[resolved.id].location) == _plan_sal_state(
                resolved):
            return "unchanged"
        outcome = "updated" if resolved.id in existing else "created"
        others = [SalPlan(s.id, _location_plan(s.location))
                  for s in service.service_at_locations if s.id != resolved.id]
        self._apply_locations(service, [*others, resolved])
        # new facts from a file wait for an editor, as with a service record
        service.needs_review = True
        if service.status == "gepubliceerd" and not self.publish:
            service.status = "concept"
        service.last_modified = models.utcnow()
        service.version = (service.version or 0) + 1
        db.session.flush()
        record_revision(service, author=IMPORTER, reason=f"import-hsds {line.kind} {sal.id}")
        return outcome

    @staticmethod
    def _fill_location(location: models.Location, plan: LocationPlan, organization_id: str) -> None:
        values = {"name": plan.name, "address_1": plan.address_1, "postal_code": plan.postal_code, "city": plan.city,
                  "country": plan.country}
        changed = any(getattr(location, k) != v for k, v in values.items()) or (
            (location.latitude, location.longitude) != (plan.latitude, plan.longitude))
        if location.organization_id is None:
            location.organization_id = organization_id
        if plan.accessibility is not None:
            location.accessibility = Importer._sync(location.accessibility, plan.accessibility, models.Accessibility,
                                                    lambda x, i: {"description": x["description"],
                                                                  "details": x["details"], "url": x["url"]})
        if not changed and location.precision is not None:
            return
        for k, v in values.items():
            setattr(location, k, v)
        if plan.latitude is not None and plan.longitude is not None:
            location.latitude, location.longitude, location.precision = plan.latitude, plan.longitude, "adres"
            location.geocode_status, location.geocode_source = "gevonden", IMPORTER
            located = gazetteer().locate(plan.latitude, plan.longitude)
            location.wijk_code = located.wijk.key if located.wijk else None
        else:
            location.latitude = location.longitude = None
            location.geocode_status = location.geocode_source = None
            location.wijk_code = None
            found = gazetteer().resolve(plan.city) if plan.city else None
            location.precision = "gemeente" if found is not None and found.status == "found" else None


def _parents_first(terms: dict[str, TermPlan]) -> list[TermPlan]:
    """Terms in an order where a parent in the same import comes before its children."""
    done: set[str] = set()
    out: list[TermPlan] = []

    def visit(term: TermPlan, path: frozenset[str]) -> None:
        if term.id in done or term.id in path:
            return
        parent = terms.get(term.parent_id) if term.parent_id else None
        if parent is not None:
            visit(parent, path | {term.id})
        done.add(term.id)
        out.append(term)

    for term in terms.values():
        visit(term, frozenset())
    return out


def _sal_state(sal_id: str, location: models.Location) -> tuple[Any, ...]:
    lat, lon = (location.latitude, location.longitude) if location.precision == "adres" else (None, None)
    return (sal_id, location.id, location.name, location.address_1, location.postal_code, location.city,
            location.country, lat, lon, sorted((a.id, a.description, a.details, a.url) for a in location.accessibility))


def _plan_sal_state(sal: SalPlan) -> tuple[Any, ...]:
    loc = sal.location
    access = sorted((a["id"], a["description"], a["details"], a["url"]) for a in loc.accessibility or [])
    return (sal.id, loc.id, loc.name, loc.address_1, loc.postal_code, loc.city, loc.country, loc.latitude,
            loc.longitude, access)


def _location_plan(location: models.Location) -> LocationPlan:
    lat, lon = (location.latitude, location.longitude) if location.precision == "adres" else (None, None)
    return LocationPlan(location.id, location.name, location.address_1, location.postal_code, location.city,
                        location.country, lat, lon, None)


def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:110]


def import_hsds(path: Path, *, partial: bool = False, publish: bool = False) -> ImportReport:
    """Check and write HSDS records (flush only: the caller commits when `report.saved`).

    :raise HsdsFileError: when the input cannot be read at all.
    """
    importer = Importer(partial=partial, publish=publish)
    importer.check(read_hsds(path))
    return importer.apply()


def iter_report(report: ImportReport) -> Iterator[str]:
    for line in report.lines:
        yield str(line)

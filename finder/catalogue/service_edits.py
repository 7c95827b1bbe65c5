"""What an editor can change about a service, as plain data, and how that data is put back.

The same shape as a revision's snapshot (finder/catalogue/revisions.py), so a save, a proposal
that a second editor approves, and a restore of any earlier revision all go through `apply`.
Parts that did not change keep their rows (and with them a location's coordinates and the
source of a phone number); only what the editor changed is new.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from finder import models
from finder.catalogue.locations import geocode_location
from finder.extensions import db

SCALARS = (
    "name", "summary", "description", "how_to_get", "kind", "audience", "minimum_age", "maximum_age",
    "access", "referred_by", "cost", "website", "email",
)
PARTS = ("phones", "schedules", "service_areas", "themes", "locations", "languages", "cost_options")
EDITABLE = SCALARS + PARTS
_EMPTY_IS_NONE = ("website", "email")


def editable(data: dict[str, Any]) -> dict[str, Any]:
    """The editable part of a snapshot."""
    return {name: data[name] for name in EDITABLE if name in data}


def apply(service: models.Service, data: dict[str, Any], *, geocode: Callable[..., Any] | None = None) -> None:
    """Make the service what `data` (snapshot-shaped) says; keys that are missing stay as they are.
    A new or changed address is geocoded with `geocode` unless the data carries coordinates."""
    for name in SCALARS:
        if name in data:
            value = data[name]
            if isinstance(value, list) and set(value) == set(getattr(service, name) or []):
                continue  # the same choices (a form lists them in its own order): no change
            setattr(service, name, None if value == "" and name in _EMPTY_IS_NONE else value)
    if "phones" in data:
        apply_phones(service, data["phones"])
    if "schedules" in data:
        _apply_schedules(service, data["schedules"])
    if "service_areas" in data:
        _apply_areas(service, data["service_areas"])
    if "themes" in data:
        _apply_themes(service, data["themes"])
    if "locations" in data:
        _apply_locations(service, data["locations"], geocode)
    if "languages" in data and set(data["languages"]) != {lang.code for lang in service.languages}:
        service.languages = [models.Language(code=code) for code in dict.fromkeys(data["languages"])]
    if "cost_options" in data:
        _apply_costs(service, data["cost_options"])
    db.session.flush()


def _apply_costs(service: models.Service, costs: list[dict[str, Any]]) -> None:
    current = {(c.option, c.amount_description): c for c in service.cost_options}  # unchanged: keeps its source
    service.cost_options = [
        current.get((c.get("option") or "", c.get("amount_description") or "")) or models.CostOption(
            option=c.get("option") or "", amount_description=c.get("amount_description") or "", source=c.get("source"))
        for c in costs
    ]


def apply_phones(owner: models.Service | models.Organization, phones: list[dict[str, Any]]) -> None:
    """The phone numbers of a service or an organisation. Unchanged numbers keep their row (id,
    source); the order is the editor's."""
    current = {(p.number, p.description): p for p in owner.phones}
    rows = []
    for i, p in enumerate(phones):
        row = current.pop((p["number"], p.get("description") or ""), None) or models.Phone(
            number=p["number"], description=p.get("description") or "", source=p.get("source"))
        row.position = i
        rows.append(row)
    owner.phones = rows


def _apply_schedules(service: models.Service, schedules: list[dict[str, Any]]) -> None:
    """Unchanged opening hours keep their row (id, source); the order is the editor's."""
    current = {s.description: s for s in service.schedules}
    rows = []
    for i, s in enumerate(schedules):
        row = current.pop(s["description"], None) or models.Schedule(description=s["description"],
                                                                     source=s.get("source"))
        row.position = i
        rows.append(row)
    service.schedules = rows


def _area_key(area: dict[str, Any]) -> tuple[Any, ...]:
    return (area.get("scope"), area.get("gemeente"), area.get("wijk"), area.get("region"),
            area.get("description") or "")


def _apply_areas(service: models.Service, areas: list[dict[str, Any]]) -> None:
    current = {_area_key(area_data(a)): a for a in service.service_areas}
    service.service_areas = [
        current.get(_area_key(a)) or models.ServiceArea(
            scope=a["scope"], gemeente_slug=a.get("gemeente"), wijk_code=a.get("wijk"), region=a.get("region"),
            name=a["scope"] if a["scope"] in ("landelijk", "online") else "", description=a.get("description") or "",
        )
        for a in areas
    ]


def area_data(area: models.ServiceArea) -> dict[str, Any]:
    return {"scope": area.scope, "gemeente": area.gemeente_slug, "wijk": area.wijk_code, "region": area.region,
            "description": area.description}


def _apply_themes(service: models.Service, term_ids: list[str]) -> None:
    current = {a.taxonomy_term_id: a for a in service.attributes}
    service.attributes = [
        current.get(term_id) or models.Attribute(link_entity="service", link_type="theme", taxonomy_term_id=term_id)
        for term_id in dict.fromkeys(term_ids)
    ]


def _address_key(loc: dict[str, Any]) -> tuple[str, str, str]:
    return tuple(" ".join((loc.get(k) or "").casefold().split()) for k in ("address_1", "postal_code", "city"))


def _apply_locations(service: models.Service, locations: list[dict[str, Any]],
                     geocode: Callable[..., Any] | None) -> None:
    current = {_address_key(location_data(sal.location)): sal for sal in service.service_at_locations}
    kept: list[models.ServiceAtLocation] = []
    for loc in locations:
        sal = current.pop(_address_key(loc), None)
        if sal is not None:
            sal.location.name = loc.get("name") or ""
            kept.append(sal)
            continue
        location = models.Location(
            organization_id=service.organization_id, name=loc.get("name") or "", address_1=loc.get("address_1") or "",
            postal_code=loc.get("postal_code") or "", city=loc.get("city") or "", source=loc.get("source"),
        )
        if loc.get("latitude") is not None and loc.get("longitude") is not None:  # a restore brings its pin back
            location.latitude, location.longitude = loc["latitude"], loc["longitude"]
            location.precision, location.geocode_status = loc.get("precision") or "adres", "gevonden"
        kept.append(models.ServiceAtLocation(location=location))
    service.service_at_locations = kept
    db.session.flush()
    for sal in kept:
        location = sal.location
        if location.geocode_status is None and location.address_1:
            geocode_location(location, geocode)


def location_data(loc: models.Location) -> dict[str, Any]:
    return {"name": loc.name, "address_1": loc.address_1, "postal_code": loc.postal_code, "city": loc.city,
            "latitude": loc.latitude, "longitude": loc.longitude, "precision": loc.precision, "source": loc.source}


def theme_ids_by_code() -> dict[str, str]:
    """Theme code -> taxonomy term id, in the order editors see the themes."""
    return dict(db.session.execute(
        select(models.TaxonomyTerm.code, models.TaxonomyTerm.id)
        .where(models.TaxonomyTerm.taxonomy_id == models.THEMES_TAXONOMY)
        .order_by(models.TaxonomyTerm.position, models.TaxonomyTerm.name)
    ).all())

"""Revisions: a full snapshot of a record per save, so nothing is ever lost.

Services have their snapshot here; organisations, themes and menukaarten register theirs in
finder/catalogue/records.py. A revision is numbered per record (entity_type, entity_id)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from finder import models
from finder.catalogue.service_edits import area_data, location_data
from finder.extensions import db

_SCALARS = (
    "slug", "organization_id", "name", "summary", "description", "how_to_get", "kind", "audience",
    "minimum_age", "maximum_age", "access", "referred_by", "cost", "website", "website_source", "email",
    "email_source", "facts", "sources", "source_date", "evidence", "needs_review", "review_note", "status",
)


def snapshot(service: models.Service) -> dict[str, Any]:
    """Everything an editor can change about a service, as plain JSON-able data."""
    data: dict[str, Any] = {name: getattr(service, name) for name in _SCALARS}
    data["assured_date"] = service.assured_date.isoformat() if service.assured_date else None
    data["themes"] = [a.taxonomy_term_id for a in service.attributes]
    data["phones"] = [{"number": p.number, "description": p.description, "source": p.source} for p in service.phones]
    data["schedules"] = [{"description": s.description, "source": s.source} for s in service.schedules]
    data["languages"] = [lang.code for lang in service.languages]
    data["cost_options"] = [
        {"option": c.option, "amount_description": c.amount_description, "source": c.source}
        for c in service.cost_options
    ]
    data["service_areas"] = [area_data(a) for a in service.service_areas]
    data["locations"] = [location_data(loc) for loc in service.locations]
    return data


SNAPSHOTS: dict[type, tuple[str, Callable[[Any], dict[str, Any]]]] = {models.Service: ("service", snapshot)}


def record_revision(entity: Any, *, author: str, reason: str) -> models.Revision:
    """Add a revision with the record's current state (flush only)."""
    entity_type, snapshot_of = SNAPSHOTS[type(entity)]
    number = (
        db.session.scalar(
            select(func.max(models.Revision.number)).where(
                models.Revision.entity_type == entity_type, models.Revision.entity_id == entity.id
            )
        )
        or 0
    ) + 1
    revision = models.Revision(
        entity_type=entity_type, entity_id=entity.id, number=number, snapshot=snapshot_of(entity),
        author=author, reason=reason,
    )
    db.session.add(revision)
    return revision


def revisions_of(entity_type: str, entity_id: str) -> list[models.Revision]:
    """All revisions of a record, newest first."""
    return list(db.session.scalars(
        select(models.Revision)
        .where(models.Revision.entity_type == entity_type, models.Revision.entity_id == entity_id)
        .order_by(models.Revision.number.desc())
    ))

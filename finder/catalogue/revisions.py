"""Revisions: a full snapshot of a service per save, so nothing is ever lost."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from finder import models
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
    data["service_areas"] = [
        {"scope": a.scope, "gemeente": a.gemeente_slug, "wijk": a.wijk_code, "region": a.region,
         "description": a.description}
        for a in service.service_areas
    ]
    data["locations"] = [
        {"name": loc.name, "address_1": loc.address_1, "postal_code": loc.postal_code, "city": loc.city,
         "latitude": loc.latitude, "longitude": loc.longitude, "precision": loc.precision, "source": loc.source}
        for loc in service.locations
    ]
    return data


def record_revision(service: models.Service, *, author: str, reason: str) -> models.Revision:
    """Add a revision with the service's current state (flush only)."""
    number = (
        db.session.scalar(
            select(func.max(models.Revision.number)).where(
                models.Revision.entity_type == "service", models.Revision.entity_id == service.id
            )
        )
        or 0
    ) + 1
    revision = models.Revision(
        entity_type="service", entity_id=service.id, number=number, snapshot=snapshot(service),
        author=author, reason=reason,
    )
    db.session.add(revision)
    return revision

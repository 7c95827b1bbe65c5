"""Editors: accounts, scope, saving with optimistic locking, revisions, restore, freshness.

Every save is a revision (who, when, why) and an audit event; the search index follows the
commit (finder/search/sync.py). Functions flush only; the view commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from finder import models
from finder.catalogue import service_edits
from finder.catalogue.locations import Geocode, locations_for_editors
from finder.catalogue.revisions import SNAPSHOTS, record_revision, revisions_of, snapshot
from finder.catalogue.translated import localize
from finder.catalogue.translation_text import SERVICE_FIELDS, SERVICE_LOCALES
from finder.extensions import db

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_DUMMY_HASH = _hasher.hash("no such editor")  # verify against it too, so a wrong e-mail costs the same
STALE_AFTER = timedelta(days=365)


class Conflict(Exception):
    """Someone else saved the service since this editor opened it."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__("the service changed since it was opened")
        self.current = current


# -- accounts ------------------------------------------------------------------------------------


def create_editor(email: str, name: str, role: str, password: str, gemeenten: list[str] | None = None,
                  organizations: list[str] | None = None) -> models.Editor:
    if role not in models.ROLES:
        raise ValueError(f"unknown role {role!r}")
    if len(password) < 12:
        raise ValueError("a password needs at least 12 characters")
    unknown = sorted(set(gemeenten or []) - set(db.session.scalars(select(models.Gemeente.slug))))
    unknown += sorted(set(organizations or []) - set(db.session.scalars(select(models.Organization.slug))))
    if unknown:  # a typo would give an account that silently sees nothing
        raise ValueError(f"unknown gemeente or organisation: {', '.join(unknown)}")
    editor = models.Editor(email=email.strip().lower(), name=name, role=role, password_hash=_hasher.hash(password),
                           gemeenten=list(gemeenten or []), organizations=list(organizations or []))
    db.session.add(editor)
    db.session.flush()
    return editor


def authenticate(email: str, password: str) -> models.Editor | None:
    editor = db.session.scalar(select(models.Editor).where(models.Editor.email == email.strip().lower()))
    try:
        _hasher.verify(editor.password_hash if editor else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if editor is None or not editor.active:
        return None
    if _hasher.check_needs_rehash(editor.password_hash):
        editor.password_hash = _hasher.hash(password)
    return editor


def audit(actor: str, action: str, entity: Any = None, detail: str = "") -> None:
    """Log who did what to which record (a service, organisation, theme or menukaart)."""
    db.session.add(models.AuditEvent(actor=actor, action=action,
                                     entity_type=SNAPSHOTS[type(entity)][0] if entity is not None else None,
                                     entity_id=entity.id if entity is not None else None, detail=detail[:2000]))


# -- scope ---------------------------------------------------------------------------------------


def can_edit(editor: models.Editor, service: models.Service) -> bool:
    return _in_scope(editor, service.organization.slug, [(a.gemeente_slug, a.scope) for a in service.service_areas])


def may_serve(editor: models.Editor, service: models.Service, areas: list[dict[str, Any]]) -> bool:
    """May this editor give the service these service areas (snapshot-shaped)? A redacteur of
    Velsen cannot move a service to Alkmaar, nor make it national or online."""
    return _in_scope(editor, service.organization.slug, [(a.get("gemeente"), a["scope"]) for a in areas])


def _in_scope(editor: models.Editor, organization: str, areas: list[tuple[str | None, str]]) -> bool:
    if editor.role == "beheerder" or organization in editor.organizations:
        return True
    if editor.role == "redacteur" and editor.gemeenten:
        # Only what serves one of its gemeenten and nothing wider: regional and national offers
        # belong to a beheerder or to the organisation's own editors.
        served = {gemeente for gemeente, _ in areas if gemeente}
        scopes = {scope for _, scope in areas}
        return bool(served) and served <= set(editor.gemeenten) and not scopes & {"landelijk", "online"}
    return False


def services_in_scope(editor: models.Editor) -> list[models.Service]:
    rows = db.session.scalars(
        select(models.Service)
        .options(selectinload(models.Service.service_areas), selectinload(models.Service.organization),
                 selectinload(models.Service.phones))
        .order_by(models.Service.name)
    )
    return [s for s in rows if can_edit(editor, s)]


# -- saving --------------------------------------------------------------------------------------


def save_service(service: models.Service, values: dict[str, Any], *, editor: models.Editor, expected_version: int,
                 reason: str, geocode: Geocode | None = None) -> models.Revision:
    """Apply an editor's changes, unless the service changed since the editor opened it."""
    if service.version != expected_version:
        raise Conflict(snapshot(service))
    service_edits.apply(service, values, geocode=geocode)
    service.version += 1
    service.last_modified = models.utcnow()
    db.session.flush()
    revision = record_revision(service, author=editor.email, reason=reason)
    audit(editor.email, "save", service, reason)
    return revision


def restore(service: models.Service, revision: models.Revision, *, editor: models.Editor,
            geocode: Geocode | None = None) -> models.Revision:
    """Bring back everything editable and the status of an earlier revision, as a new revision."""
    service_edits.apply(service, service_edits.editable(revision.snapshot), geocode=geocode)
    if "status" in revision.snapshot:
        service.status = revision.snapshot["status"]
    service.version += 1
    service.last_modified = models.utcnow()
    db.session.flush()
    new = record_revision(service, author=editor.email, reason=f"terugzetten naar versie {revision.number}")
    audit(editor.email, "restore", service, f"versie {revision.number}")
    return new


def set_status(service: models.Service, status: str, *, editor: models.Editor) -> None:
    if status not in ("concept", "ter beoordeling", "gepubliceerd", "gearchiveerd"):
        raise ValueError(status)
    service.status = status
    service.version += 1
    service.last_modified = models.utcnow()
    db.session.flush()
    record_revision(service, author=editor.email, reason=f"status: {status}")
    action = {"gepubliceerd": "publish", "gearchiveerd": "archive"}.get(status, "status")
    audit(editor.email, action, service, status)


def mark_checked(service: models.Service, *, editor: models.Editor, today: date | None = None) -> None:
    service.assured_date = today or date.today()
    service.needs_review = False  # checked: no longer "te controleren"
    service.version += 1
    db.session.flush()
    record_revision(service, author=editor.email, reason="gecontroleerd")
    audit(editor.email, "checked", service)


def revisions(service: models.Service) -> list[models.Revision]:
    return revisions_of("service", service.id)


# -- freshness -----------------------------------------------------------------------------------


@dataclass
class Freshness:
    unchecked: list[models.Service]  # more than a year since laatst gecontroleerd, or never
    to_check: list[models.Service]  # te controleren
    no_contact: list[models.Service]  # no phone, website or e-mail (nor the organisation's)
    geocodes: list[models.Location]  # addresses without coordinates
    translations: dict[str, list[models.Service]]  # locale -> published services without a current one


def freshness(editor: models.Editor, today: date | None = None) -> Freshness:
    today = today or date.today()
    services = [s for s in services_in_scope(editor) if s.status != "gearchiveerd"]
    ids = {s.id for s in services}
    missing: dict[str, list[models.Service]] = {}
    for locale in SERVICE_LOCALES:
        missing[locale] = [
            s for s in services if s.published
            and localize("service", s.id, {f: getattr(s, f) or "" for f in SERVICE_FIELDS}, locale).lang != locale
        ]
    return Freshness(
        unchecked=[s for s in services if s.assured_date is None or today - s.assured_date > STALE_AFTER],
        to_check=[s for s in services if s.needs_review],
        no_contact=[s for s in services if not (s.phones or s.website or s.email or s.organization.phones
                                                or s.organization.website or s.organization.email)],
        geocodes=_locations_of(locations_for_editors(), ids),
        translations=missing,
    )


def _locations_of(locations: list[models.Location], service_ids: set[str]) -> list[models.Location]:
    """The locations (of `locations`) that belong to one of the services (one query)."""
    if not locations:
        return []
    linked = set(db.session.scalars(
        select(models.ServiceAtLocation.location_id).where(
            models.ServiceAtLocation.location_id.in_([loc.id for loc in locations]),
            models.ServiceAtLocation.service_id.in_(service_ids),
        )
    ))
    return [loc for loc in locations if loc.id in linked]


# -- "meld een fout" -----------------------------------------------------------------------------


def open_reports(editor: models.Editor) -> list[models.ErrorReport]:
    rows = db.session.scalars(
        select(models.ErrorReport).where(models.ErrorReport.handled_at.is_(None)).order_by(models.ErrorReport.id)
    )
    return [r for r in rows if can_edit(editor, r.service)]


def handle_report(report: models.ErrorReport, *, editor: models.Editor) -> None:
    report.handled_at = models.utcnow()
    report.handled_by = editor.email
    report.email = None  # only kept for a reply: gone once the report is handled (see the privacy page)
    audit(editor.email, "report-handled", report.service, report.text[:200])
    db.session.flush()


# -- four eyes -----------------------------------------------------------------------------------


class NotAllowed(Exception):
    """The editor may not do this (e.g. approve their own proposal)."""


def wants_four_eyes(service: models.Service, setting: str) -> bool:
    """Does the service's gemeente want a second editor for publishing? `setting` is
    FOUR_EYES_GEMEENTEN: comma-separated gemeente slugs, or "*" for every service."""
    wanted = {s.strip() for s in setting.split(",") if s.strip()}
    return bool(wanted) and (
        "*" in wanted or bool(wanted & {a.gemeente_slug for a in service.service_areas if a.gemeente_slug})
    )


def needs_four_eyes(service: models.Service, setting: str) -> bool:
    """Does a change to this service wait for a second editor (it is published, and its
    gemeente wants four eyes)?"""
    return service.published and wants_four_eyes(service, setting)


def may_publish(service: models.Service, editor: models.Editor, setting: str) -> bool:
    """Under four eyes, whoever saved the last version does not publish it too."""
    if not wants_four_eyes(service, setting):
        return True
    saved = [r for r in revisions(service) if r.state is None]
    return not saved or saved[0].author != editor.email


def propose(service: models.Service, values: dict[str, Any], *, editor: models.Editor, expected_version: int,
            reason: str) -> models.Revision:
    """Keep a change as a proposal; the live service stays as it is until a second editor
    approves it."""
    if service.version != expected_version:
        raise Conflict(snapshot(service))
    proposal = record_revision(service, author=editor.email, reason=reason)
    data = dict(proposal.snapshot)
    data.update(service_edits.editable(values))
    proposal.snapshot, proposal.state, proposal.base_version = data, "ter beoordeling", service.version
    audit(editor.email, "submit", service, reason)
    db.session.flush()
    return proposal


def pending(editor: models.Editor) -> list[tuple[models.Revision, models.Service]]:
    rows = db.session.scalars(select(models.Revision).where(models.Revision.state == "ter beoordeling")
                              .order_by(models.Revision.id))
    out = []
    for proposal in rows:
        service = db.session.get(models.Service, proposal.entity_id)
        if service is not None and can_edit(editor, service):
            out.append((proposal, service))
    return out


def approve(proposal: models.Revision, service: models.Service, *, editor: models.Editor,
            geocode: Geocode | None = None) -> models.Revision:
    """A second editor publishes a proposal (never its own author)."""
    if proposal.author == editor.email or editor.role == "aanbieder":
        raise NotAllowed("a proposal needs a second editor, a redacteur or beheerder")
    if "service_areas" in proposal.snapshot and not may_serve(editor, service, proposal.snapshot["service_areas"]):
        raise NotAllowed("the proposal moves the service out of this editor's gemeenten")
    if service.version != proposal.base_version:
        raise Conflict(snapshot(service))
    service_edits.apply(service, service_edits.editable(proposal.snapshot), geocode=geocode)
    service.version += 1
    service.last_modified = models.utcnow()
    proposal.state, proposal.reviewed_by = "gepubliceerd", editor.email
    db.session.flush()
    revision = record_revision(service, author=editor.email,
                               reason=f"gepubliceerd na beoordeling (voorstel {proposal.number}): {proposal.reason}")
    audit(editor.email, "publish", service, f"voorstel {proposal.number} van {proposal.author}")
    return revision


def reject(proposal: models.Revision, service: models.Service, *, editor: models.Editor) -> None:
    """A redacteur or beheerder turns a proposal down; an aanbieder can only withdraw its own."""
    if editor.role == "aanbieder" and proposal.author != editor.email:
        raise NotAllowed("an aanbieder does not judge other people's proposals")
    proposal.state, proposal.reviewed_by = "afgewezen", editor.email
    audit(editor.email, "reject", service, f"voorstel {proposal.number} van {proposal.author}")
    db.session.flush()

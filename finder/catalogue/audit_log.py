"""The audit log for editors: who did what and when, newest first, filtered and in pages.

A beheerder sees every event. Any other editor sees the events of the services it may edit
now, plus its own events that concern no service (its logins, failed logins and logouts, a
synonym it added). Scope is decided in SQL: the editor's service ids are read once and the
events are filtered with IN, so a page costs the same however long the log is.

Actions are an open list: new kinds of events show up with their code until they get a label.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.sql.elements import ColumnElement

from finder import models
from finder.catalogue import editors
from finder.extensions import db
from finder.i18n import _l

PER_PAGE = 50
ACTION_LABELS = {
    "login": _l("Ingelogd"),
    "login-failed": _l("Inloggen mislukt"),
    "logout": _l("Uitgelogd"),
    "save": _l("Aanbod opgeslagen"),
    "submit": _l("Voorstel ingediend"),
    "publish": _l("Gepubliceerd"),
    "reject": _l("Voorstel afgewezen"),
    "archive": _l("Gearchiveerd"),
    "status": _l("Status veranderd"),
    "restore": _l("Versie teruggezet"),
    "checked": _l("Gecontroleerd"),
    "report-handled": _l("Melding afgehandeld"),
    "synonym": _l("Zoekwoord toegevoegd"),
    "import": _l("Geïmporteerd"),
    "translation": _l("Vertaling veranderd"),
    "organization": _l("Organisatie veranderd"),
    "theme": _l("Thema veranderd"),
    "menukaart": _l("Menukaart veranderd"),
}


def action_label(action: str) -> str:
    """A known action in plain Dutch; an unknown one as it is."""
    return str(ACTION_LABELS.get(action, action))


@dataclass(frozen=True)
class AuditFilter:
    action: str | None = None
    actor: str | None = None  # (part of) an e-mail address, any case
    since: date | None = None  # local dates, both included
    until: date | None = None


@dataclass(frozen=True)
class Record:
    """An organisation, theme or menukaart an event concerns, as the editors' pages address it."""

    kind: str  # organisaties | themas | menukaarten
    key: str
    name: str


@dataclass(frozen=True)
class Entry:
    event: models.AuditEvent
    service: models.Service | None  # the service it concerns, if it still exists
    record: Record | None = None  # or the other record it concerns, if it still exists

    @property
    def label(self) -> str:
        return action_label(self.event.action)


@dataclass(frozen=True)
class AuditPage:
    entries: list[Entry]
    page: int
    has_previous: bool
    has_next: bool


def actions() -> list[str]:
    """Every action that can be chosen in the filter: the known ones and any in the log."""
    found = set(db.session.scalars(select(models.AuditEvent.action).distinct()))
    return sorted(found | set(ACTION_LABELS), key=lambda a: action_label(a).lower())


def events(editor: models.Editor, wanted: AuditFilter, page: int = 1, *, timezone: str = "Europe/Amsterdam",
           per_page: int = PER_PAGE) -> AuditPage:
    """One page of the events this editor may see, newest first. Dates are days in `timezone`."""
    if page < 1:
        raise ValueError("pages start at 1")
    conditions = [*_scope(editor), *_filters(wanted, ZoneInfo(timezone))]
    rows = db.session.execute(
        select(models.AuditEvent, models.Service)
        .outerjoin(models.Service, and_(models.AuditEvent.entity_type == "service",
                                        models.Service.id == models.AuditEvent.entity_id))
        .where(*conditions)
        .order_by(models.AuditEvent.at.desc(), models.AuditEvent.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)  # one more tells whether there is a next page
    ).all()
    found = _records([event for event, _ in rows[:per_page]])
    entries = [Entry(event, service, found.get((event.entity_type, event.entity_id)))
               for event, service in rows[:per_page]]
    return AuditPage(entries, page, page > 1, len(rows) > per_page)


_RECORD_KINDS = {  # entity_type -> (model, the editors' URL kind, the column in that URL)
    "organization": (models.Organization, "organisaties", "slug"),
    "theme": (models.TaxonomyTerm, "themas", "code"),
    "menukaart": (models.Menukaart, "menukaarten", "slug"),
}


def _records(events: list[models.AuditEvent]) -> dict[tuple[str, str], Record]:
    """The organisations, themes and menukaarten of one page of events (a query per kind)."""
    out: dict[tuple[str, str], Record] = {}
    for entity_type, (model, kind, key) in _RECORD_KINDS.items():
        ids = {e.entity_id for e in events if e.entity_type == entity_type and e.entity_id}
        if ids:
            for row in db.session.scalars(select(model).where(model.id.in_(ids))):
                out[(entity_type, row.id)] = Record(kind, getattr(row, key), row.name)
    return out


def _scope(editor: models.Editor) -> list[ColumnElement[bool]]:
    if editor.role == "beheerder":
        return []
    service_ids = [s.id for s in editors.services_in_scope(editor)]
    return [or_(
        and_(models.AuditEvent.entity_type == "service", models.AuditEvent.entity_id.in_(service_ids)),
        and_(models.AuditEvent.entity_id.is_(None), func.lower(models.AuditEvent.actor) == editor.email.lower()),
        # its own edits of organisations, themes and menukaarten
        and_(models.AuditEvent.entity_type != "service", func.lower(models.AuditEvent.actor) == editor.email.lower()),
    )]


def _filters(wanted: AuditFilter, zone: ZoneInfo) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if wanted.action:
        conditions.append(models.AuditEvent.action == wanted.action)
    if wanted.actor:
        conditions.append(func.lower(models.AuditEvent.actor).contains(wanted.actor.lower(), autoescape=True))
    if wanted.since:
        conditions.append(models.AuditEvent.at >= _start_of(wanted.since, zone))
    if wanted.until:
        conditions.append(models.AuditEvent.at < _start_of(wanted.until, zone, days_later=1))
    return conditions


def _start_of(day: date, zone: ZoneInfo, days_later: int = 0) -> datetime:
    """Midnight of a local day (or of a day after it), in UTC: how the times are stored."""
    day = min(max(day, date(1900, 1, 1)), date(9000, 1, 1)) + timedelta(days=days_later)  # no overflow near 1 or 9999
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)

"""Editing the translation of a record's texts by hand, one language at a time: a service
(name, summary, how to get it) or a theme (name, explanation). A `Kind` says which texts a kind
of record has; every function takes the record and finds its kind.

A translation saved here goes live at once (there is no second editor for it), so every save is
a revision (who, when, why) plus an audit event, and every earlier version can be put back. A
translation that came from elsewhere (a content file, a machine) is kept as a first revision
before the first edit, so it can be put back too.

Saving stores one Translation row per field, all with the fingerprint of the Dutch texts of
now: that is what the translator saw. Emptying every field removes the translation; the site
then shows the Dutch text. Functions flush only; the view commits once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from finder import models
from finder.catalogue import editors
from finder.catalogue import records as _records  # noqa: F401  (registers the theme for the audit log)
from finder.catalogue.translation_text import SERVICE_FIELDS, SERVICE_LOCALES, STATUSES, THEME_FIELDS, fingerprint
from finder.extensions import db
from finder.i18n import DEFAULT_LOCALE, LANGUAGES, _l

# The content languages first, then the other languages of the interface (Dutch is the source).
EDITABLE_LOCALES: tuple[str, ...] = (
    *SERVICE_LOCALES, *(code for code in LANGUAGES if code != DEFAULT_LOCALE and code not in SERVICE_LOCALES)
)
# For editors, who read Dutch: the language's Dutch name next to its own name.
DUTCH_NAMES = {
    "en": _l("Engels"), "ar": _l("Arabisch"), "uk": _l("Oekraïens"), "tr": _l("Turks"), "pl": _l("Pools"),
    "ti": _l("Tigrinya"), "fa-AF": _l("Dari"), "so": _l("Somalisch"),
}
# Author of the revision that keeps a translation as it was before its first edit here.
BASELINE_AUTHOR = "eerdere vertaling"


@dataclass(frozen=True)
class Kind:
    """A kind of record whose Dutch texts editors translate."""

    entity_type: str  # Translation.entity_type
    fields: tuple[str, ...]  # in the fingerprint's order (translated.py reads them so too)
    max_lengths: dict[str, int]

    def dutch_texts(self, record: Any) -> dict[str, str]:
        """The Dutch texts a translation is made from, in field order."""
        return {name: getattr(record, name) or "" for name in self.fields}

    def fingerprint(self, record: Any) -> str:
        return fingerprint(self.dutch_texts(record).values())

    @staticmethod
    def display_name(record: Any) -> str:
        """How editors know the record (its Dutch name)."""
        return str(record.name)


SERVICE = Kind("service", SERVICE_FIELDS, {"name": 250, "summary": 500, "how_to_get": 2000})
THEME = Kind("theme", THEME_FIELDS, {"name": 250, "description": 2000})


def kind_of(record: Any) -> Kind:
    if isinstance(record, models.TaxonomyTerm) and record.taxonomy_id == models.THEMES_TAXONOMY:
        return THEME
    if isinstance(record, models.Service):
        return SERVICE
    raise TypeError(f"no translations are edited for {record!r}")


def revision_type(locale: str) -> str:
    """Revision.entity_type of a record's translation into `locale` (entity_id: the record's id;
    services and themes have unique ids, so they do not mix)."""
    return f"translation:{locale}"


def service_by_slug(slug: str) -> models.Service | None:
    return db.session.scalar(select(models.Service).where(models.Service.slug == slug))


def dutch_texts(record: Any) -> dict[str, str]:
    """The Dutch texts a translation is made from, in field order (the fingerprint's order)."""
    return kind_of(record).dutch_texts(record)


@dataclass(frozen=True)
class TranslationState:
    """A record's translation into one language, as the site sees it now."""

    locale: str
    texts: dict[str, str]  # field -> text; "" when that field has no translation
    status: str | None  # machine | human | reviewed; None when there is no translation
    stale: bool  # made from other Dutch texts than the current ones
    updated_at: datetime | None

    @property
    def missing(self) -> bool:
        return self.status is None

    @property
    def complete(self) -> bool:
        """Every field translated: the site mixes no languages, so otherwise it shows Dutch."""
        return all(self.texts.values())


def states(record: Any) -> dict[str, TranslationState]:
    """The state of every editable language of a record (one query)."""
    kind = kind_of(record)
    rows: dict[str, list[models.Translation]] = {}
    for row in db.session.scalars(select(models.Translation).where(
        models.Translation.entity_type == kind.entity_type, models.Translation.entity_id == record.id
    )):
        rows.setdefault(row.locale, []).append(row)
    current = kind.fingerprint(record)
    return {locale: _state(kind, locale, rows.get(locale, []), current) for locale in EDITABLE_LOCALES}


def state(record: Any, locale: str) -> TranslationState:
    kind = kind_of(record)
    return _state(kind, locale, _rows(record, locale), kind.fingerprint(record))


def _state(kind: Kind, locale: str, rows: list[models.Translation], current: str) -> TranslationState:
    texts = dict.fromkeys(kind.fields, "")
    texts.update({row.field: row.text for row in rows if row.field in texts})
    if not rows:
        return TranslationState(locale, texts, None, False, None)
    return TranslationState(
        locale, texts, _weakest(row.status for row in rows), any(row.source_hash != current for row in rows),
        max((row.updated_at for row in rows), key=lambda at: at.replace(tzinfo=None)),  # SQLite drops the zone
    )


def _weakest(statuses: Any) -> str:
    """The translation is as trustworthy as its weakest field (as translated.py shows it)."""
    return min(statuses, key=lambda s: STATUSES.index(s) if s in STATUSES else -1)


def _rows(record: Any, locale: str) -> list[models.Translation]:
    return list(db.session.scalars(select(models.Translation).where(
        models.Translation.entity_type == kind_of(record).entity_type, models.Translation.entity_id == record.id,
        models.Translation.locale == locale,
    )))


# -- versions ------------------------------------------------------------------------------------


def revisions(record: Any, locale: str) -> list[models.Revision]:
    """The versions of a record's translation into `locale`, newest first."""
    return list(db.session.scalars(
        select(models.Revision)
        .where(models.Revision.entity_type == revision_type(locale), models.Revision.entity_id == record.id)
        .order_by(models.Revision.number.desc())
    ))


def latest_number(record: Any, locale: str) -> int:
    """The number of the newest version (0: none yet). The edit form carries it, so a save
    that would overwrite someone else's newer version is noticed."""
    return db.session.scalar(
        select(func.max(models.Revision.number)).where(
            models.Revision.entity_type == revision_type(locale), models.Revision.entity_id == record.id
        )
    ) or 0


def _record(record: Any, locale: str, *, author: str, reason: str, texts: dict[str, str],
            status: str | None, source_hash: str | None) -> models.Revision:
    revision = models.Revision(
        entity_type=revision_type(locale), entity_id=record.id, number=latest_number(record, locale) + 1,
        snapshot={"fields": dict(texts), "status": status, "source_hash": source_hash},
        author=author, reason=reason,
    )
    db.session.add(revision)
    db.session.flush()
    return revision


def _keep_baseline(record: Any, locale: str) -> None:
    """Before the first edit here, keep the translation as it was (from a content file or a
    machine) as version 1, so "Terugzetten" can bring it back."""
    rows = _rows(record, locale)
    if not rows or latest_number(record, locale):
        return
    found = _state(kind_of(record), locale, rows, "")
    _record(record, locale, author=BASELINE_AUTHOR, reason="vertaling van vóór de eerste bewerking",
            texts=found.texts, status=found.status, source_hash=rows[0].source_hash)


# -- saving --------------------------------------------------------------------------------------


def save(record: Any, locale: str, texts: dict[str, str], *, reviewed: bool,
         editor: models.Editor, reason: str) -> models.Revision:
    """Save a person's translation (status "reviewed" when checked, else "human") as a new
    version. All fields empty removes the translation, so the site shows the Dutch text.

    The caller validated the texts (lengths; a name unless everything is empty)."""
    if locale not in EDITABLE_LOCALES:
        raise ValueError(f"unknown locale {locale!r}")
    kind = kind_of(record)
    texts = {name: (texts.get(name) or "").strip() for name in kind.fields}
    status = ("reviewed" if reviewed else "human") if any(texts.values()) else None
    _keep_baseline(record, locale)
    return _put(record, locale, texts, status, kind.fingerprint(record), editor=editor, reason=reason)


def restore(record: Any, locale: str, revision: models.Revision, *,
            editor: models.Editor) -> models.Revision:
    """Put an earlier version back, as a new version. It keeps the fingerprint it was made
    with: if the Dutch changed since, the restored translation is (rightly) "verouderd"."""
    data = revision.snapshot
    texts = {name: (data.get("fields") or {}).get(name) or "" for name in kind_of(record).fields}
    status = data.get("status") if any(texts.values()) else None
    return _put(record, locale, texts, status, data.get("source_hash") or kind_of(record).fingerprint(record),
                editor=editor, reason=f"terugzetten naar versie {revision.number}")


def _put(record: Any, locale: str, texts: dict[str, str], status: str | None, source_hash: str, *,
         editor: models.Editor, reason: str) -> models.Revision:
    """Write the rows, and keep them as a new version with an audit event."""
    kept_hash = source_hash if status else None
    _write(record, locale, texts, status, kept_hash)
    revision = _record(record, locale, author=editor.email, reason=reason, texts=texts, status=status,
                       source_hash=kept_hash)
    editors.audit(editor.email, "translation", record, f"{locale}: {reason}")
    return revision


def _write(record: Any, locale: str, texts: dict[str, str], status: str | None,
           source_hash: str | None) -> None:
    """Upsert one row per filled-in field and delete the rows of empty fields."""
    kind = kind_of(record)
    existing = {row.field: row for row in _rows(record, locale)}
    now = models.utcnow()
    for name in kind.fields:
        row, text = existing.get(name), texts[name]
        if not text or status is None:
            if row is not None:
                db.session.delete(row)
            continue
        if row is None:
            row = models.Translation(entity_type=kind.entity_type, entity_id=record.id, field=name, locale=locale)
            db.session.add(row)
        row.text, row.status, row.source_hash, row.updated_at = text, status, source_hash, now
    db.session.flush()

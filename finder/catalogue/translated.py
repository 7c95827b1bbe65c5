"""Content in the visitor's language: a translation when there is a current one, else Dutch.

- A translation made without a human reviewer (status "machine") is shown with a label.
- A stale translation (its fingerprint no longer matches the Dutch) is not shown: the Dutch
  text is, with a notice.
- Partial translations are not mixed with Dutch: all translated fields of a record, or none.

Translations are read per language into a process cache (TRANSLATION_TTL seconds), so a page
view does no query for them.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from finder import models
from finder.catalogue.translation_text import SERVICE_FIELDS, THEME_FIELDS, fingerprint
from finder.extensions import db
from finder.i18n import DEFAULT_LOCALE, current_language

TRANSLATION_TTL = 60.0


@dataclass(frozen=True)
class Localized:
    texts: dict[str, str]
    lang: str  # the language of `texts`
    status: str | None = None  # machine | human | reviewed when translated; None for Dutch
    stale: bool = False  # a translation exists but the Dutch changed since it was made

    def __getattr__(self, name: str) -> str:
        try:
            return self.texts[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    @property
    def machine(self) -> bool:
        return self.status == "machine"


@dataclass(frozen=True)
class _Entry:
    status: str
    source_hash: str
    texts: dict[str, str]


_cache: dict[tuple[str, str], tuple[float, dict[tuple[str, str], _Entry]]] = {}
_lock = threading.Lock()


def _entries(locale: str) -> dict[tuple[str, str], _Entry]:
    key = (current_app.config["SQLALCHEMY_DATABASE_URI"], locale)
    now = time.monotonic()
    cached = _cache.get(key)
    if cached and now - cached[0] < TRANSLATION_TTL:
        return cached[1]
    entries: dict[tuple[str, str], _Entry] = {}
    for row in db.session.scalars(select(models.Translation).where(models.Translation.locale == locale)):
        entry = entries.setdefault((row.entity_type, row.entity_id), _Entry(row.status, row.source_hash, {}))
        entry.texts[row.field] = row.text
        if row.status == "machine":  # the weakest status of its fields counts
            entries[(row.entity_type, row.entity_id)] = _Entry("machine", entry.source_hash, entry.texts)
    with _lock:
        _cache[key] = (now, entries)
    return entries


def forget() -> None:
    _cache.clear()


def localize(entity_type: str, entity_id: str, dutch: dict[str, str], locale: str | None = None) -> Localized:
    locale = locale or current_language().code
    if locale == DEFAULT_LOCALE:
        return Localized(dutch, DEFAULT_LOCALE)
    entry = _entries(locale).get((entity_type, entity_id))
    # Every field with Dutch text needs its translation; a field empty in Dutch stays empty.
    if entry is None or not all(entry.texts.get(f) for f in dutch if dutch[f]):
        return Localized(dutch, DEFAULT_LOCALE)
    if entry.source_hash != fingerprint(dutch[f] for f in dutch):
        return Localized(dutch, DEFAULT_LOCALE, stale=True)
    return Localized({f: entry.texts.get(f, "") if dutch[f] else "" for f in dutch}, locale, entry.status)


def service_text(service: models.Service, locale: str | None = None) -> Localized:
    """Name, summary and how to get it, in the visitor's language where possible."""
    return localize("service", service.id, {f: getattr(service, f) or "" for f in SERVICE_FIELDS}, locale)


def theme_text(term: models.TaxonomyTerm, locale: str | None = None) -> Localized:
    return localize("theme", term.id, {f: getattr(term, f) or "" for f in THEME_FIELDS}, locale)


def index_texts(session: Session, services: list[models.Service]) -> dict[str, dict[str, list[str]]]:
    """For the search index (read fresh, not from the cache): service id → locale → the current
    translated texts of the service and of its themes. Stale translations are left out."""
    themes = {t.id: t for s in services for t in s.theme_terms}
    ids = [s.id for s in services] + list(themes)
    grouped: dict[tuple[str, str, str], _Entry] = {}
    for row in session.scalars(select(models.Translation).where(models.Translation.entity_id.in_(ids))):
        key = (row.entity_type, row.entity_id, row.locale)
        grouped.setdefault(key, _Entry(row.status, row.source_hash, {})).texts[row.field] = row.text

    def current(entity_type: str, obj: object, fields: tuple[str, ...], locale: str, use: tuple[str, ...]) -> list[str]:
        entry = grouped.get((entity_type, obj.id, locale))  # type: ignore[attr-defined]
        dutch = [getattr(obj, f) or "" for f in fields]
        if entry is None or entry.source_hash != fingerprint(dutch):
            return []
        return [entry.texts[f] for f in use if entry.texts.get(f)]

    locales = {locale for (_, _, locale) in grouped}
    out: dict[str, dict[str, list[str]]] = {}
    for service in services:
        for locale in sorted(locales):
            texts = current("service", service, SERVICE_FIELDS, locale, SERVICE_FIELDS)
            for term in service.theme_terms:  # theme names only: their explanations would match everything
                texts += current("theme", term, THEME_FIELDS, locale, ("name",))
            if texts:
                out.setdefault(service.id, {})[locale] = texts
    return out

"""Editing organisations, themes (with their Dutch synonyms) and menukaarten.

Each kind has a snapshot (what a revision keeps), an `apply` (put a snapshot back: a save and
a restore are the same thing) and a scope rule. These records have no version column; the
fingerprint of their snapshot is the version an editor's form carries, so a second save over
someone else's change is refused just as for services (optimistic locking).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from finder import models
from finder.catalogue import editors, service_edits
from finder.catalogue.revisions import SNAPSHOTS, record_revision, revisions_of
from finder.extensions import db
from finder.i18n import DEFAULT_LOCALE, LANGUAGES

OTHER_LOCALES = tuple(code for code in LANGUAGES if code != DEFAULT_LOCALE)


class Conflict(Exception):
    """The record changed since the editor opened it."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__("the record changed since it was opened")
        self.current = current


# -- snapshots -----------------------------------------------------------------------------------


def organization_snapshot(org: models.Organization) -> dict[str, Any]:
    return {
        "slug": org.slug, "name": org.name, "description": org.description, "website": org.website,
        "email": org.email, "phones": [{"number": p.number, "description": p.description, "source": p.source}
                                        for p in org.phones],
    }


def theme_snapshot(term: models.TaxonomyTerm) -> dict[str, Any]:
    other = {locale: synonyms_of(term.code, locale) for locale in OTHER_LOCALES}
    return {"code": term.code, "name": term.name, "question": term.question, "description": term.description,
            "terms": list(term.terms), "synonyms": synonyms_of(term.code),
            "other_synonyms": {locale: words for locale, words in other.items() if words}}


def menukaart_snapshot(card: models.Menukaart) -> dict[str, Any]:
    return {"slug": card.slug, "name": card.name, "age_band": card.age_band, "intro": card.intro,
            "gemeenten": list(card.gemeenten), "services": [item.service_id for item in card.items]}


SNAPSHOTS.update({
    models.Organization: ("organization", organization_snapshot),
    models.TaxonomyTerm: ("theme", theme_snapshot),
    models.Menukaart: ("menukaart", menukaart_snapshot),
})


def snapshot(record: Any) -> dict[str, Any]:
    return SNAPSHOTS[type(record)][1](record)


def version_of(record: Any) -> str:
    """The version an editor's form carries: a fingerprint of everything it can change."""
    data = json.dumps(snapshot(record), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def synonyms_of(code: str, locale: str = "nl") -> list[str]:
    """The phrases in this language that point at this theme, sorted."""
    rows = db.session.scalars(select(models.Synonym).where(models.Synonym.locale == locale))
    return sorted(row.phrase for row in rows if code in row.themes)


# -- applying ------------------------------------------------------------------------------------


def _apply_organization(org: models.Organization, data: dict[str, Any]) -> None:
    org.name, org.description = data["name"], data.get("description") or ""
    org.website, org.email = data.get("website") or None, data.get("email") or None
    service_edits.apply_phones(org, data.get("phones", []))
    org.last_modified = models.utcnow()


def _apply_theme(term: models.TaxonomyTerm, data: dict[str, Any]) -> None:
    term.name, term.question = data["name"], data.get("question") or ""
    term.description, term.terms = data.get("description") or "", list(data.get("terms", []))
    _set_synonyms(term.code, "nl", data.get("synonyms", []))
    if "other_synonyms" in data:  # (a snapshot from before other languages were editable has none)
        for locale in OTHER_LOCALES:
            _set_synonyms(term.code, locale, data["other_synonyms"].get(locale, []))


def _set_synonyms(code: str, locale: str, phrases: list[str]) -> None:
    """Make exactly these phrases (folded as search folds them) point at the theme in this language;
    a phrase keeps its other themes and terms, and goes when nothing points anywhere any more."""
    wanted = {" ".join(p.casefold().split())[:200] for p in phrases if p.strip()}
    for row in db.session.scalars(select(models.Synonym).where(models.Synonym.locale == locale)):
        if code in row.themes and row.phrase not in wanted:
            row.themes = [t for t in row.themes if t != code]
            if not row.themes and not row.terms:
                db.session.delete(row)
        elif row.phrase in wanted and code not in row.themes:
            row.themes = [*row.themes, code]
        wanted.discard(row.phrase)
    for phrase in sorted(wanted):
        db.session.add(models.Synonym(locale=locale, phrase=phrase, themes=[code], terms=[]))


def _apply_menukaart(card: models.Menukaart, data: dict[str, Any]) -> None:
    card.name, card.age_band, card.intro = data["name"], data.get("age_band") or "", data.get("intro") or ""
    card.gemeenten = list(data.get("gemeenten", []))
    card.items = [models.MenukaartItem(service_id=sid, position=i)
                  for i, sid in enumerate(dict.fromkeys(data.get("services", [])))]


_APPLY = {models.Organization: _apply_organization, models.TaxonomyTerm: _apply_theme,
          models.Menukaart: _apply_menukaart}
_ACTIONS = {models.Organization: "organization", models.TaxonomyTerm: "theme", models.Menukaart: "menukaart"}


def save(record: Any, data: dict[str, Any], *, editor: models.Editor, expected_version: str,
         reason: str) -> models.Revision:
    """Save an editor's version as a new revision, unless the record changed since it was opened."""
    if version_of(record) != expected_version:
        raise Conflict(snapshot(record))
    if not revisions(record):  # loaded from content or an import: keep the state before the first edit
        record_revision(record, author="systeem", reason="stand vóór de eerste wijziging")
        db.session.flush()
    _APPLY[type(record)](record, data)
    db.session.flush()
    revision = record_revision(record, author=editor.email, reason=reason)
    editors.audit(editor.email, _ACTIONS[type(record)], record, reason)
    return revision


def restore(record: Any, revision: models.Revision, *, editor: models.Editor) -> models.Revision:
    """Bring back an earlier revision, as a new revision."""
    _APPLY[type(record)](record, revision.snapshot)
    db.session.flush()
    new = record_revision(record, author=editor.email, reason=f"terugzetten naar versie {revision.number}")
    editors.audit(editor.email, "restore", record, f"versie {revision.number}")
    return new


def revisions(record: Any) -> list[models.Revision]:
    return revisions_of(SNAPSHOTS[type(record)][0], record.id)


# -- scope ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One kind of record as the editors' pages know it."""

    model: type
    key: str  # the column in its URL


KINDS = {
    "organisaties": Kind(models.Organization, "slug"),
    "themas": Kind(models.TaxonomyTerm, "code"),
    "menukaarten": Kind(models.Menukaart, "slug"),
}


def find(kind: str, key: str) -> Any:
    spec = KINDS[kind]
    query = select(spec.model).where(getattr(spec.model, spec.key) == key)
    if spec.model is models.TaxonomyTerm:
        query = query.where(models.TaxonomyTerm.taxonomy_id == models.THEMES_TAXONOMY)
    return db.session.scalar(query)


def listing(kind: str, editor: models.Editor) -> list[Any]:
    spec = KINDS[kind]
    query = select(spec.model)
    if spec.model is models.TaxonomyTerm:
        query = query.where(models.TaxonomyTerm.taxonomy_id == models.THEMES_TAXONOMY).order_by(
            models.TaxonomyTerm.position)
    else:
        query = query.order_by(spec.model.name)
    return [r for r in db.session.scalars(query) if can_edit(editor, r)]


def can_edit(editor: models.Editor, record: Any) -> bool:
    """Beheerders edit everything. Themes and synonyms are the region's shared words: redacteuren
    edit them too. An organisation: its own editors, or a redacteur who may edit all of its
    services. A menukaart: a redacteur of all its gemeenten, or its organisation's editors.
    Aanbieders propose changes to services only."""
    if editor.role == "beheerder":
        return True
    if editor.role != "redacteur":
        return False
    if isinstance(record, models.TaxonomyTerm):
        return True
    if isinstance(record, models.Organization):
        return record.slug in editor.organizations or (bool(record.services) and all(
            editors.can_edit(editor, s) for s in record.services))
    if isinstance(record, models.Menukaart):
        return record.organization.slug in editor.organizations or (bool(record.gemeenten) and set(
            record.gemeenten) <= set(editor.gemeenten))
    return False

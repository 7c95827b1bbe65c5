"""Snapshot fields as an editor reads them: a Dutch label and plain text, for the conflict page
and the difference between two revisions (no ids, no JSON)."""

from __future__ import annotations

from typing import Any

from finder.catalogue import queries, service_edits
from finder.i18n import _l

LABELS = {
    "name": _l("Naam"), "summary": _l("Korte beschrijving"), "description": _l("Wat is het?"),
    "how_to_get": _l("Hoe krijg ik dit?"), "kind": _l("Soort aanbod"), "audience": _l("Voor wie?"),
    "minimum_age": _l("Vanaf leeftijd"), "maximum_age": _l("Tot en met leeftijd"), "access": _l("Toegang"),
    "referred_by": _l("Wie kan verwijzen?"), "cost": _l("Kosten"), "website": _l("Website"),
    "email": _l("E-mailadres"), "phones": _l("Telefoonnummers"), "schedules": _l("Openingstijden"),
    "service_areas": _l("Werkgebied"), "themes": _l("Thema's"), "locations": _l("Adressen"),
    "status": _l("Status"), "assured_date": _l("Laatst gecontroleerd"), "needs_review": _l("Te controleren"),
    "review_note": _l("Opmerking bij controle"), "terms": _l("Zoektermen"), "synonyms": _l("Woorden van bezoekers"),
    "other_synonyms": _l("Woorden van bezoekers in andere talen"), "question": _l("De vraag van een bezoeker"),
    "languages": _l("Talen"), "cost_options": _l("Meer over de kosten"),
    "intro": _l("Inleiding"), "age_band": _l("Leeftijd"), "gemeenten": _l("Gemeenten"), "services": _l("Aanbod"),
}


def label(name: str) -> str:
    return str(LABELS.get(name, name))


def text(name: str, value: Any) -> str:
    """One line per item for lists, so a diff shows which phone number or address changed."""
    if value is None or value == "":
        return ""
    if name == "themes":
        names = {term_id: code for code, term_id in service_edits.theme_ids_by_code().items()}
        themes = queries.vocabulary().themes
        return "\n".join(themes.get(names.get(t, ""), t) for t in value)
    if name == "phones":
        return "\n".join(f"{p['number']}" + (f" ({p['description']})" if p.get("description") else "") for p in value)
    if name == "cost_options":
        return "\n".join(c["amount_description"] for c in value)
    if name == "schedules":
        return "\n".join(s["description"] for s in value)
    if name == "locations":
        return "\n".join(_address(loc) for loc in value)
    if name == "service_areas":
        gemeenten = queries.vocabulary().gemeenten
        return "\n".join(
            " ".join(x for x in (a["scope"], gemeenten.get(a.get("gemeente") or "", a.get("gemeente") or ""),
                                 a.get("wijk") or "", a.get("description") or "") if x)
            for a in value
        )
    if name == "other_synonyms":
        return "\n".join(f"{locale}: {word}" for locale, words in sorted(value.items()) for word in words)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _address(loc: dict[str, Any]) -> str:
    town = f"{loc.get('postal_code') or ''} {loc.get('city') or ''}".strip()
    return ", ".join(x for x in (loc.get("name"), loc.get("address_1"), town) if x)

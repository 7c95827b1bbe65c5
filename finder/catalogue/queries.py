"""Read-only questions about the catalogue, for the public pages."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from flask import abort, current_app, has_request_context
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from finder import models
from finder.extensions import db
from finder.i18n import DEFAULT_LOCALE, _l, current_language

VOCABULARY_TTL = 60.0

ACCESS_LABELS = {
    "vrij toegankelijk": _l("Vrij toegankelijk: je kunt zo binnenlopen of bellen"),
    "aanmelden": _l("Aanmelden nodig"),
    "verwijzing nodig": _l("Verwijzing nodig"),
}
ACCESS_SHORT = {
    "vrij toegankelijk": _l("Vrij toegankelijk"),
    "aanmelden": _l("Aanmelden"),
    "verwijzing nodig": _l("Verwijzing nodig"),
}
COST_LABELS = {
    "gratis": _l("Gratis"),
    "eigen bijdrage": _l("Eigen bijdrage"),
    "inkomensgrens": _l("Voor mensen met een laag inkomen"),
}
AUDIENCE_LABELS = {
    "ouders": _l("Ouders en opvoeders"),
    "jongeren": _l("Jongeren"),
    "kinderen": _l("Kinderen"),
    "professionals": _l("Professionals"),
}
REFERRER_LABELS = {
    "huisarts": _l("de huisarts"),
    "cjg": _l("het CJG"),
    "wijkteam": _l("het wijkteam"),
    "school": _l("school"),
    "jeugdarts": _l("de jeugdarts"),
    "gemeente": _l("de gemeente"),
    "intermediair": _l("een hulpverlener (intermediair)"),
}
LANGUAGE_NAMES = {
    "nl": "Nederlands", "en": "English", "ar": "العربية", "tr": "Türkçe", "pl": "Polski", "uk": "Українська",
    "ti": "ትግርኛ", "fa": "دری", "so": "Soomaali", "de": "Deutsch", "fr": "Français", "es": "Español",
}
STATUS_LABELS = {
    "concept": _l("Concept"),
    "ter beoordeling": _l("Ter beoordeling"),
    "gepubliceerd": _l("Gepubliceerd"),
    "gearchiveerd": _l("Gearchiveerd"),
}
REGION_NAMES = {"regio-alkmaar": "Regio Alkmaar", "ijmond": "IJmond", "zuid-kennemerland": "Zuid-Kennemerland"}
SCOPE_LABELS = {
    "landelijk": _l("Heel Nederland"),
    "online": _l("Online of telefonisch, overal"),
}


class WijkOption(NamedTuple):
    code: str
    name: str


class GemeenteOption(NamedTuple):
    slug: str
    name: str
    wijken: tuple[WijkOption, ...]


@dataclass(frozen=True)
class Vocabulary:
    kinds: dict[str, str]
    themes: dict[str, str]
    gemeenten: dict[str, str]
    wijken: dict[str, str]  # code -> gemeente slug
    wijk_names: dict[str, str]
    audiences: dict[str, object]
    access: dict[str, object]
    costs: dict[str, object]
    languages: dict[str, str]
    places: tuple[GemeenteOption, ...]  # the gemeente/wijk picker, without a query per page view


# Kind names are part of the interface (translated with it); taxonomy.yaml holds the same Dutch.
KIND_NAMES = {
    "cjg-menukaart": _l("CJG-menukaart"),
    "jongerenwerk": _l("Jongerenwerk"),
    "maatjesproject": _l("Maatjesproject"),
    "scheidingsplein": _l("Scheidingsplein"),
    "armoedevoorziening": _l("Armoedevoorziening"),
    "overig": _l("Overig aanbod"),
}

_vocab: dict[str, tuple[float, Vocabulary]] = {}
_localized: dict[tuple[str, str, float], Vocabulary] = {}


def vocabulary_stamp() -> float:
    """When the vocabulary in use was read from the database (a new value after every reread)."""
    _dutch_vocabulary()
    return _vocab[current_app.config["SQLALCHEMY_DATABASE_URI"]][0]


def vocabulary() -> Vocabulary:
    """The allowed values of every filter, with labels in the visitor's language (cached)."""
    base = _dutch_vocabulary()
    locale = current_language().code if has_request_context() else DEFAULT_LOCALE
    if locale == DEFAULT_LOCALE:
        return base
    key = (current_app.config["SQLALCHEMY_DATABASE_URI"], locale, vocabulary_stamp())
    found = _localized.get(key)
    if found is None:
        from finder.catalogue.translated import theme_text

        names = {term.code: theme_text(term, locale).name for term in themes()}
        themes_ = {code: names.get(code, name) for code, name in base.themes.items()}
        found = replace(base, kinds={c: str(KIND_NAMES.get(c, n)) for c, n in base.kinds.items()}, themes=themes_)
        if len(_localized) > 64:
            _localized.clear()
        _localized[key] = found
    return found


def gemeenten_of_regions(regions: list[str]) -> list[str]:
    """The slugs of the gemeenten in these regions, by name."""
    return list(db.session.scalars(
        select(models.Gemeente.slug).where(models.Gemeente.region.in_(regions)).order_by(models.Gemeente.name)
    ))


def _dutch_vocabulary() -> Vocabulary:
    key = current_app.config["SQLALCHEMY_DATABASE_URI"]
    now = time.monotonic()
    cached = _vocab.get(key)
    if cached and now - cached[0] < VOCABULARY_TTL:
        return cached[1]
    terms = db.session.execute(
        select(models.TaxonomyTerm.taxonomy_id, models.TaxonomyTerm.code, models.TaxonomyTerm.name).order_by(
            models.TaxonomyTerm.position
        )
    ).all()
    wijken = db.session.execute(select(models.Wijk.code, models.Wijk.gemeente_slug, models.Wijk.name)).all()
    gemeenten = dict(
        db.session.execute(select(models.Gemeente.slug, models.Gemeente.name).order_by(models.Gemeente.name)).all()
    )
    languages = db.session.scalars(select(models.Language.code).distinct()).all()
    vocab = Vocabulary(
        kinds={c: n for t, c, n in terms if t == models.KINDS_TAXONOMY},
        themes={c: n for t, c, n in terms if t == models.THEMES_TAXONOMY},
        gemeenten=gemeenten,
        wijken={code: gem for code, gem, _ in wijken},
        wijk_names={code: name for code, _, name in wijken},
        audiences=dict(AUDIENCE_LABELS),
        access=dict(ACCESS_SHORT),
        costs=dict(COST_LABELS),
        languages={code: LANGUAGE_NAMES.get(code, code) for code in sorted(languages)},
        places=tuple(
            GemeenteOption(
                slug, name,
                tuple(sorted((WijkOption(code, wname) for code, gem, wname in wijken if gem == slug),
                             key=lambda w: w.name)),
            )
            for slug, name in gemeenten.items()
        ),
    )
    _vocab[key] = (now, vocab)
    return vocab


def service_choices() -> dict[str, str]:
    """Id -> name of every service, by name, the status added when it is not published (the
    menukaart editor: an archived service already on a menukaart must stay a valid choice)."""
    rows = db.session.execute(
        select(models.Service.id, models.Service.name, models.Service.status).order_by(models.Service.name)
    ).all()
    return {sid: name if status == "gepubliceerd" else f"{name} ({STATUS_LABELS[status]})"
            for sid, name, status in rows}


def forget_cached() -> None:
    """Drop per-process caches (after a content load in the same process, and in tests)."""
    _vocab.clear()
    _localized.clear()
    from finder.catalogue import search, translated

    translated.forget()
    search._synonyms.clear()


def _published() -> Select[tuple[models.Service]]:
    return (
        select(models.Service)
        .where(models.Service.status == "gepubliceerd")
        .options(selectinload(models.Service.organization), selectinload(models.Service.attributes))
    )


def service_detail_options() -> list[Any]:
    """Everything a whole service is shown or exported with (detail page, HSDS), in a few queries."""
    return [
        selectinload(models.Service.organization).selectinload(models.Organization.phones),
        selectinload(models.Service.phones),
        selectinload(models.Service.schedules),
        selectinload(models.Service.service_areas),
        selectinload(models.Service.languages),
        selectinload(models.Service.cost_options),
        selectinload(models.Service.contacts),
        selectinload(models.Service.attributes).selectinload(models.Attribute.taxonomy_term),
        selectinload(models.Service.service_at_locations).selectinload(models.ServiceAtLocation.location)
        .selectinload(models.Location.accessibility),
    ]


def get_service(slug: str) -> models.Service:
    """The published service with this slug.

    :raise 404: when there is none (or it is not published).
    """
    stmt = (
        select(models.Service)
        .where(models.Service.slug == slug, models.Service.status == "gepubliceerd")
        .options(*service_detail_options())
    )
    service = db.session.scalar(stmt)
    if service is None:
        abort(404)
    return service


def themes() -> list[models.TaxonomyTerm]:
    return list(
        db.session.scalars(
            select(models.TaxonomyTerm)
            .where(models.TaxonomyTerm.taxonomy_id == models.THEMES_TAXONOMY)
            .order_by(models.TaxonomyTerm.position)
        )
    )


def get_theme(slug: str) -> models.TaxonomyTerm:
    """:raise 404: for an unknown theme."""
    term = db.session.scalar(
        select(models.TaxonomyTerm).where(
            models.TaxonomyTerm.taxonomy_id == models.THEMES_TAXONOMY, models.TaxonomyTerm.code == slug
        )
    )
    if term is None:
        abort(404)
    return term


def theme_counts() -> dict[str, int]:
    rows = db.session.execute(
        select(models.TaxonomyTerm.code, func.count(models.Service.id))
        .join(models.Attribute, models.Attribute.taxonomy_term_id == models.TaxonomyTerm.id)
        .join(models.Service, models.Service.id == models.Attribute.link_id)
        .where(models.Service.status == "gepubliceerd")
        .group_by(models.TaxonomyTerm.code)
    ).all()
    return dict(rows)


def related_themes(slugs: list[str]) -> list[models.TaxonomyTerm]:
    """Themes related to these (and these themselves), or the first themes when none is known."""
    all_themes = themes()
    by_slug = {t.code: t for t in all_themes}
    wanted: list[str] = []
    for slug in slugs:
        if slug in by_slug:
            wanted += [slug, *by_slug[slug].related]
    wanted = list(dict.fromkeys(w for w in wanted if w in by_slug))
    return [by_slug[w] for w in wanted][:6] or all_themes[:6]


def services_for_theme(slug: str, gemeente: str | None = None) -> list[models.Service]:
    term_id = models.stable_id("theme", slug)
    stmt = _published().where(
        models.Service.attributes.any(models.Attribute.taxonomy_term_id == term_id)
    )
    if gemeente:
        stmt = stmt.where(_serves(gemeente))
    return list(db.session.scalars(stmt.order_by(models.Service.name)))


def _serves(gemeente: str):
    return models.Service.service_areas.any(
        (models.ServiceArea.gemeente_slug == gemeente) | models.ServiceArea.scope.in_(("landelijk", "online"))
    )


def get_gemeente(slug: str) -> models.Gemeente:
    """:raise 404: for an unknown gemeente."""
    gemeente = db.session.get(models.Gemeente, slug)
    if gemeente is None:
        abort(404)
    return gemeente


def services_by_kind_for_gemeente(slug: str) -> tuple[dict[str, list[models.Service]], list[models.Service]]:
    """Local and regional services of a gemeente grouped by kind, and the national ones apart."""
    local: dict[str, list[models.Service]] = defaultdict(list)
    national: list[models.Service] = []
    stmt = _published().options(selectinload(models.Service.service_areas)).where(_serves(slug))
    for service in db.session.scalars(stmt.order_by(models.Service.name)):
        if any(a.scope in ("landelijk", "online") for a in service.service_areas):
            national.append(service)
        else:
            local[service.kind].append(service)
    return dict(local), national


def cjg_for(gemeente: str) -> list[models.Service]:
    """The CJG of a gemeente: its CJG organisation's general services that serve the gemeente."""
    stmt = (
        _published()
        .join(models.Organization)
        .where(models.Organization.slug.like("cjg-%"), _serves(gemeente))
        .order_by(models.Service.name)
    )
    return list(db.session.scalars(stmt))[:3]


def menukaarten() -> list[models.Menukaart]:
    return list(db.session.scalars(select(models.Menukaart).order_by(models.Menukaart.name)))


def get_menukaart(slug: str) -> models.Menukaart:
    """:raise 404: for an unknown menukaart."""
    stmt = (
        select(models.Menukaart)
        .where(models.Menukaart.slug == slug)
        .options(selectinload(models.Menukaart.items).selectinload(models.MenukaartItem.service))
    )
    row = db.session.scalar(stmt)
    if row is None:
        abort(404)
    return row


def get_organization(slug: str) -> tuple[models.Organization, list[models.Service]]:
    """:raise 404: for an unknown organisation."""
    org = db.session.scalar(
        select(models.Organization)
        .where(models.Organization.slug == slug)
        .options(selectinload(models.Organization.phones))
    )
    if org is None:
        abort(404)
    services = db.session.scalars(
        _published().where(models.Service.organization_id == org.id).order_by(models.Service.name)
    )
    return org, list(services)


def counts() -> dict[str, int]:
    return {
        "services": db.session.scalar(
            select(func.count()).select_from(models.Service).where(models.Service.status == "gepubliceerd")
        ) or 0,
        "organizations": db.session.scalar(select(func.count()).select_from(models.Organization)) or 0,
    }


def catalogue_stats() -> dict[str, object]:
    """Counts of the published catalogue: per kind, per gemeente (regional and national offers
    count for every gemeente they serve), organisations, themes, synonyms, to check."""
    services = list(
        db.session.scalars(
            select(models.Service)
            .where(models.Service.status == "gepubliceerd")
            .options(selectinload(models.Service.service_areas))
        )
    )
    all_gemeenten = [g.slug for g in db.session.scalars(select(models.Gemeente).order_by(models.Gemeente.name))]
    per_kind: dict[str, int] = defaultdict(int)
    per_gemeente: dict[str, int] = dict.fromkeys(all_gemeenten, 0)
    for service in services:
        per_kind[service.kind] += 1
        served: set[str] = set()
        for area in service.service_areas:
            if area.scope in ("landelijk", "online"):
                served.update(all_gemeenten)
            elif area.gemeente_slug:
                served.add(area.gemeente_slug)
        for g in served:
            per_gemeente[g] += 1
    return {
        "services": len(services),
        "organizations": len({s.organization_id for s in services}),
        "to_check": sum(1 for s in services if s.needs_review),
        "per_kind": dict(sorted(per_kind.items())),
        "per_gemeente": per_gemeente,
        "themes": len(themes()),
        "synonyms": db.session.scalar(select(func.count()).select_from(models.Synonym)) or 0,
        "menukaarten": len(menukaarten()),
    }

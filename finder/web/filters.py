"""Template filters and globals: labels, dates, links."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode, urlsplit

from flask import Flask, request
from flask_babel import format_date
from markupsafe import Markup

from finder.catalogue import queries, shortlist, translated
from finder.i18n import LANGUAGES, current_language
from finder.web import richtext


def tel_href(number: str) -> str:
    """A tel: link for a Dutch number as written ("088 - 123 45 67" → tel:0881234567)."""
    digits = re.sub(r"[^\d+]", "", number)
    return f"tel:{digits}"


def domain(url: str | None) -> str:
    if not url:
        return ""
    host = urlsplit(url).netloc or url
    return host.removeprefix("www.")


def age_range(service: Any) -> str:
    from finder.i18n import _

    lo, hi = service.minimum_age, service.maximum_age
    if lo is not None and lo < 0:
        lo = None
    if lo is not None and hi is not None:
        return _("%(min)d tot en met %(max)d jaar", min=lo, max=hi)
    if lo is not None:
        return _("vanaf %(min)d jaar", min=lo)
    if hi is not None:
        return _("tot en met %(max)d jaar", max=hi)
    return ""


def kind_label(kind: str) -> str:
    return queries.vocabulary().kinds.get(kind, kind)


def area_label(service: Any) -> str:
    """Where a service is offered, in words: national, a region, gemeenten or wijken."""
    from finder.i18n import _

    vocab = queries.vocabulary()
    areas = service.service_areas
    scopes = {a.scope for a in areas}
    if "landelijk" in scopes:
        return str(queries.SCOPE_LABELS["landelijk"])
    if "online" in scopes:
        return str(queries.SCOPE_LABELS["online"])
    if "wijk" in scopes:
        return ", ".join(vocab.wijk_names.get(a.wijk_code, "") for a in areas if a.wijk_code)
    names = [vocab.gemeenten.get(a.gemeente_slug, "") for a in areas if a.gemeente_slug]
    regions = {a.region for a in areas if a.region}
    if "regio" in scopes and len(names) > 3 and regions:
        labels = {"regio-alkmaar": "regio Alkmaar", "ijmond": "IJmond", "zuid-kennemerland": "Zuid-Kennemerland"}
        return _("Regio: %(r)s", r=", ".join(labels.get(r, r) for x in sorted(regions) for r in x.split(",")))
    return ", ".join(names)


def page_url(**changes: Any) -> str:
    """The current URL with some query parameters changed (None removes one)."""
    args = request.args.to_dict()
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value
    # The current path plus a query string: a search page builds ~60 of these (facets, pages),
    # and url_for's route matching made up a fifth of its render time.
    query = urlencode(args)
    return f"{request.script_root}{request.path}?{query}" if query else f"{request.script_root}{request.path}"


def shortlist_slugs() -> list[str]:
    """The slugs on the visitor's shortlist (read once per request; kept on the request, not on
    `g`, which an app context may share between requests)."""
    found = getattr(request, "_shortlist", None)
    if found is None:
        found = shortlist.read(request.cookies.get(shortlist.COOKIE))
        request._shortlist = found  # type: ignore[attr-defined]
    return found


def lang_attrs(text: translated.Localized) -> Markup:
    """` lang="nl" dir="ltr"` on an element whose text is not in the page's language (a Dutch
    fallback on an Arabic page), so screen readers and the text direction get it right."""
    if text.lang == current_language().code:
        return Markup("")
    direction = LANGUAGES[text.lang].dir if text.lang in LANGUAGES else "ltr"
    return Markup(' lang="{}" dir="{}"').format(text.lang, direction)


def labels(values: Any, mapping: dict[str, Any]) -> str:
    """Comma-separated labels of codes ("ouders, jongeren" → "Ouders en opvoeders, Jongeren")."""
    return ", ".join(str(mapping.get(v, v)) for v in values)


def init_app(app: Flask) -> None:
    app.jinja_env.filters["labels"] = labels
    app.jinja_env.filters["markdown"] = richtext.render
    app.jinja_env.filters["tel"] = tel_href
    app.jinja_env.filters["domain"] = domain
    app.jinja_env.filters["ages"] = age_range
    app.jinja_env.filters["date"] = lambda d: format_date(d, "long") if d else ""
    from finder.catalogue.search import RADIUS_KM

    app.jinja_env.globals.update(
        tr=translated.service_text,
        theme_text=translated.theme_text,
        lang_attrs=lang_attrs,
        page_lang=lambda: current_language().code,  # for macros, which do not see the page context
        shortlist_slugs=shortlist_slugs,
        current_path=lambda: request.full_path.rstrip("?"),
        RADIUS_KM=RADIUS_KM,
        page_url=page_url,
        kind_label=kind_label,
        area_label=area_label,
        ACCESS_LABELS=queries.ACCESS_LABELS,
        ACCESS_SHORT=queries.ACCESS_SHORT,
        COST_LABELS=queries.COST_LABELS,
        AUDIENCE_LABELS=queries.AUDIENCE_LABELS,
        REFERRER_LABELS=queries.REFERRER_LABELS,
        LANGUAGE_NAMES=queries.LANGUAGE_NAMES,
        SCOPE_LABELS=queries.SCOPE_LABELS,
    )

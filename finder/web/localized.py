"""Language in the URL: every public page answers at `/path` (Dutch) and `/<lang>/path`.

- `route(bp, rule)` adds both rules for one view; `url_for` builds the prefixed one while the
  request is in another language (the `lang` value is added as a URL default).
- `/nl/path` sets the language cookie to Dutch and goes to `/path`.
- An unprefixed page sends a visitor on to their language: the one in the language cookie, or on
  a first visit (no cookie) the best match of the browser's Accept-Language.
- A prefixed page remembers its language in the functional cookie.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Flask, current_app, g, redirect, request, url_for
from flask_babel import refresh
from werkzeug.routing import BaseConverter

from finder.i18n import DEFAULT_LOCALE, LANGUAGE_COOKIE, LANGUAGES, URL_PATTERN, preferred_language

COOKIE_MAX_AGE = 365 * 24 * 3600


class LangConverter(BaseConverter):
    regex = URL_PATTERN


def route(bp: Blueprint, rule: str, **options: Any):
    """`@route(bp, "/zoeken")`: the view at /zoeken and at /<lang>/zoeken (GET)."""
    options.setdefault("methods", ["GET"])

    def decorator(view):
        endpoint = options.pop("endpoint", view.__name__)
        bp.add_url_rule("/<lang:lang>" + (rule if rule != "/" else "/"), endpoint, view, **options)
        bp.add_url_rule(rule, endpoint, view, **options)
        return view

    return decorator


def _unprefixed(path: str) -> str:
    return path.split("/", 2)[2] if path.count("/") >= 2 else ""


def init_blueprint(bp: Blueprint) -> None:
    @bp.url_value_preprocessor
    def take_language(endpoint: str | None, values: dict[str, Any] | None) -> None:
        lang = values.pop("lang", None) if values else None
        g.lang_in_url = lang is not None
        g.lang = lang or DEFAULT_LOCALE

    @bp.url_defaults
    def add_language(endpoint: str, values: dict[str, Any]) -> None:
        lang = g.get("lang", DEFAULT_LOCALE)
        if "lang" not in values and lang != DEFAULT_LOCALE and current_app.url_map.is_endpoint_expecting(
            endpoint, "lang"
        ):
            values["lang"] = lang

    @bp.before_request
    def choose_language():
        if request.method != "GET" or request.endpoint == "public.healthz":
            return None
        query = ("?" + urlencode(list(request.args.items(multi=True)))) if request.args else ""
        if g.lang_in_url and g.lang == DEFAULT_LOCALE:  # /nl/...: Dutch, remembered
            response = redirect(f"{request.script_root}/{_unprefixed(request.path)}{query}")
            _remember(response, DEFAULT_LOCALE)
            return response
        if not g.lang_in_url:
            chosen = request.cookies.get(LANGUAGE_COOKIE)
            if chosen is None:
                chosen = preferred_language(request.accept_languages)
            if chosen in LANGUAGES and chosen != DEFAULT_LOCALE:
                return redirect(f"{request.script_root}/{chosen}{request.path}{query}")
        return None

    @bp.after_request
    def remember_language(response):
        if request.endpoint == "public.healthz":
            return response
        if g.get("lang_in_url"):
            if request.cookies.get(LANGUAGE_COOKIE) != g.lang:
                _remember(response, g.lang)
        else:
            response.vary.add("Cookie")
            response.vary.add("Accept-Language")
        return response


def _remember(response, code: str) -> None:
    response.set_cookie(
        LANGUAGE_COOKIE, code, max_age=COOKIE_MAX_AGE, samesite="Lax", httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )


def language_url(code: str, *, for_switcher: bool = True, external: bool = False) -> str:
    """This page in another language. For the switcher, Dutch goes through /nl/ (which sets the
    cookie); for hreflang, Dutch is the unprefixed URL."""
    endpoint = request.endpoint
    if endpoint is None or not current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        endpoint, view_args = "public.home", {}
    else:
        view_args = dict(request.view_args or {})
    args = request.args.to_dict()
    if code == DEFAULT_LOCALE and not for_switcher:
        code = None  # type: ignore[assignment]  # no prefix: werkzeug then builds the unprefixed rule
    return url_for(endpoint, **view_args, **args, lang=code, _external=external)


def init_app(app: Flask) -> None:
    app.url_map.converters["lang"] = LangConverter

    @app.url_value_preprocessor
    def forget_language(endpoint: str | None, values: dict[str, Any] | None) -> None:
        # The public pages set g.lang from their URL; other requests (API, redactie) must not
        # inherit one from an app context that outlived a previous request (tests, some servers),
        # nor Flask-Babel's locale and catalogue, which it keeps on that context.
        refresh()
        if not (endpoint or "").startswith("public."):
            g.pop("lang", None)
            g.pop("lang_in_url", None)

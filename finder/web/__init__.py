"""Blueprints, error pages, security headers and template helpers."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, abort, render_template, request, send_from_directory
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from werkzeug.exceptions import HTTPException

from finder.catalogue.indexing import IndexKeeper
from finder.i18n import LANGUAGES, current_language, ui_translation_status
from finder.web import filters, localized
from finder.web.public.views import bp as public_bp
from finder.web.redactie import views as redactie

# Only used when rendering the normal error page fails too (so it cannot go through Babel).
LAST_RESORT = (
    '<!doctype html><html lang="nl"><title>Er ging iets mis</title><h1>Er ging iets mis</h1>'
    '<p>Probeer het over een paar minuten opnieuw. Is er direct gevaar? Bel 112.</p></html>'
)

# URL name → folder in node_modules
VENDOR_PACKAGES = {
    "leaflet": "leaflet/dist",
    "noto-sans-arabic": "@fontsource/noto-sans-arabic",
    "noto-sans-ethiopic": "@fontsource/noto-sans-ethiopic",
}


def content_security_policy(tile_url: str) -> str:
    """Only our own files, plus images from the map tile host."""
    parts = urlsplit(tile_url)
    tiles = f" {parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""
    return (
        f"default-src 'self'; img-src 'self' data:{tiles}; style-src 'self'; script-src 'self'; "
        "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )


def init_app(app: Flask) -> None:
    localized.init_app(app)
    app.register_blueprint(public_bp)
    redactie.init_app(app)
    filters.init_app(app)
    keeper = IndexKeeper(app)
    app.extensions["finder.keeper"] = keeper
    csp = content_security_policy(app.config["MAP_TILE_URL"])
    vendor = Path(app.config["VENDOR_DIR"])

    @app.get("/vendor/<package>/<path:filename>")
    def vendor_file(package: str, filename: str):
        """Front-end packages from node_modules (installed by `make`, never committed, never from
        a CDN): only the folders listed in VENDOR_PACKAGES."""
        folder = VENDOR_PACKAGES.get(package)
        if folder is None:
            abort(404)
        return send_from_directory(vendor / folder, filename, max_age=86400)

    @app.before_request
    def keep_index() -> None:
        if request.endpoint in (None, "static"):
            return
        if not getattr(app, "_finder_index_checked", False):
            app._finder_index_checked = True  # type: ignore[attr-defined]
            if app.config["SEARCH_REBUILD_ON_START"]:
                keeper.ensure()
        keeper.maybe_catch_up()

    @app.context_processor
    def page_globals() -> dict[str, object]:
        language = current_language()
        return {
            "lang": language.code, "language": language, "text_dir": language.dir, "LANGUAGES": LANGUAGES,
            "language_url": localized.language_url, "ui_translation": ui_translation_status(language),
            # on a page in another language, marks text that only exists in Dutch (content facts)
            "dutch": Markup("") if language.code == "nl" else Markup(' lang="nl" dir="ltr"'),
            "index_rebuilding": keeper.rebuilding.is_set(),
        }

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(), microphone=()")
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = exc.code or 500
        template = "errors/404.html" if code == 404 else "errors/error.html"
        return render_template(template, code=code, csrf=isinstance(exc, CSRFError)), code

    @app.errorhandler(Exception)
    def server_error(exc: Exception):
        app.logger.exception("unhandled error")
        try:
            from finder.extensions import db

            db.session.rollback()
        except Exception:  # noqa: S110 - the error page must render regardless
            pass
        try:
            return render_template("errors/500.html"), 500
        except Exception:
            app.logger.exception("error page failed")
            return LAST_RESORT, 500, {"Content-Type": "text/html; charset=utf-8"}

"""Wegwijzer Jeugd & Gezin: a finder of social-basis help (create_app only)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    from finder.config import Defaults

    app.config.from_object(Defaults)
    if config:
        app.config.update(config)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgres://"):  # Heroku-style URLs
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["SQLALCHEMY_DATABASE_URI"].replace(
            "postgres://", "postgresql+psycopg://", 1
        )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    logging.basicConfig(level=logging.INFO)

    from finder import search
    from finder.extensions import babel, csrf, db, migrate
    from finder.i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    from finder.catalogue.indexing import documents_for_ids

    search.init_app(app, documents_for=documents_for_ids)

    from finder import api, cli
    from finder.web import init_app as init_web

    cli.init_app(app)
    init_web(app)
    api.init_app(app)  # the HSDS 3.0 open-data API under /api/
    return app

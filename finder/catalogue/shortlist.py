"""The shortlist ("mijn lijst"): services a professional or parent keeps, without an account.

It lives in a signed cookie (slugs only: no database row, no personal data) and travels in a
share link as plain slugs, so it works on any app node and survives restarts.
"""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select

from finder import models
from finder.extensions import db

COOKIE = "lijst"
MAX_ITEMS = 30
COOKIE_MAX_AGE = 180 * 24 * 3600  # half a year: a list for a client's next visits


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="wegwijzer-lijst")


def read(cookie: str | None) -> list[str]:
    """The slugs in the cookie; a missing, old or tampered cookie is an empty list."""
    if not cookie:
        return []
    try:
        value = _serializer().loads(cookie)
    except BadSignature:
        return []
    if not isinstance(value, list):
        return []
    return [s for s in value if isinstance(s, str)][:MAX_ITEMS]


def write(slugs: list[str]) -> str:
    return _serializer().dumps(list(dict.fromkeys(slugs))[:MAX_ITEMS])


def parse_shared(raw: str | None) -> list[str]:
    """Slugs from a share link (`?ids=a,b,c`), de-duplicated, at most MAX_ITEMS."""
    slugs = [s.strip() for s in (raw or "").split(",") if s.strip()]
    return list(dict.fromkeys(slugs))[:MAX_ITEMS]


def services(slugs: list[str]) -> list[models.Service]:
    """The published services among `slugs`, in list order (unknown or archived ones left out)."""
    if not slugs:
        return []
    rows = db.session.scalars(select(models.Service).where(models.Service.slug.in_(slugs)))
    found = {s.slug: s for s in rows if s.published}
    return [found[s] for s in slugs if s in found]

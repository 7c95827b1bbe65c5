"""Configuration: every key with its default and why. Environment variables override."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    # SQLite in the project folder by default; any SQLAlchemy URL (PostgreSQL in production).
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{ROOT / 'instance' / 'finder.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}  # noqa: RUF012 - Flask reads config once
    # Signs the session and CSRF tokens. The default is for local use only; set it in production.
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-change-me")
    # Folder of the Whoosh index; ":memory:" keeps it in RAM (tests).
    SEARCH_INDEX_DIR = os.environ.get("SEARCH_INDEX_DIR", str(ROOT / "search_index"))
    # Index writes follow commits. Bulk loads switch this off and rebuild once at the end.
    SEARCH_SYNC_ENABLED = True
    # Rebuild a missing or broken index in a background thread at start-up.
    SEARCH_REBUILD_ON_START = True
    SEARCH_PAGE_SIZE = 10
    # Rendered search pages kept per process (0 switches this off) and their longest life in
    # seconds; a kept page is only used while the index and vocabulary are unchanged.
    SEARCH_PAGE_CACHE_SIZE = int(os.environ.get("SEARCH_PAGE_CACHE_SIZE", "200"))
    SEARCH_PAGE_CACHE_SECONDS = 300
    # Map tiles (the map is an enhancement: every page works without it). Default: PDOK
    # BRT-Achtergrondkaart; the tile host is added to the content security policy.
    MAP_TILE_URL = os.environ.get(
        "MAP_TILE_URL", "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
    )
    MAP_ATTRIBUTION = os.environ.get("MAP_ATTRIBUTION", "Kaartgegevens © Kadaster")
    VENDOR_DIR = os.environ.get("VENDOR_DIR", str(ROOT / "node_modules"))
    CONTENT_DIR = os.environ.get("CONTENT_DIR", str(ROOT / "content"))
    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    # Absolute, because a relative path would resolve under finder/ (Flask-Babel).
    BABEL_TRANSLATION_DIRECTORIES = str(ROOT / "translations")
    # Only functional cookies; the session cookie is not readable by scripts.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    # Editors' sessions end after a working day; the login form is rate-limited per address.
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    LOGIN_RATE_LIMIT = "5 per minute;20 per hour"
    REPORT_RATE_LIMIT = "5 per hour"  # "meld een fout" per address
    # Gemeenten that want four eyes: a change to a published service of theirs goes live only
    # after a second editor approves it. Comma-separated slugs, or "*" for every service.
    FOUR_EYES_GEMEENTEN = os.environ.get("FOUR_EYES_GEMEENTEN", "")
    # Geocoding of an address an editor saves: a callable (street, postcode, city) -> GeocodeResult;
    # None is PDOK Locatieserver with Nominatim as fallback (finder/geo/geocoding.py). Tests set a fake.
    GEOCODER = None
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Longest query text we search for; longer input is cut, never an error.
    MAX_QUERY_LENGTH = 200

"""Shared fixtures: apps on a migrated SQLite database with a search index in tmp folders."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade

from finder import create_app
from finder.catalogue import queries
from finder.catalogue.content import load_content
from finder.catalogue.indexing import rebuild_index
from finder.extensions import db
from finder.geo.geocoding import FOUND, NOT_FOUND, GeocodeResult

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = Path(__file__).parent / "fixtures" / "content"
GEO_SERVICES = Path(__file__).parent / "fixtures" / "geo_services.yaml"
TEST_TILE_URL = "http://tiles.test/{z}/{x}/{y}.png"  # never fetched: browser tests answer with a stub
# The fake geocoder of every test app: one made-up address (a point in IJmuiden), all else not found.
FAKE_ADDRESS = ("Teststraat 1", "1971 AA", "IJmuiden")


def fake_geocoder(street: str, postal_code: str, city: str) -> GeocodeResult:
    if (street, postal_code, city) == FAKE_ADDRESS:
        return GeocodeResult(FOUND, 52.4586, 4.6180, source="nep-geocoder (test)", label="Teststraat 1, IJmuiden")
    return GeocodeResult(NOT_FOUND, source="nep-geocoder (test)")


def make_app(tmp: Path, **extra: object) -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'test.sqlite3'}",
        "SEARCH_INDEX_DIR": str(tmp / "index"),
        "SEARCH_REBUILD_ON_START": False,
        "WTF_CSRF_ENABLED": False,
        "MAP_TILE_URL": TEST_TILE_URL,
        "GEOCODER": fake_geocoder,
    }
    config.update(extra)
    return create_app(config)


def fixture_content(tmp: Path) -> Path:
    """The small test catalogue, with the real taxonomy and wijken."""
    target = tmp / "content"
    shutil.copytree(FIXTURE_CONTENT, target)
    shutil.copy(ROOT / "content" / "taxonomy.yaml", target / "taxonomy.yaml")
    shutil.copytree(ROOT / "content" / "geo", target / "geo")
    return target


def loaded_app(tmp: Path, content: Path, **extra: object) -> Flask:
    app = make_app(tmp, **extra)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        app.config["SEARCH_SYNC_ENABLED"] = False
        load_content(content)
        db.session.commit()
        app.config["SEARCH_SYNC_ENABLED"] = True
        queries.forget_cached()
        rebuild_index()
        db.session.remove()
    return app


def in_context(app: Flask) -> Iterator[Flask]:
    with app.app_context():
        queries.forget_cached()
        yield app
        db.session.remove()


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Flask]:
    """A fresh app with the small test catalogue (function scope: tests may write)."""
    yield from in_context(loaded_app(tmp_path, fixture_content(tmp_path)))


@pytest.fixture
def client(app: Flask):
    return app.test_client()


@pytest.fixture(scope="session")
def catalogue_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app with the real catalogue of content/, shared by read-only tests."""
    tmp = tmp_path_factory.mktemp("catalogue")
    app = loaded_app(tmp, ROOT / "content")
    yield app


@pytest.fixture
def catalogue(catalogue_app: Flask) -> Iterator[Flask]:
    yield from in_context(catalogue_app)


@pytest.fixture
def real_client(catalogue: Flask):
    return catalogue.test_client()


@pytest.fixture
def geo_client(geo_app: Flask):
    """A client of the shared geo app, with fresh per-process caches."""
    with geo_app.app_context():
        queries.forget_cached()
        yield geo_app.test_client()
        db.session.remove()


@pytest.fixture(scope="session")
def geo_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The test catalogue plus located test offers in Velsen (tests/fixtures/geo_services.yaml)."""
    tmp = tmp_path_factory.mktemp("geo")
    content = fixture_content(tmp)
    shutil.copy(GEO_SERVICES, content / "services" / "geo.yaml")
    return loaded_app(tmp, content)


@pytest.fixture(scope="module")
def editor_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    """The test catalogue with a beheerder account (beheer@example.org / EDITOR_PASSWORD), for
    tests that edit (their own database and index)."""
    from finder.catalogue import editors

    tmp = tmp_path_factory.mktemp("editors")
    app = loaded_app(tmp, fixture_content(tmp))
    with app.app_context():
        editors.create_editor("beheer@example.org", "Beheerder", "beheerder", EDITOR_PASSWORD)
        db.session.commit()
    return app


EDITOR_PASSWORD = "correct horse battery"


@pytest.fixture
def make_test_app(tmp_path: Path):
    """Build an app with the test catalogue and extra config (e.g. CSRF switched on). Test modules
    use this instead of importing conftest, whose name is ambiguous across test folders."""

    def make(**extra: object) -> Flask:
        return loaded_app(tmp_path, fixture_content(tmp_path), **extra)

    return make


@pytest.fixture(scope="session")
def app_loader():
    """`loaded_app(tmp, content, **config)` for test modules (see make_test_app)."""
    return loaded_app

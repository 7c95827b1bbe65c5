"""Every public page type renders what a visitor needs."""

import re


def test_home_has_tiles_place_picker_and_search_box(client):
    html = client.get("/").get_data(as_text=True)
    assert 'id="home-q"' in html and 'name="q"' in html
    assert html.count('class="tile"') == 21
    assert '<optgroup label="Alkmaar">' in html and "Overdie (Alkmaar)" in html
    assert '<html lang="nl" dir="ltr">' in html


def test_service_detail_shows_the_facts_with_source(client):
    html = client.get("/aanbod/test-hulplijn").get_data(as_text=True)
    assert "<h1>Test Hulplijn voor armoede</h1>" in html
    assert "Hoe krijg ik dit?" in html
    assert "inkomen tot 120% van het minimum" in html
    assert "Heel Nederland" in html
    assert "Laatst gecontroleerd op 25 november 2026." in html
    assert 'href="https://example.org/lijn"' in html


def test_unchecked_service_says_so(client):
    html = client.get("/aanbod/test-jongerenwerk-haarlem").get_data(as_text=True)
    assert "Deze informatie is nog niet gecontroleerd" in html
    assert "Nog niet gecontroleerd door een redacteur." in html
    assert "12 tot en met 23 jaar" in html


def test_theme_page_lists_services_and_filters_by_gemeente(client):
    html = client.get("/thema/eenzaamheid").get_data(as_text=True)
    assert "Jongerenwerk Haarlem Test" in html and "Wijkmaatje Overdie" in html
    html = client.get("/thema/eenzaamheid?gemeente=haarlem").get_data(as_text=True)
    assert "Jongerenwerk Haarlem Test" in html and "Wijkmaatje Overdie" not in html


def test_gemeente_page_groups_local_and_national(client):
    html = client.get("/gemeente/velsen").get_data(as_text=True)
    assert "Spreekuur scheiding Velsen" in html
    assert "Voor iedereen in Nederland" in html and "Test Hulplijn voor armoede" in html
    assert "Jongerenwerk Haarlem Test" not in html
    assert "Test menukaart Velsen" in html


def test_menukaart_is_ordered_and_printable(client):
    html = client.get("/menukaart/test-menukaart").get_data(as_text=True)
    assert '<ol class="menu-items">' in html
    assert "Spreekuur scheiding Velsen" in html
    response = client.get("/static/css/site.css")
    css = response.get_data(as_text=True)
    response.close()
    assert "@media print" in css and "size: A4" in css


def test_info_pages(client):
    assert "Cookies" in client.get("/privacy").get_data(as_text=True)
    assert "WCAG 2.2" in client.get("/toegankelijkheid").get_data(as_text=True)


def test_place_picker_without_javascript_redirects(client):
    assert client.get("/wijk?wijk=WK036103").headers["Location"].endswith("/wijk/WK036103")
    assert client.get("/wijk?gemeente=velsen").headers["Location"].endswith("/gemeente/velsen")
    assert client.get("/wijk?wijk=WK999999").status_code == 404
    listing = client.get("/wijk").get_data(as_text=True)  # no choice: every wijk and kern
    assert 'href="/wijk/WK036103"' in listing and 'href="/plaats/ijmuiden"' in listing


def test_default_tiles_are_pdok_and_allowed_by_the_policy():
    from finder.config import Defaults
    from finder.web import content_security_policy

    assert Defaults.MAP_TILE_URL.startswith("https://service.pdok.nl/brt/achtergrondkaart/")
    assert "img-src 'self' data: https://service.pdok.nl;" in content_security_policy(Defaults.MAP_TILE_URL)
    assert "img-src 'self' data:;" in content_security_policy("/local/{z}/{x}/{y}.png")


def test_security_headers(client):
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert "img-src 'self' data: http://tiles.test;" in response.headers["Content-Security-Policy"]  # the tile host
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"database": True, "index": True}


def test_css_uses_logical_properties_only():
    from pathlib import Path

    css = (Path(__file__).parents[2] / "finder" / "static" / "css" / "site.css").read_text()
    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right|top|bottom)\b|\b(?:left|right):|text-align:\s*(?:left|right)", css
    )
    assert physical == []


def test_searches_are_counted_without_personal_data(client, app):
    from sqlalchemy import select

    from finder import models
    from finder.catalogue import insight
    from finder.extensions import db

    client.get("/zoeken?q=Helikopterles")
    client.get("/zoeken?q=spreekuur")
    insight.write_counts()
    db.session.commit()
    rows = {r.text: (r.searches, r.zero_results) for r in db.session.scalars(select(models.SearchStat))}
    assert rows["helikopterles"] == (1, 1)
    assert rows["spreekuur"] == (1, 0)
    assert set(models.SearchStat.__table__.columns.keys()) == {"id", "day", "text", "searches", "zero_results"}


def test_unexpected_error_gives_the_500_page(client, monkeypatch):
    from finder.catalogue import queries

    def boom():
        raise RuntimeError("database on fire")

    monkeypatch.setattr(queries, "themes", boom)
    response = client.get("/")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Er ging iets mis" in html and "database on fire" not in html

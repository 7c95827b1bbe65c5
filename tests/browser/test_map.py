"""The map as an enhancement: Leaflet from node_modules, tiles from a local stub (never the
network), markers reachable by keyboard, list and map in sync, zero axe violations."""

from __future__ import annotations

import pytest
from test_public import assert_accessible


@pytest.fixture
def map_page(open_context, geo_server):
    page = open_context(geo_server).new_page()
    page.seen = page.context.seen
    return page


def test_map_shows_the_addresses_of_the_list(map_page):
    page = map_page
    page.goto("/zoeken?q=inloop&plaats=ijmuiden")
    page.wait_for_selector(".leaflet-marker-icon")
    assert page.locator("[data-map]").is_visible()
    assert page.locator(".leaflet-marker-icon").count() == 3 == page.locator("[data-map-point]").count()
    assert "Kadaster" in page.locator(".leaflet-control-attribution").inner_text()
    page.wait_for_function("document.querySelectorAll('.leaflet-tile-loaded').length > 0")
    assert page.seen["tiles"] > 0 and page.seen["elsewhere"] == 0
    assert_accessible(page)


def test_markers_by_keyboard_and_list_in_sync(map_page):
    page = map_page
    page.goto("/zoeken?q=inloop&plaats=ijmuiden")
    page.wait_for_selector(".leaflet-marker-icon")
    # From the list: "Toon op de kaart" opens that address on the map.
    page.get_by_role("button", name="Toon op de kaart").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    first_address = page.locator("[data-map-point] .map-address").first.inner_text()
    assert first_address in popup.inner_text()
    assert "is-active" in (page.locator("[data-map-point]").first.get_attribute("class") or "")
    page.keyboard.press("Escape")
    # By keyboard alone: Tab reaches a marker, Enter opens it, its link is in the popup.
    page.locator("#q").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('leaflet-marker-icon')"):
            break
    else:
        pytest.fail("no marker was reached with Tab")
    label = page.evaluate("document.activeElement.getAttribute('alt')")
    page.keyboard.press("Enter")
    popup.wait_for()
    assert label in popup.inner_text() and popup.locator("a").count() >= 1
    active = page.locator("[data-map-point].is-active .map-address").inner_text()
    assert active == label


def test_wijk_page_map_and_outline(map_page):
    page = map_page
    page.goto("/wijk/WK045308")  # Velserbroek
    page.wait_for_selector(".leaflet-interactive")  # the outline polygon
    assert page.locator("svg.outline path").count() == 1
    assert not page.locator("svg.outline").is_visible()  # the map draws the outline now
    assert page.locator(".leaflet-marker-icon").count() == 3  # Velsen-wide offers have addresses in IJmuiden
    assert page.seen["elsewhere"] == 0
    assert_accessible(page)


def test_places_work_without_javascript_and_tiles(open_context, geo_server):
    page = open_context(geo_server, java_script_enabled=False).new_page()
    page.goto("/zoeken")
    page.locator("summary").click()
    page.fill("#s-plaats", "santpoort")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    page.get_by_role("link", name="Santpoort-Noord (Velsen)").click()
    assert "wijk=WK045306" in page.url
    page.goto("/zoeken?q=inloop&lat=52.466&lon=4.611&sorteer=afstand")
    assert page.locator(".card-title").first.inner_text() == "Inloop Noord"
    assert not page.locator("[data-map]").is_visible()  # no JavaScript: the list only
    assert page.locator("[data-map-point]").count() == 3
    assert not page.locator("[data-locate]").is_visible()  # "use my location" needs JavaScript
    page.goto("/wijk/WK045308")
    assert page.locator("svg.outline").is_visible()
    assert "Inloop Broek" in page.content()

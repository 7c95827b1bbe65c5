"""As a visitor would: real Chromium, the real catalogue, axe-core on every page type."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

axe = Axe()


def assert_accessible(page) -> None:
    results = axe.run(page)
    violations = results.response["violations"]
    details = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations]
    assert not violations, f"axe-core violations on {page.url}: {details}"


def test_journey_from_a_worry_to_the_scheidingsplein(page):
    page.goto("/")
    page.get_by_label("Wat is je vraag?").fill("ruzie over de kinderen na de scheiding")
    page.get_by_role("button", name="Zoeken").first.click()
    page.wait_for_url(re.compile(r"/zoeken\?q="))
    cards = page.locator("ol.results article.card")
    kinds = [cards.nth(i).locator(".facts-inline li").first.inner_text() for i in range(3)]
    assert "Scheidingsplein" in kinds, kinds  # an offer of the kind Scheidingsplein in the top three
    card = cards.nth(kinds.index("Scheidingsplein"))
    name = card.locator("h2.card-title a").inner_text()
    card.locator("h2.card-title a").click()
    page.wait_for_url(re.compile(r"/aanbod/"))
    assert page.locator("h1").inner_text() == name
    assert page.locator(".breadcrumb").inner_text().count("Scheidingsplein") == 1
    assert page.get_by_role("heading", name="Hoe krijg ik dit?").is_visible()


PAGES = {
    "home": "/",
    "results": "/zoeken?q=geen+geld+voor+voetbal&gemeente=velsen",
    "zero results": "/zoeken?q=helikopterles&gemeente=heiloo&soort=jongerenwerk",
    "theme": "/thema/scheiding",
    "gemeente": "/gemeente/alkmaar",
    "menukaart": "/menukaart/cjg-kennemerland-ijmond-0-23",
    "wijk": "/wijk/WK045306",
    "meld een fout": "/aanbod/scheidingsplein-ijmond/meld-een-fout",
    "kern": "/plaats/ijmuiden",
    "wijken and plaatsen": "/wijk",
    "place search": "/zoeken?q=eenzaam&plaats=Santpoort-Noord",
    "ambiguous place": "/zoeken?q=eenzaam&plaats=santpoort",
    "privacy": "/privacy",
    "not found": "/bestaat-niet",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_page_has_no_axe_violations(page, name):
    response = page.goto(PAGES[name])
    assert response.status == (404 if name == "not found" else 200)
    assert_accessible(page)


def test_detail_page_has_no_axe_violations(page):
    page.goto("/zoeken?q=scheidingsplein")
    page.locator("ol.results h2.card-title a").first.click()
    assert "/aanbod/" in page.url
    assert_accessible(page)


def test_search_by_keyboard_only(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert "Direct naar de inhoud" in focused
    page.keyboard.press("Enter")
    for _ in range(30):  # tab until the search box has focus
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "home-q":
            break
    assert page.evaluate("document.activeElement.id") == "home-q"
    page.keyboard.type("jongerenwerk")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=jongerenwerk"))
    for _ in range(60):  # tab to the first result and open it with Enter
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('ol.results') !== null"):
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/aanbod/"))
    assert page.locator("h1").is_visible()


def test_everything_works_without_javascript(page_no_js):
    page = page_no_js
    page.goto("/")
    page.select_option("#home-wijk", "WK036103")  # Overdie, Alkmaar
    page.get_by_role("button", name="Toon aanbod").click()
    page.wait_for_url(re.compile(r"/wijk/WK036103$"))  # the wijk page: its offer by theme
    assert page.locator("h1").inner_text() == "Aanbod in Overdie (Alkmaar)"
    assert page.locator("svg.outline").is_visible()
    page.get_by_role("link", name="Bekijk als lijst met filters").click()
    page.wait_for_url(re.compile(r"wijk=WK036103"))
    page.locator(".facet a").first.click()
    assert page.locator(".active-filters li").count() == 2
    page.goto("/zoeken?q=scheidng")
    assert "scheiding" in page.locator(".notice").inner_text()

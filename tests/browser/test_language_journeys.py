"""Nieuwkomers in their own language: an Arabic (right to left) and a Ukrainian journey from the
home page to a detail page, and axe-core on home, results and detail in ar, uk and en."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_public import assert_accessible

SHOTS = Path(__file__).resolve().parents[2] / "bench" / "_work" / "screenshots"  # gitignored


def test_arabic_journey_right_to_left(page):
    page.goto("/")
    page.get_by_role("link", name="العربية").click()
    page.wait_for_url(re.compile(r"/ar/$"))
    html = page.locator("html")
    assert html.get_attribute("lang") == "ar" and html.get_attribute("dir") == "rtl"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    # right to left in the layout: the search button sits to the left of the input
    box_input = page.locator("#home-q").bounding_box()
    box_button = page.locator(".search-form button[type=submit]").first.bounding_box()
    assert box_button["x"] < box_input["x"]
    assert page.locator(".machine-notice").is_visible()  # the UI was translated by a computer
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "ar-home.png"), full_page=False)
    page.locator("#home-q").fill("طلاق")  # divorce
    page.locator(".search-form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/ar/zoeken\?q="))
    slugs = [a.get_attribute("href") for a in page.locator("ol.results h2.card-title a").all()[:3]]
    assert any("scheidingsplein" in s for s in slugs), slugs
    first = page.locator("ol.results h2.card-title a").first
    name = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/ar/aanbod/"))
    assert page.locator("h1").inner_text() == name
    assert re.search("[\u0600-\u06ff]", page.locator(".lead").inner_text())  # the summary in Arabic
    assert page.locator(".machine-label").is_visible()
    page.screenshot(path=str(SHOTS / "ar-detail.png"), full_page=False)
    # the Dutch original is one click away
    page.locator(".machine-label a").click()
    page.wait_for_url(re.compile(r"^[^?]*/aanbod/[^/]+$"))
    assert page.locator("html").get_attribute("lang") == "nl"


def test_ukrainian_journey_first_visit_follows_the_browser(browser, live_server, open_context):
    context = open_context(live_server, locale="uk-UA")  # Accept-Language: uk-UA
    page = context.new_page()
    page.goto("/")
    assert re.search(r"/uk/$", page.url)
    assert page.locator("html").get_attribute("lang") == "uk"
    page.locator("#home-q").fill("борги")  # debts
    page.locator(".search-form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/uk/zoeken\?q="))
    hrefs = [a.get_attribute("href") for a in page.locator("ol.results h2.card-title a").all()[:3]]
    assert any(re.search("schuld", h) for h in hrefs), hrefs
    page.locator("ol.results h2.card-title a").first.click()
    page.wait_for_url(re.compile(r"/uk/aanbod/"))
    assert re.search("[а-яіїє]", page.locator("h2#hoe").inner_text(), re.I)  # UI heading in Ukrainian
    page.goto("/")  # the choice is remembered
    assert re.search(r"/uk/$", page.url)


PAGES = {
    "home": "/{lang}/",
    "results": "/{lang}/zoeken?q={q}",
    "detail": "/{lang}/aanbod/scheidingsplein-ijmond",
}
WORDS = {"ar": "طلاق", "uk": "розлучення", "en": "divorce"}


@pytest.mark.parametrize("lang", ["ar", "uk", "en"])
@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations_in_other_languages(page, lang, name):
    response = page.goto(PAGES[name].format(lang=lang, q=WORDS[lang]))
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == lang
    assert_accessible(page)

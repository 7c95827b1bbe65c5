"""A professional with five minutes: compact results, a shortlist (without JavaScript too), a
handout in the client's language; zero axe violations on each."""

from __future__ import annotations

import re

from test_language_journeys import SHOTS
from test_public import assert_accessible


def test_shortlist_and_handout_without_javascript(page_no_js):
    page = page_no_js
    page.goto("/professionals/zoeken?q=schulden&gemeente=velsen")
    first = page.locator("ol.results article").first
    name = first.locator("h2 a").inner_text()
    first.get_by_role("button", name=re.compile("Zet op mijn lijst")).click()
    page.wait_for_url(re.compile(r"/professionals/zoeken\?q=schulden"))
    assert "Mijn lijst (1)" in page.locator(".site-nav").inner_text()
    assert page.locator("ol.results article").first.get_by_role("button", name=re.compile("Haal van mijn lijst"))
    page.get_by_role("link", name=re.compile("Mijn lijst")).click()
    assert name in page.locator(".shortlist").inner_text()
    page.select_option("#voor", "ar")
    page.get_by_role("button", name="Maak een uitdraai").click()
    page.wait_for_url(re.compile(r"/lijst/uitdraai\?"))
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator(".handout-qr svg").count() == 1


def test_professional_journey_free_and_open_three_services_arabic_handout(page):
    """Filter on "vrij toegankelijk" and "gratis", add three services, print the handout in Arabic."""
    page.goto("/")
    page.get_by_role("link", name="Voor professionals").click()
    page.wait_for_url(re.compile(r"/professionals/zoeken"))
    page.locator(".search-form button[type=submit]").first.click()  # everything, then narrow down
    page.locator(".facets a", has_text="Vrij toegankelijk").first.click()
    page.locator(".facets a", has_text="Gratis").first.click()
    assert "toegang=vrij+toegankelijk" in page.url and "kosten=gratis" in page.url
    assert_accessible(page)
    rows = page.locator("ol.results article")
    assert rows.count() >= 3
    for i in range(3):
        facts = rows.nth(i).locator(".referral-facts").inner_text()
        assert "Vrij toegankelijk" in facts and "Gratis" in facts
    names = []
    for i in range(3):
        row = page.locator("ol.results article").nth(i)
        names.append(row.locator("h2 a").inner_text())
        row.get_by_role("button", name=re.compile("Zet op mijn lijst")).click()
        page.wait_for_load_state()
    assert "Mijn lijst (3)" in page.locator(".site-nav").inner_text()
    page.goto("/lijst")
    assert_accessible(page)
    listed = page.locator(".shortlist").inner_text()
    assert all(name in listed for name in names)
    page.select_option("#voor", "ar")
    page.get_by_role("button", name="Maak een uitdraai").click()
    page.wait_for_url(re.compile(r"/lijst/uitdraai\?"))
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator(".handout-list > li").count() == 3
    assert page.locator(".handout-qr svg").count() == 1
    assert re.search("[\u0600-\u06ff]", page.locator(".handout-list").inner_text())
    assert_accessible(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(SHOTS / "handout-ar.png"), full_page=True)


def test_professional_pages_have_no_axe_violations(page):
    page.goto("/professionals/zoeken?q=scheiding")
    assert_accessible(page)
    page.locator("ol.results article").first.locator("button").click()
    page.goto("/lijst")
    assert page.locator(".shortlist li").count() == 1
    assert_accessible(page)
    page.goto("/lijst/uitdraai?voor=uk")
    assert page.locator("html").get_attribute("lang") == "uk"
    assert_accessible(page)
    page.goto("/aanbod/scheidingsplein-ijmond")
    assert page.get_by_role("heading", name="Hoe verwijs ik door?").is_visible()

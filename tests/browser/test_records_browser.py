"""An editor in a real browser edits a service's phone number and address, an organisation, a
theme's visitor words and a menukaart, by keyboard-reachable native forms; axe-core on each page."""

from __future__ import annotations

import re

from test_editors_browser import login
from test_public import assert_accessible


def test_edit_phone_address_organisation_theme_and_menukaart(open_context, editor_server):
    page = open_context(editor_server).new_page()
    login(page, "beheer@example.org")
    page.goto("/redactie/aanbod/test-scheidingsspreekuur")
    page.get_by_label("Telefoonnummer", exact=True).fill("0255 567")  # too short
    page.get_by_label("Straat en huisnummer").fill("Teststraat 1")
    page.get_by_label("Postcode").fill("1971 AA")
    page.get_by_label("Plaats", exact=True).fill("IJmuiden")
    page.get_by_label("Wat heb je veranderd en waarom?").fill("nummer en adres")
    page.get_by_role("button", name="Opslaan").click()
    assert "geen geldig telefoonnummer" in page.locator("#phones-0-number-error").inner_text()
    assert_accessible(page)  # the page with messages next to the fields
    page.get_by_label("Telefoonnummer", exact=True).fill("0255 567 200")
    page.get_by_role("button", name="Opslaan").click()
    assert page.locator(".message").inner_text().strip() == "Opgeslagen."
    page.goto("/aanbod/test-scheidingsspreekuur")
    assert "0255 567 200" in page.locator("section[aria-labelledby=contact]").inner_text()

    page.goto("/redactie/")
    page.get_by_role("link", name="Organisaties").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("CJG")).first.click()
    assert_accessible(page)
    page.get_by_label("Website", exact=True).fill("https://cjg.example.org/")
    page.get_by_label("Wat heb je veranderd en waarom?").fill("nieuwe website")
    page.get_by_role("button", name="Opslaan").click()
    assert page.locator(".message").inner_text().strip() == "Opgeslagen."
    page.get_by_role("link", name="Alle versies").click()
    page.get_by_label("Vergelijk versie").select_option("1")
    page.get_by_label("met versie").select_option("2")
    page.get_by_role("button", name="Vergelijk").click()
    assert "+https://cjg.example.org/" in page.locator("pre.diff").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Thema's en zoekwoorden").click()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Scheiding")).first.click()
    assert_accessible(page)
    words = page.get_by_label("Woorden van bezoekers", exact=True)
    words.fill(words.input_value() + "\nomgangsruzie")
    page.get_by_label("Wat heb je veranderd en waarom?").fill("woord uit de zoekwoorden")
    page.get_by_role("button", name="Opslaan").click()
    page.goto("/zoeken?q=omgangsruzie")
    assert "Spreekuur scheiding Velsen" in page.locator("ol.results").inner_text()

    page.goto("/redactie/menukaarten")
    assert_accessible(page)
    page.get_by_role("link", name="Test menukaart Velsen").click()
    assert_accessible(page)
    page.get_by_label("Inleiding").fill("Voor **ouders** in Velsen.")
    page.get_by_label("Wat heb je veranderd en waarom?").fill("inleiding")
    page.get_by_role("button", name="Opslaan").click()
    page.goto("/menukaart/test-menukaart")
    assert page.locator(".richtext strong").inner_text() == "ouders"


def test_the_conflict_page_shows_both_versions_and_passes_axe(open_context, editor_server):
    anna = open_context(editor_server).new_page()
    bram = open_context(editor_server).new_page()
    for page in (anna, bram):
        login(page, "beheer@example.org")
        page.goto("/redactie/aanbod/test-jongerenwerk-haarlem")
    for page, name in ((anna, "Versie van Anna"), (bram, "Versie van Bram")):
        page.get_by_label("Naam", exact=True).fill(name)
        page.get_by_label("Wat heb je veranderd en waarom?").fill("naam")
        page.get_by_role("button", name="Opslaan").click()
    assert bram.locator("h1").inner_text().startswith("Iemand anders heeft dit ook veranderd")
    changed = bram.locator("tr.changed").first.inner_text()
    assert "Versie van Anna" in changed and "Versie van Bram" in changed
    assert_accessible(bram)

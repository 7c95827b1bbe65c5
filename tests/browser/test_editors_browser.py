"""An editor in a real browser: log in, edit a service, the change is findable at once, restore
the previous revision, findable again; axe-core on every editor page."""

from __future__ import annotations

import re

from test_public import assert_accessible


def login(page, email: str = "beheer@example.org") -> None:
    page.goto("/redactie/inloggen")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill("correct horse battery")
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(re.compile(r"/redactie/$"))


def test_edit_find_restore_journey(open_context, editor_server, editor_app):
    """Log in, edit, submit; a second editor publishes; findable; restore; findable again."""
    from finder.catalogue import editors
    from finder.extensions import db

    editor_app.config["FOUR_EYES_GEMEENTEN"] = "*"
    with editor_app.app_context():
        editors.create_editor("tweede@example.org", "Tweede", "beheerder", "correct horse battery")
        db.session.commit()
    page = open_context(editor_server).new_page()
    page.goto("/redactie/")
    assert "/redactie/inloggen" in page.url  # not logged in yet
    assert_accessible(page)
    login(page, "beheer@example.org")
    assert_accessible(page)
    page.get_by_role("link", name="Spreekuur scheiding Velsen").first.click()
    page.wait_for_url(re.compile(r"/redactie/aanbod/test-scheidingsspreekuur$"))
    assert_accessible(page)
    page.get_by_label("Naam", exact=True).fill("Spreekuur omgangsregeling Velsen")
    page.get_by_label("Wat heb je veranderd en waarom?").fill("duidelijkere naam")
    page.get_by_role("button", name="Opslaan").click()
    assert "wacht op een tweede redacteur" in page.locator(".message").inner_text()
    page.goto("/zoeken?q=spreekuur")  # still the live text
    assert "Spreekuur scheiding Velsen" in page.locator("ol.results").inner_text()
    second = open_context(editor_server).new_page()
    login(second, "tweede@example.org")
    assert "duidelijkere naam" in second.locator("#voorstellen + ul").inner_text()
    assert_accessible(second)
    second.get_by_role("button", name=re.compile("Publiceer")).first.click()
    assert second.locator(".message").inner_text().strip() == "Gepubliceerd."
    page.goto("/zoeken?q=omgangsregeling")
    assert "Spreekuur omgangsregeling Velsen" in page.locator("ol.results").inner_text()
    editor_app.config["FOUR_EYES_GEMEENTEN"] = ""
    page.goto("/redactie/aanbod/test-scheidingsspreekuur/versies")
    assert_accessible(page)
    page.get_by_role("button", name=re.compile(r"Zet versie \d+ terug")).first.click()
    assert "is teruggezet" in page.locator(".message").inner_text()
    page.goto("/zoeken?q=spreekuur")
    assert "Spreekuur scheiding Velsen" in page.locator("ol.results").inner_text()
    # a bad e-mail address: the message stands next to the field, nothing is saved
    page.goto("/redactie/aanbod/test-scheidingsspreekuur")
    page.get_by_label("E-mailadres").fill("geen adres")
    page.get_by_label("Wat heb je veranderd en waarom?").fill("test")
    page.get_by_role("button", name="Opslaan").click()
    assert page.locator("#email-error").inner_text().strip() == "Dit is geen geldig e-mailadres."
    assert_accessible(page)
    # a visitor reports a mistake; it shows on the dashboard; the search-insight page
    visitor = open_context(editor_server).new_page()
    visitor.goto("/aanbod/test-scheidingsspreekuur")
    visitor.get_by_role("link", name="Klopt er iets niet? Meld een fout").click()
    visitor.get_by_label("Wat klopt er niet?").fill("Het spreekuur is verhuisd.")
    visitor.get_by_role("button", name="Versturen").click()
    assert visitor.locator("h1").inner_text() == "Bedankt voor je melding"
    page.goto("/redactie/")
    assert "Het spreekuur is verhuisd." in page.locator("#meldingen + ul").inner_text()
    assert_accessible(page)
    page.goto("/redactie/zoekwoorden")
    assert page.locator("h1").inner_text() == "Waar zoeken mensen op?"
    assert_accessible(page)

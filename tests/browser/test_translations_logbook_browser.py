"""An editor in a real browser edits the Arabic translation of a service (right to left), sees it
on the public Arabic page at once, and finds the save in the logbook; axe-core on every page,
and the logbook's filters work by keyboard and without JavaScript."""

from __future__ import annotations

import re

from test_editors_browser import login
from test_public import assert_accessible

SLUG = "test-scheidingsspreekuur"
ARABIC = {"#name": "ساعة استشارة الانفصال في فيلسن", "#summary": "ساعة استشارة للآباء والأمهات الذين ينفصلون.",
          "#how_to_get": "تعال إلى ساعة الاستشارة بدون موعد."}


def test_edit_the_arabic_translation_and_find_it_in_the_logbook(open_context, editor_server):
    page = open_context(editor_server).new_page()
    login(page)
    page.goto(f"/redactie/aanbod/{SLUG}/vertalingen")
    assert_accessible(page)
    assert "ontbreekt" in page.locator("#taal-ar").inner_text()
    page.get_by_role("link", name="Vertaling Arabisch bewerken").click()
    page.wait_for_url(re.compile(rf"/redactie/aanbod/{SLUG}/vertalingen/ar$"))
    assert_accessible(page)
    for selector in ARABIC:
        field = page.locator(selector)
        assert field.get_attribute("dir") == "rtl" and field.get_attribute("lang") == "ar"
    assert page.locator("#how_to_get").evaluate("e => e.tagName") == "TEXTAREA"
    assert page.locator("#name-nl").get_attribute("lang") == "nl"

    # a missing reason: the message stands next to the field, nothing is saved
    for selector, text in ARABIC.items():
        page.locator(selector).fill(text)
    page.get_by_role("button", name="Opslaan").click()
    assert page.locator("#reason-error").inner_text().strip() == "Schrijf kort wat je veranderd hebt."
    assert_accessible(page)
    public = open_context(editor_server).new_page()
    public.goto(f"/ar/aanbod/{SLUG}")
    assert public.locator("h1").inner_text() == "Spreekuur scheiding Velsen"  # still Dutch

    page.get_by_label("Ik heb deze vertaling nagekeken").check()
    page.get_by_label("Wat heb je veranderd en waarom?").fill("Arabische vertaling gemaakt")
    page.get_by_role("button", name="Opslaan").click()
    assert "De vertaling staat nu op de website" in page.locator(".message").inner_text()
    assert "Arabische vertaling gemaakt" in page.locator("table").inner_text()  # the first version
    assert_accessible(page)

    public.goto(f"/ar/aanbod/{SLUG}")
    heading = public.locator("h1")
    assert heading.inner_text() == ARABIC["#name"]
    assert heading.get_attribute("lang") is None  # the page's own language: <html lang="ar" dir="rtl">
    assert public.locator(".machine-label").count() == 0  # checked by a person: no machine label

    page.goto("/redactie/logboek")
    assert_accessible(page)
    first_row = page.locator("tbody tr").first.inner_text()
    assert "Vertaling veranderd" in first_row and "ar: Arabische vertaling gemaakt" in first_row
    page.get_by_role("link", name="Spreekuur scheiding Velsen").first.click()
    page.wait_for_url(re.compile(rf"/redactie/aanbod/{SLUG}$"))

    # the filters by keyboard: type a part of the address and press Enter
    page.goto("/redactie/logboek")
    page.get_by_label("Wat is er gebeurd?").select_option("login")
    page.get_by_label("Wie (e-mailadres of een deel ervan)").fill("BEHEER")
    page.get_by_label("Wie (e-mailadres of een deel ervan)").press("Enter")
    page.wait_for_url(re.compile(r"actie=login"))
    texts = page.locator("tbody tr").all_inner_texts()
    assert texts and all("Ingelogd" in t for t in texts)
    page.goto("/redactie/logboek?van=gisteren")
    assert "Dit is geen datum" in page.locator("#van-error").inner_text()
    assert_accessible(page)


def test_logbook_filters_work_without_javascript(open_context, editor_server):
    page = open_context(editor_server, java_script_enabled=False).new_page()
    login(page)
    page.goto("/redactie/logboek")
    page.get_by_label("Wat is er gebeurd?").select_option("login")
    page.get_by_role("button", name="Toon").click()
    page.wait_for_url(re.compile(r"actie=login"))
    texts = page.locator("tbody tr").all_inner_texts()
    assert texts and all("Ingelogd" in t for t in texts)

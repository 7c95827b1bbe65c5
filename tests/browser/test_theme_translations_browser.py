"""An editor in a real browser goes from a theme's edit page to its translations, edits the Arabic
(right to left) by keyboard, and sees it on the public Arabic theme page and home page at once;
axe-core on both editor pages. The form also works without JavaScript."""

from __future__ import annotations

import re

from test_editors_browser import login
from test_public import assert_accessible

CODE = "scheiding"
ARABIC = {"#name": "الانفصال والطلاق", "#description": "مساعدة للآباء والأطفال عندما ينفصل الوالدان."}


def test_edit_the_arabic_translation_of_a_theme(open_context, editor_server):
    page = open_context(editor_server).new_page()
    login(page)
    page.goto(f"/redactie/themas/{CODE}")
    page.get_by_role("link", name="Vertalingen", exact=True).click()
    page.wait_for_url(re.compile(rf"/redactie/themas/{CODE}/vertalingen$"))
    assert_accessible(page)
    assert page.locator("h1").inner_text() == "Vertalingen: Scheiding"
    assert "ontbreekt" in page.locator("#taal-ar").inner_text()
    page.get_by_role("link", name="Vertaling Arabisch bewerken").click()
    page.wait_for_url(re.compile(rf"/redactie/themas/{CODE}/vertalingen/ar$"))
    assert_accessible(page)
    for selector in ARABIC:
        field = page.locator(selector)
        assert field.get_attribute("dir") == "rtl" and field.get_attribute("lang") == "ar"
    assert page.locator("#description").evaluate("e => e.tagName") == "TEXTAREA"
    assert page.locator("#summary").count() == 0  # a theme has a name and an explanation only
    assert "Hulp voor ouders en kinderen" in page.locator("#description-nl").inner_text()
    assert page.locator("#description-nl").get_attribute("lang") == "nl"

    public = open_context(editor_server).new_page()
    public.goto(f"/ar/thema/{CODE}")
    assert public.locator("h1").inner_text() == "Scheiding"  # no translation yet: Dutch

    for selector, text in ARABIC.items():
        page.locator(selector).fill(text)
    page.get_by_label("Ik heb deze vertaling nagekeken").check()
    reason = page.get_by_label("Wat heb je veranderd en waarom?")
    reason.fill("Arabische vertaling van het thema")
    reason.press("Enter")  # by keyboard: Enter in a field sends the form
    page.wait_for_load_state()
    assert "De vertaling staat nu op de website" in page.locator(".message").inner_text()
    assert "Arabische vertaling van het thema" in page.locator("table").inner_text()
    assert "nagekeken" in page.locator("table").inner_text()
    assert_accessible(page)

    public.goto(f"/ar/thema/{CODE}")
    heading = public.locator("h1")
    assert heading.inner_text() == ARABIC["#name"]
    assert heading.get_attribute("lang") is None  # the page's own language: <html lang="ar" dir="rtl">
    assert public.locator("html").get_attribute("dir") == "rtl"
    assert ARABIC["#description"] in public.locator("main").inner_text()
    assert public.locator(".machine-label").count() == 0  # checked by a person: no machine label
    public.goto("/ar/")
    assert ARABIC["#name"] in public.locator("main").inner_text()  # the theme's tile


def test_a_theme_translation_is_saved_without_javascript(open_context, editor_server):
    page = open_context(editor_server, java_script_enabled=False).new_page()
    login(page)
    page.goto(f"/redactie/themas/{CODE}/vertalingen/tr")
    page.locator("#name").fill("Boşanma")
    page.get_by_label("Wat heb je veranderd en waarom?").fill("Turkse vertaling")
    page.get_by_role("button", name="Opslaan").click()
    # the explanation has Dutch text, so it needs a translation too: nothing is saved
    assert "Vertaal ook dit veld." in page.locator("#description-error").inner_text()
    page.locator("#description").fill("Anne babalar ayrıldığında yardım.")
    page.get_by_role("button", name="Opslaan").click()
    assert "De vertaling staat nu op de website" in page.locator(".message").inner_text()
    page.goto(f"/tr/thema/{CODE}")
    assert page.locator("h1").inner_text() == "Boşanma"

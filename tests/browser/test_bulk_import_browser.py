"""An editor imports a spreadsheet in a real browser: upload a file with a bad row, read the
report, import only the good rows, see the result; axe-core on every page; by keyboard, and the
same without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path

from test_editors_browser import login
from test_public import assert_accessible

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"


def test_import_the_good_rows_of_a_file_with_a_bad_row(open_context, editor_server):
    page = open_context(editor_server).new_page()
    login(page)
    page.goto("/redactie/importeren")
    assert page.locator("h1").inner_text() == "Aanbod importeren uit een spreadsheet"
    assert_accessible(page)
    # nothing chosen: the message stands next to the field
    page.get_by_role("button", name="Controleer het bestand").click()
    assert page.locator("#file-error").inner_text().strip() == "Kies een bestand."
    assert_accessible(page)

    page.get_by_label("Je CSV-bestand").set_input_files(str(FIXTURES / "one_bad_row.csv"))
    page.get_by_role("button", name="Controleer het bestand").click()
    assert page.locator("h1").inner_text() == "Controle van je spreadsheet"
    assert page.locator(".result-count").inner_text() == "3 rijen: 2 goed, 1 met fouten"
    assert "korte beschrijving: Schrijf 10 tot 300 tekens. Nu zijn het er 4." in page.locator("#rij-3").inner_text()
    assert_accessible(page)

    button = page.get_by_role("button", name="Importeer alleen de 2 goede rijen")
    button.focus()
    page.keyboard.press("Enter")  # by keyboard
    page.wait_for_url(re.compile(r"/redactie/importeren/resultaat/[0-9a-f]{12}$"))
    assert page.locator("h1").inner_text() == "Import gelukt"
    assert "2 rijen zijn geïmporteerd als concept." in page.locator(".message").inner_text()
    assert_accessible(page)
    links = page.locator("ul.editor-list a")
    assert links.all_inner_texts() == ["Spelinloop Heemskerk", "Maatje voor mantelzorgers"]
    page.reload()  # a reload shows the result again and imports nothing
    assert page.locator("ul.editor-list a").count() == 2

    links.first.click()
    page.wait_for_url(re.compile(r"/redactie/aanbod/test-cjg-velsen-spelinloop-heemskerk$"))
    assert "Status: Concept" in page.locator("main").inner_text()
    page.goto("/zoeken?q=spelinloop")  # a concept: not on the public site yet
    assert "Spelinloop Heemskerk" not in page.locator("main").inner_text()


def test_import_without_javascript(open_context, editor_server, tmp_path):
    # other names than the first test's file, which may already have been imported
    text = (FIXTURES / "one_bad_row.csv").read_text(encoding="utf-8")
    for old in ("Spelinloop Heemskerk", "Kookclub voor tieners", "Maatje voor mantelzorgers"):
        text = text.replace(old, f"{old} zonder JavaScript")
    path = tmp_path / "zonder-js.csv"
    path.write_text(text, encoding="utf-8")

    page = open_context(editor_server, java_script_enabled=False).new_page()
    login(page)
    page.goto("/redactie/importeren")
    page.get_by_label("Je CSV-bestand").set_input_files(str(path))
    page.get_by_role("button", name="Controleer het bestand").click()
    assert page.locator(".result-count").inner_text() == "3 rijen: 2 goed, 1 met fouten"
    page.get_by_role("button", name="Importeer alleen de 2 goede rijen").click()
    page.wait_for_url(re.compile(r"/redactie/importeren/resultaat/"))
    assert page.locator("ul.editor-list a").all_inner_texts() == [
        "Spelinloop Heemskerk zonder JavaScript", "Maatje voor mantelzorgers zonder JavaScript"]

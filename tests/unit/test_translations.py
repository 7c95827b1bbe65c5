"""Every UI text translated in every language: complete, not fuzzy, same placeholders and
markup, the right number of plural forms, and marked when no person reviewed it."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from finder.i18n import DEFAULT_LOCALE, LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\{\{\s*\w+\s*\}\}")
TAG = re.compile(r"</?\w+")


def catalogue(code: str):
    path = TRANSLATIONS / LANGUAGES[code].babel / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        return read_po(fh, locale=LANGUAGES[code].babel)


def template_ids() -> set:
    with (TRANSLATIONS / "messages.pot").open("rb") as fh:
        return {m.id for m in read_po(fh) if m.id}


OTHER = [code for code in LANGUAGES if code != DEFAULT_LOCALE]


@pytest.mark.parametrize("code", OTHER)
def test_catalogue_is_complete(code):
    cat = catalogue(code)
    problems = []
    ids = set()
    for message in cat:
        if not message.id:
            continue
        ids.add(message.id)
        msgids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(("fuzzy", msgids[0]))
        if isinstance(message.id, tuple) and len(strings) != cat.num_plurals:
            problems.append(("plural forms", msgids[0], len(strings), cat.num_plurals))
        for text in strings:
            if not text or not text.strip():
                problems.append(("empty", msgids[0]))
                continue
            expected = set(PLACEHOLDER.findall(msgids[-1])) | set(PLACEHOLDER.findall(msgids[0]))
            found = set(PLACEHOLDER.findall(text))
            # a plural form for exactly one may leave the number out ("één resultaat")
            if found - expected or (expected - found and not isinstance(message.id, tuple)):
                problems.append(("placeholders", msgids[0], text))
            if sorted(TAG.findall(msgids[0])) != sorted(TAG.findall(text)):
                problems.append(("markup", msgids[0], text))
    assert ids >= template_ids(), sorted(template_ids() - ids)[:5]
    assert not problems, problems[:10]


@pytest.mark.parametrize("code", OTHER)
def test_unreviewed_translations_are_marked(code, app):
    """The header the site reads (finder.i18n.ui_translation_status) to show its notice."""
    from finder.i18n import ui_translation_status

    path = TRANSLATIONS / LANGUAGES[code].babel / "LC_MESSAGES" / "messages.po"
    assert re.search(r"^# Translation status: (machine|human|reviewed)$", path.read_text(encoding="utf-8"), re.M)
    with app.test_request_context():
        assert ui_translation_status(LANGUAGES[code]) == "machine"  # no person has checked these yet


def test_arabic_has_six_plural_forms():
    assert catalogue("ar").num_plurals == 6


def test_every_text_in_code_and_templates_is_in_the_template_catalogue():
    """`make messages` has been run: nothing shown on the site is missing from messages.pot
    (and so from the catalogues), including the macros in templates/_macros/."""
    from babel.messages.extract import extract_from_dir

    method_map = [("finder/**.py", "python"), ("finder/templates/**.html", "jinja2")]
    options = {"finder/templates/**.html": {"trimmed": "true"}}
    found = {
        msg[2] if isinstance(msg[2], str) else msg[2][0]
        for msg in extract_from_dir(str(ROOT), method_map, options, keywords={"_": None, "_l": None, "gettext": None,
                                    "ngettext": (1, 2), "lazy_gettext": None}, directory_filter=lambda d: True)
    }
    ids = {m if isinstance(m, str) else m[0] for m in template_ids()}
    missing = sorted(found - ids)
    assert not missing, missing[:10]

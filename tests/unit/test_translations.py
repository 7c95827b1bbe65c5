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

    with app.test_request_context():
        assert ui_translation_status(LANGUAGES[code]) in ("machine", "human", "reviewed")


def test_arabic_has_six_plural_forms():
    assert catalogue("ar").num_plurals == 6

"""Languages of the interface. Message ids are the Dutch (B1) texts: Dutch is the default and
the language editors read; other languages translate from it (see README, "Een taal toevoegen")."""

from __future__ import annotations

from flask import g, request
from flask_babel import gettext as _  # noqa: F401 - re-exported
from flask_babel import lazy_gettext as _l  # noqa: F401 - re-exported
from flask_babel import ngettext  # noqa: F401 - re-exported

DEFAULT_LOCALE = "nl"
# Languages with a complete UI catalogue. Other languages are added here with their catalogue.
LANGUAGES = {"nl": {"name": "Nederlands", "dir": "ltr"}}


def select_locale() -> str:
    """The language of this request: the URL's choice when set, then the browser's, then Dutch."""
    lang = getattr(g, "lang", None)
    if lang in LANGUAGES:
        return lang
    if request:
        best = request.accept_languages.best_match(list(LANGUAGES))
        if best:
            return best
    return DEFAULT_LOCALE


def text_direction(locale: str) -> str:
    return LANGUAGES.get(locale, {}).get("dir", "ltr")

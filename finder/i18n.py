"""Languages of the interface. Message ids are the Dutch (B1) texts: Dutch is the default and
the language editors read; other languages translate from it (see README, "Adding a language").

A language has a code used in URLs and `lang` attributes (BCP 47: "fa-AF") and the Babel locale
of its catalogue ("fa_AF"). The URL decides the language (`/en/zoeken`); Dutch has no prefix.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from flask import current_app, g, has_request_context, request
from flask_babel import gettext as _  # noqa: F401 - re-exported
from flask_babel import lazy_gettext as _l  # noqa: F401 - re-exported
from flask_babel import ngettext  # noqa: F401 - re-exported

DEFAULT_LOCALE = "nl"
LANGUAGE_COOKIE = "taal"  # functional cookie: the visitor's choice of language


@dataclass(frozen=True)
class Language:
    code: str  # in URLs, lang and hreflang attributes
    name: str  # endonym, shown in the language switcher
    dir: str = "ltr"
    script: str = "latin"  # latin | arabic | ethiopic | cyrillic: which self-hosted font to load

    @property
    def babel(self) -> str:
        return self.code.replace("-", "_")


LANGUAGES: dict[str, Language] = {
    lang.code: lang
    for lang in (
        Language("nl", "Nederlands"),
        Language("en", "English"),
        Language("ar", "العربية", "rtl", "arabic"),
        Language("tr", "Türkçe"),
        Language("pl", "Polski"),
        Language("uk", "Українська", script="cyrillic"),
        Language("ti", "ትግርኛ", script="ethiopic"),
        Language("fa-AF", "دری", "rtl", "arabic"),
        Language("so", "Soomaali"),
    )
}
URL_PATTERN = "|".join(LANGUAGES)  # for the <lang:...> URL converter


def current_language() -> Language:
    """The language of this request: set from the URL by the web layer, else Dutch."""
    code = getattr(g, "lang", None) if has_request_context() else None
    if code not in LANGUAGES and has_request_context():
        first = request.path.strip("/").split("/", 1)[0]  # e.g. a 404 page under /en/
        code = first if first in LANGUAGES else DEFAULT_LOCALE
    return LANGUAGES.get(code or DEFAULT_LOCALE, LANGUAGES[DEFAULT_LOCALE])


def select_locale() -> str:
    """Flask-Babel's locale selector."""
    return current_language().babel


def text_direction(code: str) -> str:
    lang = LANGUAGES.get(code) or LANGUAGES.get(code.replace("_", "-"))
    return lang.dir if lang else "ltr"


def preferred_language(accept_languages: object) -> str | None:
    """A first visit: the browser's best language that we have, if any."""
    best = accept_languages.best_match(list(LANGUAGES))  # type: ignore[attr-defined]
    return best if best in LANGUAGES else None


_STATUS_LINE = re.compile(r"^# Translation status: (machine|human|reviewed)\b", re.MULTILINE)


@functools.cache
def _catalogue_status(directory: str, babel_code: str) -> str:
    """"machine" unless the catalogue's header comment says a person translated ("human") or
    checked it ("reviewed"). A comment, because `pybabel update` drops unknown header fields."""
    po = Path(directory) / babel_code / "LC_MESSAGES" / "messages.po"
    try:
        head = po.read_text(encoding="utf-8")[:2000]
    except FileNotFoundError:
        return "missing"
    found = _STATUS_LINE.search(head)
    return found.group(1) if found else "machine"


def ui_translation_status(lang: Language) -> str:
    if lang.code == DEFAULT_LOCALE:
        return "original"
    return _catalogue_status(current_app.config["BABEL_TRANSLATION_DIRECTORIES"], lang.babel)

"""The only place that knows the shape of a search document.

Prose is indexed twice: stemmed with Dutch analysis (finds "scheidingen" for "scheiding") and
unstemmed but accent-folded (exact words, prefixes and the spelling corrector).
"""

from __future__ import annotations

import re
from typing import Any

from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.lang import stopwords_for_language
from whoosh.lang.snowball.dutch import DutchStemmer
from whoosh.support.charset import accent_map

SCHEMA_VERSION = 4

DUTCH_STOPWORDS = frozenset(stopwords_for_language("nl"))
# Words left out of a visitor's question in any of the site's languages (Whoosh has lists for
# nl, en and tr; short lists for pl, uk and ar, folded like the index).
_OTHER_STOPWORDS = {
    "pl": "i w z na do dla nie sie jak co to o od po ze",  # folded like the index
    "uk": "і й в у з на для до не як що це мені мій моя ми я",
    "ar": "في من على الى عن مع لا ما هل انا لي",  # normalised like the index
}
QUERY_STOPWORDS = (
    DUTCH_STOPWORDS
    | frozenset(stopwords_for_language("en"))
    | frozenset(stopwords_for_language("tr"))
    | frozenset(w for words in _OTHER_STOPWORDS.values() for w in words.split())
)
# Ages that mean "no limit" in the numeric fields, so a range query needs no special case.
AGE_FLOOR, AGE_CEILING = -1, 120

_stemmer = DutchStemmer()
# The everyday words inside each kind's name, so "scheiding" also matches the Scheidingsplein.
KIND_WORDS = {
    "cjg-menukaart": "cjg centrum jeugd gezin opvoeden",
    "jongerenwerk": "jongerenwerk jongeren",
    "maatjesproject": "maatjesproject maatje maatjes vrijwilliger",
    "scheidingsplein": "scheidingsplein scheiding scheiden",
    "armoedevoorziening": "armoede geld minima",
    "overig": "",
}


def _stem(word: str) -> str:
    return _stemmer.stem(word)


def english_stem(word: str) -> str:
    """The English index form of one (already lowercased, folded) word; "" for a stopword."""
    found = [t.text for t in _english_analyzer(word)]
    return found[0] if found else ""


class ArabicNormalizer(Filter):
    """Arabic-script spelling variants made equal: short vowels and tatweel removed, alef forms,
    alef maqsura, teh marbuta and Persian yeh/kaf unified. Hand-written (a few lines) because
    Whoosh has no such filter; without it "إسعاف" and "اسعاف" would be different words."""

    _table = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ک": "ك", "ة": "ه", "ـ": None})
    _marks = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed]")
    _arabic = re.compile("[\u0600-\u06ff]")

    _article = ("وال", "بال", "كال", "فال", "لل", "ال")  # "the" (with "and", "with", ...) glued on

    def __call__(self, tokens: Any) -> Any:
        for t in tokens:
            if self._arabic.search(t.text):
                text = self._marks.sub("", t.text).translate(self._table)
                for article in self._article:
                    if text.startswith(article) and len(text) - len(article) >= 3:
                        text = text[len(article):]
                        break
                t.text = text
            yield t


def plain_analyzer() -> Any:
    """Lowercase, accent-folded words, no stemming: exact, prefix and spelling."""
    return RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map)


def intl_analyzer() -> Any:
    """The plain analyzer for any script, with Arabic spelling normalised: the translations, and
    the visitor's words (which may be in any language)."""
    return plain_analyzer() | ArabicNormalizer()


def english_analyzer() -> Any:
    """English stemming for the English translations ("debts" finds "debt")."""
    stop = StopFilter(stoplist=frozenset(stopwords_for_language("en")), minsize=1)
    return RegexTokenizer(r"\w+") | LowercaseFilter() | CharsetFilter(accent_map) | stop | StemFilter(lang="en")


def dutch_analyzer() -> Any:
    """Dutch stemming after accent folding; stopwords removed."""
    stop = StopFilter(stoplist=DUTCH_STOPWORDS, minsize=1)
    return plain_analyzer() | stop | StemFilter(stemfn=_stem, cachesize=50000)


_english_analyzer = english_analyzer()

SCHEMA = Schema(
    id=ID(stored=True, unique=True),
    name=TEXT(analyzer=dutch_analyzer(), field_boost=3.0),
    name_plain=TEXT(analyzer=plain_analyzer(), field_boost=2.0),
    themes_text=TEXT(analyzer=dutch_analyzer(), field_boost=2.0),
    # Catch-all fields: one term per word instead of one per field keeps queries small and fast.
    text_stemmed=TEXT(analyzer=dutch_analyzer()),
    text_plain=TEXT(analyzer=plain_analyzer()),
    # Translations: English stemmed; all other languages folded but unstemmed (prefix queries
    # take the place of stemming for Ukrainian, Polish, Turkish, Arabic, ...).
    text_en=TEXT(analyzer=english_analyzer()),
    text_intl=TEXT(analyzer=intl_analyzer()),
    kind=KEYWORD(commas=True, lowercase=True),
    themes=KEYWORD(commas=True, lowercase=True),
    gemeenten=KEYWORD(commas=True, lowercase=True),
    areas=KEYWORD(commas=True),
    audience=KEYWORD(commas=True, lowercase=True),
    access=KEYWORD(commas=True, lowercase=True),
    cost=KEYWORD(commas=True, lowercase=True),
    languages=KEYWORD(commas=True, lowercase=True),
    min_age=NUMERIC(int, bits=8, signed=True),
    max_age=NUMERIC(int, bits=8, signed=True),
    local=NUMERIC(int, bits=8, signed=True, sortable=True),
    sortname=ID(sortable=True),
    # Address points of the service's locations, "lat,lon|lat,lon" (only precision "adres": a
    # location known to its wijk or gemeente only has no pin and no distance).
    points=ID(sortable=True),
)

# Fields a visitor's words are matched against (stemmed, plain) and their spelling source.
# The catch-all fields find the word anywhere; name and themes add their boosts.
STEMMED_FIELDS = ("text_stemmed", "name", "themes_text")
PLAIN_FIELDS = ("text_plain",)
SPELLING_FIELD = "text_plain"
FACET_FIELDS = ("kind", "themes", "gemeenten", "audience", "access", "cost", "languages")


def document_for(
    service: Any, all_gemeenten: dict[str, str], translations: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """The search document of a published service (plain values only).

    `all_gemeenten` maps every gemeente slug to its region slug: national and online offers
    serve all of them. `translations` maps a locale to the current translated texts of the
    service and its themes.
    """
    translations = translations or {}
    themes = service.theme_terms
    gemeenten: set[str] = set()
    areas: set[str] = set()
    places: list[str] = []
    local = 0
    for area in service.service_areas:
        if area.scope in ("landelijk", "online"):
            gemeenten.update(all_gemeenten)
            areas.update(f"gemeente:{slug}" for slug in all_gemeenten)
            areas.add(area.scope)
        elif area.scope == "wijk" and area.wijk_code:
            areas.add(f"wijk:{area.wijk_code}")
            if area.gemeente_slug:
                gemeenten.add(area.gemeente_slug)
            local = max(local, 3)
        elif area.gemeente_slug:
            gemeenten.add(area.gemeente_slug)
            areas.add(f"gemeente:{area.gemeente_slug}")
            if area.scope == "regio":
                areas.add("regio")
            local = max(local, 2 if area.scope == "gemeente" else 1)
        if area.description:
            places.append(area.description)
    places.extend(loc.city for loc in service.locations if loc.city)
    body = "\n".join([service.summary, service.description, service.how_to_get])
    themes_text = " ".join(
        [t.name for t in themes]
        + [term for t in themes for term in t.terms]
        + [KIND_WORDS.get(service.kind, service.kind)]
    )
    return {
        "text_stemmed": "\n".join([service.name, body, themes_text, service.organization.name]),
        "text_plain": "\n".join([service.name, body, " ".join(places)]),
        "text_en": "\n".join(translations.get("en", [])),
        "text_intl": "\n".join(t for locale, texts in sorted(translations.items()) if locale != "en" for t in texts),
        "id": service.id,
        "name": service.name,
        "name_plain": service.name,
        "themes_text": themes_text,
        "kind": service.kind,
        "themes": ",".join(t.code for t in themes),
        "gemeenten": ",".join(sorted(gemeenten)),
        "areas": ",".join(sorted(areas)),
        "audience": ",".join(service.audience),
        "access": service.access,
        "cost": service.cost,
        "languages": ",".join(sorted({lang.code for lang in service.languages})),
        "min_age": service.minimum_age if service.minimum_age is not None else AGE_FLOOR,
        "max_age": service.maximum_age if service.maximum_age is not None else AGE_CEILING,
        "local": local,
        "sortname": service.name.casefold(),
        "points": "|".join(
            f"{loc.latitude:.6f},{loc.longitude:.6f}"
            for loc in service.locations
            if loc.precision == "adres" and loc.latitude is not None and loc.longitude is not None
        ),
    }

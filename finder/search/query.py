"""From a visitor's words to Whoosh queries.

The visitor's text never goes through Whoosh's query parser: words are taken out of it and
queries are built as objects. So quotes, brackets, "*" or "AND OR NOT" are just words, and no
input can give a parser error.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from whoosh.query import And, NumericRange, Or, Prefix, Query, Term

from finder.search.schema import (
    DUTCH_STOPWORDS,
    PLAIN_FIELDS,
    QUERY_STOPWORDS,
    STEMMED_FIELDS,
    _stem,
    english_stem,
    intl_analyzer,
)

MAX_WORDS = 12  # the rest of a very long text is ignored, so one request stays cheap
_plain = intl_analyzer()  # the visitor's words may be in any language
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def normalise(text: str, limit: int = 200) -> str:
    """Visible text only: NFKC, no control characters, single spaces, at most `limit` chars."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFKC", text or ""))
    return " ".join(text.split())[:limit]


def tokens(text: str) -> list[str]:
    """Lowercase, accent-folded words (stopwords kept)."""
    return [t.text for t in _plain(text)]


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    filters: Mapping[str, Any] = field(default_factory=dict)
    page: int = 1
    per_page: int = 10
    wijk_options: tuple[tuple[str, str], ...] = ()  # (wijk code, gemeente) to count, for the wijk facet
    point: tuple[float, float] | None = None  # (lat, lon) the visitor searches from
    radius_km: float | None = None  # only services with an address within this distance of `point`
    sort: str = "relevance"  # relevance | distance


# Age bands of the age facet: (key, youngest, oldest), inclusive.
AGE_BANDS = (("0-3", 0, 3), ("4-11", 4, 11), ("12-17", 12, 17), ("18-23", 18, 23))


def age_band_query(lo: int, hi: int) -> Query:
    """Services whose age range overlaps [lo, hi]."""
    return And([NumericRange("min_age", None, hi), NumericRange("max_age", lo, None)])


def wijk_query(code: str, gemeente: str) -> Query:
    """Services that serve a wijk: the wijk itself, or its whole gemeente (and wider)."""
    return place_query((code,), gemeente)


def place_query(wijken: Sequence[str], gemeente: str) -> Query:
    """Services that serve a place made of some wijken of a gemeente (a kern): any of those
    wijken, or the whole gemeente (which includes regional, national and online offers)."""
    return Or([*(Term("areas", f"wijk:{code}") for code in wijken), Term("areas", f"gemeente:{gemeente}")])


# Outside the region: what serves everyone (national, online) or a whole region.
WIDE_OFFER = Or([Term("areas", "landelijk"), Term("areas", "online"), Term("areas", "regio")])


@dataclass
class SynonymTable:
    """Phrases (as token tuples) → themes and terms; longest phrases are matched first."""

    entries: dict[tuple[str, ...], tuple[list[str], list[str]]] = field(default_factory=dict)
    words: frozenset[str] = frozenset()

    @classmethod
    def from_rows(cls, rows: Sequence[tuple[str, list[str], list[str]]]) -> SynonymTable:
        entries: dict[tuple[str, ...], tuple[list[str], list[str]]] = {}
        words: set[str] = set()
        for phrase, themes, terms in rows:
            key = tuple(tokens(phrase))
            if key:
                entries[key] = (list(themes), list(terms))
                words.update(key)
        return cls(entries, frozenset(words))

    @property
    def longest(self) -> int:
        return max((len(k) for k in self.entries), default=0)


@dataclass
class Plan:
    words: list[str]  # the content words (no stopwords)
    all_words: Query | None
    any_word: Query | None
    highlight_terms: set[str]
    themes: list[str]

    @property
    def empty(self) -> bool:
        return self.all_words is None


def word_query(word: str) -> Query:
    """One word in any text field: stemmed, exact, and as a prefix of longer words; and in the
    translations (English stemmed; other languages exact or as a prefix, in place of stemming)."""
    stem = _stem(word)
    parts: list[Query] = [Term(f, stem) for f in STEMMED_FIELDS]
    parts += [Term(f, word) for f in PLAIN_FIELDS]
    if len(word) >= 4:  # compounds: "jongeren" finds "Jongerenwerk" (names only: body prefixes are costly)
        parts.append(Prefix("name_plain", word))
    english = english_stem(word)
    if english:
        parts.append(Term("text_en", english))
    parts.append(Prefix("text_intl", word) if len(word) >= 4 else Term("text_intl", word))
    return Or(parts)


def _stem_query(word: str) -> Query:
    """A synonym's term: stemmed fields only (no prefixes), so expansions stay cheap. The name
    counts too: an offer named after the term ("Scheidingsplein") is what the phrase points at."""
    stem = _stem(word)
    return Or([Term("text_stemmed", stem), Term("name", stem)])


def _term_query(term: str) -> Query:
    words = [w for w in tokens(term) if w not in DUTCH_STOPWORDS] or tokens(term)
    return _stem_query(words[0]) if len(words) == 1 else And([_stem_query(w) for w in words])


def build(text: str, synonyms: SynonymTable) -> Plan:
    """AND of every content word; a phrase from the synonym table may stand in for its words."""
    toks = tokens(normalise(text))[: MAX_WORDS * 2]
    clauses: list[Query] = []
    words: list[str] = []
    highlight: set[str] = set()
    themes: list[str] = []
    i = 0
    while i < len(toks):
        match = None
        for size in range(min(synonyms.longest, len(toks) - i), 0, -1):
            key = tuple(toks[i : i + size])
            if key in synonyms.entries:
                match = key
                break
        if match:
            syn_themes, syn_terms = synonyms.entries[match]
            content = [w for w in match if w not in QUERY_STOPWORDS]
            alternatives: list[Query] = [Term("themes", t, boost=2.0) for t in syn_themes]
            alternatives += [_term_query(t) for t in syn_terms]
            if content:
                own = [word_query(w) for w in content]
                alternatives.append(And(own) if len(own) > 1 else own[0])
            clauses.append(Or(alternatives))
            words.extend(content)
            themes.extend(t for t in syn_themes if t not in themes)
            highlight.update(_stem(w) for t in syn_terms for w in tokens(t))
            highlight.update(_stem(w) for w in content)
            i += len(match)
            continue
        word = toks[i]
        i += 1
        if word in QUERY_STOPWORDS or word in words:
            continue
        clauses.append(word_query(word))
        words.append(word)
        highlight.add(_stem(word))
    clauses = clauses[:MAX_WORDS]
    if not clauses:
        return Plan(words, None, None, highlight, themes)
    all_words = clauses[0] if len(clauses) == 1 else And(clauses)
    any_word = clauses[0] if len(clauses) == 1 else Or(clauses)
    return Plan(words, all_words, any_word, highlight, themes)


def known(searcher: Any, word: str, synonyms: SynonymTable) -> bool:
    """Is the word in the index or in the synonym table (so needs no spelling correction)?"""
    if word in synonyms.words or word.isdigit():
        return True
    reader = searcher.reader()
    stem = _stem(word)
    if any(reader.doc_frequency(f, stem) for f in STEMMED_FIELDS):
        return True
    if any(reader.doc_frequency(f, word) for f in PLAIN_FIELDS):
        return True
    if reader.doc_frequency("text_intl", word) or reader.doc_frequency("text_en", english_stem(word) or word):
        return True
    if len(word) >= 4 and any(True for _ in reader.expand_prefix("text_intl", word)):
        return True
    return any(True for _ in reader.expand_prefix("name_plain", word)) if len(word) >= 4 else False


def correct(searcher: Any, words: Sequence[str], fieldname: str, synonyms: SynonymTable) -> dict[str, str]:
    """The likeliest spelling of each unknown word, from the index's words and the synonyms."""
    from whoosh.spelling import ListCorrector

    # Words of the offer first, the synonym table second. (whoosh's MultiCorrector would merge
    # them, but in 2.7.5 it yields (word, score) pairs reversed and fails when sorting.)
    correctors = [searcher.corrector(fieldname), ListCorrector(sorted(synonyms.words))]
    found: dict[str, str] = {}
    for word in words:
        if len(word) < 4:
            continue
        maxdist = 2 if len(word) >= 7 else 1
        for corrector in correctors:
            suggestions = [s for s in corrector.suggest(word, limit=5, maxdist=maxdist, prefix=1) if s != word]
            if suggestions:
                # the closest spelling wins; among equals, the corrector's order (frequency)
                found[word] = min(suggestions, key=lambda s: edit_distance(word, s))
                break
    return found


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance. Hand-written (ten lines) because whoosh only exposes it as automata
    and a dependency for this one ranking step is not worth it."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def replace_words(text: str, corrections: Mapping[str, str]) -> str:
    """The visitor's text with the corrected words, for display and the corrected search."""
    words = tokens(normalise(text))
    return " ".join(corrections.get(w, w) for w in words)


def filter_query(filters: Mapping[str, Any]) -> Query | None:
    """Filters from validated parameters. Keys: kind, theme, gemeente, wijk (code, gemeente),
    place (wijk codes, gemeente), outside (bool), audience, access, cost, language, age."""
    parts: list[Query] = []
    for key, fieldname in (
        ("kind", "kind"),
        ("theme", "themes"),
        ("gemeente", "gemeenten"),
        ("audience", "audience"),
        ("access", "access"),
        ("cost", "cost"),
        ("language", "languages"),
    ):
        value = filters.get(key)
        if value:
            parts.append(Term(fieldname, value))
    wijk = filters.get("wijk")
    if wijk:
        parts.append(wijk_query(*wijk))
    place = filters.get("place")
    if place:
        parts.append(place_query(*place))
    if filters.get("outside"):
        parts.append(WIDE_OFFER)
    age = filters.get("age")
    if age is not None:
        parts.append(age_band_query(*age))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts)

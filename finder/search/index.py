"""The Whoosh index on disk: open, apply changes, rebuild atomically, search.

Layout under SEARCH_INDEX_DIR/v<SCHEMA_VERSION>/:
  gen-<stamp>/      one complete index generation, plus state.json (last applied change seq)
  CURRENT           the name of the generation readers use

A rebuild writes a new generation next to the live one and then swaps CURRENT with os.replace,
which is atomic: readers see either the old or the new index, never half of one. Open searchers
keep reading their old files until they finish (POSIX keeps unlinked files readable).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from whoosh import index as whoosh_index
from whoosh.highlight import ContextFragmenter, HtmlFormatter, highlight
from whoosh.query import Every, Query

from finder.search import query as q
from finder.search.executor import Executor, PostingCache, to_bitmask
from finder.search.schema import FACET_FIELDS, SCHEMA, SCHEMA_VERSION, SPELLING_FIELD, dutch_analyzer

log = logging.getLogger(__name__)

WRITE_LOCK_TIMEOUT = 30.0  # seconds a writer waits for another process's lock


class IndexUnavailable(Exception):
    """The index is missing or broken (a rebuild may be under way)."""


@dataclass
class SearchResult:
    ids: list[str]
    total: int
    page: int
    pagecount: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    mode: str = "and"  # and | or | corrected | browse | none
    corrected: str | None = None  # the query we searched instead of the visitor's words
    suggestion: str | None = None  # "Bedoelde je ...?" while results exist
    highlight_terms: frozenset[str] = frozenset()
    themes_hint: tuple[str, ...] = ()  # themes the visitor's words pointed at (synonyms)

    @property
    def out_of_range(self) -> bool:
        return self.total > 0 and self.page > self.pagecount


@dataclass
class _FacetValues:
    key: Any
    masks: dict[str, dict[str, int]]  # field -> value -> bitmask of documents
    age_bands: dict[str, int]

    def count(self, hits: int, wijk_options: tuple[tuple[str, str], ...]) -> dict[str, dict[str, int]]:
        """Facet counts of the matched documents `hits` (a bitmask)."""
        out: dict[str, dict[str, int]] = {}
        for name in FACET_FIELDS:
            counts = {value: (hits & mask).bit_count() for value, mask in self.masks.get(name, {}).items()}
            out[name] = {value: n for value, n in counts.items() if n}
        out["age"] = {key: (hits & band).bit_count() for key, band in self.age_bands.items()}
        if wijk_options:
            areas = self.masks.get("areas", {})
            out["wijk"] = {
                code: (hits & (areas.get(f"wijk:{code}", 0) | areas.get(f"gemeente:{gemeente}", 0))).bit_count()
                for code, gemeente in wijk_options
            }
        return out


class SearchIndex:
    def __init__(self, root: Path) -> None:
        self.root = root / f"v{SCHEMA_VERSION}"
        self._lock = threading.Lock()
        self._ix: Any = None
        self._opened: tuple[str, int] | None = None
        self._facet_cache: _FacetValues | None = None
        self._postings = PostingCache()
        self._local = threading.local()

    # -- opening -------------------------------------------------------------------------
    def _current_name(self) -> str | None:
        try:
            return (self.root / "CURRENT").read_text().strip() or None
        except FileNotFoundError:
            return None

    def _index(self) -> Any:
        """The open index of the current generation, reopened when CURRENT changed."""
        pointer = self.root / "CURRENT"
        try:
            stamp = pointer.stat().st_mtime_ns
        except FileNotFoundError as exc:
            raise IndexUnavailable("no index yet") from exc
        name = self._current_name()
        with self._lock:
            if self._ix is None or self._opened != (name, stamp):
                try:
                    self._ix = whoosh_index.open_dir(str(self.root / name))
                except Exception as exc:  # a broken generation must not break the site
                    raise IndexUnavailable(str(exc)) from exc
                self._opened = (name, stamp)
            return self._ix

    def state_token(self) -> Any:
        """Changes whenever what a search can find changes: a new generation or a new commit."""
        ix = self._index()
        return (self._opened, ix.latest_generation())

    def _searcher(self) -> Any:
        """A searcher of the current index state, kept per thread between requests.

        Opening one reads the table of contents and opens the segment files (~4 ms at 10k
        services); a kept one is used while `up_to_date()`, else closed and opened anew.
        (Not `Searcher.refresh()`: in Whoosh 2.7.5 the refreshed reader reuses segment readers
        with their old deletions, so an updated document is found twice.) Searchers are not
        shared between threads: they seek in shared file handles.
        """
        ix = self._index()
        kept = getattr(self._local, "searcher", None)
        if kept is not None:
            kept_ix, searcher = kept
            if kept_ix is ix and searcher.up_to_date():
                return searcher
            searcher.close()
        searcher = ix.searcher()
        self._local.searcher = (ix, searcher)
        return searcher

    def healthy(self) -> bool:
        try:
            self._searcher().doc_count()
            return True
        except Exception:
            return False

    def doc_count(self) -> int:
        return self._searcher().doc_count()

    # -- state: which change-log entries this node has applied ---------------------------
    def applied_seq(self) -> int:
        name = self._current_name()
        if not name:
            return 0
        try:
            return int(json.loads((self.root / name / "state.json").read_text())["applied_seq"])
        except (FileNotFoundError, ValueError, KeyError):
            return 0

    def _write_state(self, directory: Path, seq: int) -> None:
        tmp = directory / "state.json.tmp"
        tmp.write_text(json.dumps({"applied_seq": seq}))
        os.replace(tmp, directory / "state.json")

    # -- writing -------------------------------------------------------------------------
    def apply(self, upserts: Iterable[dict[str, Any]], deletes: Iterable[str], seq: int | None = None) -> None:
        """Write committed changes: documents to add or replace, ids to remove."""
        ix = self._index()
        writer = ix.writer(timeout=WRITE_LOCK_TIMEOUT)
        try:
            for doc_id in deletes:
                writer.delete_by_term("id", doc_id)
            for doc in upserts:
                writer.update_document(**doc)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        if seq is not None and seq > self.applied_seq():
            self._write_state(self.root / self._current_name(), seq)  # type: ignore[operator]

    def rebuild(self, documents: Iterable[dict[str, Any]], seq: int) -> int:
        """Build a new generation from `documents` and switch readers to it atomically."""
        self.root.mkdir(parents=True, exist_ok=True)
        name = f"gen-{time.time_ns()}"
        directory = self.root / name
        directory.mkdir()
        ix = whoosh_index.create_in(str(directory), SCHEMA)
        writer = ix.writer(limitmb=256)
        count = 0
        try:
            for doc in documents:
                writer.add_document(**doc)
                count += 1
        except BaseException:
            writer.cancel()
            shutil.rmtree(directory, ignore_errors=True)
            raise
        writer.commit()
        self._write_state(directory, seq)
        tmp = self.root / "CURRENT.tmp"
        tmp.write_text(name)
        os.replace(tmp, self.root / "CURRENT")
        self._cleanup(keep={name})
        log.info("search index rebuilt: %d documents in %s", count, name)
        return count

    def _cleanup(self, keep: set[str]) -> None:
        generations = sorted(p for p in self.root.glob("gen-*") if p.name not in keep)
        for old in generations[:-1]:  # keep one previous generation for readers still open
            shutil.rmtree(old, ignore_errors=True)

    # -- reading -------------------------------------------------------------------------
    def search(self, request: q.SearchQuery, synonyms: q.SynonymTable) -> SearchResult:
        """Run the visitor's words and filters: AND first, then OR, then spelling correction."""
        searcher = self._searcher()
        plan = q.build(request.text, synonyms)
        filt = q.filter_query(request.filters)
        if plan.empty:
            mode = "browse" if not request.text.strip() else "none"
            return self._run(searcher, Every(), filt, request, mode, plan)
        result = self._run(searcher, plan.all_words, filt, request, "and", plan)
        if result.total == 0:
            result = self._run(searcher, plan.any_word, filt, request, "or", plan)
        unknown = [w for w in plan.words if not q.known(searcher, w, synonyms)]
        if unknown:
            corrections = q.correct(searcher, unknown, SPELLING_FIELD, synonyms)
            corrected_text = q.replace_words(request.text, corrections)
            if corrections and corrected_text != request.text:
                if result.total == 0:
                    plan2 = q.build(corrected_text, synonyms)
                    result2 = self._run(searcher, plan2.all_words, filt, request, "corrected", plan2)
                    if result2.total == 0:
                        result2 = self._run(searcher, plan2.any_word, filt, request, "corrected", plan2)
                    if result2.total:
                        result2.corrected = corrected_text
                        return result2
                result.suggestion = corrected_text
        return result

    def _state(self, searcher: Any) -> Any:
        """Identifies the open index state: the generation, and its TOC (grows with every commit)."""
        return (self._opened, searcher.reader().generation())

    def _executor(self, searcher: Any) -> Executor:
        return Executor(searcher, self._postings, self._state(searcher))

    def _facet_values(self, ex: Executor) -> _FacetValues:
        """Per-document facet values of the open index state, as bitmasks, read once and cached.

        Whoosh's own grouping reads every posting of every facet field on every search, which
        grows with the catalogue (about 100 ms a search at 10k services); counting the matched
        documents against this table costs a few microseconds per facet value.
        """
        cached = self._facet_cache
        if cached is not None and cached.key == ex.state:
            return cached
        masks: dict[str, dict[str, int]] = {}
        for name in (*FACET_FIELDS, "areas"):
            table: dict[str, int] = {}
            if name in ex.reader.indexed_field_names():
                for value in ex.reader.lexicon(name):
                    text = value.decode("utf-8") if isinstance(value, bytes) else value
                    table[text] = to_bitmask(ex.term_mask(name, value))
            masks[name] = table
        bands = {key: to_bitmask(ex.mask(q.age_band_query(lo, hi))) for key, lo, hi in q.AGE_BANDS}
        cached = _FacetValues(ex.state, masks, bands)
        self._facet_cache = cached
        return cached

    def _run(
        self, searcher: Any, query: Query, filt: Query | None, request: q.SearchQuery, mode: str, plan: q.Plan
    ) -> SearchResult:
        ex = self._executor(searcher)
        allowed = ex.live if filt is None else ex.mask(filt) & ex.live
        point = request.point
        if point is not None and request.radius_km is not None:
            allowed = allowed & ex.within(point, request.radius_km)
        distance = ex.distances(point) if point is not None else None
        if mode in ("browse", "none"):
            matched = allowed
            # Without words: what serves most locally first, then the nearest, then by name.
            keys = [-ex.column("local"), *([distance] if distance is not None else []), ex.column("sortname")]
        else:
            found, score = ex.scored(query)
            matched = found & allowed
            if distance is not None and request.sort == "distance":
                keys = [distance, -score]
            else:  # relevance, then distance
                keys = [-score, *([distance] if distance is not None else [])]
        start = (request.page - 1) * request.per_page
        docs = [int(d) for d in ex.order(matched, keys)[start : start + request.per_page]]
        total = int(np.count_nonzero(matched))
        ids = [searcher.stored_fields(doc)["id"] for doc in docs]
        facets = self._facet_values(ex).count(to_bitmask(matched), request.wijk_options) if total else {}
        pagecount = max(1, -(-total // request.per_page))
        return SearchResult(
            ids=ids,
            total=total,
            page=request.page,
            pagecount=pagecount,
            facets=facets,
            mode=mode,
            highlight_terms=frozenset(plan.highlight_terms),
            themes_hint=tuple(plan.themes),
        )

    def count(self, request: q.SearchQuery, synonyms: q.SynonymTable) -> int:
        """How many results the request would give (AND, then OR), for "fewer filters" hints."""
        searcher = self._searcher()
        ex = self._executor(searcher)
        plan = q.build(request.text, synonyms)
        allowed = ex.live
        if request.filters:
            filt = q.filter_query(request.filters)
            if filt is not None:
                allowed = allowed & ex.mask(filt)
        if plan.empty:
            return int(np.count_nonzero(allowed))
        total = int(np.count_nonzero(ex.mask(plan.all_words) & allowed))
        return total or int(np.count_nonzero(ex.mask(plan.any_word) & allowed))


_formatter = HtmlFormatter(tagname="mark", between=" … ")
_fragmenter = ContextFragmenter(maxchars=200, surround=60)
_highlight_analyzer = dutch_analyzer()


def snippet(text: str, terms: frozenset[str]) -> str | None:
    """An HTML snippet of `text` with the matched words in <mark>; the text is HTML-escaped."""
    if not terms or not text:
        return None
    found = highlight(text, terms, _highlight_analyzer, _fragmenter, _formatter, top=2)
    return found or None

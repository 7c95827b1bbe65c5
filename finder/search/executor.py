"""Run our query objects over cached posting arrays instead of Whoosh's matcher trees.

Why by hand: Whoosh finds and scores documents by walking a tree of Python matcher objects,
one call per document per node. At 10 000 services a three-word question with synonyms visits
that tree ~100 000 times (150–180 ms), and the total and the facets need a second walk. Here a
term's postings (document numbers and weights) are read once per index segment into numpy
arrays and kept; a query is then a handful of array operations: AND/OR are boolean masks, BM25F
scores are summed the way Whoosh's And and Or matchers sum them, and the top of the ranking is an
argsort. The scores are Whoosh's own (same formula, idf and field lengths; tests compare them
with `searcher.search`), so ranking does not change, only its cost.

Only the query classes finder.search.query builds are understood (Term, And, Or, Prefix,
Every); anything else is asked of Whoosh once per index state and kept as a mask.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import numpy as np
from whoosh.query import And, Every, Or, Prefix, Query, Term
from whoosh.scoring import BM25F

from finder.geo.distance import bounding_box, distance_km

MAX_CACHED_TERMS = 20_000  # per process; one entry is a term's postings in one segment


class _LRU:
    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


class PostingCache:
    """Postings and field lengths per index segment, shared by all searches of a process.

    A segment's files never change. Its deletions do (an update deletes the old document), so
    postings are keyed by the segment and its number of deletions; field lengths by the segment.
    """

    def __init__(self, size: int = MAX_CACHED_TERMS) -> None:
        self.postings = _LRU(size)
        self.lengths = _LRU(256)
        self.per_state = _LRU(64)  # (index state, name) -> anything derived from one index state

    def clear(self) -> None:
        self.postings.clear()
        self.lengths.clear()
        self.per_state.clear()


def _segment_key(reader: Any) -> tuple[str, int]:
    segment = reader.segment()
    return (segment.segment_id(), segment.deleted_count())


class Executor:
    """Masks and scores over the documents of one open searcher (global document numbers)."""

    def __init__(self, searcher: Any, cache: PostingCache, state: Any) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.schema = searcher.schema
        self.cache = cache
        self.state = state
        self.n = self.reader.doc_count_all()
        self.leaves = list(self.reader.leaf_readers())
        weighting = searcher.weighting
        if not isinstance(weighting, BM25F):  # pragma: no cover - SearchIndex always uses BM25F
            raise TypeError("the executor only knows BM25F scoring")
        self.weighting = weighting

    # -- per index state ---------------------------------------------------------------------
    def _per_state(self, name: Any, make: Any) -> Any:
        key = (self.state, name)
        value = self.cache.per_state.get(key)
        if value is None:
            value = make()
            self.cache.per_state.put(key, value)
        return value

    @property
    def live(self) -> np.ndarray:
        """The documents that are not deleted."""

        def make() -> np.ndarray:
            mask = np.ones(self.n, dtype=bool)
            for reader, offset in self.leaves:
                deleted = list(reader.deleted_docs_set) if reader.has_deletions() else []
                if deleted:
                    mask[np.asarray(deleted, dtype=np.int64) + offset] = False
            return mask

        return self._per_state("live", make)

    # -- one term --------------------------------------------------------------------------
    def _segment_postings(self, reader: Any, fieldname: str, btext: bytes) -> tuple[np.ndarray, np.ndarray]:
        key = (_segment_key(reader), fieldname, btext)
        found = self.cache.postings.get(key)
        if found is None:
            ids: list[int] = []
            weights: list[float] = []
            if (fieldname, btext) in reader:
                m = reader.postings(fieldname, btext)  # skips deleted documents
                while m.is_active():
                    ids.append(m.id())
                    weights.append(m.weight())
                    m.next()
            found = (np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64))
            self.cache.postings.put(key, found)
        return found

    def _segment_lengths(self, reader: Any, fieldname: str) -> np.ndarray:
        key = (reader.segment().segment_id(), fieldname)
        found = self.cache.lengths.get(key)
        if found is None:
            found = np.fromiter(
                (reader.doc_field_length(d, fieldname, 1) for d in range(reader.doc_count_all())),
                dtype=np.float64,
                count=reader.doc_count_all(),
            )
            self.cache.lengths.put(key, found)
        return found

    def _term(self, fieldname: str, btext: bytes, boost: float, scored: bool) -> tuple[np.ndarray, np.ndarray | None]:
        mask = np.zeros(self.n, dtype=bool)
        score = np.zeros(self.n) if scored else None
        field = self.schema[fieldname]
        if scored and field.scorable:
            text = btext.decode("utf-8")
            idf = self.searcher.idf(fieldname, text)
            avgfl = self.searcher.avg_field_length(fieldname) or 1
            b = self.weighting._field_B.get(fieldname, self.weighting.B)
            k1 = self.weighting.K1
        for reader, offset in self.leaves:
            ids, weights = self._segment_postings(reader, fieldname, btext)
            if not len(ids):
                continue
            mask[ids + offset] = True
            if score is None:
                continue
            if field.scorable:  # Whoosh's scoring.bm25, vectorised
                lengths = self._segment_lengths(reader, fieldname)[ids]
                values = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avgfl)))
            else:  # keyword fields score their weight, as Whoosh's WeightScorer
                values = weights
            score[ids + offset] = values * boost
        return mask, score

    def term_mask(self, fieldname: str, btext: bytes) -> np.ndarray:
        return self._term(fieldname, btext, 1.0, scored=False)[0]

    # -- queries ---------------------------------------------------------------------------
    def mask(self, query: Query) -> np.ndarray:
        """The documents that match `query` (not scored)."""
        return self._eval(query, scored=False)[0]

    def scored(self, query: Query) -> tuple[np.ndarray, np.ndarray]:
        """Matching documents and their scores (zero where they do not match)."""
        mask, score = self._eval(query, scored=True)
        return mask, (score if score is not None else np.zeros(self.n))

    def _eval(self, query: Query, scored: bool) -> tuple[np.ndarray, np.ndarray | None]:
        if isinstance(query, Term):
            if query.fieldname not in self.schema:
                return np.zeros(self.n, dtype=bool), (np.zeros(self.n) if scored else None)
            try:
                btext = self.schema[query.fieldname].to_bytes(query.text)
            except ValueError:
                return np.zeros(self.n, dtype=bool), (np.zeros(self.n) if scored else None)
            return self._term(query.fieldname, btext, query.boost, scored)
        if isinstance(query, (And, Or)) and query.subqueries:
            parts = [self._eval(sub, scored) for sub in query.subqueries]
            masks = [m for m, _ in parts]
            mask = np.logical_and.reduce(masks) if isinstance(query, And) else np.logical_or.reduce(masks)
            if not scored:
                return mask, None
            score = np.sum([s for _, s in parts], axis=0)
            if isinstance(query, And):
                score = np.where(mask, score, 0.0)  # an AND scores only where all parts match
            return mask, score * query.boost
        if isinstance(query, Prefix):
            # A prefix is the OR of the words it expands to, each scored by BM25F. (Whoosh scores
            # it so from 5 000 documents up, or with two words, and as a constant below that;
            # one rule at every size keeps rankings the same as the catalogue grows.)
            mask = np.zeros(self.n, dtype=bool)
            score = np.zeros(self.n) if scored else None
            for btext in self.reader.expand_prefix(query.fieldname, query.text):
                m, s = self._term(query.fieldname, btext, query.boost, scored)
                mask |= m
                if score is not None:
                    score += s
            return mask, score
        if isinstance(query, Every):
            return self.live, (np.zeros(self.n) if scored else None)
        # Anything else (numeric ranges): ask Whoosh once per index state.
        mask = self._per_state(("docs", query), lambda: self._docs_mask(query))
        return mask, (mask * float(query.boost) if scored else None)

    def _docs_mask(self, query: Query) -> np.ndarray:
        mask = np.zeros(self.n, dtype=bool)
        docs = list(self.searcher.docs_for_query(query))
        if docs:
            mask[np.asarray(docs, dtype=np.int64)] = True
        return mask

    # -- places ---------------------------------------------------------------------------
    def _point_rows(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Every address point in the index: (document, latitude, longitude) arrays."""

        def make() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            docs: list[int] = []
            lats: list[float] = []
            lons: list[float] = []
            if "points" in self.schema:
                column = self.reader.column_reader("points")
                for doc in range(self.n):
                    value = column[doc]
                    text = value.decode("utf-8") if isinstance(value, bytes) else (value or "")
                    for pair in filter(None, text.split("|")):
                        lat, lon = pair.split(",")
                        docs.append(doc)
                        lats.append(float(lat))
                        lons.append(float(lon))
            return np.asarray(docs, dtype=np.int64), np.asarray(lats), np.asarray(lons)

        return self._per_state("points", make)

    def distances(self, point: tuple[float, float]) -> np.ndarray:
        """Each document's distance in km from `point` to its nearest address; inf without one."""

        def make() -> np.ndarray:
            docs, lats, lons = self._point_rows()
            out = np.full(self.n, np.inf)
            if len(docs):
                pairs = zip(lats, lons, strict=True)
                km = np.fromiter((distance_km(point, (a, b)) for a, b in pairs), float, len(docs))
                np.minimum.at(out, docs, km)
            return out

        return self._per_state(("distances", round(point[0], 6), round(point[1], 6)), make)

    def within(self, point: tuple[float, float], km: float) -> np.ndarray:
        """Documents with an address within `km` of `point`: a bounding box first, then geopy."""
        docs, lats, lons = self._point_rows()
        mask = np.zeros(self.n, dtype=bool)
        min_lat, max_lat, min_lon, max_lon = bounding_box(point, km)
        candidates = np.flatnonzero((lats >= min_lat) & (lats <= max_lat) & (lons >= min_lon) & (lons <= max_lon))
        for i in candidates:
            if not mask[docs[i]] and distance_km(point, (lats[i], lons[i])) <= km:
                mask[docs[i]] = True
        return mask

    # -- ranking ---------------------------------------------------------------------------
    def column(self, name: str) -> np.ndarray:
        """A sortable field as numbers that sort like its values (numbers as is, text by rank)."""

        def make() -> np.ndarray:
            column = self.reader.column_reader(name)
            values = [column[d] for d in range(self.n)]
            if all(isinstance(v, int | float) for v in values):
                return np.asarray(values, dtype=np.float64)
            return np.unique(np.asarray(values, dtype=object), return_inverse=True)[1].astype(np.float64)

        return self._per_state(("column", name), make)

    def order(self, mask: np.ndarray, keys: list[np.ndarray]) -> np.ndarray:
        """The matching documents sorted by `keys` (first key first; all ascending), then by
        document number, as Whoosh breaks ties."""
        docs = np.flatnonzero(mask)
        if not len(docs) or not keys:
            return docs
        return docs[np.lexsort((docs, *(key[docs] for key in reversed(keys))))]


def to_bitmask(mask: np.ndarray) -> int:
    """A boolean array as one integer (bit i = document i), for counting overlaps fast."""
    return int.from_bytes(np.packbits(mask, bitorder="little").tobytes(), "little")

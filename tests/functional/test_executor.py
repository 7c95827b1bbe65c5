"""The array executor finds and scores exactly what Whoosh's own searcher finds and scores."""

from pathlib import Path

import numpy as np
import pytest
from whoosh import sorting
from whoosh.query import And, Every, Or, Prefix, Term

from finder.catalogue import search as catalogue_search
from finder.search import SearchIndex, current_index
from finder.search import query as q
from finder.search.executor import Executor, PostingCache

QUESTIONS = [
    "scheiding",
    "ruzie over de kinderen na de scheiding",
    "geen geld voor sport",
    "jongerenwerk",
    "eenzaam",
    "opvoeden peuter",
    "schulden",
    "huiswerk hulp",
    "jongeren",
    "maatje voor mijn kind",
]
FILTERS = [
    {},
    {"gemeente": "velsen"},
    {"kind": "armoedevoorziening", "gemeente": "haarlem"},
    {"age": (12, 17)},
    {"wijk": ("WK036103", "heemskerk")},
]


def expanded(query, reader):
    """The query with each prefix written out as the OR of its words: the executor's rule at every
    index size (Whoosh's own prefix scoring changes with the number of documents)."""
    if isinstance(query, Prefix):
        expansions = reader.expand_prefix(query.fieldname, query.text)
        words = [Term(query.fieldname, w.decode(), boost=query.boost) for w in expansions]
        return Or(words) if len(words) != 1 else words[0]
    if isinstance(query, (And, Or)):
        return type(query)([expanded(sub, reader) for sub in query.subqueries], boost=query.boost)
    return query


def assert_same_as_whoosh(searcher, ex: Executor, query, filt) -> None:
    hits = searcher.search(expanded(query, searcher.reader()), filter=filt, limit=None)
    expected = {hit.docnum: hit.score for hit in hits}
    mask, score = ex.scored(query)
    if filt is not None:
        mask = mask & ex.mask(filt)
    assert set(np.flatnonzero(mask).tolist()) == set(expected), str(query)
    for doc, value in expected.items():
        assert score[doc] == pytest.approx(value, rel=1e-9), (str(query), doc)
    ours = [int(d) for d in ex.order(mask, [-score])[:10]]
    # Same ranking: by score, ties by document number (rounded so float noise cannot reorder).
    theirs = sorted(expected, key=lambda d: (-round(expected[d], 9), d))[:10]
    assert [round(score[d], 9) for d in ours] == [round(expected[d], 9) for d in theirs]


def test_real_catalogue_questions_match_whoosh(catalogue):
    synonyms = catalogue_search.synonym_table()
    index = current_index()
    checked = 0
    with index._index().searcher() as searcher:
        ex = Executor(searcher, PostingCache(), "test")
        for text in QUESTIONS:
            plan = q.build(text, synonyms)
            assert not plan.empty
            for filters in FILTERS:
                filt = q.filter_query(filters)
                for query in (plan.all_words, plan.any_word):
                    assert_same_as_whoosh(searcher, ex, query, filt)
                    checked += 1
    assert checked == len(QUESTIONS) * len(FILTERS) * 2


def _doc(n: int, text: str, kind: str = "overig") -> dict:
    return {"id": f"doc-{n}", "name": text, "name_plain": text, "text_stemmed": text, "text_plain": text,
            "kind": kind, "sortname": text.casefold(), "local": n % 3, "min_age": 0, "max_age": 120}


def test_segments_and_deletions(tmp_path: Path):
    """Updates write new segments and delete old documents: masks, scores and caches follow."""
    index = SearchIndex(tmp_path)
    index.rebuild([_doc(i, f"scheiding spreekuur {i}" if i % 2 else f"jongerenwerk buurt {i}") for i in range(40)], 0)
    cache = PostingCache()

    def check(query, expected_ids=None):
        with index._index().searcher() as searcher:
            ex = Executor(searcher, cache, (index._opened, searcher.reader().generation()))
            assert_same_as_whoosh(searcher, ex, query, None)
            mask, _ = ex.scored(query)
            found = {searcher.stored_fields(int(d))["id"] for d in np.flatnonzero(mask)}
            if expected_ids is not None:
                assert found == expected_ids
            return found

    scheiding = Term("text_stemmed", "scheiding")
    assert len(check(scheiding)) == 20
    index.apply([_doc(1, "jongerenwerk sport"), _doc(41, "scheiding en ouderschap")], ["doc-3"])
    found = check(scheiding)
    assert "doc-1" not in found and "doc-3" not in found and "doc-41" in found and len(found) == 19
    check(Or([Term("name", "jongerenwerk"), Prefix("name_plain", "sch")]))
    check(And([Term("text_plain", "sport"), Term("kind", "overig")]), {"doc-1"})
    with index._index().searcher() as searcher:
        ex = Executor(searcher, cache, "after")
        assert int(np.count_nonzero(ex.mask(Every()))) == 40  # 40 - 1 deleted + 1 new
        assert searcher.reader().doc_count_all() > 40  # deleted documents are still in a segment
        ranked = ex.order(ex.live, [-ex.column("local"), ex.column("sortname")])[:5]
        browse = [searcher.stored_fields(int(d))["id"] for d in ranked]
        assert browse == ["doc-14", "doc-2", "doc-20", "doc-26", "doc-32"]  # local 2 first, then by name
        order = [sorting.FieldFacet("local", reverse=True), sorting.FieldFacet("sortname")]
        assert browse == [hit["id"] for hit in searcher.search(Every(), sortedby=order, limit=5)]

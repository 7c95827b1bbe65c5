from whoosh.query import And, Or, Term

from finder.search.query import SynonymTable, build, filter_query, normalise, replace_words, tokens


def test_normalise_removes_control_characters_and_cuts_length():
    assert normalise("a\x00b\x1f  c\t", 200) == "a b c"
    assert len(normalise("x" * 1000, 200)) == 200


def test_tokens_fold_accents_and_case():
    assert tokens("Één café, Scheiding!") == ["een", "cafe", "scheiding"]


def test_operators_and_quotes_are_plain_words():
    plan = build('"(voetbal* [zwemles]', SynonymTable())
    assert plan.words == ["voetbal", "zwemles"]  # words like any other; the punctuation is dropped
    plan = build("jongerenwerk OR sport NOT voetbal", SynonymTable())
    # OR and NOT are no operators: (English) stopwords, so every other word is still required
    assert plan.words == ["jongerenwerk", "sport", "voetbal"]
    assert isinstance(plan.all_words, And) and len(plan.all_words.subqueries) == 3


def test_stopwords_are_not_required():
    plan = build("ruzie over de kinderen na de scheiding", SynonymTable())
    assert plan.words == ["ruzie", "kinderen", "scheiding"]
    assert isinstance(plan.all_words, And) and isinstance(plan.any_word, Or)


def test_synonym_phrase_can_stand_in_for_its_words():
    table = SynonymTable.from_rows([("ruzie over de kinderen", ["scheiding"], ["ouderschapsplan"])])
    plan = build("ruzie over de kinderen na de scheiding", table)
    assert plan.themes == ["scheiding"]
    first = plan.all_words.subqueries[0]
    assert Term("themes", "scheiding", boost=2.0) in first.subqueries


def test_filter_query_combines_filters_with_and():
    q = filter_query({"kind": "jongerenwerk", "gemeente": "velsen", "age": (14, 14)})
    assert isinstance(q, And)
    assert Term("kind", "jongerenwerk") in q.subqueries
    assert filter_query({}) is None


def test_wijk_filter_accepts_wijk_and_whole_gemeente_offers():
    q = filter_query({"wijk": ("WK036103", "alkmaar")})
    assert q == Or([Term("areas", "wijk:WK036103"), Term("areas", "gemeente:alkmaar")])


def test_replace_words_uses_corrections():
    assert replace_words("Scheidng regelen", {"scheidng": "scheiding"}) == "scheiding regelen"


def test_edit_distance():
    from finder.search.query import edit_distance

    assert edit_distance("scheidng", "scheiding") == 1
    assert edit_distance("scheidng", "scheiden") == 2
    assert edit_distance("jongerwerk", "jongerenwerk") == 2

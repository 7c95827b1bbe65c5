"""Kept search pages: served again only while nothing they were made from has changed."""

from sqlalchemy import select

from finder import models
from finder.catalogue import insight
from finder.catalogue import search as catalogue_search
from finder.extensions import db
from finder.web import pagecache


def count_renders(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = catalogue_search.search_services

    def counting(req):
        calls.append(req.text)
        return real(req)

    monkeypatch.setattr(catalogue_search, "search_services", counting)
    return calls


def test_same_question_is_served_from_the_cache_and_still_counted(app, client, monkeypatch):
    calls = count_renders(monkeypatch)
    first = client.get("/zoeken?q=spreekuur")
    second = client.get("/zoeken?q=spreekuur")
    assert first.status_code == second.status_code == 200
    assert second.get_data() == first.get_data()
    assert calls == ["spreekuur"]  # searched and rendered once
    assert second.headers["Content-Security-Policy"]  # headers are made per response
    assert insight._buffer().counts[("spreekuur", False)] == 2  # search insight counts both
    client.get("/zoeken?q=spreekuur&gemeente=velsen")
    assert calls == ["spreekuur", "spreekuur"]  # another URL is another page


def test_a_committed_change_shows_at_once(app, client, monkeypatch):
    calls = count_renders(monkeypatch)
    assert b"Spreekuur scheiding Velsen" in client.get("/zoeken?q=spreekuur").data
    service = db.session.scalar(select(models.Service).where(models.Service.slug == "test-scheidingsspreekuur"))
    service.name = "Spreekuur omgang Velsen"
    db.session.commit()
    page = client.get("/zoeken?q=spreekuur").data
    assert b"Spreekuur omgang Velsen" in page and b"Spreekuur scheiding Velsen" not in page
    assert len(calls) == 2
    service.status = "gearchiveerd"
    db.session.commit()
    assert b"Spreekuur omgang Velsen" not in client.get("/zoeken?q=spreekuur").data


def test_bad_input_and_errors_are_not_confused_with_good_pages(app, client):
    bad = client.get("/zoeken?q=spreekuur&leeftijd=abc")
    assert bad.status_code == 400
    assert client.get("/zoeken?q=spreekuur&leeftijd=abc").status_code == 400  # kept with its status
    assert client.get("/zoeken?q=spreekuur").status_code == 200


def test_cache_can_be_switched_off(app, client, monkeypatch):
    app.config["SEARCH_PAGE_CACHE_SIZE"] = 0
    calls = count_renders(monkeypatch)
    client.get("/zoeken?q=spreekuur")
    client.get("/zoeken?q=spreekuur")
    assert calls == ["spreekuur", "spreekuur"]


def test_oldest_pages_make_room():
    kept = pagecache.PageCache(size=2, max_age=60)
    for n in range(3):
        kept.put(n, f"page {n}", 200, "", 1)
    assert kept.get(0) is None and kept.get(1).body == "page 1" and kept.get(2).body == "page 2"
    expired = pagecache.PageCache(size=2, max_age=0)
    expired.put("a", "x", 200, "", 1)
    assert expired.get("a") is None

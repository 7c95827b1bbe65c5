"""Professionals: referral facts at a glance, a shortlist without an account, a handout in the
client's language with a QR code to the live list."""

import re

from sqlalchemy import select

from finder import models
from finder.catalogue import queries, shortlist
from finder.catalogue.translation_text import fingerprint
from finder.extensions import db


def test_professional_view_has_the_referral_facts_in_one_line(client):
    html = client.get("/professionals/zoeken?q=spreekuur").get_data(as_text=True)
    facts = re.search(r'class="referral-facts">(.*?)</p>', html, re.S).group(1)
    facts = " ".join(re.sub(r"<[^>]+>", "", facts).split())
    assert facts.startswith("Voor: Ouders en opvoeders · Vrij toegankelijk · Gratis · Talen: Nederlands")
    assert "Laatst gecontroleerd:" in facts
    assert 'href="/zoeken?q=spreekuur">Gewone weergave</a>' in html
    assert 'action="/professionals/zoeken"' in html  # the search form stays in this view
    # filters on the referral facts: access and cost
    narrowed = client.get("/professionals/zoeken?q=&toegang=aanmelden").get_data(as_text=True)
    assert "Wijkmaatje Overdie" in narrowed and "Spreekuur scheiding Velsen" not in narrowed
    assert client.get("/professionals").headers["Location"].endswith("/professionals/zoeken")


def test_detail_page_says_how_to_refer_and_what_is_unknown(client):
    html = client.get("/aanbod/test-wijkmaatje-overdie").get_data(as_text=True)
    block = re.search(r'<section aria-labelledby="verwijzen".*?</section>', html, re.S).group(0)
    assert "Aanmelden nodig" in block
    assert "Niet bekend. Vraag het de organisatie." in block  # no conditions known: says so
    assert "Meld je kind aan." in block  # what happens next: the offer's own how-to-get


def test_shortlist_without_javascript_or_account(client):
    added = client.post("/lijst/toevoegen", data={"slug": "test-scheidingsspreekuur", "next": "/zoeken?q=x"})
    assert added.status_code == 303 and added.headers["Location"] == "/zoeken?q=x"
    cookie = added.headers["Set-Cookie"]
    assert "lijst=" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "test-scheidingsspreekuur" not in cookie  # signed and encoded, not a readable list
    client.post("/lijst/toevoegen", data={"slug": "test-hulplijn"})
    client.post("/lijst/toevoegen", data={"slug": "bestaat-niet"})  # unknown: ignored
    page = client.get("/lijst").get_data(as_text=True)
    assert "Mijn lijst (2)" in page and "Spreekuur scheiding Velsen" in page and "Test Hulplijn" in page
    share = re.search(r'value="(http://localhost/lijst\?ids=[^"]+)"', page).group(1)
    assert share.endswith("ids=test-scheidingsspreekuur,test-hulplijn")
    client.post("/lijst/verwijderen", data={"slug": "test-hulplijn"})
    assert "Mijn lijst (1)" in client.get("/lijst").get_data(as_text=True)
    # the share link works anywhere: a new visitor sees the list and may keep it
    other = client.application.test_client()
    shared = other.get(share.removeprefix("http://localhost")).get_data(as_text=True)
    assert "Test Hulplijn" in shared and "Bewaar deze lijst in mijn browser" in shared
    other.post("/lijst/toevoegen", data={"ids": "test-scheidingsspreekuur,test-hulplijn"})
    assert "Mijn lijst (2)" in other.get("/lijst").get_data(as_text=True)


def test_shortlist_refuses_forgeries_and_foreign_redirects(app, client):
    forged = client.post("/lijst/toevoegen", data={"slug": "test-hulplijn"}, headers={"Origin": "https://evil.example"})
    assert forged.status_code == 400
    away = client.post("/lijst/toevoegen", data={"slug": "test-hulplijn", "next": "//evil.example/x"})
    assert away.headers["Location"] == "/lijst"
    client.set_cookie("lijst", "tampered.value")
    assert "Mijn lijst (0)" in client.get("/lijst").get_data(as_text=True)
    with app.test_request_context():
        too_many = shortlist.read(shortlist.write([f"s{i}" for i in range(100)]))
    assert len(too_many) == shortlist.MAX_ITEMS


def test_search_pages_show_the_visitors_own_list(client):
    client.get("/zoeken?q=spreekuur")  # kept by the page cache for visitors without a list
    client.post("/lijst/toevoegen", data={"slug": "test-scheidingsspreekuur"})
    html = client.get("/zoeken?q=spreekuur").get_data(as_text=True)
    assert "Haal van mijn lijst" in html and "Mijn lijst (1)" in html
    assert "csrf_token" not in html  # no per-visitor token in a page the cache may share


def test_handout_in_the_clients_language_with_qr_code(app, client):
    service = db.session.scalar(select(models.Service).where(models.Service.slug == "test-scheidingsspreekuur"))
    source = fingerprint([service.name, service.summary, service.how_to_get])
    for field, text in (("name", "جلسة استشارة"), ("summary", "موعد للآباء."), ("how_to_get", "تعال في الموعد.")):
        db.session.add(models.Translation(entity_type="service", entity_id=service.id, field=field, locale="ar",
                                          text=text, status="machine", source_hash=source))
    db.session.commit()
    queries.forget_cached()
    client.post("/lijst/toevoegen", data={"slug": "test-scheidingsspreekuur"})
    html = client.get("/lijst/uitdraai?voor=ar").get_data(as_text=True)  # the page itself is Dutch
    assert '<html lang="ar" dir="rtl">' in html
    assert "جلسة استشارة" in html and "تعال في الموعد." in html
    assert "<svg" in html and 'aria-label=' in html  # the QR code, drawn on the server
    assert "http://localhost/ar/lijst?ids=test-scheidingsspreekuur" in html
    assert '<nav' not in html  # no navigation chrome on paper
    assert client.get("/lijst/uitdraai?voor=xx").status_code == 400
    dutch = client.get("/lijst/uitdraai?voor=nl&ids=test-hulplijn").get_data(as_text=True)
    assert '<html lang="nl" dir="ltr">' in dutch and "Test Hulplijn voor armoede" in dutch
    assert "http://localhost/lijst?ids=test-hulplijn" in dutch
    assert 'lang="nl"' in client.get("/lijst").get_data(as_text=True)  # the page language is untouched

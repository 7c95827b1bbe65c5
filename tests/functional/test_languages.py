"""The language is in the URL, remembered in a functional cookie, and followed on a first visit;
content appears in the visitor's language where a current translation exists."""

import re

from sqlalchemy import select

from finder import models
from finder.catalogue import queries
from finder.catalogue.translation_text import fingerprint
from finder.extensions import db
from finder.i18n import LANGUAGES


def add_translation(service: models.Service, locale: str, texts: dict[str, str], status: str = "machine") -> None:
    source = fingerprint([service.name, service.summary, service.how_to_get])
    for field, text in texts.items():
        db.session.add(models.Translation(entity_type="service", entity_id=service.id, field=field, locale=locale,
                                          text=text, status=status, source_hash=source))
    db.session.commit()
    queries.forget_cached()


def spreekuur() -> models.Service:
    return db.session.scalar(select(models.Service).where(models.Service.slug == "test-scheidingsspreekuur"))


def test_language_prefix_cookie_and_first_visit(app):
    client = app.test_client()
    first = client.get("/zoeken?q=spreekuur", headers={"Accept-Language": "uk,en;q=0.5"})
    assert first.status_code == 302 and first.headers["Location"] == "/uk/zoeken?q=spreekuur"
    page = client.get("/uk/zoeken?q=spreekuur")
    assert page.status_code == 200 and "taal=uk" in page.headers["Set-Cookie"]
    assert client.get("/").headers["Location"] == "/uk/"  # the cookie wins over the browser
    back = client.get("/nl/over")  # choosing Dutch in the switcher
    assert back.status_code == 302 and back.headers["Location"] == "/over" and "taal=nl" in back.headers["Set-Cookie"]
    dutch = client.get("/over", headers={"Accept-Language": "ar"})
    assert dutch.status_code == 200 and 'lang="nl"' in dutch.get_data(as_text=True)
    assert "Cookie" in dutch.headers["Vary"] and "Accept-Language" in dutch.headers["Vary"]
    # a browser that prefers a language we do not have gets Dutch
    assert app.test_client().get("/", headers={"Accept-Language": "de,fr"}).status_code == 200


def test_every_language_has_its_pages_direction_and_alternates(client):
    for code, language in LANGUAGES.items():
        url = "/aanbod/test-scheidingsspreekuur" if code == "nl" else f"/{code}/aanbod/test-scheidingsspreekuur"
        html = client.get(url).get_data(as_text=True)
        assert f'<html lang="{code}" dir="{language.dir}">' in html, code
        for other in LANGUAGES:  # hreflang alternates of this page, Dutch without prefix
            href = "/aanbod/test-scheidingsspreekuur" if other == "nl" else f"/{other}/aanbod/test-scheidingsspreekuur"
            assert f'hreflang="{other}" href="http://localhost{href}"' in html, (code, other)
        assert 'hreflang="x-default" href="http://localhost/aanbod/test-scheidingsspreekuur"' in html
        # the switcher: endonyms with their own lang and direction, no flags
        switcher = re.search(r'<nav class="language-switcher.*?</nav>', html, re.S).group(0)
        for other, lang in LANGUAGES.items():
            assert f'lang="{other}" hreflang="{other}" dir="{lang.dir}"' in switcher and lang.name in switcher
        assert "<img" not in switcher and "🇳" not in switcher
        assert 'href="tel:0800-2000"' in html  # phone numbers stay links, isolated in <bdi> on detail pages
    assert 'dir="rtl"' in client.get("/ar/").get_data(as_text=True)


def test_links_stay_in_the_language(client):
    html = client.get("/ar/zoeken?q=spreekuur").get_data(as_text=True)
    main = html.split("<main", 1)[1].split("</main>")[0]
    links = re.findall(r'<a href="(/[^"#]*)"(?![^>]*hreflang="nl")', main)  # not the "read it in Dutch" link
    assert links and all(link.startswith("/ar/") for link in links), links[:10]
    assert '<a href="/nl/zoeken?q=spreekuur" lang="nl" hreflang="nl">' in main  # the Dutch original


def test_translated_content_with_label_and_dutch_one_click_away(app, client):
    add_translation(spreekuur(), "en", {
        "name": "Divorce consultation Velsen", "summary": "A consultation hour for parents who separate.",
        "how_to_get": "Walk in during the consultation hour.",
    })
    html = client.get("/en/aanbod/test-scheidingsspreekuur").get_data(as_text=True)
    assert "<h1>Divorce consultation Velsen</h1>" in html
    assert "Walk in during the consultation hour." in html
    assert 'class="machine-label"' in html and 'href="/nl/aanbod/test-scheidingsspreekuur"' in html
    # the Dutch description is marked as Dutch inside the English page
    assert '<div class="richtext" lang="nl" dir="ltr"><p>Je praat met een coach' in html
    results = client.get("/en/zoeken?q=consultation").get_data(as_text=True)
    assert "Divorce consultation Velsen" in results  # found by its English words, shown in English


def test_stale_translation_falls_back_to_dutch_with_a_notice(app, client):
    service = spreekuur()
    add_translation(service, "en", {
        "name": "Divorce consultation Velsen", "summary": "A consultation hour.", "how_to_get": "Walk in.",
    })
    service.summary = "Een spreekuur voor ouders die uit elkaar gaan, nu ook op zaterdag."
    db.session.commit()
    queries.forget_cached()
    html = client.get("/en/aanbod/test-scheidingsspreekuur").get_data(as_text=True)
    assert '<h1 lang="nl" dir="ltr">Spreekuur scheiding Velsen</h1>' in html
    assert "nu ook op zaterdag" in html and "Divorce consultation" not in html
    assert 'class="notice"' in html
    # the stale English words no longer find it either (the index follows the database)
    assert "Spreekuur scheiding Velsen" not in client.get("/en/zoeken?q=consultation").get_data(as_text=True)


def test_reviewed_translation_has_no_machine_label(app, client):
    texts = {"name": "Консультація", "summary": "Консультація для батьків.", "how_to_get": "Приходьте."}
    add_translation(spreekuur(), "uk", texts, status="reviewed")
    html = client.get("/uk/aanbod/test-scheidingsspreekuur").get_data(as_text=True)
    assert "<h1>Консультація</h1>" in html and 'class="machine-label"' not in html


def test_theme_names_in_the_visitors_language(catalogue, real_client):
    html = real_client.get("/en/").get_data(as_text=True)
    assert "Money worries and poverty" in html  # content/translations/en.yaml
    facets = real_client.get("/uk/zoeken?q=").get_data(as_text=True)
    assert "Розлучення" in facets  # the theme facet in Ukrainian


def test_right_to_left_pages_isolate_numbers_and_dutch_names(catalogue, real_client):
    html = real_client.get("/ar/aanbod/veilig-thuis-landelijk").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert '<a href="tel:08002000"><bdi dir="ltr">0800-2000</bdi></a>' in html  # phone number, left to right
    assert '<li lang="nl" dir="ltr">Het landelijke telefoonnummer 0800-2000' in html  # an untranslated fact
    assert re.search(r'class="card-org">.*?lang="nl" dir="ltr">Veilig Thuis', html, re.S)  # a Dutch name

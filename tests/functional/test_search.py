"""Search behaviour on the small test catalogue."""

import re


def titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="card-title"><a href="[^"]+">([^<]+)</a>', html)


def test_and_first_then_or_fallback(client):
    html = client.get("/zoeken?q=spreekuur+scheiding").get_data(as_text=True)
    assert titles(html) == ["Spreekuur scheiding Velsen"]
    html = client.get("/zoeken?q=spreekuur+voetbalveld").get_data(as_text=True)
    assert titles(html) == ["Spreekuur scheiding Velsen"]
    assert "Deze resultaten passen bij een deel van je woorden" in html


def test_synonym_phrase_finds_the_theme(client):
    html = client.get("/zoeken?q=ruzie+over+de+kinderen").get_data(as_text=True)
    assert titles(html)[0] == "Spreekuur scheiding Velsen"


def test_stemming_and_accents(client):
    assert "Jongerenwerk Haarlem Test" in titles(client.get("/zoeken?q=jongerenwérkers").get_data(as_text=True))


def test_spelling_correction_shows_corrected_results(client):
    html = client.get("/zoeken?q=scheidng").get_data(as_text=True)
    assert "scheiding</strong>" in html
    assert titles(html) == ["Spreekuur scheiding Velsen"]


def test_filters_and_facet_counts(client):
    html = client.get("/zoeken?q=&gemeente=haarlem").get_data(as_text=True)
    # Haarlem: its own jongerenwerk and the national line; not Velsen's or Alkmaar's offer.
    assert sorted(titles(html)) == ["Jongerenwerk Haarlem Test", "Test Hulplijn voor armoede"]
    assert re.search(r"Jongerenwerk <span class=\"count\">\(1\)</span>", html)


def test_wijk_filter_includes_wijk_and_wider_offers(client):
    html = client.get("/zoeken?wijk=WK036103").get_data(as_text=True)
    assert sorted(titles(html)) == ["Test Hulplijn voor armoede", "Wijkmaatje Overdie"]
    html = client.get("/zoeken?wijk=WK036102").get_data(as_text=True)  # Oudorp: not Overdie's maatje
    assert titles(html) == ["Test Hulplijn voor armoede"]


def test_age_filter(client):
    html = client.get("/zoeken?leeftijd=8&soort=maatjesproject").get_data(as_text=True)
    assert titles(html) == ["Wijkmaatje Overdie"]
    assert titles(client.get("/zoeken?leeftijd=15&soort=maatjesproject").get_data(as_text=True)) == []


def test_concept_is_never_shown(client):
    assert titles(client.get("/zoeken?q=concept").get_data(as_text=True)) == []
    assert client.get("/aanbod/test-concept").status_code == 404


def test_zero_results_offer_fewer_filters_themes_and_cjg(client):
    html = client.get("/zoeken?q=spreekuur&gemeente=velsen&soort=jongerenwerk").get_data(as_text=True)
    assert "We vonden geen aanbod" in html
    assert "Zonder soort" in html
    assert "Test CJG Velsen" not in html or "Vraag het aan het CJG" in html
    assert 'href="/thema/' in html


def test_highlighted_snippet_is_escaped(client, app):
    from sqlalchemy import select

    from finder import models
    from finder.extensions import db

    s = db.session.scalar(select(models.Service).where(models.Service.slug == "test-scheidingsspreekuur"))
    s.description = "Over <script>alert(1)</script> de scheiding en de kinderen."
    db.session.commit()
    html = client.get("/zoeken?q=scheiding").get_data(as_text=True)
    assert re.search(r"<mark[^>]*>scheiding</mark>", html)
    assert "<script>alert(1)</script>" not in html


def test_pagination_never_beyond_the_last_page(client):
    assert client.get("/zoeken?pagina=2").status_code == 404
    assert client.get("/zoeken?pagina=1").status_code == 200


def test_age_band_facet_and_filter_agree(client):
    html = client.get("/zoeken?soort=maatjesproject").get_data(as_text=True)
    assert re.search(r'leeftijd=4-11">4 tot en met 11 jaar <span class="count">\(1\)</span>', html)
    assert titles(client.get("/zoeken?leeftijd=4-11").get_data(as_text=True)).count("Wijkmaatje Overdie") == 1
    assert "Wijkmaatje Overdie" not in titles(client.get("/zoeken?leeftijd=13-17").get_data(as_text=True))


def test_wijk_facet_counts_per_wijk_of_the_chosen_gemeente(client):
    html = client.get("/zoeken?gemeente=alkmaar").get_data(as_text=True)
    assert re.search(r'wijk=WK036103">Overdie <span class="count">\(2\)</span>', html)
    assert re.search(r'wijk=WK036102">Oudorp <span class="count">\(1\)</span>', html)


def test_search_form_keeps_the_chosen_filters(client):
    html = client.get("/zoeken?q=x&soort=jongerenwerk&kosten=bestaat-niet").get_data(as_text=True)
    assert '<input type="hidden" name="soort" value="jongerenwerk">' in html
    assert 'name="kosten"' not in html.split("</form>")[0]

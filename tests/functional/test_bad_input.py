"""Bad input never gives a 500: a sensible page (200) or a clear 400/404."""

import pytest

BAD = [
    ("q=" + "scheiding " * 500, {200}),
    ('q="', {200}),
    ("q=(((", {200}),
    ("q=)]}", {200}),
    ("q=*", {200}),
    ("q=AND OR NOT", {200}),
    ("q=a\x01b\x7fc", {200}),
    ("q=%00%01%1f", {200}),
    ("q=🙂👨‍👩‍👧", {200}),
    ("q=%E2%80%AE%E2%80%8B", {200}),
    ("q=scheiding~2^3", {200}),
    ("q=field:value", {200}),
    ("leeftijd=-1", {400}),
    ("leeftijd=999999999999999999999", {400}),
    ("leeftijd=abc", {400}),
    ("leeftijd=12.5", {400}),
    ("gemeente=atlantis", {400}),
    ("gemeente=../../etc", {400}),
    ("soort=cursus", {400}),
    ("thema=%3Cscript%3E", {400}),
    ("wijk=WK999999", {400}),
    ("doelgroep=honden", {400}),
    ("toegang=x&kosten=y&taal=zz", {400}),
    ("pagina=-1", {400}),
    ("pagina=0", {400}),
    ("pagina=1000000000", {400}),
    ("pagina=abc", {400}),
    ("pagina=50", {404}),
    ("q=scheiding&pagina=999", {404}),
    ("q=%FF%FE", {200}),
]


@pytest.mark.parametrize(("query", "expected"), BAD)
def test_bad_search_input_gets_a_clear_answer(client, query, expected):
    response = client.get("/zoeken?" + query)
    assert response.status_code in expected
    html = response.get_data(as_text=True)
    assert "<h1>" in html
    if response.status_code == 400:
        assert 'class="message error" role="alert"' in html


def test_bad_value_message_is_clear_and_search_still_runs(client):
    html = client.get("/zoeken?q=spreekuur&gemeente=atlantis").get_data(as_text=True)
    assert "Deze gemeente kennen we niet. Kies een gemeente uit de lijst." in html
    assert "Spreekuur scheiding Velsen" in html


def test_unknown_pages_are_404(client):
    for url in ("/aanbod/bestaat-niet", "/thema/bestaat-niet", "/gemeente/atlantis", "/menukaart/x",
                "/organisatie/x", "/wijk?wijk=nope", "/aanbod/%00"):
        assert client.get(url).status_code == 404, url


def test_post_to_a_page_is_not_a_500(client):
    assert client.post("/zoeken").status_code == 405


def test_wijk_outside_chosen_gemeente_is_explained(client):
    html = client.get("/zoeken?wijk=WK036103&gemeente=velsen").get_data(as_text=True)
    assert "Deze wijk ligt niet in de gekozen gemeente" in html

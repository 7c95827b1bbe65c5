"""The real catalogue of content/: targets and searches a parent would do."""

import re

from finder.catalogue import queries


def titles(html: str) -> list[str]:
    return re.findall(r'<h2 class="card-title"><a href="[^"]+">([^<]+)</a>', html)


def test_catalogue_counts(catalogue):
    stats = queries.catalogue_stats()
    assert stats["services"] >= 150
    assert stats["organizations"] >= 60
    assert stats["themes"] >= 15
    assert stats["synonyms"] >= 150
    assert all(n >= 8 for n in stats["per_gemeente"].values()), stats["per_gemeente"]
    assert stats["menukaarten"] >= 2


def test_typos_are_corrected_on_the_real_catalogue(real_client):
    html = real_client.get("/zoeken?q=scheidng").get_data(as_text=True)
    assert 'resultaten zien voor "<strong>scheiding</strong>"' in html
    html = real_client.get("/zoeken?q=jongerwerk").get_data(as_text=True)
    assert 'resultaten zien voor "<strong>jongerenwerk</strong>"' in html
    assert any("ongerenwerk" in t for t in titles(html)[:3])


def test_velsen_search_has_no_offer_that_only_serves_zuid_kennemerland(real_client, catalogue):
    html = real_client.get("/zoeken?gemeente=velsen&pagina=1").get_data(as_text=True)
    assert "Haarlem" not in " ".join(titles(html))
    for page in range(1, 8):
        response = real_client.get(f"/zoeken?gemeente=velsen&pagina={page}")
        if response.status_code == 404:
            break
        for slug in re.findall(r'href="/aanbod/([^"]+)"', response.get_data(as_text=True)):
            service = queries.get_service(slug)
            served = {a.gemeente_slug for a in service.service_areas} | {a.scope for a in service.service_areas}
            assert served & {"velsen", "landelijk", "online"}, slug


def test_money_worry_finds_poverty_help(real_client):
    html = real_client.get("/zoeken?q=geen+geld+voor+voetbal&gemeente=velsen").get_data(as_text=True)
    assert any("Jeugdfonds" in t or "Sport" in t for t in titles(html)[:5]), titles(html)[:5]

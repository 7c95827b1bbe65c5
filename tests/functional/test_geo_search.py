"""Place in every search: wijk, kern, typed place, shared location, distance and radius."""

import re

import pytest
from sqlalchemy import select

from finder import models
from finder.catalogue import queries
from finder.extensions import db


def names(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r'class="card-title"><a [^>]+>(.*?)</a>', html)]


def test_distance_order_and_honest_distances(geo_client):
    html = geo_client.get("/zoeken?q=inloop&lat=52.466&lon=4.611&sorteer=afstand").get_data(as_text=True)
    assert names(html)[:3] == ["Inloop Noord", "Inloop Zuid", "Inloop Broek"]
    assert "Inloop Haarlem" not in names(html)  # serves Zuid-Kennemerland only
    assert "Inloop Dorp" in names(html)  # no address: after the others, without a distance
    assert names(html).index("Inloop Dorp") == 3
    assert re.findall(r"class=\"where\">([^<]*)<", html) == ["ca. 0,1 km", "ca. 1,8 km", "ca. 4,2 km", "in je gemeente"]
    assert "in je gemeente" in html  # Dorp: only its town (in the visitor's gemeente) is known
    place_line = re.search(r'class="place-line">(.*?)</p>', html, re.S).group(1)
    assert "Je locatie ligt in:" in place_line and "IJmuiden-West (Velsen)" in place_line


def test_radius_uses_addresses_only(geo_client):
    html = geo_client.get("/zoeken?q=inloop&lat=52.466&lon=4.611&radius=2").get_data(as_text=True)
    assert sorted(names(html)) == ["Inloop Noord", "Inloop Zuid"]
    html = geo_client.get("/zoeken?q=inloop&lat=52.466&lon=4.611&radius=5").get_data(as_text=True)
    assert sorted(names(html)) == ["Inloop Broek", "Inloop Noord", "Inloop Zuid"]


def test_map_lists_each_address_once(geo_client):
    html = geo_client.get("/zoeken?q=inloop&plaats=ijmuiden").get_data(as_text=True)
    assert html.count("data-map-point") == 3
    assert "Teststraat 1, IJmuiden" in html and "Buurthuis" not in html.split("map-list")[1]
    assert "/vendor/leaflet/leaflet.js" in html


def test_wijk_and_kern_pages(geo_client):
    wijk = geo_client.get("/wijk/WK045308")  # Velserbroek
    assert wijk.status_code == 200
    html = wijk.get_data(as_text=True)
    assert "Aanbod in Velserbroek (Velsen)" in html and "<svg" in html and "Bron: CBS, Kadaster" in html
    assert "Inloop Broek" in html and "Inloop Haarlem" not in html
    kern = geo_client.get("/plaats/ijmuiden").get_data(as_text=True)
    assert "IJmuiden-Noord" in kern and "Inloop Noord" in kern
    assert '<svg class="outline"' in kern  # the outline of its wijken together
    assert geo_client.get("/wijk/WK999999").status_code == 404
    assert geo_client.get("/plaats/atlantis").status_code == 404


def test_outside_the_region(geo_client):
    response = geo_client.get("/zoeken?q=&lat=52.3728&lon=4.8936")  # Amsterdam
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "buiten regio Alkmaar, IJmond en Zuid-Kennemerland" in html
    assert "Test Hulplijn voor armoede" in names(html)  # national
    assert "Inloop Broek" in names(html) and "Inloop Haarlem" in names(html)  # regional
    assert "Inloop Noord" not in names(html)  # only for Velsen


@pytest.mark.parametrize(("query", "message"), [
    ("plaats=xyzzy", "We kennen de plaats"),
    ("lat=abc&lon=4.6", "Je locatie klopt niet"),
    ("lat=52.4", "Je locatie klopt niet"),
    ("lat=952&lon=4.6", "Je locatie klopt niet"),
    ("radius=5", "hebben we je plek nodig"),
    ("plaats=velsen&radius=5", "hebben we je plek nodig"),  # a gemeente is too large to measure from
    ("plaats=ijmuiden&radius=500", "Kies een afstand van 0,5 tot 50 kilometer"),
    ("plaats=ijmuiden&sorteer=kleur", "Zo kunnen we niet sorteren"),
    ("kern=atlantis", "Deze plaats kennen we niet"),
    ("plaats=Overdie&gemeente=velsen", "Deze plaats ligt niet in de gekozen gemeente"),
])
def test_bad_place_input_is_explained(geo_client, query, message):
    response = geo_client.get(f"/zoeken?q=inloop&{query}")
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_ambiguous_place_asks(geo_client):
    html = geo_client.get("/zoeken?q=inloop&plaats=santpoort").get_data(as_text=True)
    assert "Welke plaats bedoel je?" in html
    assert 'href="/zoeken?q=inloop&amp;wijk=WK045306"' in html  # Santpoort-Noord
    assert 'href="/zoeken?q=inloop&amp;wijk=WK045307"' in html  # Santpoort-Zuid


def test_overdie_in_a_search(geo_client):
    html = geo_client.get("/zoeken?q=maatje&plaats=overdie").get_data(as_text=True)
    assert "Wijkmaatje Overdie" in names(html)
    place_line = re.search(r'class="place-line">(.*?)</p>', html, re.S).group(1)
    assert "Gezocht bij:" in place_line and "Overdie (Alkmaar)" in place_line


def test_velserbroek_on_the_real_catalogue(real_client, catalogue):
    """Velsen, IJmond and national offers; nothing that only serves Zuid-Kennemerland."""
    seen, kinds = set(), set()
    for page in range(1, 20):
        response = real_client.get(f"/zoeken?plaats=Velserbroek&pagina={page}")
        if response.status_code == 404:
            break
        assert response.status_code == 200
        for slug in re.findall(r'href="/aanbod/([^"]+)"', response.get_data(as_text=True)):
            service = queries.get_service(slug)
            served = {a.gemeente_slug for a in service.service_areas} | {a.scope for a in service.service_areas}
            assert served & {"velsen", "landelijk", "online"}, slug
            seen.add(slug)
            kinds |= {a.scope for a in service.service_areas}
    assert len(seen) >= 30
    assert {"gemeente", "regio", "landelijk"} <= kinds
    published = db.session.scalars(select(models.Service).where(models.Service.status == "gepubliceerd")).all()
    zk_only = [s.slug for s in published
               if s.service_areas and {a.gemeente_slug for a in s.service_areas} <= {"haarlem", "bloemendaal",
                                                                                    "heemstede", "zandvoort"}
               and not {a.scope for a in s.service_areas} & {"landelijk", "online"}]
    assert zk_only and not set(zk_only) & seen


def test_facets_with_a_place(geo_client):
    html = geo_client.get("/zoeken?q=&plaats=velsen").get_data(as_text=True)
    assert 'id="facet-gemeente"' not in html  # the place fixes the gemeente
    wijk_links = re.findall(r'href="(/zoeken\?[^"]*wijk=WK0453[^"]*)"', html)
    assert wijk_links and all("plaats=" not in link for link in wijk_links)  # a wijk replaces the place
    assert 'class="place-line">Gezocht bij:&#32;<a href="/gemeente/velsen">Velsen</a>' in html

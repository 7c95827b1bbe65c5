"""Geocoding on save: only a found address gets a pin; everything else goes to the editors' list."""

from sqlalchemy import select

from finder import models
from finder.catalogue import search as catalogue_search
from finder.catalogue.locations import geocode_location, locations_for_editors, locations_to_geocode
from finder.extensions import db
from finder.geo.geocoding import GeocodeResult
from finder.search import SearchQuery, current_index


def add_location(app, address: str, city: str) -> models.Location:
    service = db.session.scalar(select(models.Service).where(models.Service.slug == "test-scheidingsspreekuur"))
    location = models.Location(name="Spreekuur", address_1=address, postal_code="", city=city,
                               source="https://example.org/cjg")
    service.service_at_locations.append(models.ServiceAtLocation(location=location))
    db.session.commit()
    return location


def fake(result: GeocodeResult):
    calls = []

    def geocode(street, postcode, city):
        calls.append((street, postcode, city))
        return result

    geocode.calls = calls
    return geocode


def test_found_address_gets_a_pin_its_wijk_and_a_distance(app, client):
    location = add_location(app, "Teststraat 9", "IJmuiden")
    assert location in locations_to_geocode() and location in locations_for_editors()
    geocode = fake(GeocodeResult("gevonden", 52.4650, 4.6100, "PDOK Locatieserver", "Teststraat 9, IJmuiden"))
    geocode_location(location, geocode)
    db.session.commit()
    assert geocode.calls == [("Teststraat 9", "", "IJmuiden")]
    assert location.precision == "adres" and location.geocode_status == "gevonden"
    assert location.wijk_code == "WK045303"  # IJmuiden-West
    assert location not in locations_for_editors()
    # the commit reached the index: the service now has a distance from a point in IJmuiden
    html = client.get("/zoeken?q=spreekuur&lat=52.466&lon=4.611").get_data(as_text=True)
    assert "ca. 0,1 km" in html
    result = current_index().search(
        SearchQuery("spreekuur", {}, 1, 10, point=(52.466, 4.611), radius_km=1.0), catalogue_search.synonym_table())
    assert result.total == 1


def test_ambiguous_or_failed_address_never_lands_on_a_centre(app):
    location = add_location(app, "Kerkstraat 1", "Velsen")
    geocode_location(location, fake(GeocodeResult("meerduidig", candidates=("Kerkstraat 1, A", "Kerkstraat 1, B"))))
    db.session.commit()
    assert location.latitude is None and location.longitude is None
    assert location.precision == "gemeente" and location.geocode_note == "Kerkstraat 1, A; Kerkstraat 1, B"
    assert location in locations_for_editors() and location not in locations_to_geocode()
    geocode_location(location, fake(GeocodeResult("fout")))
    db.session.commit()
    assert location.latitude is None and location.geocode_status == "fout"
    assert location in locations_for_editors()


def test_cli_report_lists_addresses_for_editors(app):
    add_location(app, "Dorpsstraat 3", "Santpoort-Noord")
    result = app.test_cli_runner().invoke(args=["geocode-report"])
    assert result.exit_code == 0
    assert "nog niet gezocht" in result.output and "Dorpsstraat 3" in result.output
    assert "1 address(es) without coordinates." in result.output

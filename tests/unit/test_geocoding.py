"""Geocoding against recorded PDOK and Nominatim answers, served by a fake geopy adapter (no network)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from geopy.adapters import AdapterHTTPError, BaseSyncAdapter
from geopy.exc import GeocoderServiceError, GeocoderTimedOut, GeocoderUnavailable
from geopy.geocoders import Nominatim

from finder.geo.geocoding import (
    AMBIGUOUS,
    ERROR,
    FOUND,
    NOT_FOUND,
    GeocodeResult,
    PDOKLocatieserver,
    build_query,
    geocode_address,
    parse_wkt_point,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "geocoding"
UA = "wegwijzer-jeugd-gezin"


def recorded(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


class RecordedAdapter(BaseSyncAdapter):
    """Answers each request with the reply of the first rule whose text occurs in the URL."""

    def __init__(self, *rules: tuple[str, Any]) -> None:
        super().__init__(proxies=None, ssl_context=None)
        self.rules = rules
        self.requests: list[dict[str, Any]] = []

    def factory(self, *, proxies: Any, ssl_context: Any) -> RecordedAdapter:
        return self

    def get_json(self, url: str, *, timeout: Any, headers: dict[str, str]) -> Any:
        self.requests.append({"url": url, "timeout": timeout, "headers": headers})
        for needle, reply in self.rules:
            if needle in url:
                if isinstance(reply, BaseException):
                    raise reply
                return reply
        raise AssertionError(f"no recorded answer for {url}")

    def get_text(self, url: str, *, timeout: Any, headers: dict[str, str]) -> str:
        return json.dumps(self.get_json(url, timeout=timeout, headers=headers))

    @property
    def urls(self) -> list[str]:
        return [request["url"] for request in self.requests]


def pdok(*replies: Any, **kwargs: Any) -> tuple[PDOKLocatieserver, RecordedAdapter]:
    adapter = RecordedAdapter(*(("/free?", reply) for reply in replies))
    return PDOKLocatieserver(user_agent=UA, adapter_factory=adapter.factory, **kwargs), adapter


def nominatim(reply: Any) -> tuple[Nominatim, RecordedAdapter]:
    adapter = RecordedAdapter(("nominatim.openstreetmap.org/search", reply))
    return Nominatim(user_agent=UA, adapter_factory=adapter.factory), adapter


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# --- PDOKLocatieserver ----------------------------------------------------------------------------


def test_wkt_point_is_lon_lat_and_becomes_lat_lon():
    assert parse_wkt_point("POINT(5.13287587 52.08884161)") == (52.08884161, 5.13287587)
    assert parse_wkt_point("POINT (4.6 52.4)") == (52.4, 4.6)
    assert parse_wkt_point("POLYGON((5 52,6 52,6 53,5 52))") is None
    assert parse_wkt_point(None) is None


def test_pdok_geocode_parses_a_recorded_address():
    geocoder, adapter = pdok(recorded("pdok_adres_bolstraat_utrecht"))
    location = geocoder.geocode("Bolstraat 1, 3581WS Utrecht")
    assert location.address == "Bolstraat 1, 3581WS Utrecht"
    assert (location.latitude, location.longitude) == (52.08884161, 5.13287587)
    assert location.raw["type"] == "adres"
    assert location.raw["nummeraanduiding_id"] == "0344200000159102"
    assert query_of(adapter.urls[0])["rows"] == ["1"]


def test_pdok_url_carries_the_encoded_address_the_address_filter_and_the_user_agent():
    geocoder, adapter = pdok(recorded("pdok_adres_bolstraat_utrecht"))
    geocoder.geocode("Bolstraat 1, 3581WS Utrecht", exactly_one=False, rows=7, timeout=3)
    url = adapter.urls[0]
    assert url.startswith("https://api.pdok.nl/bzk/locatieserver/search/v3_1/free?")
    assert "q=Bolstraat+1,+3581WS+Utrecht" in url
    assert "fq=type:adres" in url
    params = query_of(url)
    assert params["q"] == ["Bolstraat 1, 3581WS Utrecht"]
    assert params["rows"] == ["7"]
    assert "centroide_ll" in params["fl"][0].split(",")
    assert adapter.requests[0]["timeout"] == 3
    assert adapter.requests[0]["headers"]["User-Agent"] == UA


def test_pdok_domain_and_scheme_are_configurable():
    geocoder, adapter = pdok(recorded("pdok_empty"), domain="localhost:8080/", scheme="http")
    assert geocoder.geocode("Bolstraat 1 Utrecht") is None
    assert adapter.urls[0].startswith("http://localhost:8080/bzk/locatieserver/search/v3_1/free?q=")


def test_pdok_returns_a_list_without_docs_lacking_coordinates():
    reply = recorded("pdok_ambiguous_handwritten")
    del reply["response"]["docs"][1]["centroide_ll"]
    geocoder, _ = pdok(reply)
    locations = geocoder.geocode("Voorbeeldstraat 7", exactly_one=False)
    assert [location.address for location in locations] == [
        "Voorbeeldstraat 7, 0000AA Voorbeelddorp",
        "Voorbeeldstraat 17, 0000AA Voorbeelddorp",
    ]


def test_pdok_http_errors_become_geopy_errors():
    error = AdapterHTTPError("Service Unavailable", status_code=503, headers={}, text="")
    geocoder, _ = pdok(error)
    with pytest.raises(GeocoderTimedOut):  # geopy maps HTTP 503 to a time-out
        geocoder.geocode("Bolstraat 1 Utrecht")


def test_pdok_garbage_is_a_parse_error():
    geocoder, _ = pdok({"error": "no solr here"})
    with pytest.raises(GeocoderServiceError):
        geocoder.geocode("Bolstraat 1 Utrecht")


# --- geocode_address ------------------------------------------------------------------------------


def test_query_is_built_from_the_parts():
    assert build_query(" Bolstraat  1 ", "3581WS", "Utrecht") == "Bolstraat 1, 3581WS Utrecht"
    assert build_query("Bolstraat 1", "", "Utrecht") == "Bolstraat 1, Utrecht"
    assert build_query("Bolstraat 1", "", "") == "Bolstraat 1"


def test_clean_pdok_hit_is_found_with_lat_lon_in_the_right_order():
    primary, pdok_adapter = pdok(recorded("pdok_adres_bolstraat_utrecht"))
    fallback, nominatim_adapter = nominatim(recorded("nominatim_house_castricum"))
    result = geocode_address("Bolstraat 1", "3581WS", "Utrecht", primary=primary, fallback=fallback)
    assert result == GeocodeResult(FOUND, 52.08884161, 5.13287587, "PDOK Locatieserver", "Bolstraat 1, 3581WS Utrecht")
    assert query_of(pdok_adapter.urls[0])["q"] == ["Bolstraat 1, 3581WS Utrecht"]
    assert nominatim_adapter.requests == []


def test_close_pdok_scores_for_different_addresses_are_ambiguous():
    primary, _ = pdok(recorded("pdok_ambiguous_handwritten"))
    fallback, nominatim_adapter = nominatim(recorded("nominatim_house_castricum"))
    result = geocode_address("Voorbeeldstraat 7", "", "Voorbeeldgemeente", primary=primary, fallback=fallback)
    assert result.status == AMBIGUOUS
    assert (result.latitude, result.longitude, result.label) == (None, None, None)
    assert result.source == "PDOK Locatieserver"
    assert result.candidates == ("Voorbeeldstraat 7, 0000AA Voorbeelddorp", "Voorbeeldstraat 7, 0000AB Voorbeeldveen")
    assert nominatim_adapter.requests == []


def test_a_clear_pdok_winner_is_found_despite_weaker_runners_up():
    reply = recorded("pdok_ambiguous_handwritten")
    reply["response"]["docs"][1]["score"] = 10.0  # more than 10% below the best (12.4)
    primary, _ = pdok(reply)
    fallback, _ = nominatim([])
    result = geocode_address("Voorbeeldstraat 7", "0000AA", "Voorbeelddorp", primary=primary, fallback=fallback)
    assert (result.status, result.label) == (FOUND, "Voorbeeldstraat 7, 0000AA Voorbeelddorp")
    assert (result.latitude, result.longitude) == (52.5, 5.5)


def test_the_same_address_twice_is_not_ambiguous():
    reply = recorded("pdok_adres_bolstraat_utrecht")
    reply["response"]["docs"].append(dict(reply["response"]["docs"][0], score=27.0))
    primary, _ = pdok(reply)
    fallback, _ = nominatim([])
    result = geocode_address("Bolstraat 1", "3581WS", "Utrecht", primary=primary, fallback=fallback)
    assert result.status == FOUND


def test_pdok_without_an_address_falls_back_to_nominatim():
    primary, pdok_adapter = pdok(recorded("pdok_postcode_1118cp"))
    fallback, nominatim_adapter = nominatim(recorded("nominatim_house_castricum"))
    result = geocode_address("Iepenlaan 103", "1901SV", "Castricum", primary=primary, fallback=fallback)
    assert result.status == FOUND
    assert result.source == "OpenStreetMap Nominatim"
    assert result.label == "103, Iepenlaan, Castricum, North Holland, Netherlands, 1901SV, Netherlands"
    assert (result.latitude, result.longitude) == (52.5561776, 4.6640243)
    assert len(pdok_adapter.requests) == 1
    params = query_of(nominatim_adapter.urls[0])
    assert params["q"] == ["Iepenlaan 103, 1901SV Castricum"]
    assert params["countrycodes"] == ["nl"]
    assert nominatim_adapter.requests[0]["headers"]["User-Agent"] == UA


def test_an_empty_pdok_answer_falls_back_to_nominatim():
    primary, _ = pdok(recorded("pdok_empty"))
    fallback, _ = nominatim(recorded("nominatim_house_castricum"))
    result = geocode_address("Iepenlaan 103", "1901SV", "Castricum", primary=primary, fallback=fallback)
    assert (result.status, result.source) == (FOUND, "OpenStreetMap Nominatim")


@pytest.mark.parametrize(
    "error",
    [
        GeocoderUnavailable("PDOK is down"),
        GeocoderTimedOut("PDOK took too long"),
        AdapterHTTPError("Internal Server Error", status_code=500, headers={}, text=""),
    ],
)
def test_a_pdok_error_uses_the_nominatim_hit(error):
    primary, _ = pdok(error)
    fallback, _ = nominatim(recorded("nominatim_house_castricum"))
    result = geocode_address("Iepenlaan 103", "1901SV", "Castricum", primary=primary, fallback=fallback)
    assert result.status == FOUND
    assert result.source == "OpenStreetMap Nominatim"
    assert (result.latitude, result.longitude) == (52.5561776, 4.6640243)


def test_errors_from_both_services_are_an_error_not_an_exception():
    primary, _ = pdok(GeocoderUnavailable("PDOK is down"))
    fallback, _ = nominatim(GeocoderTimedOut("Nominatim took too long"))
    result = geocode_address("Bolstraat 1", "3581WS", "Utrecht", primary=primary, fallback=fallback)
    assert result == GeocodeResult(ERROR)


@pytest.mark.parametrize("answer", ["nominatim_city_hilversum", "nominatim_postcode_1118cp"])
def test_a_nominatim_city_or_postcode_area_is_not_found(answer):
    primary, _ = pdok(recorded("pdok_postcode_1118cp"))
    fallback, nominatim_adapter = nominatim(recorded(answer))
    result = geocode_address("Stationsstraat 1", "1212VG", "Hilversum", primary=primary, fallback=fallback)
    assert result == GeocodeResult(NOT_FOUND)
    assert len(nominatim_adapter.requests) == 1


def test_a_pdok_error_and_a_nominatim_city_are_not_found_rather_than_a_city_centre():
    primary, _ = pdok(GeocoderUnavailable("PDOK is down"))
    fallback, _ = nominatim(recorded("nominatim_city_hilversum"))
    result = geocode_address("Stationsstraat 1", "1212VG", "Hilversum", primary=primary, fallback=fallback)
    assert result.status == NOT_FOUND
    assert result.latitude is None


def test_two_different_nominatim_addresses_are_ambiguous():
    primary, _ = pdok(recorded("pdok_empty"))
    fallback, _ = nominatim(recorded("nominatim_ambiguous_handwritten"))
    result = geocode_address("Voorbeeldstraat 7", "", "Voorbeeldgemeente", primary=primary, fallback=fallback)
    assert result.status == AMBIGUOUS
    assert result.source == "OpenStreetMap Nominatim"
    assert result.latitude is None
    assert len(result.candidates) == 2


def test_a_nominatim_address_next_to_a_city_is_found():
    answer = recorded("nominatim_city_hilversum")[:1] + recorded("nominatim_house_castricum")
    primary, _ = pdok(recorded("pdok_empty"))
    fallback, _ = nominatim(answer)
    result = geocode_address("Iepenlaan 103", "1901SV", "Castricum", primary=primary, fallback=fallback)
    assert (result.status, result.latitude, result.longitude) == (FOUND, 52.5561776, 4.6640243)


@pytest.mark.parametrize("street", ["", "   "])
def test_without_a_street_nothing_is_asked(street):
    primary, pdok_adapter = pdok(recorded("pdok_adres_bolstraat_utrecht"))
    fallback, nominatim_adapter = nominatim(recorded("nominatim_city_hilversum"))
    result = geocode_address(street, "1212VG", "Hilversum", primary=primary, fallback=fallback)
    assert result == GeocodeResult(NOT_FOUND)
    assert pdok_adapter.requests == []
    assert nominatim_adapter.requests == []


def test_without_a_street_no_default_geocoder_is_even_built():
    assert geocode_address("", "", "Hilversum") == GeocodeResult(NOT_FOUND)


def test_an_unsupported_geocoder_is_a_programming_error():
    with pytest.raises(TypeError):
        geocode_address("Bolstraat 1", "", "Utrecht", primary=object())  # type: ignore[arg-type]

"""Geocoding of editors' addresses: PDOK Locatieserver first, OpenStreetMap Nominatim as fallback.

Only a real address may become a point. A city, a postcode area or a street is never accepted, and
when two different addresses fit about equally well the answer is "meerduidig" without coordinates,
so that an ambiguous address never lands silently on a city centre.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any
from urllib.parse import urlencode

from geopy.exc import GeocoderParseError, GeopyError
from geopy.geocoders import Nominatim
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location

__all__ = [
    "AMBIGUOUS",
    "ERROR",
    "FOUND",
    "NOT_FOUND",
    "GeocodeResult",
    "PDOKLocatieserver",
    "geocode_address",
]

logger = logging.getLogger(__name__)

USER_AGENT = "wegwijzer-jeugd-gezin"

FOUND = "gevonden"
NOT_FOUND = "niet-gevonden"
AMBIGUOUS = "meerduidig"
ERROR = "fout"

PDOK_SOURCE = "PDOK Locatieserver"
NOMINATIM_SOURCE = "OpenStreetMap Nominatim"

SCORE_MARGIN = 0.10  # answers scoring within 10% of the best one are equally good
ROWS = 5

_WKT_POINT = re.compile(r"^\s*POINT\s*\(\s*(-?\d+(?:\.\d+)?)\s+(-?\d+(?:\.\d+)?)\s*\)\s*$", re.IGNORECASE)

# Nominatim: results that are a building or house, and results that are an area (never accepted).
_BUILDING_TYPES = frozenset({"building", "house", "apartments", "detached", "semidetached_house", "terrace"})
_AREA_TYPES = frozenset(
    {
        "administrative",
        "borough",
        "city",
        "city_district",
        "country",
        "county",
        "hamlet",
        "municipality",
        "neighbourhood",
        "postcode",
        "province",
        "quarter",
        "region",
        "road",
        "state",
        "suburb",
        "town",
        "village",
    }
)


class PDOKLocatieserver(Geocoder):
    """Geocoder for the Dutch PDOK Locatieserver (free endpoint, API v3_1).

    Documentation: https://api.pdok.nl/bzk/locatieserver/search/v3_1/ui/
    """

    geocode_path = "/bzk/locatieserver/search/v3_1/free"
    fields = (
        "id,type,weergavenaam,score,centroide_ll,straatnaam,huisnummer,huisletter,"
        "huisnummertoevoeging,postcode,woonplaatsnaam,gemeentenaam"
    )

    def __init__(
        self,
        *,
        domain: str = "api.pdok.nl",
        scheme: str | None = None,
        timeout: Any = DEFAULT_SENTINEL,
        proxies: Any = DEFAULT_SENTINEL,
        user_agent: str | None = None,
        ssl_context: Any = DEFAULT_SENTINEL,
        adapter_factory: Callable[..., Any] | None = None,
        filter_query: str | None = "type:adres",
    ) -> None:
        """Set up like geopy's own geocoders; `filter_query` is Solr's `fq` (None: no filter)."""
        super().__init__(
            scheme=scheme,
            timeout=timeout,
            proxies=proxies,
            user_agent=user_agent,
            ssl_context=ssl_context,
            adapter_factory=adapter_factory,
        )
        self.domain = domain.strip("/")
        self.filter_query = filter_query
        self.api = f"{self.scheme}://{self.domain}{self.geocode_path}"

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
        rows: int = ROWS,
    ) -> Location | list[Location] | None:
        """Locations for a free-text query, best first; None when nothing (with coordinates) matched."""
        params: dict[str, Any] = {"q": query}
        if self.filter_query:
            params["fq"] = self.filter_query
        params["rows"] = 1 if exactly_one else int(rows)
        params["fl"] = self.fields
        url = f"{self.api}?{urlencode(params, safe=':,')}"
        logger.debug("%s.geocode: %s", type(self).__name__, url)
        callback = partial(self._parse_json, exactly_one=exactly_one)
        return self._call_geocoder(url, callback, timeout=timeout)

    def _parse_json(self, payload: Any, exactly_one: bool) -> Location | list[Location] | None:
        docs = _pdok_docs(payload)
        locations = [location for location in map(_pdok_location, docs) if location is not None]
        if not locations:
            return None
        return locations[0] if exactly_one else locations


def _pdok_docs(payload: Any) -> list[dict[str, Any]]:
    """The docs of a Solr response; GeocoderParseError when it is not one."""
    try:
        docs = payload["response"]["docs"]
    except (KeyError, TypeError) as error:
        raise GeocoderParseError(f"Not a Locatieserver response: {str(payload)[:200]}") from error
    if not isinstance(docs, list):
        raise GeocoderParseError("Locatieserver docs is not a list")
    return [doc for doc in docs if isinstance(doc, dict)]


def _pdok_location(doc: dict[str, Any]) -> Location | None:
    """A Location for one doc, or None when it has no usable centroid."""
    point = parse_wkt_point(doc.get("centroide_ll"))
    if point is None:
        return None
    return Location(doc.get("weergavenaam", ""), point, doc)


def parse_wkt_point(wkt: Any) -> tuple[float, float] | None:
    """(lat, lon) from a WKT `POINT(lon lat)`, or None."""
    match = _WKT_POINT.match(wkt) if isinstance(wkt, str) else None
    if match is None:
        return None
    lon, lat = float(match.group(1)), float(match.group(2))
    return (lat, lon)


@dataclass(frozen=True)
class GeocodeResult:
    """Outcome of geocoding one address; coordinates only when status is "gevonden"."""

    status: str
    latitude: float | None = None
    longitude: float | None = None
    source: str | None = None
    label: str | None = None
    candidates: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Service:
    """One geocoding service and how to judge its answers."""

    name: str
    lookup: Callable[[str], Sequence[Location] | None]
    is_address: Callable[[dict[str, Any]], bool]
    ties: Callable[[list[Location]], list[Location]]


def geocode_address(
    street: str,
    postal_code: str,
    city: str,
    *,
    primary: Geocoder | None = None,
    fallback: Geocoder | None = None,
) -> GeocodeResult:
    """Geocode one address with PDOK, falling back to Nominatim; never raises for service errors."""
    if not (street or "").strip():
        return GeocodeResult(NOT_FOUND)  # a city alone must never become a point
    query = build_query(street, postal_code, city)
    services = (
        lambda: _service(primary or PDOKLocatieserver(user_agent=USER_AGENT)),
        lambda: _service(fallback or Nominatim(user_agent=USER_AGENT)),
    )
    failures = 0
    for make in services:
        result = _ask(make(), query)
        if result is None:
            failures += 1
        elif result.status != NOT_FOUND:
            return result
    return GeocodeResult(ERROR if failures == len(services) else NOT_FOUND)


def build_query(street: str, postal_code: str, city: str) -> str:
    """One free-text query, e.g. "Bolstraat 1, 3581WS Utrecht"."""
    place = " ".join(part for part in (_clean(postal_code), _clean(city)) if part)
    return ", ".join(part for part in (_clean(street), place) if part)


def _clean(text: str | None) -> str:
    return " ".join((text or "").split())


def _ask(service: _Service, query: str) -> GeocodeResult | None:
    """The service's verdict, or None when the service failed."""
    try:
        locations = service.lookup(query) or []
    except GeopyError as error:
        logger.warning("%s failed for %r: %s", service.name, query, error)
        return None
    addresses = [location for location in locations if service.is_address(location.raw)]
    return _verdict(service, addresses)


def _verdict(service: _Service, addresses: list[Location]) -> GeocodeResult:
    if not addresses:
        return GeocodeResult(NOT_FOUND, source=service.name)
    tied = service.ties(addresses)
    best = tied[0]
    labels = _distinct_labels(tied)
    if len(labels) > 1:
        return GeocodeResult(AMBIGUOUS, source=service.name, candidates=labels)
    return GeocodeResult(FOUND, best.latitude, best.longitude, service.name, best.address)


def _distinct_labels(locations: list[Location]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for location in locations:
        seen.setdefault(_clean(location.address).casefold(), _clean(location.address))
    return tuple(seen.values())


def _service(geocoder: Geocoder) -> _Service:
    if isinstance(geocoder, PDOKLocatieserver):
        lookup = partial(geocoder.geocode, exactly_one=False, rows=ROWS)
        return _Service(PDOK_SOURCE, lookup, _pdok_is_address, _pdok_ties)
    if isinstance(geocoder, Nominatim):
        lookup = partial(geocoder.geocode, exactly_one=False, limit=ROWS, country_codes="nl", addressdetails=True)
        return _Service(NOMINATIM_SOURCE, lookup, _nominatim_is_address, list)
    raise TypeError(f"Unsupported geocoder: {type(geocoder).__name__}")


def _pdok_is_address(raw: dict[str, Any]) -> bool:
    return raw.get("type") == "adres"


def _pdok_ties(addresses: list[Location]) -> list[Location]:
    """The answers scoring within SCORE_MARGIN of the best, best first."""
    ranked = sorted(addresses, key=_pdok_score, reverse=True)
    floor = _pdok_score(ranked[0]) * (1 - SCORE_MARGIN)
    return [location for location in ranked if _pdok_score(location) >= floor]


def _pdok_score(location: Location) -> float:
    try:
        return float(location.raw.get("score") or 0.0)
    except (TypeError, ValueError):
        return 0.0


def _nominatim_is_address(raw: dict[str, Any]) -> bool:
    """A building or house (or a place with a house number), never a city, village or postcode area."""
    kind = raw.get("class") or raw.get("category")
    types = {raw.get("type"), raw.get("addresstype")} - {None}
    if kind == "boundary" or types & _AREA_TYPES:
        return False
    address = raw.get("address")
    if isinstance(address, dict) and address.get("house_number"):
        return True
    return kind == "building" or bool(types & _BUILDING_TYPES)

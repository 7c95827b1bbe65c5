"""Query parameters of the HSDS API: every value is checked; a bad one is an ApiError (HTTP 400)."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime, time
from typing import Any

from werkzeug.datastructures import MultiDict

from finder.catalogue import queries
from finder.catalogue.hsds import GeoFilter, ServiceFilter, clean_text
from finder.i18n import DEFAULT_LOCALE, LANGUAGES

PER_PAGE = 50
MAX_PER_PAGE = 100
MAX_PAGE = 1_000_000
MAX_TEXT = 200
MAX_RADIUS_KM = 100.0
TRUE, FALSE = ("true", "1"), ("false", "0")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})?$")


class ApiError(Exception):
    def __init__(self, message: str, parameter: str | None = None, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.parameter = parameter
        self.status = status

    def body(self) -> dict[str, str]:
        out = {"error": self.message}
        if self.parameter:
            out["parameter"] = self.parameter
        return out


class Params:
    def __init__(self, args: MultiDict[str, str]) -> None:
        self.args = args

    def raw(self, name: str) -> str | None:
        """The value of a parameter, None when absent or empty; a parameter given twice is an error."""
        values = self.args.getlist(name)
        if len(values) > 1:
            raise ApiError(f"give '{name}' only once", name)
        value = values[0].strip() if values else ""
        return value or None

    def integer(self, name: str, default: int | None, low: int, high: int) -> int | None:
        raw = self.raw(name)
        if raw is None:
            return default
        if not re.fullmatch(r"[+-]?\d{1,9}", raw):
            raise ApiError(f"'{name}' must be a whole number from {low} to {high}", name)
        value = int(raw)
        if not low <= value <= high:
            raise ApiError(f"'{name}' must be a whole number from {low} to {high}", name)
        return value

    def number(self, name: str, low: float, high: float) -> float | None:
        raw = self.raw(name)
        if raw is None:
            return None
        try:
            value = float(raw)
        except ValueError:
            value = math.nan
        if not math.isfinite(value) or not low <= value <= high:
            raise ApiError(f"'{name}' must be a number from {low:g} to {high:g}", name)
        return value

    def boolean(self, name: str) -> bool:
        raw = self.raw(name)
        if raw is None or raw.lower() in FALSE:
            return False
        if raw.lower() in TRUE:
            return True
        raise ApiError(f"'{name}' must be true or false", name)

    def uuid(self, name: str) -> str | None:
        raw = self.raw(name)
        if raw is not None and not _UUID.match(raw):
            raise ApiError(f"'{name}' must be a UUID", name)
        return raw.lower() if raw else None

    def choice(self, name: str, allowed: Mapping[str, Any] | tuple[str, ...]) -> str | None:
        raw = self.raw(name)
        if raw is None:
            return None
        if raw not in allowed:
            shown = ", ".join(list(allowed)[:20])
            raise ApiError(f"unknown value for '{name}': choose from {shown}" + (" …" if len(allowed) > 20 else ""),
                           name)
        return raw

    def text(self, name: str) -> str:
        return clean_text(self.raw(name) or "", MAX_TEXT)

    def moment(self, name: str) -> datetime | None:
        """An ISO 8601 date or date-time; without a time zone it is UTC."""
        raw = self.raw(name)
        if raw is None:
            return None
        try:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
                value = datetime.combine(datetime.strptime(raw, "%Y-%m-%d").date(), time(0))
            elif re.fullmatch(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:\d{2})?", raw):
                value = datetime.fromisoformat(raw.upper().replace(" ", "T"))
            else:
                raise ValueError(raw)
            if value.tzinfo is None:
                value = value.replace(tzinfo=UTC)
            return value.astimezone(UTC)
        except (ValueError, OverflowError) as exc:
            raise ApiError(f"'{name}' must be an ISO 8601 date or date-time, e.g. 2025-01-31 or "
                           "2025-01-31T12:00:00Z", name) from exc

    # -- the API's parameter groups ----------------------------------------------------
    def page(self) -> tuple[int, int]:
        """page and per_page of a list (and `format`: only json is offered, ndjson is not)."""
        self.choice("format", ("json",))
        page = self.integer("page", 1, 1, MAX_PAGE)
        per_page = self.integer("per_page", PER_PAGE, 1, MAX_PER_PAGE)
        return page or 1, per_page or PER_PAGE

    def locale(self) -> str:
        raw = self.raw("lang")
        if raw is None:
            return DEFAULT_LOCALE
        for code in LANGUAGES:
            if code.lower() == raw.lower():
                return code
        raise ApiError(f"unknown value for 'lang': choose from {', '.join(LANGUAGES)}", "lang")

    def service_filter(self) -> ServiceFilter:
        vocab = queries.vocabulary()
        low = self.integer("minimum_age", None, 0, 120)
        high = self.integer("maximum_age", None, 0, 120)
        if low is not None and high is not None and low > high:
            raise ApiError("'maximum_age' must not be lower than 'minimum_age'", "maximum_age")
        return ServiceFilter(
            text=self.text("search"),
            kind=self.choice("kind", vocab.kinds),
            theme=self.choice("theme", vocab.themes),
            gemeente=self.choice("gemeente", vocab.gemeenten),
            wijk=self.choice("wijk", vocab.wijken),
            audience=self.choice("audience", vocab.audiences),
            access=self.choice("access", vocab.access),
            cost=self.choice("cost", vocab.costs),
            language=self.choice("language", vocab.languages),
            minimum_age=low,
            maximum_age=high,
            organization_id=self.uuid("organization_id"),
            taxonomy_term_id=self.uuid("taxonomy_term_id"),
            taxonomy_id=self.uuid("taxonomy_id"),
            modified_after=self.moment("modified_after"),
        )

    def geo_filter(self) -> GeoFilter:
        lat = self.number("lat", -90, 90)
        lon = self.number("lon", -180, 180)
        radius = self.number("radius", 0, MAX_RADIUS_KM)
        proximity = self.number("proximity", 0, MAX_RADIUS_KM * 1000)
        raw_postcode = self.raw("postcode")
        postcode = None
        if raw_postcode is not None:
            match = _POSTCODE.match(raw_postcode)
            if match is None:
                raise ApiError("'postcode' must be a Dutch postcode: four digits, optionally two letters (1971 or "
                               "1971 AB)", "postcode")
            postcode = match.group(1) + (match.group(2) or "").upper()
        if (lat is None) != (lon is None):
            raise ApiError("'lat' and 'lon' go together: give both or neither", "lon" if lon is None else "lat")
        if radius is not None and proximity is not None:
            raise ApiError("give 'radius' (km) or 'proximity' (m), not both", "proximity")
        if proximity is not None:
            radius = proximity / 1000
        if radius is not None and radius <= 0:
            raise ApiError("the distance must be more than 0", "radius" if proximity is None else "proximity")
        if radius is not None and lat is None:
            raise ApiError("a distance needs a point: give 'lat' and 'lon' (this API has no postcode centroids)",
                           "radius" if proximity is None else "proximity")
        return GeoFilter((lat, lon) if lat is not None and lon is not None else None, radius, postcode)

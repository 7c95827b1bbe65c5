"""Locations of services: geocoding an editor's address on save, and the list of addresses that
need an editor (not found, ambiguous, service error, or never tried)."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from sqlalchemy import or_, select

from finder import models
from finder.extensions import db
from finder.geo import gazetteer
from finder.geo.geocoding import FOUND, GeocodeResult, geocode_address

Geocode = Callable[[str, str, str], GeocodeResult]


def configured_geocoder() -> Geocode:
    """GEOCODER in the config (tests put a fake there), else PDOK with Nominatim as fallback."""
    return current_app.config.get("GEOCODER") or geocode_address


def geocode_location(location: models.Location, geocode: Geocode | None = None) -> GeocodeResult:
    """Look up the location's address and store the outcome (flush only; the caller commits).

    Only a found address gets coordinates (precision "adres") and its wijk. Anything else leaves
    the location without a pin (known to its town's gemeente at best) and on the editors' list.
    """
    result = (geocode or configured_geocoder())(location.address_1, location.postal_code, location.city)
    location.geocode_status = result.status
    location.geocode_source = result.source
    location.geocoded_at = models.utcnow()
    location.geocode_note = "; ".join(result.candidates)
    if result.status == FOUND and result.latitude is not None and result.longitude is not None:
        location.latitude, location.longitude, location.precision = result.latitude, result.longitude, "adres"
        located = gazetteer().locate(result.latitude, result.longitude)
        location.wijk_code = located.wijk.key if located.wijk else None
    else:
        location.latitude = location.longitude = None
        location.wijk_code = None
        known_town = location.city and gazetteer().resolve(location.city).status == "found"
        location.precision = "gemeente" if known_town else None
    db.session.flush()
    return result


def locations_to_geocode() -> list[models.Location]:
    """Addresses without coordinates that were never looked up."""
    return list(db.session.scalars(
        select(models.Location)
        .where(models.Location.address_1 != "", models.Location.latitude.is_(None),
               models.Location.geocode_status.is_(None))
        .order_by(models.Location.city, models.Location.address_1)
    ))


def locations_for_editors() -> list[models.Location]:
    """Addresses an editor must look at: not found, ambiguous, failed, or never looked up."""
    return list(db.session.scalars(
        select(models.Location)
        .where(models.Location.address_1 != "", models.Location.latitude.is_(None),
               or_(models.Location.geocode_status.is_(None), models.Location.geocode_status != FOUND))
        .order_by(models.Location.geocode_status, models.Location.city, models.Location.address_1)
    ))

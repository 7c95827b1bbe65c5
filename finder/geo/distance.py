"""Distances between points, with geopy, and the bounding box that keeps their number small."""

from __future__ import annotations

import math

from geopy.distance import distance as geodesic_distance

EARTH_KM_PER_DEGREE = 111.32  # km per degree of latitude (and of longitude at the equator)


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance in km between two (lat, lon) points (WGS84, geopy)."""
    return float(geodesic_distance(a, b).km)


def bounding_box(point: tuple[float, float], km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lon, max_lon) of a box that contains every point within `km`."""
    lat, lon = point
    dlat = km / EARTH_KM_PER_DEGREE
    dlon = km / (EARTH_KM_PER_DEGREE * max(math.cos(math.radians(lat)), 0.01))
    margin = 1.01  # the box must never cut off a point the exact distance keeps
    return (lat - dlat * margin, lat + dlat * margin, lon - dlon * margin, lon + dlon * margin)

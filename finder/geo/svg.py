"""A place's outline as an SVG path, so a wijk page shows its shape without JavaScript or tiles."""

from __future__ import annotations

import math

WIDTH = 320.0


def outline_svg(rings: list[list[tuple[float, float]]]) -> tuple[str, float, float]:
    """(path data, width, height) of rings of (lat, lon) points, north up, in an equirectangular
    projection scaled by cos(latitude) (good enough at the size of a wijk)."""
    points = [p for ring in rings for p in ring]
    if not points:
        return "", WIDTH, WIDTH
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    kx = math.cos(math.radians((min(lats) + max(lats)) / 2))
    span_x = max((max(lons) - min(lons)) * kx, 1e-9)
    span_y = max(max(lats) - min(lats), 1e-9)
    scale = WIDTH / max(span_x, span_y)
    width, height = span_x * scale, span_y * scale

    def xy(lat: float, lon: float) -> str:
        return f"{(lon - min(lons)) * kx * scale:.1f},{(max(lats) - lat) * scale:.1f}"

    path = " ".join("M" + " L".join(xy(lat, lon) for lat, lon in ring) + " Z" for ring in rings if ring)
    return path, round(width, 1), round(height, 1)

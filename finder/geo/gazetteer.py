"""Places of the region: gemeenten and wijken (CBS boundaries) and kernen (GeoNames points).

Built once per process from the files in CONTENT_DIR/geo (see content/geo/README.md for their
sources and licences) and the gemeente slugs in the database. Answers three questions:

- `resolve(text)`: which place does a visitor mean by "ijmuiden", "IJmuiden-Noord" or
  "santpoort"? Exact names first, then names that start with the words typed, then spelling
  (rapidfuzz). Several different places → the visitor is asked which one.
- `locate(lat, lon)`: which wijk and gemeente contain a point (shapely point-in-polygon)?
- `kern_wijken(kern)`: the wijken a kern spans.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz, process
from shapely import STRtree, unary_union
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

ATTRIBUTION = "Bron: CBS, Kadaster (CC BY 4.0); plaatsen: GeoNames (CC BY 4.0)"
FUZZY_CUTOFF = 80  # rapidfuzz ratio (0–100) a misspelt name needs to count as a match
_WIJK_PREFIX = re.compile(r"^Wijk \d+\s+")


def display_wijk_name(cbs_name: str) -> str:
    """"Wijk 06 Santpoort-Noord" → "Santpoort-Noord" (CBS numbers some wijken in their names)."""
    return _WIJK_PREFIX.sub("", cbs_name).strip()


def normalise(text: str) -> str:
    """Lowercase, no accents, hyphens and slashes as spaces: "IJmuiden-Noord" → "ijmuiden noord"."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[-/'’.,()]", " ", text)
    return " ".join(text.split())


def slugify(text: str) -> str:
    return normalise(text).replace(" ", "-")


@dataclass(frozen=True)
class Place:
    kind: str  # gemeente | wijk | kern
    key: str  # gemeente slug, wijk code or kern slug
    name: str
    gemeente: str  # gemeente slug
    gemeente_name: str
    latitude: float
    longitude: float

    @property
    def label(self) -> str:
        """"Santpoort-Noord (Velsen)"; a gemeente is just its name."""
        return self.name if self.kind == "gemeente" else f"{self.name} ({self.gemeente_name})"

    @property
    def point(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)


@dataclass(frozen=True)
class Resolution:
    status: str  # found | ambiguous | unknown
    place: Place | None = None
    options: tuple[Place, ...] = ()
    exact: bool = True  # False when found by spelling: say what we searched for


@dataclass(frozen=True)
class Located:
    wijk: Place | None
    gemeente: Place | None

    @property
    def inside(self) -> bool:
        return self.gemeente is not None


@dataclass
class Gazetteer:
    gemeenten: dict[str, Place] = field(default_factory=dict)
    wijken: dict[str, Place] = field(default_factory=dict)
    kernen: dict[str, Place] = field(default_factory=dict)
    shapes: dict[str, BaseGeometry] = field(default_factory=dict)  # wijk code or gemeente slug → polygon
    _names: dict[str, list[Place]] = field(default_factory=dict)  # normalised name → places
    _tree: STRtree | None = None
    _tree_keys: list[str] = field(default_factory=list)
    _resolved: dict[str, Resolution] = field(default_factory=dict)  # the gazetteer never changes

    # -- building ------------------------------------------------------------------------
    @classmethod
    def from_files(cls, geo_dir: Path, gemeente_slugs: dict[str, str]) -> Gazetteer:
        """`gemeente_slugs` maps CBS codes (GM0453) to our slugs (velsen)."""
        gaz = cls()
        names: dict[str, str] = {}
        for feature in json.loads((geo_dir / "gemeenten.geojson").read_text(encoding="utf-8"))["features"]:
            props = feature["properties"]
            slug = gemeente_slugs.get(props["code"])
            if slug is None:
                continue
            geom = shape(feature["geometry"])
            point = geom.representative_point()
            names[slug] = props["name"].replace(" (NH.)", "")
            gaz.gemeenten[slug] = Place("gemeente", slug, names[slug], slug, names[slug], point.y, point.x)
            gaz.shapes[slug] = geom
        for feature in json.loads((geo_dir / "wijken.geojson").read_text(encoding="utf-8"))["features"]:
            props = feature["properties"]
            slug = gemeente_slugs.get(props["gemeente_code"])
            if slug is None:
                continue
            code = props["code"]
            gaz.wijken[code] = Place(
                "wijk", code, display_wijk_name(props["name"]), slug, names[slug],
                float(props["centroid_lat"]), float(props["centroid_lon"]),
            )
            gaz.shapes[code] = shape(feature["geometry"])
        with (geo_dir / "plaatsen.csv").open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                slug = gemeente_slugs.get(row["gemeente_code"])
                if slug is None:
                    continue
                key = slugify(row["name"])
                gaz.kernen[key] = Place(
                    "kern", key, row["name"], slug, names[slug], float(row["latitude"]), float(row["longitude"])
                )
        gaz._index()
        return gaz

    def _index(self) -> None:
        for place in (*self.gemeenten.values(), *self.wijken.values(), *self.kernen.values()):
            for alias in _aliases(place):
                self._names.setdefault(alias, [])
                if place not in self._names[alias]:
                    self._names[alias].append(place)
        self._tree_keys = list(self.wijken)
        self._tree = STRtree([self.shapes[k] for k in self._tree_keys])

    # -- questions -----------------------------------------------------------------------
    def get(self, kind: str, key: str) -> Place | None:
        return {"gemeente": self.gemeenten, "wijk": self.wijken, "kern": self.kernen}[kind].get(key)

    def resolve(self, text: str) -> Resolution:
        """Kept per normalised text: search results resolve the towns of their locations on every
        page, and the spelling step (rapidfuzz over all names) is the costly part."""
        query = normalise(text)
        found = self._resolved.get(query)
        if found is None:
            if len(self._resolved) >= 4096:  # visitors type anything: stay bounded
                self._resolved.clear()
            found = self._resolved[query] = self._resolve(query)
        return found

    def _resolve(self, query: str) -> Resolution:
        if not query:
            return Resolution("unknown", exact=False)
        exact = self._names.get(query, [])
        if exact:
            return _decide(self._without_kernen_in(exact), exact=True)
        starting = [p for name, places in self._names.items() if name.startswith(query + " ") for p in places]
        if starting:
            return _decide(self._without_kernen_in(starting), exact=True)
        # Spelling: the closest names, and all names as close as the best one.
        found = process.extract(query, list(self._names), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=8)
        if not found:
            return Resolution("unknown", exact=False)
        best = found[0][1]
        close = [p for name, score, _ in found if score >= best - 3 for p in self._names[name]]
        return _decide(self._without_kernen_in(close), exact=False)

    def _without_kernen_in(self, places: list[Place]) -> list[Place]:
        """A kern whose point lies in one of the wijken found is that wijk ("Driehuis" is the
        kern and part of the wijk "Velsen-Zuid en Driehuis"): keep the wijk, it has boundaries."""
        wijken = {p.key for p in places if p.kind == "wijk"}
        if not wijken:
            return places
        out = []
        for p in places:
            if p.kind == "kern":
                located = self.locate(p.latitude, p.longitude).wijk
                if located is not None and located.key in wijken:
                    continue
            out.append(p)
        return out

    def locate(self, latitude: float, longitude: float) -> Located:
        """The wijk and gemeente that contain the point; both None outside the region."""
        point = Point(longitude, latitude)
        hits = self._tree.query(point, predicate="intersects") if self._tree is not None else []
        for i in hits:
            wijk = self.wijken[self._tree_keys[int(i)]]
            return Located(wijk, self.gemeenten[wijk.gemeente])
        for slug, place in self.gemeenten.items():  # a point between generalised wijk outlines
            if self.shapes[slug].intersects(point):
                return Located(None, place)
        return Located(None, None)

    def kern_wijken(self, kern: Place) -> list[Place]:
        """The wijken of a kern: the one its point lies in, and those named after it
        ("IJmuiden" → IJmuiden-Noord, -Zuid, -West)."""
        name = normalise(kern.name)
        out = [w for w in self.wijken.values() if w.gemeente == kern.gemeente and
               (normalise(w.name) == name or normalise(w.name).startswith(name + " "))]
        located = self.locate(kern.latitude, kern.longitude).wijk
        if located and located not in out and located.gemeente == kern.gemeente:
            out.insert(0, located)
        return out

    def wijk_for_kern_name(self, kern: Place) -> Place | None:
        """A wijk with exactly the kern's name (Velserbroek, Bennebroek), if there is one."""
        return next((p for p in self._names.get(normalise(kern.name), []) if p.kind == "wijk"
                     and p.gemeente == kern.gemeente), None)

    def outline(self, *keys: str) -> list[list[tuple[float, float]]]:
        """The rings of one or more wijk or gemeente polygons (merged) as (lat, lon) lists."""
        geom = unary_union([self.shapes[k] for k in keys]) if len(keys) > 1 else self.shapes[keys[0]]
        polygons = list(getattr(geom, "geoms", [geom]))
        rings: list[list[tuple[float, float]]] = []
        for poly in polygons:
            rings.append([(y, x) for x, y in poly.exterior.coords])
            rings.extend([(y, x) for x, y in ring.coords] for ring in poly.interiors)
        return rings


def _aliases(place: Place) -> set[str]:
    """The names a place is known by: its own, and each part of a combined wijk name
    ("Daalmeer/Koedijk", "Velsen-Zuid en Driehuis")."""
    names = {normalise(place.name)}
    if place.kind == "wijk":
        for part in re.split(r"/| en ", place.name):
            part = part.strip()
            if part and not part.endswith("-") and len(part) > 2:
                names.add(normalise(part))
    if place.kind == "gemeente" and place.key == "bergen-nh":
        names.add("bergen nh")
    return names


def _decide(candidates: list[Place], exact: bool) -> Resolution:
    """One place, or ask. A wijk beats a kern of the same name (exact boundaries), and a
    gemeente beats the kern of the same name inside it ("Alkmaar" means the gemeente)."""
    unique = list(dict.fromkeys(candidates))
    by_name: dict[tuple[str, str], list[Place]] = {}
    for p in unique:
        by_name.setdefault((normalise(p.name), p.gemeente), []).append(p)
    chosen: list[Place] = []
    for group in by_name.values():
        rank = {"gemeente": 0, "wijk": 1, "kern": 2}
        chosen.append(min(group, key=lambda p: rank[p.kind]))
    gemeenten = {p.gemeente for p in chosen if p.kind == "gemeente"}
    chosen = [p for p in chosen if p.kind == "gemeente" or p.gemeente not in gemeenten
              or normalise(p.name) != normalise(p.gemeente_name)]
    if len(chosen) == 1:
        return Resolution("found", chosen[0], exact=exact)
    order = {"gemeente": 0, "kern": 1, "wijk": 2}
    chosen.sort(key=lambda p: (order[p.kind], p.gemeente_name, p.name))
    return Resolution("ambiguous", options=tuple(chosen), exact=exact)

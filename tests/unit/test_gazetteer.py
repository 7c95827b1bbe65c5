"""The gazetteer on the real CBS and GeoNames files in content/geo."""

from pathlib import Path

import pytest
import yaml

from finder.geo.distance import bounding_box, distance_km
from finder.geo.gazetteer import Gazetteer, display_wijk_name, normalise
from finder.geo.svg import outline_svg

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    taxonomy = yaml.safe_load((ROOT / "content" / "taxonomy.yaml").read_text(encoding="utf-8"))
    slugs = {g["cbs_code"]: g["slug"] for g in taxonomy["gemeenten"]}
    return Gazetteer.from_files(ROOT / "content" / "geo", slugs)


def test_every_gemeente_has_wijken_and_an_outline(gaz):
    assert len(gaz.gemeenten) == 13
    assert len(gaz.wijken) == 125
    for slug in gaz.gemeenten:
        assert any(w.gemeente == slug for w in gaz.wijken.values()), slug
        assert gaz.outline(slug)


@pytest.mark.parametrize(("typed", "kind", "name", "gemeente"), [
    ("Overdie", "wijk", "Overdie", "alkmaar"),
    ("oudorp", "wijk", "Oudorp", "alkmaar"),
    ("ijmuiden", "kern", "IJmuiden", "velsen"),
    ("IJmuiden-Noord", "wijk", "IJmuiden-Noord", "velsen"),
    ("ijmuiden noord", "wijk", "IJmuiden-Noord", "velsen"),
    ("Santpoort-Noord", "wijk", "Santpoort-Noord", "velsen"),
    ("VELSERBROEK", "wijk", "Velserbroek", "velsen"),  # kern and wijk of one name: the wijk
    ("Alkmaar", "gemeente", "Alkmaar", "alkmaar"),  # gemeente and kern of one name: the gemeente
    ("Heerhugowaard", "kern", "Heerhugowaard", "dijk-en-waard"),
    ("De Rijp", "kern", "De Rijp", "alkmaar"),
    ("Bennebroek", "wijk", "Bennebroek", "bloemendaal"),
    ("Wijk aan Zee", "wijk", "Wijk aan Zee", "beverwijk"),
    ("Egmond aan Zee", "wijk", "Egmond aan Zee", "bergen-nh"),
    ("Sint Pancras", "wijk", "Sint-Pancras", "dijk-en-waard"),
    # every kern the issue names: as a wijk where CBS has one of that name, else as a kern
    ("Santpoort-Zuid", "wijk", "Santpoort-Zuid", "velsen"),
    ("Driehuis", "wijk", "Velsen-Zuid en Driehuis", "velsen"),  # the kern lies in this wijk
    ("Velsen-Noord", "wijk", "Velsen-Noord", "velsen"),
    ("Graft", "kern", "Graft", "alkmaar"),
    ("Stompetoren", "kern", "Stompetoren", "alkmaar"),
    ("Bergen aan Zee", "wijk", "Bergen aan Zee", "bergen-nh"),
    ("Schoorl", "wijk", "Schoorl", "bergen-nh"),
    ("Akersloot", "wijk", "Akersloot", "castricum"),
    ("Limmen", "wijk", "Limmen", "castricum"),
    ("Bakkum", "wijk", "Bakkum", "castricum"),
    ("Overveen", "wijk", "Overveen", "bloemendaal"),
    ("Bentveld", "wijk", "Bentveld", "zandvoort"),
])
def test_places_resolve(gaz, typed, kind, name, gemeente):
    found = gaz.resolve(typed)
    assert found.status == "found" and found.exact
    assert (found.place.kind, found.place.name, found.place.gemeente) == (kind, name, gemeente)


def test_typos_resolve_but_say_so(gaz):
    for typed, name in (("ijmuidn", "IJmuiden"), ("bakum", "Bakkum"), ("Overdi", "Overdie")):
        found = gaz.resolve(typed)
        assert found.status == "found" and not found.exact and found.place.name == name, typed


def test_ambiguous_names_ask_which_one(gaz):
    found = gaz.resolve("santpoort")
    assert found.status == "ambiguous"
    assert [p.label for p in found.options] == ["Santpoort-Noord (Velsen)", "Santpoort-Zuid (Velsen)"]
    koedijk = gaz.resolve("Koedijk")
    assert koedijk.status == "ambiguous"
    assert {p.gemeente for p in koedijk.options} == {"alkmaar", "dijk-en-waard"}
    assert gaz.resolve("centrum").status == "ambiguous"


def test_unknown_places(gaz):
    assert gaz.resolve("Amsterdam").status == "unknown"
    assert gaz.resolve("").status == "unknown"
    assert gaz.resolve("xyzzy").status == "unknown"


def test_a_point_becomes_a_wijk(gaz):
    ijmuiden = gaz.locate(52.4614, 4.6180)  # the centre of IJmuiden (GeoNames point in plaatsen.csv)
    assert ijmuiden.inside and ijmuiden.gemeente.key == "velsen"
    assert ijmuiden.wijk.key.startswith("WK0453") and ijmuiden.wijk.name.startswith("IJmuiden")
    overdie = gaz.wijken["WK036103"]
    assert gaz.locate(overdie.latitude, overdie.longitude).wijk == overdie  # its own inside point
    assert not gaz.locate(52.3728, 4.8936).inside  # Amsterdam, Dam square
    assert not gaz.locate(51.92, 4.48).inside  # Rotterdam


def test_kern_wijken(gaz):
    names = [w.name for w in gaz.kern_wijken(gaz.kernen["ijmuiden"])]
    assert set(names) >= {"IJmuiden-Noord", "IJmuiden-Zuid", "IJmuiden-West"}
    assert all(w.gemeente == "velsen" for w in gaz.kern_wijken(gaz.kernen["ijmuiden"]))


def test_names():
    assert display_wijk_name("Wijk 06 Santpoort-Noord") == "Santpoort-Noord"
    assert display_wijk_name("Overdie") == "Overdie"
    assert normalise("IJmuiden-Noord") == normalise("ijmuiden noord") == "ijmuiden noord"
    assert normalise("Café/Zuid") == "cafe zuid"


def test_distance_and_bounding_box():
    alkmaar, haarlem = (52.6317, 4.7486), (52.3808, 4.6368)
    assert distance_km(alkmaar, haarlem) == pytest.approx(29.0, abs=1.0)
    lat0, lon0 = haarlem
    for km in (0.5, 2, 10, 50):
        min_lat, max_lat, min_lon, max_lon = bounding_box(haarlem, km)
        # points at exactly `km` north, south, east and west lie inside the box
        for dlat, dlon in ((1, 0), (-1, 0), (0, 1), (0, -1)):
            lat = lat0 + dlat * km / 111.0
            lon = lon0 + dlon * km / (111.0 * 0.61)
            if distance_km(haarlem, (lat, lon)) <= km:
                assert min_lat <= lat <= max_lat and min_lon <= lon <= max_lon


def test_outline_svg(gaz):
    path, width, height = outline_svg(gaz.outline("WK036103"))
    assert path.startswith("M") and path.endswith("Z")
    assert width == 320.0 or height == 320.0
    assert all(0 <= float(v) <= 320.5 for pair in path.replace("M", " ").replace("L", " ").replace("Z", " ").split()
               for v in pair.split(","))

"""Bulk import of services from a simple spreadsheet (CSV, one row per service).

Providers think in rows, not in HSDS records: one row is one service with its organisation,
contact details, gemeenten, themes and one address. The file is read and every row is checked
first; the report names each problem by row (as the spreadsheet numbers it: the header is row 1)
and column. Only rows without problems are ever written, as concepts that an editor reviews and
publishes. Functions here flush only; the view commits once, so nothing is half saved.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any, cast
from urllib.parse import urlsplit

from babel.dates import format_date
from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from finder import models
from finder.catalogue import editors
from finder.catalogue.hsds import slugify
from finder.catalogue.revisions import record_revision
from finder.catalogue.validation import phone_number, postal_code
from finder.extensions import db
from finder.geo import gazetteer
from finder.geo.gazetteer import normalise
from finder.i18n import _, _l

MAX_BYTES = 1_000_000  # 1 MB: hundreds of rows of real text, and small enough to check in one request
MAX_ROWS = 1000
MAX_THEMES = 5  # as in content/ (content_schema.ServiceIn)
DELIMITERS = ";,\t"  # Dutch Excel writes ";", others ",", "Unicode text" a tab
WIDE_SCOPES = ("landelijk", "online")
IMPORT_TITLE = "Bron opgegeven bij import uit een spreadsheet"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as in the template file and in the report
    required: bool
    help: Any  # lazy text for the explanation on the import page
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column("name", "naam", True, _l("De naam van het aanbod, zoals de aanbieder het noemt.")),
    Column("organization", "organisatie", True, _l(
        "De organisatie die het aanbod geeft. Staat de organisatie al op de website? Schrijf de naam dan precies "
        "zo. Anders maken we een nieuwe organisatie."), ("aanbieder",)),
    Column("summary", "korte beschrijving", True, _l("Eén zin over wat het is: 10 tot 300 tekens."),
           ("samenvatting",)),
    Column("description", "beschrijving", False, _l("Meer uitleg over het aanbod. Mag leeg blijven."),
           ("omschrijving",)),
    Column("how_to_get", "hoe krijg ik dit", False, _l(
        "Wat moet iemand doen: bellen, mailen, zich aanmelden of binnenlopen? Mag leeg blijven.")),
    Column("kind", "soort", True, _l("Eén soort aanbod. Kies uit: %(choices)s.", choices=", ".join(models.KINDS))),
    Column("audience", "voor wie", False, _l(
        "Kies uit: ouders, jongeren, kinderen, professionals. Meer dan één? Zet er een ; tussen.")),
    Column("minimum_age", "leeftijd van", False, _l("De jongste leeftijd: een heel getal van 0 tot en met 99."),
           ("leeftijd vanaf", "minimum leeftijd")),
    Column("maximum_age", "leeftijd tot", False, _l("De oudste leeftijd: een heel getal van 0 tot en met 99."),
           ("leeftijd tot en met", "maximum leeftijd")),
    Column("access", "toegang", False, _l(
        "Kies uit: vrij toegankelijk, aanmelden, verwijzing nodig. Leeg betekent: niet bekend.")),
    Column("cost", "kosten", False, _l(
        "Kies uit: gratis, eigen bijdrage, inkomensgrens. Leeg betekent: niet bekend.")),
    Column("website", "website", False, _l("Het webadres van het aanbod. Het begint met https:// of http://."),
           ("webadres", "url")),
    Column("email", "e-mail", False, _l("Het e-mailadres voor dit aanbod."), ("email", "e-mailadres", "emailadres")),
    Column("phone", "telefoon", False, _l("Het telefoonnummer. Meer dan één? Zet er een ; tussen."),
           ("telefoonnummer", "tel")),
    Column("areas", "gemeenten", False, _l(
        "Waar het aanbod is: namen van gemeenten, of een regio (regio alkmaar, ijmond, zuid-kennemerland), "
        "of landelijk, of online. Meer dan één? Zet er een ; tussen."), ("gemeente", "werkgebied")),
    Column("themes", "thema's", False, _l(
        "De thema's van de website, hoogstens 5. Meer dan één? Zet er een ; tussen."), ("themas", "thema")),
    Column("address", "adres", False, _l("Straat en huisnummer van de plek waar je heen gaat. Vul dan ook de plaats "
                                         "in."), ("straat",)),
    Column("postcode", "postcode", False, _l("De postcode van dat adres, zo: 1234 AB.")),
    Column("city", "plaats", False, _l("De plaats van dat adres."), ("woonplaats",)),
    Column("source", "bron", False, _l(
        "Het webadres van de openbare pagina waar deze gegevens staan. Zo kan de redactie ze controleren."),
        ("bronpagina",)),
)
BY_KEY = {c.key: c for c in COLUMNS}


class FileProblem(Exception):
    """The file as a whole cannot be used (not a CSV, too big, unknown columns): nothing is checked further."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Problem:
    column: str  # the column's header; "" for the row as a whole
    message: str


@dataclass(frozen=True)
class OrgPlan:
    slug: str
    name: str
    id: str | None  # None: a new organisation


@dataclass(frozen=True)
class AreaPlan:
    """A service area to be; has what editors.can_edit reads of a ServiceArea."""

    scope: str
    gemeente_slug: str | None
    region: str | None


@dataclass(frozen=True)
class LocationPlan:
    address: str
    postcode: str
    city: str


@dataclass
class ServicePlan:
    slug: str
    organization: OrgPlan
    values: dict[str, Any]  # Service columns
    phones: list[str]
    areas: list[AreaPlan]
    theme_ids: list[str]
    location: LocationPlan | None
    source: str | None


@dataclass
class RowResult:
    number: int  # as the spreadsheet shows it: the header is row 1
    name: str
    problems: list[Problem] = field(default_factory=list)
    plan: ServicePlan | None = None

    @property
    def ok(self) -> bool:
        return not self.problems and self.plan is not None


@dataclass
class Check:
    text: str  # the decoded file, so the editor can import the good rows without uploading again
    rows: list[RowResult]

    @property
    def good(self) -> list[RowResult]:
        return [r for r in self.rows if r.ok]

    @property
    def bad(self) -> list[RowResult]:
        return [r for r in self.rows if not r.ok]


# -- reading the file ----------------------------------------------------------------------------


def _not_csv() -> FileProblem:
    return FileProblem(_("Dit is geen CSV-bestand. Sla je spreadsheet op als CSV en probeer het opnieuw."))


def _excel() -> FileProblem:
    return FileProblem(_("Dit is een Excel-bestand. Kies in Excel: Opslaan als, CSV (gescheiden door "
                         "lijstscheidingsteken). Upload dat bestand."))


def check_name(filename: str) -> None:
    """The file's name must say CSV (or text); an Excel workbook gets the way to save it as CSV."""
    name = filename.lower()
    if name.endswith((".xlsx", ".xls", ".xlsm")):
        raise _excel()
    if not name.endswith((".csv", ".txt", ".tsv")):
        raise _not_csv()


def decode(data: bytes) -> str:
    """The file's text: UTF-8 (with or without BOM, as Excel's "CSV UTF-8" writes it), UTF-16 with
    a BOM (Excel's "Unicode text"), else Windows-1252 (Excel's plain "CSV" on Windows)."""
    if len(data) > MAX_BYTES:
        raise FileProblem(_("Het bestand is te groot: hoogstens 1 MB. Splits het in kleinere bestanden."))
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # .xlsx (zip) and .xls (OLE)
        raise _excel()
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    candidates = ("utf-16",) if utf16 else ("utf-8-sig", "cp1252")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if not text.strip():
            raise FileProblem(_("Het bestand is leeg."))
        if _CONTROL.search(text):  # binary data that happens to decode
            break
        return text
    raise _not_csv()


def header_key(text: str) -> str:
    """A column name as we compare it: no case, accents, stars or question marks; single spaces."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(text.strip(" *?:").split())


_HEADERS = {header_key(alias): c.key for c in COLUMNS for alias in (c.header, *c.aliases)}


def _delimiter(first_line: str) -> str:
    """The delimiter csv.Sniffer sees in the header line; else (or when another one splits it into
    more known column names) the one that does."""
    try:
        guess = csv.Sniffer().sniff(first_line, delimiters=DELIMITERS).delimiter
    except csv.Error:
        guess = max(DELIMITERS, key=first_line.count)
    candidates = [guess, *(d for d in DELIMITERS if d != guess)]

    def known(delimiter: str) -> int:
        cells = next(csv.reader([first_line], delimiter=delimiter), [])
        return sum(header_key(c) in _HEADERS for c in cells)

    return max(candidates, key=known)  # the first of the best: the sniffer's guess wins a tie


def read_rows(text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The column keys and the non-empty data rows, each with its row number."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = _delimiter(first_line)
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            cells = [c.strip() for c in cells]
            if not any(cells):
                continue
            if header is None:
                header = cells
                continue
            rows.append((number, cells))
            if len(rows) > MAX_ROWS:
                raise FileProblem(_("Het bestand heeft meer dan %(n)d rijen. Splits het in kleinere bestanden.",
                                    n=MAX_ROWS))
    except csv.Error as error:
        raise FileProblem(_("Dit bestand kunnen we niet lezen als CSV. Sla je spreadsheet opnieuw op als CSV.")) \
            from error
    keys = _columns(header or [])
    if not rows:
        raise FileProblem(_("Er staan geen rijen met aanbod in dit bestand. Zet onder de kopregel één rij per aanbod."))
    return keys, rows


def _columns(header: list[str]) -> list[str]:
    """The key of every header cell; a clear message when the header does not fit."""
    keys = [_HEADERS.get(header_key(cell), "") for cell in header]
    if not any(keys):
        raise FileProblem(_("We vinden geen kopregel met de namen van de kolommen. Zet in de eerste rij de namen "
                            "uit het voorbeeld."))
    unknown = [cell for cell, key in zip(header, keys, strict=True) if not key and cell]
    if unknown:
        raise FileProblem(_("Deze kolommen kennen we niet: %(names)s. Gebruik de namen uit het voorbeeld.",
                            names=", ".join(unknown)))
    twice = sorted({BY_KEY[k].header for k in keys if k and keys.count(k) > 1})
    if twice:
        raise FileProblem(_("Deze kolommen staan er meer dan één keer in: %(names)s.", names=", ".join(twice)))
    missing = [c.header for c in COLUMNS if c.required and c.key not in keys]
    if missing:
        raise FileProblem(_("Deze verplichte kolommen ontbreken: %(names)s.", names=", ".join(missing)))
    return keys


# -- checking the rows ---------------------------------------------------------------------------


@dataclass
class Lookups:
    """What the rows are checked against, read once per file. Keys are normalised words
    (gazetteer.normalise: no case, accents or hyphens), so "Bergen (NH)" finds bergen-nh."""

    kinds: dict[str, str]  # key -> kind
    gemeenten: dict[str, str]  # key -> gemeente slug
    regions: dict[str, str]  # key -> region slug
    region_gemeenten: dict[str, list[str]]  # region slug -> gemeente slugs
    themes: dict[str, str]  # key -> taxonomy term id
    orgs: dict[str, OrgPlan]  # slug, and name without case -> organisation
    service_slugs: set[str]
    service_names: set[tuple[str, str]]  # (organisation slug, name without case)

    @classmethod
    def load(cls) -> Lookups:
        gemeenten = list(db.session.scalars(select(models.Gemeente).order_by(models.Gemeente.name)))
        region_gemeenten: dict[str, list[str]] = {}
        for g in gemeenten:
            region_gemeenten.setdefault(g.region, []).append(g.slug)
        orgs = list(db.session.execute(
            select(models.Organization.id, models.Organization.slug, models.Organization.name)))
        services = list(db.session.execute(
            select(models.Service.slug, models.Service.organization_id, models.Service.name)))
        org_slug = {org_id: slug for org_id, slug, _name in orgs}
        return cls(
            kinds=_kinds(),
            gemeenten={normalise(key): g.slug for g in gemeenten for key in (g.slug, g.name)},
            regions={normalise(key): region for region in region_gemeenten for key in (region, f"regio {region}")},
            region_gemeenten=region_gemeenten,
            themes=_terms(models.THEMES_TAXONOMY, lambda term: term.id),
            orgs={key: OrgPlan(slug, name, org_id) for org_id, slug, name in orgs for key in (slug, _name_key(name))},
            service_slugs={slug for slug, _org, _name in services},
            service_names={(org_slug.get(org, ""), _name_key(name)) for _slug, org, name in services},
        )


def _kinds() -> dict[str, str]:
    """Our kinds by slug and by their name in the taxonomy ("Overig aanbod")."""
    named = _terms(models.KINDS_TAXONOMY, lambda term: term.code)
    return {key: kind for key, kind in named.items() if kind in models.KINDS} | {
        normalise(k): k for k in models.KINDS}


def _terms(taxonomy_id: str, value: Any) -> dict[str, str]:
    """The terms of a taxonomy by their normalised code and name."""
    terms = db.session.scalars(select(models.TaxonomyTerm).where(models.TaxonomyTerm.taxonomy_id == taxonomy_id))
    return {normalise(key): value(term) for term in terms for key in (term.code, term.name)}


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def check_file(filename: str, data: bytes, editor: models.Editor) -> Check:
    """Read and check an uploaded file. :raise FileProblem: when the file as a whole is unusable."""
    check_name(filename)
    return check_text(decode(data), editor)


def check_text(text: str, editor: models.Editor) -> Check:
    """Check every row of the decoded file against the catalogue and the editor's scope."""
    keys, rows = read_rows(text)
    lookups = Lookups.load()
    results = [_check_row(number, keys, cells, lookups, editor) for number, cells in rows]
    _mark_duplicates(results)
    return Check(text, results)


def _mark_duplicates(results: list[RowResult]) -> None:
    """A service that is twice in the file (same name and organisation, or the same slug): the
    later row gets the problem, so importing the good rows keeps the first."""
    first_by_name: dict[tuple[str, str], int] = {}
    first_by_slug: dict[str, int] = {}
    for result in results:
        plan = result.plan
        if plan is None:
            continue
        name = (plan.organization.slug, _name_key(plan.values["name"]))
        earlier = first_by_name.get(name) or first_by_slug.get(plan.slug)
        if earlier:
            result.problems.append(Problem(BY_KEY["name"].header, _(
                "Deze rij staat dubbel in het bestand. Zie ook rij %(row)d.", row=earlier)))
        else:
            first_by_name[name] = first_by_slug[plan.slug] = result.number


class _Row:
    """One row's values by column key, and the problems found in it."""

    def __init__(self, keys: list[str], cells: list[str]) -> None:
        self.values = {k: v for k, v in zip(keys, cells, strict=False) if k}
        self.problems: list[Problem] = []
        unnamed = [v for k, v in zip(keys, cells, strict=False) if not k] + cells[len(keys):]
        if any(unnamed):  # never silently dropped
            self.problems.append(Problem("", _("Deze rij heeft iets in een kolom zonder naam in de kopregel.")))

    def get(self, key: str) -> str:
        """The cell's text; single spaces, except in the texts where lines matter."""
        value = self.values.get(key, "")
        return value if key in ("description", "how_to_get") else " ".join(value.split())

    def problem(self, key: str, message: str) -> None:
        self.problems.append(Problem(BY_KEY[key].header, message))


def _check_row(number: int, keys: list[str], cells: list[str], lookups: Lookups,
               editor: models.Editor) -> RowResult:
    row = _Row(keys, cells)
    values: dict[str, Any] = {
        "name": _text(row, "name", limit=250),
        "summary": _text(row, "summary", limit=300, minimum=10),
        "description": _text(row, "description", limit=5000),
        "how_to_get": _text(row, "how_to_get", limit=2000),
        "kind": _kind(row, lookups),
        "audience": _audience(row),
        "access": _choice(row, "access", models.ACCESS, _(
            "Kies uit: vrij toegankelijk, aanmelden, verwijzing nodig. Of laat het leeg.")),
        "cost": _choice(row, "cost", models.COSTS, _(
            "Kies uit: gratis, eigen bijdrage, inkomensgrens. Of laat het leeg.")),
        "website": _url(row, "website"),
        "email": _email(row),
    }
    values["minimum_age"], values["maximum_age"] = _ages(row)
    organization = _organization(row, lookups)
    phones = _phones(row)
    areas = _areas(row, lookups)
    theme_ids = _themes(row, lookups)
    location = _location(row)
    source = _url(row, "source", limit=1000)
    result = RowResult(number, values["name"] or "")
    if row.problems or organization is None or areas is None:
        result.problems = row.problems
        return result
    slug = _service_slug(organization.slug, values["name"])
    if slug in lookups.service_slugs or (organization.slug, _name_key(values["name"])) in lookups.service_names:
        row.problem("name", _("Dit aanbod staat al op de website: %(name)s van %(org)s.", name=values["name"],
                              org=organization.name))
    probe = SimpleNamespace(organization=SimpleNamespace(slug=organization.slug), service_areas=areas)
    if not editors.can_edit(editor, cast(models.Service, probe)):
        row.problem("areas", _("Dit aanbod valt buiten jouw gemeenten of organisaties."))
    result.problems = row.problems
    result.plan = ServicePlan(slug, organization, values, phones, areas, theme_ids, location, source)
    return result


def _text(row: _Row, key: str, *, limit: int, minimum: int = 0) -> str:
    value = row.get(key)
    if not value:
        if BY_KEY[key].required:
            row.problem(key, _("Vul dit in. Dit is verplicht."))
    elif minimum and not minimum <= len(value) <= limit:
        row.problem(key, _("Schrijf %(min)d tot %(max)d tekens. Nu zijn het er %(n)d.", min=minimum, max=limit,
                           n=len(value)))
    elif len(value) > limit:
        row.problem(key, _("Dit is te lang: hoogstens %(max)d tekens. Nu zijn het er %(n)d.", max=limit,
                           n=len(value)))
    return value


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]", text) if part.strip()]


def _kind(row: _Row, lookups: Lookups) -> str:
    value = row.get("kind")
    if not value:
        row.problem("kind", _("Vul dit in. Dit is verplicht."))
        return ""
    kind = lookups.kinds.get(normalise(value))
    if kind is None:
        row.problem("kind", _("Deze soort kennen we niet: %(value)s. Kies uit: %(choices)s.", value=value,
                              choices=", ".join(models.KINDS)))
    return kind or ""


def _audience(row: _Row) -> list[str]:
    chosen, unknown = [], []
    for part in _split(row.get("audience")):
        key = normalise(part)
        (chosen if key in models.AUDIENCES else unknown).append(key if key in models.AUDIENCES else part)
    if unknown:
        row.problem("audience", _("Dit kennen we niet: %(value)s. Kies uit: ouders, jongeren, kinderen, "
                                  "professionals.", value=", ".join(unknown)))
    return list(dict.fromkeys(chosen))


def _choice(row: _Row, key: str, allowed: tuple[str, ...], message: str) -> str:
    value = normalise(row.get(key))
    if not value:
        return "onbekend"
    if value not in allowed:
        row.problem(key, message)
        return "onbekend"
    return value


def _ages(row: _Row) -> tuple[int | None, int | None]:
    ages: list[int | None] = []
    for key in ("minimum_age", "maximum_age"):
        value = row.get(key)
        if not value:
            ages.append(None)
        elif value.isdigit() and 0 <= int(value) <= 99:
            ages.append(int(value))
        else:
            row.problem(key, _("Schrijf een heel getal van 0 tot en met 99."))
            ages.append(None)
    low, high = ages
    if low is not None and high is not None and low > high:
        row.problem("maximum_age", _("De leeftijd tot is lager dan de leeftijd van."))
    return low, high


def _url(row: _Row, key: str, limit: int = 500) -> str | None:
    value = row.get(key)
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or "." not in parts.netloc or " " in value or len(value) > limit:
        row.problem(key, _("Dit is geen geldig webadres. Het begint met https:// of http://."))
        return None
    return value


def _email(row: _Row) -> str | None:
    value = row.get("email")
    if not value:
        return None
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError:
        row.problem("email", _("Dit is geen geldig e-mailadres."))
        return None


def _phones(row: _Row) -> list[str]:
    numbers = []
    for part in _split(row.get("phone")):
        try:
            numbers.append(phone_number(part)[:60])
        except ValueError:
            row.problem("phone", _("Dit is geen telefoonnummer dat we kunnen bellen: %(value)s.", value=part))
    return list(dict.fromkeys(numbers))


def _organization(row: _Row, lookups: Lookups) -> OrgPlan | None:
    name = _text(row, "organization", limit=250)
    if not name:
        return None
    found = lookups.orgs.get(_name_key(name)) or lookups.orgs.get(name.lower()) or lookups.orgs.get(slugify(name))
    if found is not None:
        return found
    if not slugify(name):
        row.problem("organization", _("Gebruik letters of cijfers in de naam van de organisatie."))
        return None
    return OrgPlan(slugify(name), name, None)


def _areas(row: _Row, lookups: Lookups) -> list[AreaPlan] | None:
    """Service areas as content/ makes them: one row per gemeente, with its region for a region."""
    wide, regions, gemeenten, unknown = [], [], [], []
    for part in _split(row.get("areas")):
        key = normalise(part)
        if key in WIDE_SCOPES:
            wide.append(key)
        elif key in lookups.regions:
            regions.append(lookups.regions[key])
        elif key in lookups.gemeenten:
            gemeenten.append(lookups.gemeenten[key])
        else:
            unknown.append(part)
    if unknown:
        row.problem("areas", _("Deze gemeente of regio kennen we niet: %(value)s.", value=", ".join(unknown)))
        return None
    if wide and len(set(wide)) + len(regions) + len(gemeenten) > 1:
        row.problem("areas", _("Kies landelijk, of online, of gemeenten en regio's. Niet meer dan één daarvan."))
        return None
    if wide:
        return [AreaPlan(wide[0], None, None)]
    areas: dict[str, AreaPlan] = {}
    for region in regions:
        for slug in lookups.region_gemeenten[region]:
            areas.setdefault(slug, AreaPlan("regio", slug, region))
    for slug in gemeenten:
        areas.setdefault(slug, AreaPlan("gemeente", slug, None))
    return list(areas.values())


def _themes(row: _Row, lookups: Lookups) -> list[str]:
    """Theme ids; a theme's name may itself hold a comma ("Zwanger, baby en peuter")."""
    found, unknown = [], []
    for piece in row.get("themes").split(";"):
        parts = [p.strip() for p in piece.split(",")]
        start = 0
        while start < len(parts):
            for end in range(len(parts), start, -1):
                term = lookups.themes.get(normalise(", ".join(parts[start:end])))
                if term is not None:
                    found.append(term)
                    start = end
                    break
            else:
                if parts[start]:
                    unknown.append(parts[start])
                start += 1
    if unknown:
        row.problem("themes", _("Dit thema kennen we niet: %(value)s.", value=", ".join(unknown)))
    found = list(dict.fromkeys(found))
    if len(found) > MAX_THEMES:
        row.problem("themes", _("Kies hoogstens %(n)d thema's.", n=MAX_THEMES))
    return found


def _location(row: _Row) -> LocationPlan | None:
    address, postcode, city = row.get("address"), row.get("postcode"), row.get("city")
    if postcode:
        try:
            postcode = postal_code(postcode)
        except ValueError:
            row.problem("postcode", _("Schrijf de postcode zoals 1811 KH."))
    if not (address or postcode or city):
        return None
    if not address:
        row.problem("address", _("Vul ook het adres in: straat en huisnummer."))
    elif not city:
        row.problem("city", _("Vul bij een adres ook de plaats in."))
    for key, value, limit in (("address", address, 250), ("city", city, 120)):
        if len(value) > limit:
            row.problem(key, _("Dit is te lang: hoogstens %(max)d tekens. Nu zijn het er %(n)d.", max=limit,
                               n=len(value)))
    return LocationPlan(address, postcode, city)


def _service_slug(org_slug: str, name: str) -> str:
    """Like the slugs in content/: the organisation first, then the service's name."""
    own = slugify(name)
    slug = own if own.startswith(org_slug) else f"{org_slug}-{own}"
    return slug[:120].strip("-")


# -- writing -------------------------------------------------------------------------------------


def import_rows(rows: list[RowResult], *, editor: models.Editor, filename: str, batch: str,
                today: date | None = None) -> list[models.Service]:
    """Add a concept service for every good row, with a revision and an audit event each (flush
    only: the caller commits once, or rolls back and nothing is saved)."""
    today = today or date.today()
    # Shown on the public page once published: no editor's name or file name (those are in the
    # revision and the audit log).
    note = (f"Ingevoerd via een spreadsheet op {format_date(today, 'long', locale='nl')}. "
            "De redactie heeft de gegevens nog niet gecontroleerd.")
    organizations: dict[str, models.Organization] = {}
    added: list[tuple[int, models.Service]] = []
    for row in rows:
        if not row.ok or row.plan is None:
            raise ValueError(f"row {row.number} has problems")
        organization = _organization_row(row.plan, organizations)
        added.append((row.number, _service_row(row.plan, organization, note, today)))
    db.session.flush()
    for number, service in added:
        record_revision(service, author=editor.email, reason=f"import uit spreadsheet {filename}")
        editors.audit(editor.email, "import", service, f"{batch} {filename}, rij {number}")
    db.session.flush()
    return [service for _number, service in added]


def _organization_row(plan: ServicePlan, made: dict[str, models.Organization]) -> models.Organization:
    ref = plan.organization
    if ref.id is not None:
        return db.session.get_one(models.Organization, ref.id)
    if ref.slug not in made:
        sources = [{"url": plan.source, "title": IMPORT_TITLE}] if plan.source else []
        made[ref.slug] = models.Organization(id=models.new_id(), slug=ref.slug, name=ref.name, sources=sources)
        db.session.add(made[ref.slug])
    return made[ref.slug]


def _service_row(plan: ServicePlan, organization: models.Organization, note: str, today: date) -> models.Service:
    """The service, added to the session before its parts (so an autoflush never meets half of it)."""
    values = plan.values
    service = models.Service(
        id=models.new_id(), slug=plan.slug, organization_id=organization.id, status="concept", needs_review=True,
        review_note=note, evidence="bron", version=1,
        sources=[{"url": plan.source, "title": IMPORT_TITLE, "date": today.isoformat()}] if plan.source else [],
        website_source=plan.source if values["website"] else None,
        email_source=plan.source if values["email"] else None,
        **values,
    )
    db.session.add(service)
    service.phones = [models.Phone(number=n, source=plan.source, position=i) for i, n in enumerate(plan.phones)]
    service.service_areas = [
        models.ServiceArea(scope=a.scope, gemeente_slug=a.gemeente_slug, region=a.region,
                           name=a.scope if a.scope in WIDE_SCOPES else "")
        for a in plan.areas
    ]
    service.attributes = [
        models.Attribute(link_entity="service", link_type="theme", taxonomy_term_id=term) for term in plan.theme_ids
    ]
    if plan.location is not None:
        service.service_at_locations = [models.ServiceAtLocation(location=_location_row(plan, organization))]
    return service


def _location_row(plan: ServicePlan, organization: models.Organization) -> models.Location:
    """An address without coordinates: `flask geocode-locations` looks it up later (never in a request)."""
    loc = cast(LocationPlan, plan.location)
    known_town = bool(loc.city) and gazetteer().resolve(loc.city).status == "found"
    return models.Location(organization_id=organization.id, address_1=loc.address, postal_code=loc.postcode,
                           city=loc.city, source=plan.source, geocode_status=None,
                           precision="gemeente" if known_town else None)


def imported_in(batch: str, actor: str) -> list[models.Service]:
    """The services one import (`batch`) of this editor added, in file order."""
    events = db.session.scalars(
        select(models.AuditEvent).where(models.AuditEvent.action == "import", models.AuditEvent.actor == actor,
                                        models.AuditEvent.detail.startswith(f"{batch} ", autoescape=True))
        .order_by(models.AuditEvent.id)
    )
    services = (db.session.get(models.Service, e.entity_id) for e in events if e.entity_id)
    return [s for s in services if s is not None]


def allowed_values() -> dict[str, list[str]]:
    """The words the columns soort, gemeenten and thema's accept, for the explanation on the page."""
    gemeenten = list(db.session.scalars(select(models.Gemeente).order_by(models.Gemeente.name)))
    themes = db.session.scalars(select(models.TaxonomyTerm.name).where(
        models.TaxonomyTerm.taxonomy_id == models.THEMES_TAXONOMY).order_by(models.TaxonomyTerm.position))
    return {
        "kinds": list(models.KINDS),
        "gemeenten": [g.name for g in gemeenten],
        "regions": list(dict.fromkeys(g.region for g in sorted(gemeenten, key=lambda g: g.region))),
        "wide": list(WIDE_SCOPES),
        "themes": list(themes),
    }


def template_csv() -> str:
    """The empty template: the header row only (an example row would be made-up content)."""
    return "\ufeff" + ";".join(c.header for c in COLUMNS) + "\r\n"

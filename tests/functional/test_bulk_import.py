"""Bulk import of a spreadsheet (CSV) of services: read robustly, checked per row, all or nothing
(unless the editor imports only the good rows), concepts to review, never findable yet."""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from test_editors import PASSWORD, login, make_editor

from finder import models
from finder.catalogue import bulk_import, editors
from finder.extensions import db
from finder.search import current_index

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
HEADER = "naam;organisatie;korte beschrijving;soort;gemeenten"
SUMMARY = "Een korte zin over dit aanbod voor ouders."


def upload(client, data: bytes, filename="aanbod.csv", **fields: str):
    """Post the file as a browser does (multipart/form-data), the body built here: werkzeug's test
    client would keep a body over 500 KB in a temporary file that it never closes."""
    boundary = "wegwijzer-test-boundary"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f"Content-Type: text/csv\r\n\r\n".encode() + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return client.post("/redactie/importeren", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def service_named(name: str) -> models.Service | None:
    return db.session.scalar(select(models.Service).where(models.Service.name == name))


def row_problems(html: str, row: int) -> str:
    """The text of one row of the report."""
    match = re.search(rf'<tr id="rij-{row}"[^>]*>(.*?)</tr>', html, re.S)
    assert match, f"row {row} not in the report"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()


def payload_of(html: str) -> str:
    return html.split('id="payload" name="payload" type="hidden" value="')[1].split('"')[0]


def state() -> tuple[int, ...]:
    """What an import may change: services, organisations, revisions, audit events, index."""
    return (count(models.Service), count(models.Organization), count(models.Revision),
            count(models.Location), count(models.ChangeLog), current_index().doc_count())


# -- the page and the template ----------------------------------------------------------------


def test_import_page_explains_the_columns_and_the_template_has_only_the_header(app, client):
    make_editor()
    login(client)
    page = client.get("/redactie/importeren")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in html and 'type="file"' in html
    for column in bulk_import.COLUMNS:
        assert f"<dt>{column.header}" in html.replace("&#39;", "'")
    assert "Zwanger, baby en peuter" in html and "Bergen (NH)" in html  # the accepted values
    assert "/redactie/importeren/voorbeeld.csv" in html
    template = client.get("/redactie/importeren/voorbeeld.csv")
    assert template.mimetype == "text/csv" and "attachment" in template.headers["Content-Disposition"]
    lines = template.get_data().decode("utf-8-sig").splitlines()
    assert lines == [";".join(c.header for c in bulk_import.COLUMNS)]  # no made-up example row
    # the template's own header is understood, in full
    response = upload(client, template.get_data())
    assert response.status_code == 400 and "Er staan geen rijen met aanbod" in response.get_data(as_text=True)


def test_not_logged_in_goes_to_the_login_page(app, client):
    assert client.get("/redactie/importeren").status_code == 302
    assert upload(client, fixture("good.csv")).status_code == 302
    assert count(models.AuditEvent) == 0


# -- all good: everything is imported -----------------------------------------------------------


def test_a_good_file_imports_every_row_as_a_concept_to_review(app, client):
    make_editor()
    login(client)
    before = state()
    response = upload(client, fixture("good.csv"), filename="aanbod mei.csv")
    assert response.status_code == 302 and "/redactie/importeren/resultaat/" in response.headers["Location"]
    result = client.get(response.headers["Location"])
    html = result.get_data(as_text=True)
    assert result.status_code == 200 and "3 rijen zijn geïmporteerd als concept." in html

    names = ["Voorleesochtend Velsen", "Huiswerkhulp Kennemerland", "Chat voor jongeren met zorgen"]
    services = [service_named(n) for n in names]
    assert all(services)
    for s in services:
        assert s.status == "concept" and s.needs_review and s.evidence == "bron" and s.version == 1
        assert "spreadsheet" in s.review_note and "aanbod_mei.csv" not in s.review_note
        assert "Test" not in s.review_note  # the public page shows the note: no editor's name
        assert f'href="/redactie/aanbod/{s.slug}"' in html  # a link to edit each one
        revisions = editors.revisions(s)
        assert [(r.author, r.reason) for r in revisions] == [
            ("beheer@example.org", "import uit spreadsheet aanbod_mei.csv")]
    events = db.session.scalars(select(models.AuditEvent).where(models.AuditEvent.action == "import")).all()
    assert sorted(e.entity_id for e in events) == sorted(s.id for s in services)

    voorlezen, huiswerk, chat = services
    assert voorlezen.organization.slug == "test-cjg-velsen"  # matched by name
    assert voorlezen.slug == "test-cjg-velsen-voorleesochtend-velsen"
    assert voorlezen.audience == ["ouders", "kinderen"] and (voorlezen.minimum_age, voorlezen.maximum_age) == (2, 4)
    assert voorlezen.access == "vrij toegankelijk" and voorlezen.cost == "gratis"
    assert voorlezen.email == "Voorlezen@example.org" and voorlezen.website == "https://example.org/voorlezen"
    assert voorlezen.description == "Een vrijwilliger leest voor.\nDaarna is er tijd voor koffie."
    assert [p.number for p in voorlezen.phones] == ["0255 123 456"]
    assert [(a.scope, a.gemeente_slug) for a in voorlezen.service_areas] == [("gemeente", "velsen")]
    assert {t.code for t in voorlezen.theme_terms} == {"taal-en-lezen", "baby-en-jonge-kinderen"}
    assert voorlezen.sources[0]["url"] == "https://example.org/voorlezen"
    [location] = voorlezen.locations
    assert (location.address_1, location.postal_code, location.city) == ("Dudokplein 16", "1971 EP", "IJmuiden")
    assert location.geocode_status is None and location.latitude is None  # geocoded later, never in a request

    assert huiswerk.organization.name == "Stichting Leerhulp Test" and huiswerk.organization.slug == (
        "stichting-leerhulp-test")  # a new organisation
    assert {(a.scope, a.region) for a in huiswerk.service_areas} == {("regio", "zuid-kennemerland")}
    assert {a.gemeente_slug for a in huiswerk.service_areas} == {"haarlem", "bloemendaal", "heemstede", "zandvoort"}
    assert huiswerk.kind == "overig" and huiswerk.cost == "eigen bijdrage" and huiswerk.access == "aanmelden"
    assert chat.organization.slug == "test-landelijk" and [a.scope for a in chat.service_areas] == ["online"]
    assert chat.access == "onbekend" and chat.cost == "onbekend" and chat.sources == []

    services_before, orgs_before, revisions_before, locations_before, _log, docs_before = before
    assert count(models.Service) == services_before + 3 and count(models.Organization) == orgs_before + 1
    assert count(models.Revision) == revisions_before + 3 and count(models.Location) == locations_before + 1
    # concepts: not in the index, not findable
    assert current_index().doc_count() == docs_before
    for query in ("voorleesochtend", "huiswerkhulp", "chat+zorgen"):
        assert "Voorleesochtend" not in client.get(f"/zoeken?q={query}").get_data(as_text=True)
        assert "Huiswerkhulp" not in client.get(f"/zoeken?q={query}").get_data(as_text=True)
    assert client.get(f"/aanbod/{voorlezen.slug}").status_code == 404
    # the dashboard lists them as "te controleren", and the address as not on the map yet
    dashboard = client.get("/redactie/").get_data(as_text=True)
    assert "Voorleesochtend Velsen" in dashboard and "Dudokplein 16" in dashboard

    # a reload of the result page imports nothing; the same file again is refused row by row
    after = state()
    assert client.get(response.headers["Location"]).status_code == 200
    again = upload(client, fixture("good.csv"))
    assert again.status_code == 400
    assert "Dit aanbod staat al op de website: Voorleesochtend Velsen van Test CJG Velsen." in row_problems(
        again.get_data(as_text=True), 2)
    assert state() == after


def test_the_result_page_is_only_for_the_editor_who_imported(app, client):
    make_editor()
    make_editor("tweede@example.org")
    login(client)
    location = upload(client, fixture("good.csv")).headers["Location"]
    other = app.test_client()
    login(other, "tweede@example.org")
    assert other.get(location).status_code == 404
    assert client.get("/redactie/importeren/resultaat/000000000000").status_code == 404
    assert client.get("/redactie/importeren/resultaat/x%27%20or%201").status_code == 404


# -- one bad row: nothing is imported, unless the editor chooses the good rows ------------------


def test_one_bad_row_imports_nothing_and_names_row_column_and_message(app, client):
    make_editor()
    login(client)
    before = state()
    response = upload(client, fixture("one_bad_row.csv"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Er is niets geïmporteerd" in html
    assert "3 rijen: 2 goed, 1 met fouten" in html
    # the header is row 1 and the empty row 4 still counts, as the spreadsheet shows them
    assert row_problems(html, 2) == "2 Spelinloop Heemskerk Goed"
    assert row_problems(html, 3) == ("3 Kookclub voor tieners korte beschrijving: Schrijf 10 tot 300 tekens. "
                                     "Nu zijn het er 4.")
    assert row_problems(html, 5) == "5 Maatje voor mantelzorgers Goed"
    assert 'id="rij-4"' not in html
    assert "Importeer alleen de 2 goede rijen" in html
    assert state() == before


def test_a_file_too_large_to_send_back_asks_to_remove_the_bad_rows(app, client):
    make_editor()
    login(client)
    # 900 chars of noise per row: a file under 1 MB that hardly compresses
    rows = [f"Aanbod {i};Test CJG Velsen;{SUMMARY};{os.urandom(450).hex()};overig;velsen" for i in range(900)]
    rows[5] = rows[5].replace(";overig;", ";buurthuis;")
    data = "\n".join(["naam;organisatie;korte beschrijving;beschrijving;soort;gemeenten", *rows]).encode()
    assert len(data) < bulk_import.MAX_BYTES
    html = upload(client, data).get_data(as_text=True)
    assert "900 rijen: 899 goed, 1 met fouten" in html
    assert "te groot om alleen de goede rijen te importeren" in html and 'name="payload"' not in html


def test_import_only_the_good_rows(app, client):
    make_editor()
    login(client)
    before = state()
    report = upload(client, fixture("one_bad_row.csv"), filename="zomer.csv").get_data(as_text=True)
    payload = payload_of(report)
    # a changed hidden field is refused: the file travels signed, and is checked again anyway
    tampered = client.post("/redactie/importeren/goede-rijen", data={"payload": payload[:-3] + "abc"})
    assert tampered.status_code == 400 and "Upload het bestand opnieuw" in tampered.get_data(as_text=True)
    assert state() == before
    response = client.post("/redactie/importeren/goede-rijen", data={"payload": payload})
    assert response.status_code == 302
    assert service_named("Spelinloop Heemskerk").status == "concept"
    maatje = service_named("Maatje voor mantelzorgers")
    assert {a.gemeente_slug for a in maatje.service_areas} == {"haarlem", "bloemendaal"}
    assert editors.revisions(maatje)[0].reason == "import uit spreadsheet zomer.csv"
    assert service_named("Kookclub voor tieners") is None
    assert count(models.Service) == before[0] + 2
    # posting the same form again (back button) imports nothing twice
    again = client.post("/redactie/importeren/goede-rijen", data={"payload": payload})
    assert again.status_code == 400 and "Er is iets veranderd sinds de controle" in again.get_data(as_text=True)
    assert count(models.Service) == before[0] + 2


# -- reading the file -----------------------------------------------------------------------------


def test_semicolons_and_windows_1252_with_accents(app, client):
    make_editor()
    login(client)
    data = fixture("cp1252_semicolon.csv")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # really Windows-1252, as Excel writes "CSV" on Windows
    response = upload(client, data, filename="café.csv")
    assert response.status_code == 302, response.get_data(as_text=True)
    cafe = service_named("Café voor ouders")
    assert cafe is not None and cafe.locations[0].city == "Velsen-Zuid"
    assert cafe.locations[0].precision == "gemeente"  # a known town: its gemeente, no pin yet


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_delimiters_quotes_and_utf16(app, delimiter):
    editor = make_editor()
    rows = [["Naam", "Organisatie", "Korte beschrijving", "Soort", "Thema's"],
            ["Hulp bij post", "Test CJG Velsen", "Hulp bij brieven; ook van de gemeente, of de bank.", "overig",
             "Zwanger, baby en peuter, Schulden"]]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    for data in (buffer.getvalue().encode("utf-8"), buffer.getvalue().encode("utf-16")):
        check = bulk_import.check_file("post.csv", data, editor)
        [row] = check.rows
        assert row.ok, row.problems
        assert row.plan.values["summary"] == "Hulp bij brieven; ook van de gemeente, of de bank."
        assert len(row.plan.theme_ids) == 2


@pytest.mark.parametrize(("data", "filename", "message"), [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "plaatje.csv", "Dit is geen CSV-bestand."),
    (b"PK\x03\x04\x14\x00\x06\x00", "aanbod.csv", "Dit is een Excel-bestand."),
    (b"naam;organisatie\n", "aanbod.xlsx", "Dit is een Excel-bestand."),
    (b"naam;organisatie\n", "aanbod.pdf", "Dit is geen CSV-bestand."),
    (b"", "leeg.csv", "Het bestand is leeg."),
    (b"\n\n  \n", "leeg.csv", "Het bestand is leeg."),
    (b"Dit is gewoon een brief.\nMet twee regels.\n", "brief.csv", "We vinden geen kopregel"),
    (b"x" * (bulk_import.MAX_BYTES + 1), "groot.csv", "Het bestand is te groot: hoogstens 1 MB."),
    ((HEADER + "\n" + f"Aanbod;Test CJG Velsen;{SUMMARY};overig;velsen\n" * 1001).encode(), "lang.csv",
     "Het bestand heeft meer dan 1000 rijen."),
    (b'naam;organisatie\n"open quote;x\n' + b"y" * 200_000, "kapot.csv", "Dit bestand kunnen we niet lezen als CSV."),
])
def test_unusable_files_get_a_clear_message_and_400(app, client, data, filename, message):
    make_editor()
    login(client)
    before = state()
    response = upload(client, data, filename=filename)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html and 'id="file-error"' in html and 'aria-describedby="file-hint file-error"' in html
    assert state() == before


def test_no_file_chosen(app, client):
    make_editor()
    login(client)
    response = client.post("/redactie/importeren", data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Kies een bestand." in response.get_data(as_text=True)


def test_unknown_missing_and_double_columns(app, client):
    make_editor()
    login(client)
    row = f"Aanbod;Test CJG Velsen;{SUMMARY};overig;velsen;6"
    unknown = upload(client, f"{HEADER};leeftijd\n{row}\n".encode())
    assert unknown.status_code == 400
    assert "Deze kolommen kennen we niet: leeftijd. Gebruik de namen uit het voorbeeld." in unknown.get_data(
        as_text=True)
    missing = upload(client, b"naam;organisatie;gemeenten\nAanbod;Test CJG Velsen;velsen\n")
    assert "Deze verplichte kolommen ontbreken: korte beschrijving, soort." in missing.get_data(as_text=True)
    double = upload(client, f"{HEADER};Naam\n{row}\n".encode())
    assert "Deze kolommen staan er meer dan één keer in: naam." in double.get_data(as_text=True)
    # case, accents, stars and spaces do not matter
    fine = upload(client, f" NAAM* ;Organisatie; Korte  Beschrijving ;SOORT;Gemeenten;Thêma's\n"
                          f"Aanbod;Test CJG Velsen;{SUMMARY};overig;velsen;scheiding\n".encode())
    assert fine.status_code == 302


# -- checking rows --------------------------------------------------------------------------------


def test_every_kind_of_bad_value_is_named_by_row_and_column(app):
    editor = make_editor()
    good = {"naam": "A", "organisatie": "Test CJG Velsen", "korte beschrijving": SUMMARY, "soort": "overig"}
    rows = [
        {**good, "naam": ""},
        {**good, "soort": "buurthuis", "voor wie": "opa's", "leeftijd van": "-1", "leeftijd tot": "abc",
         "toegang": "soms", "kosten": "duur", "website": "www.example.org", "e-mail": "geen-adres", "telefoon": "12",
         "gemeenten": "Amsterdam", "thema's": "vissen", "postcode": "12345", "bron": "ftp://example.org"},
        {**good, "voor wie": "ouders", "leeftijd van": "12", "leeftijd tot": "4", "gemeenten": "landelijk; velsen",
         "postcode": "1971 EP", "plaats": "IJmuiden"},
        {**good, "korte beschrijving": "x" * 301, "gemeenten": "velsen", "thema's": "a;b;c;d;e;f",
         "adres": "Dudokplein 1"},
        {**good, "organisatie": "", "soort": ""},
    ]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[c.header for c in bulk_import.COLUMNS], delimiter=";")
    writer.writeheader()
    writer.writerows(rows)
    text = buffer.getvalue() + "E;Test CJG Velsen;" + SUMMARY + ";;;overig" + ";" * 14 + ";extra\n"  # 21 cells
    check = bulk_import.check_text(text, editor)
    found = {(r.number, p.column, p.message) for r in check.rows for p in r.problems}
    expected = {
        (2, "naam", "Vul dit in. Dit is verplicht."),
        (3, "soort", "Deze soort kennen we niet: buurthuis. Kies uit: cjg-menukaart, jongerenwerk, "
                     "maatjesproject, scheidingsplein, armoedevoorziening, overig."),
        (3, "voor wie", "Dit kennen we niet: opa's. Kies uit: ouders, jongeren, kinderen, professionals."),
        (3, "leeftijd van", "Schrijf een heel getal van 0 tot en met 99."),
        (3, "leeftijd tot", "Schrijf een heel getal van 0 tot en met 99."),
        (3, "toegang", "Kies uit: vrij toegankelijk, aanmelden, verwijzing nodig. Of laat het leeg."),
        (3, "kosten", "Kies uit: gratis, eigen bijdrage, inkomensgrens. Of laat het leeg."),
        (3, "website", "Dit is geen geldig webadres. Het begint met https:// of http://."),
        (3, "e-mail", "Dit is geen geldig e-mailadres."),
        (3, "telefoon", "Dit is geen telefoonnummer dat we kunnen bellen: 12."),
        (3, "gemeenten", "Deze gemeente of regio kennen we niet: Amsterdam."),
        (3, "thema's", "Dit thema kennen we niet: vissen."),
        (3, "postcode", "Schrijf de postcode zoals 1811 KH."),
        (3, "adres", "Vul ook het adres in: straat en huisnummer."),
        (3, "bron", "Dit is geen geldig webadres. Het begint met https:// of http://."),
        (4, "leeftijd tot", "De leeftijd tot is lager dan de leeftijd van."),
        (4, "gemeenten", "Kies landelijk, of online, of gemeenten en regio's. Niet meer dan één daarvan."),
        (4, "adres", "Vul ook het adres in: straat en huisnummer."),
        (5, "korte beschrijving", "Schrijf 10 tot 300 tekens. Nu zijn het er 301."),
        (5, "thema's", "Dit thema kennen we niet: a, b, c, d, e, f."),
        (5, "plaats", "Vul bij een adres ook de plaats in."),
        (6, "organisatie", "Vul dit in. Dit is verplicht."),
        (6, "soort", "Vul dit in. Dit is verplicht."),
        (7, "", "Deze rij heeft iets in een kolom zonder naam in de kopregel."),
    }
    assert found == expected, sorted(found ^ expected)
    assert not check.good


def test_more_than_five_themes(app):
    editor = make_editor()
    themes = "scheiding;schulden;eenzaamheid;18-worden;rouw-en-verlies;taal-en-lezen"
    text = f'{HEADER};thema\'s\nA;Test CJG Velsen;{SUMMARY};overig;velsen;"{themes}"\n'
    check = bulk_import.check_text(text, editor)
    assert [p.message for p in check.rows[0].problems] == ["Kies hoogstens 5 thema's."]


def test_a_service_twice_in_the_file_or_already_on_the_site(app, client):
    make_editor()
    login(client)
    data = (f"{HEADER}\n"
            f"Nieuw spreekuur;Test CJG Velsen;{SUMMARY};overig;velsen\n"
            f"Nieuw  Spreekuur;test-cjg-velsen;{SUMMARY};overig;velsen\n"  # same name, the organisation by slug
            f"Spreekuur scheiding Velsen;Test CJG Velsen;{SUMMARY};scheidingsplein;velsen\n"
            f"Nieuw spreekuur;Test Stichting Haarlem;{SUMMARY};overig;haarlem\n")  # another organisation: fine
    before = state()
    html = upload(client, data.encode()).get_data(as_text=True)
    assert row_problems(html, 2).endswith("Goed")
    assert "naam: Deze rij staat dubbel in het bestand. Zie ook rij 2." in row_problems(html, 3)
    assert ("naam: Dit aanbod staat al op de website: Spreekuur scheiding Velsen van Test CJG Velsen."
            in row_problems(html, 4))
    assert row_problems(html, 5).endswith("Goed")
    assert "4 rijen: 2 goed, 2 met fouten" in html
    assert state() == before


# -- who may import what ----------------------------------------------------------------------------


def test_a_redacteur_imports_only_within_its_gemeenten(app, client):
    make_editor("velsen@example.org", "redacteur", ["velsen"])
    login(client, "velsen@example.org")
    data = (f"{HEADER}\n"
            f"Spreekuur IJmuiden;Test CJG Velsen;{SUMMARY};overig;Velsen\n"
            f"Spreekuur Alkmaar;Test CJG Velsen;{SUMMARY};overig;Alkmaar\n"
            f"Spreekuur overal;Test CJG Velsen;{SUMMARY};overig;landelijk\n"
            f"Spreekuur IJmond;Test CJG Velsen;{SUMMARY};overig;ijmond\n")
    html = upload(client, data.encode()).get_data(as_text=True)
    assert row_problems(html, 2).endswith("Goed")
    for row in (3, 4, 5):
        assert "gemeenten: Dit aanbod valt buiten jouw gemeenten of organisaties." in row_problems(html, row)
    response = client.post("/redactie/importeren/goede-rijen", data={"payload": payload_of(html)})
    assert response.status_code == 302
    assert service_named("Spreekuur IJmuiden") is not None and service_named("Spreekuur Alkmaar") is None


def test_a_redacteur_of_an_organisation_imports_its_services_anywhere(app, client):
    make_editor("stichting@example.org", "redacteur", organizations=["test-stichting"])
    login(client, "stichting@example.org")
    data = (f"{HEADER}\n"
            f"Inloop Alkmaar;Test Stichting Haarlem;{SUMMARY};overig;Alkmaar\n"
            f"Inloop Velsen;Test CJG Velsen;{SUMMARY};overig;Velsen\n")
    html = upload(client, data.encode()).get_data(as_text=True)
    assert row_problems(html, 2).endswith("Goed")
    assert "Dit aanbod valt buiten jouw gemeenten of organisaties." in row_problems(html, 3)


def test_an_aanbieder_may_not_import(app, client):
    make_editor("aanbieder@example.org", "aanbieder", organizations=["test-stichting"])
    login(client, "aanbieder@example.org")
    before = state()
    assert client.get("/redactie/importeren").status_code == 403
    assert upload(client, fixture("good.csv")).status_code == 403
    assert client.post("/redactie/importeren/goede-rijen", data={"payload": "x"}).status_code == 403
    assert state() == before


def csrf_token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return page.split('id="csrf_token" name="csrf_token" type="hidden" value="')[1].split('"')[0]


def test_forms_without_csrf_token_are_refused(make_test_app):
    app = make_test_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_editor()
        before = state()
    # requests outside the test's app context: each gets its own `g`, as on a server
    client = app.test_client()
    client.post("/redactie/inloggen", data={"email": "beheer@example.org", "password": PASSWORD,
                                           "csrf_token": csrf_token(client, "/redactie/inloggen")})
    refused = upload(client, fixture("good.csv"))
    assert refused.status_code == 400 and "Dit formulier is verlopen" in refused.get_data(as_text=True)
    token = csrf_token(client, "/redactie/importeren")
    report = upload(client, fixture("one_bad_row.csv"), csrf_token=token).get_data(as_text=True)
    refused = client.post("/redactie/importeren/goede-rijen", data={"payload": payload_of(report)})
    assert refused.status_code == 400 and "Dit formulier is verlopen" in refused.get_data(as_text=True)
    with app.app_context():
        assert state() == before
    accepted = client.post("/redactie/importeren/goede-rijen",
                           data={"payload": payload_of(report), "csrf_token": token})
    assert accepted.status_code == 302
    with app.app_context():
        assert count(models.Service) == before[0] + 2


# -- nothing half saved -----------------------------------------------------------------------------


def test_a_failed_commit_saves_nothing_and_leaves_the_index_alone(app, client):
    make_editor()
    login(client)
    before = state()
    audits = count(models.AuditEvent)

    def fail(session):
        """The commit that holds the file's last row fails: after the index listener has prepared
        its documents. Had earlier rows been committed on their own, they would stay."""
        last = select(models.Service.id).where(models.Service.name == "Chat voor jongeren met zorgen")
        if session.scalar(last) is not None:
            raise OperationalError("COMMIT", {}, Exception("disk full"))

    event.listen(Session, "before_commit", fail)
    try:
        response = upload(client, fixture("good.csv"))
    finally:
        event.remove(Session, "before_commit", fail)
    assert response.status_code == 500
    assert "Het opslaan is mislukt. Er is niets geïmporteerd." in response.get_data(as_text=True)
    # the same session as the request's (one app context): it was rolled back, nothing is pending
    assert state() == before and count(models.AuditEvent) == audits
    assert service_named("Voorleesochtend Velsen") is None
    assert db.session.scalar(select(models.Organization).where(models.Organization.slug == "stichting-leerhulp-test")) \
        is None
    db.session.remove()
    assert state() == before
    # and the next import works normally
    assert upload(client, fixture("good.csv")).status_code == 302
    assert count(models.Service) == before[0] + 3

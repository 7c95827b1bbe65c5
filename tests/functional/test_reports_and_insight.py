"""Meld een fout (public, CSRF, rate-limited, into the editors' queue) and search insight with a
one-click synonym whose effect shows on the next search."""

from sqlalchemy import select

from finder import models
from finder.catalogue import editors, insight
from finder.extensions import db

PASSWORD = "correct horse battery"


def test_report_an_error_without_an_account(app, client):
    page = client.get("/aanbod/test-scheidingsspreekuur/meld-een-fout")
    assert page.status_code == 200 and "Wat klopt er niet?" in page.get_data(as_text=True)
    bad = client.post("/aanbod/test-scheidingsspreekuur/meld-een-fout", data={"text": "", "email": "geen"})
    html = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "Schrijf kort wat er niet klopt." in html and "geen geldig e-mailadres" in html
    sent = client.post("/aanbod/test-scheidingsspreekuur/meld-een-fout",
                       data={"text": "Het spreekuur is nu op dinsdag.", "email": ""})
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/aanbod/test-scheidingsspreekuur/bedankt")
    assert "Bedankt voor je melding" in client.get(sent.headers["Location"]).get_data(as_text=True)
    report = db.session.scalar(select(models.ErrorReport))
    assert report.text == "Het spreekuur is nu op dinsdag." and report.email is None
    assert client.get("/aanbod/bestaat-niet/meld-een-fout").status_code == 404
    assert client.get("/en/aanbod/test-scheidingsspreekuur/meld-een-fout").status_code == 200  # any language


def test_reports_are_rate_limited(app, client):
    codes = [client.post("/aanbod/test-hulplijn/meld-een-fout", data={"text": f"fout nummer {i}"}).status_code
             for i in range(6)]
    assert codes == [303] * 5 + [429]


def test_report_reaches_the_editors_of_that_service_only(app, client):
    client.post("/aanbod/test-scheidingsspreekuur/meld-een-fout",
                data={"text": "Telefoonnummer klopt niet", "email": "ouder@example.org"})
    editors.create_editor("velsen@example.org", "V", "redacteur", PASSWORD, ["velsen"])
    editors.create_editor("haarlem@example.org", "H", "redacteur", PASSWORD, ["haarlem"])
    db.session.commit()
    haarlem = app.test_client()
    haarlem.post("/redactie/inloggen", data={"email": "haarlem@example.org", "password": PASSWORD})
    assert "Telefoonnummer klopt niet" not in haarlem.get("/redactie/").get_data(as_text=True)
    velsen = app.test_client()
    velsen.post("/redactie/inloggen", data={"email": "velsen@example.org", "password": PASSWORD})
    assert "Telefoonnummer klopt niet" in velsen.get("/redactie/").get_data(as_text=True)
    report = db.session.scalar(select(models.ErrorReport))
    assert haarlem.post(f"/redactie/meldingen/{report.id}/afgehandeld").status_code == 403
    assert report.email == "ouder@example.org"
    velsen.post(f"/redactie/meldingen/{report.id}/afgehandeld")
    assert report.handled_by == "velsen@example.org"
    assert report.email is None  # kept only until the report is handled
    assert "Telefoonnummer klopt niet" not in velsen.get("/redactie/").get_data(as_text=True)


def test_search_insight_and_one_click_synonym(app, client):
    for text in ("ruzie thuis", "ruzie thuis", "spreekuur", "qwertyuiop"):
        client.get("/zoeken", query_string={"q": text})
    insight.write_counts()
    db.session.commit()
    week = insight.weekly(weeks=1)[0]
    assert ("ruzie thuis", 2) in week.top and ("spreekuur", 1) in week.top
    assert ("spreekuur", 1) not in week.zero and ("qwertyuiop", 1) in week.zero
    editors.create_editor("beheer@example.org", "B", "beheerder", PASSWORD)
    db.session.commit()
    client.post("/redactie/inloggen", data={"email": "beheer@example.org", "password": PASSWORD})
    page = client.get("/redactie/zoekwoorden").get_data(as_text=True)
    assert "qwertyuiop" in page and "Koppel aan thema" in page
    assert "Spreekuur scheiding Velsen" not in client.get("/zoeken?q=qwertyuiop").get_data(as_text=True)
    client.post("/redactie/zoekwoorden/synoniem", data={"phrase": "qwertyuiop", "theme": "scheiding"})
    assert "Spreekuur scheiding Velsen" in client.get("/zoeken?q=qwertyuiop").get_data(as_text=True)
    unknown = client.post("/redactie/zoekwoorden/synoniem", data={"phrase": "x", "theme": "bestaat-niet"})
    assert unknown.status_code == 400

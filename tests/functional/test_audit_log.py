"""The audit log page: newest first, filters, 50 per page, bad filters explained with a 400,
local times, and each editor sees only the events of what it may edit (plus its own logins)."""

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from test_editors import login, make_editor

from finder import models
from finder.extensions import db


def service_id(slug):
    return db.session.scalar(select(models.Service.id).where(models.Service.slug == slug))


def event(at, actor, action, slug=None, detail=""):
    db.session.add(models.AuditEvent(at=at, actor=actor, action=action, entity_type="service" if slug else None,
                                     entity_id=service_id(slug) if slug else None, detail=detail))


def details(html):
    """The Toelichting column, top to bottom."""
    body = html.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in html else ""
    return [re.sub(r"\s+", " ", cells[-1]).strip()
            for cells in (re.findall(r"<td>(.*?)</td>", row, re.S) for row in body.split("</tr>")) if cells]


T0 = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)


def test_newest_first_with_labels_links_and_local_time(app, client):
    make_editor()
    event(T0, "anna@example.org", "save", "test-scheidingsspreekuur", "eerste")
    event(T0 + timedelta(hours=13, minutes=30), "bram@example.org", "frobnicate", None, "nieuw soort")  # 23:30 UTC
    event(T0 + timedelta(hours=1), "anna@example.org", "publish", "test-wijkmaatje-overdie", "tweede")
    db.session.commit()
    login(client)
    page = client.get("/redactie/logboek")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert details(html)[1:] == ["nieuw soort", "tweede", "eerste"]  # [0]: the login just now
    assert "Aanbod opgeslagen" in html and "Gepubliceerd" in html  # known actions in Dutch
    assert "<td>frobnicate</td>" in html  # an unknown action as it is
    assert 'href="/redactie/aanbod/test-wijkmaatje-overdie">Wijkmaatje Overdie</a>' in html
    # 23:30 UTC on 1 March is 00:30 on Sunday 2 March in Amsterdam
    assert "zondag 2 maart 2025, 00:30" in html and "zaterdag 1 maart 2025, 11:00" in html


def test_filters_by_action_actor_and_local_dates(app, client):
    make_editor()
    event(T0, "Anna@Example.org", "save", "test-scheidingsspreekuur", "anna slaat op")
    event(T0 + timedelta(hours=13, minutes=30), "bram@example.org", "save", "test-hulplijn", "bram laat")
    event(T0 + timedelta(days=3), "bram@example.org", "archive", "test-hulplijn", "bram archiveert")
    db.session.commit()
    login(client)

    def shown(**args):
        response = client.get("/redactie/logboek", query_string=args)
        assert response.status_code == 200, response.get_data(as_text=True)
        return details(response.get_data(as_text=True))

    assert shown(actie="save") == ["bram laat", "anna slaat op"]
    assert shown(actie="archive") == ["bram archiveert"]
    assert shown(wie="anna") == ["anna slaat op"]  # a part of the address, any case
    assert shown(wie="BRAM@example.org", actie="save") == ["bram laat"]
    assert shown(wie="%") == []  # a wildcard is just a character
    assert shown(van="2025-03-02", tot="2025-03-02") == ["bram laat"]  # 23:30 UTC = 2 March in Amsterdam
    assert shown(tot="2025-03-01") == ["anna slaat op"]
    assert shown(van="2025-03-04", tot="2025-03-04") == ["bram archiveert"]
    assert shown(van="2025-03-04")[-1] == "bram archiveert"  # and the login of now, above it
    selected = client.get("/redactie/logboek?actie=archive").get_data(as_text=True)
    assert '<option selected value="archive">' in selected or '<option value="archive" selected>' in selected


def test_fifty_per_page_with_previous_and_next_keeping_the_filters(app, client):
    make_editor()
    for i in range(120):
        event(T0 + timedelta(minutes=i), "anna@example.org", "checked", "test-scheidingsspreekuur", f"nr {i}")
    db.session.commit()
    login(client)
    first = client.get("/redactie/logboek?actie=checked").get_data(as_text=True)
    assert details(first)[0] == "nr 119" and len(details(first)) == 50
    assert 'rel="next"' in first and 'rel="prev"' not in first
    next_url = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "actie=checked" in next_url and "pagina=2" in next_url
    second = client.get(next_url).get_data(as_text=True)
    assert details(second)[0] == "nr 69" and len(details(second)) == 50 and 'rel="prev"' in second
    third = client.get("/redactie/logboek?actie=checked&pagina=3").get_data(as_text=True)
    assert details(third)[-1] == "nr 0" and len(details(third)) == 20 and 'rel="next"' not in third
    beyond = client.get("/redactie/logboek?pagina=40")
    assert beyond.status_code == 200 and "Naar de eerste pagina" in beyond.get_data(as_text=True)


def test_bad_filter_input_gets_a_message_next_to_the_field_and_400(app, client):
    make_editor()
    login(client)
    cases = {
        "van=gisteren": ("van-error", "Dit is geen datum"),
        "tot=2025-13-45": ("tot-error", "Dit is geen datum"),
        "van=2025-03-05&tot=2025-03-01": ("tot-error", "ligt voor de datum"),
        "pagina=-3": ("pagina-error", "Deze pagina bestaat niet"),
        "pagina=abc": ("pagina-error", "Deze pagina bestaat niet"),
        "pagina=0": ("pagina-error", "Deze pagina bestaat niet"),
        "pagina=99999999999999999999": ("pagina-error", "Deze pagina bestaat niet"),
        "wie=" + "a" * 300: ("wie-error", "te lang"),
    }
    for query, (error_id, message) in cases.items():
        response = client.get(f"/redactie/logboek?{query}")
        html = response.get_data(as_text=True)
        assert response.status_code == 400, query
        assert f'id="{error_id}"' in html and message in html.split(f'id="{error_id}"')[1][:200], query
    assert client.get("/redactie/logboek?van=0001-01-01&tot=9999-12-31").status_code == 200  # far, but dates


def test_a_redacteur_sees_only_events_of_its_services_and_its_own_logins(app, client):
    make_editor()
    make_editor("velsen@example.org", "redacteur", ["velsen"])
    make_editor("alkmaar@example.org", "redacteur", ["alkmaar"])
    event(T0, "alkmaar@example.org", "save", "test-wijkmaatje-overdie", "alkmaar-only")
    event(T0, "beheer@example.org", "save", "test-hulplijn", "landelijk")
    event(T0, "beheer@example.org", "save", "test-scheidingsspreekuur", "velsen-aanbod")
    event(T0, "alkmaar@example.org", "login", None, "login van alkmaar")
    event(T0, "velsen@example.org", "login-failed", None, "mislukt bij velsen")
    event(T0, "beheer@example.org", "synonym", None, "synoniem van de beheerder")
    db.session.commit()
    login(client, "velsen@example.org")
    html = client.get("/redactie/logboek").get_data(as_text=True)
    seen = details(html)
    assert "velsen-aanbod" in seen and "mislukt bij velsen" in seen
    assert not {"alkmaar-only", "landelijk", "login van alkmaar", "synoniem van de beheerder"} & set(seen)
    assert "alkmaar@example.org" not in html
    assert client.get("/redactie/logboek?wie=alkmaar").get_data(as_text=True).count("<tbody>") == 0
    client.post("/redactie/uitloggen")
    login(client)
    everything = details(client.get("/redactie/logboek").get_data(as_text=True))
    assert {"alkmaar-only", "landelijk", "login van alkmaar", "synoniem van de beheerder"} <= set(everything)


def test_an_aanbieder_sees_the_events_of_its_organisation(app, client):
    make_editor("aanbieder@example.org", "aanbieder", organizations=["test-stichting"])
    event(T0, "x@example.org", "save", "test-jongerenwerk-haarlem", "eigen organisatie")
    event(T0, "x@example.org", "save", "test-scheidingsspreekuur", "andere organisatie")
    db.session.commit()
    login(client, "aanbieder@example.org")
    seen = details(client.get("/redactie/logboek").get_data(as_text=True))
    assert "eigen organisatie" in seen and "andere organisatie" not in seen


def test_only_for_logged_in_editors(app, client):
    assert client.get("/redactie/logboek").status_code == 302

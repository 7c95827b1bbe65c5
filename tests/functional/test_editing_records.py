"""Editing everything about a service (phones, opening hours, areas, themes, addresses with
geocoding), the aanbieder's proposals, organisations, themes with synonyms, menukaarten, and
Markdown that is shown safely."""

from sqlalchemy import select
from test_editors import PASSWORD, audit_actions, form_at, form_for, login, make_editor, service

from finder import models
from finder.catalogue import editors
from finder.extensions import db

SLUG = "test-scheidingsspreekuur"
EDIT = f"/redactie/aanbod/{SLUG}"


def test_phones_hours_areas_themes_and_an_address_are_saved_and_shown(app, client):
    make_editor()
    login(client)
    data = form_for(client, SLUG, **{
        "phones-0-number": "0255 567 200", "phones-0-description": "spreekuur", "schedules-0-description":
        "dinsdag 9.00 tot 12.00 uur", "area_gemeenten": ["velsen", "beverwijk"], "themes": ["scheiding", "schulden"],
        "locations-0-name": "Testhuis", "locations-0-address_1": "Teststraat 1", "locations-0-postal_code": "1971aa",
        "locations-0-city": "IJmuiden", "reason": "alles bijgewerkt"})
    assert client.post(EDIT, data=data).status_code == 302
    s = service(SLUG)
    assert [(p.number, p.description) for p in s.phones] == [("0255 567 200", "spreekuur")]
    assert [x.description for x in s.schedules] == ["dinsdag 9.00 tot 12.00 uur"]
    assert sorted(a.gemeente_slug for a in s.service_areas) == ["beverwijk", "velsen"]
    assert sorted(t.code for t in s.theme_terms) == ["scheiding", "schulden"]
    [location] = s.locations
    assert location.postal_code == "1971 AA" and location.geocode_status == "gevonden"  # the fake geocoder
    assert location.latitude == 52.4586 and location.wijk_code and location.wijk_code.startswith("WK0453")
    page = client.get(f"/aanbod/{SLUG}").get_data(as_text=True)
    assert "0255 567 200" in page and "dinsdag 9.00 tot 12.00 uur" in page
    assert SLUG in client.get("/zoeken?q=spreekuur&gemeente=beverwijk").get_data(as_text=True)
    # the next form shows what was saved, with a fresh empty row to add another phone number
    again = form_for(client, SLUG)
    assert again["phones-0-number"] == ["0255 567 200"] and again["phones-1-number"] == [""]
    # an address the geocoder does not know is saved without a pin and lands on the dashboard
    data = form_for(client, SLUG, **{"locations-1-address_1": "Nergensweg 99", "locations-1-city": "Velsen-Zuid"})
    client.post(EDIT, data=data)
    unknown = db.session.scalar(select(models.Location).where(models.Location.address_1 == "Nergensweg 99"))
    assert unknown.geocode_status == "niet-gevonden" and unknown.latitude is None
    assert "Nergensweg 99" in client.get("/redactie/").get_data(as_text=True)
    # the unchanged address kept its pin (no second lookup, same row)
    assert db.session.get(models.Location, location.id).latitude == 52.4586


def test_wrong_phone_postcode_ages_and_empty_area_are_explained_and_nothing_is_saved(app, client):
    make_editor()
    login(client)
    before = editors.revisions(service(SLUG))
    data = form_for(client, SLUG, **{"phones-0-number": "12345", "locations-0-address_1": "Teststraat 1",
                                     "locations-0-postal_code": "ABCD 12", "minimum_age": "12", "maximum_age": "4",
                                     "area_gemeenten": []})
    response = client.post(EDIT, data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Dit is geen geldig telefoonnummer." in html and "Schrijf de postcode zoals 1811 KH." in html
    assert "lager dan" in html and "Kies ten minste één gemeenten" in html
    assert service(SLUG).phones == [] and len(editors.revisions(service(SLUG))) == len(before)


def test_a_wijk_area_survives_a_save_unchanged(app, client):
    make_editor()
    login(client)
    data = form_for(client, "test-wijkmaatje-overdie", summary="Een maatje voor kinderen in de wijk Overdie.")
    assert data["area_scope"] == ["wijk"] and data["area_wijken"] == ["WK036103"]
    assert client.post("/redactie/aanbod/test-wijkmaatje-overdie", data=data).status_code == 302
    areas = service("test-wijkmaatje-overdie").service_areas
    assert [(a.scope, a.wijk_code, a.gemeente_slug) for a in areas] == [("wijk", "WK036103", "alkmaar")]


def test_a_redacteur_cannot_move_a_service_out_of_its_gemeenten(app, client):
    editors.create_editor("velsen@example.org", "V", "redacteur", PASSWORD, ["velsen"])
    db.session.commit()
    login(client, "velsen@example.org")
    for change in ({"area_gemeenten": ["velsen", "alkmaar"]}, {"area_scope": "landelijk"}):
        response = client.post(EDIT, data=form_for(client, SLUG, **change))
        assert response.status_code == 400 and "buiten jouw gemeenten" in response.get_data(as_text=True)
    assert [a.gemeente_slug for a in service(SLUG).service_areas] == ["velsen"]


def test_an_aanbieder_proposes_and_a_redacteur_publishes(app):
    editors.create_editor("aanbieder@example.org", "A", "aanbieder", PASSWORD, organizations=["test-cjg-velsen"])
    editors.create_editor("velsen@example.org", "V", "redacteur", PASSWORD, ["velsen"])
    db.session.commit()
    provider, redacteur = app.test_client(), app.test_client()
    login(provider, "aanbieder@example.org")
    login(redacteur, "velsen@example.org")
    assert provider.get("/redactie/aanbod/test-jongerenwerk-haarlem").status_code == 403  # not its organisation
    data = form_for(provider, SLUG, **{"phones-0-number": "0255 567 200", "reason": "nieuw nummer"})
    saved = provider.post(EDIT, data=data, follow_redirects=True)
    assert "wacht op een tweede redacteur" in saved.get_data(as_text=True)
    assert service(SLUG).phones == []  # nothing live yet, even though four eyes is off
    for path in (f"{EDIT}/status", f"{EDIT}/gecontroleerd", f"{EDIT}/versies/1/terugzetten"):
        assert provider.post(path, data={"status": "gearchiveerd"}).status_code == 403
    assert provider.get("/redactie/organisaties").status_code == 403
    proposal = db.session.scalar(select(models.Revision).where(models.Revision.state == "ter beoordeling"))
    assert provider.post(f"/redactie/voorstellen/{proposal.id}/publiceren").status_code == 403
    assert "nieuw nummer" in redacteur.get("/redactie/").get_data(as_text=True)
    redacteur.post(f"/redactie/voorstellen/{proposal.id}/publiceren")
    assert [p.number for p in service(SLUG).phones] == ["0255 567 200"]
    assert ("submit", "aanbieder@example.org") in audit_actions()
    assert ("publish", "velsen@example.org") in audit_actions()
    # an aanbieder makes its service national: the Velsen redacteur may not publish that
    data = form_for(provider, SLUG, area_scope="landelijk", reason="overal")
    provider.post(EDIT, data=data)
    wider = db.session.scalar(select(models.Revision).where(models.Revision.state == "ter beoordeling"))
    refused = redacteur.post(f"/redactie/voorstellen/{wider.id}/publiceren")
    assert refused.status_code == 403 and "over het hele werkgebied" in refused.get_data(as_text=True)
    assert [a.scope for a in service(SLUG).service_areas] == ["gemeente"]
    # nor may an aanbieder turn down someone else's proposal (it may withdraw its own)
    editors.create_editor("ander@example.org", "B", "aanbieder", PASSWORD, organizations=["test-cjg-velsen"])
    db.session.commit()
    other = app.test_client()
    login(other, "ander@example.org")
    assert other.post(f"/redactie/voorstellen/{wider.id}/afwijzen").status_code == 403
    assert provider.post(f"/redactie/voorstellen/{wider.id}/afwijzen").status_code == 302
    assert db.session.get(models.Revision, wider.id).state == "afgewezen"


def test_organisation_edit_conflict_history_and_restore(app, client):
    make_editor()
    login(client)
    path = "/redactie/organisaties/test-cjg-velsen"
    first = form_at(client, path, website="https://cjg.example.org/", reason="nieuwe site")
    second = form_at(client, path, name="CJG IJmond")
    assert client.post(path, data=first).status_code == 302
    conflict = client.post(path, data=second)
    assert conflict.status_code == 409 and "https://cjg.example.org/" in conflict.get_data(as_text=True)
    org = db.session.scalar(select(models.Organization).where(models.Organization.slug == "test-cjg-velsen"))
    assert org.website == "https://cjg.example.org/" and org.name != "CJG IJmond"
    bad = client.post(path, data=form_at(client, path, email="geen adres", **{"phones-0-number": "abc"}))
    assert bad.status_code == 400 and "Dit is geen geldig e-mailadres." in bad.get_data(as_text=True)
    history = client.get(f"{path}/versies?a=1&b=2").get_data(as_text=True)
    assert "+https://cjg.example.org/" in history and "nieuwe site" in history
    client.post(f"{path}/versies/1/terugzetten")
    assert db.session.get(models.Organization, org.id).website != "https://cjg.example.org/"
    assert [a for a, _ in audit_actions()][-2:] == ["organization", "restore"]


def test_a_redacteur_edits_only_organisations_all_of_whose_services_it_may_edit(app, client):
    editors.create_editor("velsen@example.org", "V", "redacteur", PASSWORD, ["velsen"])
    db.session.commit()
    login(client, "velsen@example.org")
    listing = client.get("/redactie/organisaties").get_data(as_text=True)
    assert "test-cjg-velsen" in listing and "test-stichting" not in listing
    assert client.get("/redactie/organisaties/test-stichting").status_code == 403


def test_theme_synonyms_change_search_at_once_and_can_be_restored(app, client):
    make_editor()
    login(client)
    assert "test-scheidingsspreekuur" not in client.get("/zoeken?q=omgangsruzie").get_data(as_text=True)
    path = "/redactie/themas/scheiding"
    data = form_at(client, path)
    data["synonyms"] = data["synonyms"][0] + "\nOmgangsruzie"
    assert client.post(path, data=data).status_code == 302
    assert "test-scheidingsspreekuur" in client.get("/zoeken?q=omgangsruzie").get_data(as_text=True)
    assert "omgangsruzie" in client.get(path).get_data(as_text=True)  # kept as folded text
    assert "ruzie over de kinderen" in client.get(path).get_data(as_text=True)  # the content's own synonym
    client.post(path, data={**form_at(client, path), "synonyms": "ruzie over de kinderen", "reason": "weg"})
    assert "test-scheidingsspreekuur" not in client.get("/zoeken?q=omgangsruzie").get_data(as_text=True)
    numbers = [r.number for r in db.session.scalars(select(models.Revision).where(
        models.Revision.entity_type == "theme").order_by(models.Revision.number))]
    assert numbers == [1, 2, 3]  # the state before the first edit, and both saves
    client.post(f"{path}/versies/2/terugzetten")
    assert "test-scheidingsspreekuur" in client.get("/zoeken?q=omgangsruzie").get_data(as_text=True)


def test_menukaart_order_and_contents(app, client):
    make_editor()
    login(client)
    path = "/redactie/menukaarten/test-menukaart"
    card = db.session.scalar(select(models.Menukaart))
    ids = [item.service_id for item in card.items]
    hulplijn = service("test-hulplijn").id
    data = form_at(client, path, **{"services-0-service": hulplijn, "intro": "Voor **ouders** in Velsen."})
    data.update({f"services-{i + 1}-service": sid for i, sid in enumerate(ids) if sid != hulplijn})
    assert client.post(path, data=data).status_code == 302
    expected = [hulplijn, *(sid for sid in ids if sid != hulplijn)]
    assert [item.service_id for item in db.session.get(models.Menukaart, card.id).items] == expected
    page = client.get("/menukaart/test-menukaart").get_data(as_text=True)
    assert "Voor <strong>ouders</strong> in Velsen." in page
    # a service on the card is archived: the card still saves, and the editor sees why
    client.post("/redactie/aanbod/test-hulplijn/status", data={"status": "gearchiveerd"})
    form_page = client.get(path).get_data(as_text=True)
    assert "(Gearchiveerd)" in form_page
    assert client.post(path, data=form_at(client, path, reason="ongewijzigd")).status_code == 302


def test_markdown_is_shown_and_anything_else_is_made_harmless(app, client):
    make_editor()
    login(client)
    text = ("Hulp bij **ruzie**.\n\n- eerste\n- tweede\n\n<script>alert(1)</script> [klik](javascript:alert(2)) "
            "[site](https://example.org) <img src=x onerror=alert(3)>")
    client.post(EDIT, data=form_for(client, SLUG, description=text))
    page = client.get(f"/aanbod/{SLUG}").get_data(as_text=True)
    assert "Hulp bij <strong>ruzie</strong>." in page and "<li>eerste</li>" in page
    assert '<a href="https://example.org" rel="noopener noreferrer">site</a>' in page
    assert "<script>alert(1)" not in page and "href=\"javascript" not in page and "<img" not in page
    assert "&lt;script&gt;" in page  # shown as text, not run


def test_a_content_load_keeps_what_an_editor_did_to_a_translation(app, tmp_path):
    from finder.catalogue import translation_edits
    from finder.catalogue.content import load_content
    from finder.catalogue.translation_text import fingerprint

    s = service(SLUG)
    (tmp_path / "content" / "translations").mkdir()
    (tmp_path / "content" / "translations" / "en.yaml").write_text(
        f"locale: en\nstatus: machine\nservices:\n  {SLUG}:\n"
        f"    source: {fingerprint([s.name, s.summary, s.how_to_get])}\n"
        "    name: Machine name\n    summary: A machine summary.\n    how_to_get: Machine steps.\n",
        encoding="utf-8")
    load_content(tmp_path / "content")
    db.session.commit()
    assert translation_edits.state(service(SLUG), "en").texts["name"] == "Machine name"
    editor = make_editor()
    translation_edits.save(service(SLUG), "en", {"name": "Divorce consultation", "summary": "For parents who part.",
                                                 "how_to_get": "Walk in."}, reviewed=True, editor=editor,
                           reason="by hand")
    db.session.commit()
    load_content(tmp_path / "content")  # the file still has the machine text
    db.session.commit()
    kept = translation_edits.state(service(SLUG), "en")
    assert kept.texts["name"] == "Divorce consultation" and kept.status == "reviewed"


def test_visitor_words_in_other_languages_are_edited_right_to_left_where_needed(app, client):
    make_editor()
    login(client)
    path = "/redactie/themas/scheiding"
    assert SLUG not in client.get("/ar/zoeken?q=طلاق").get_data(as_text=True)
    page = client.get(path).get_data(as_text=True)
    assert 'dir="rtl"' in page.split('id="synonyms_ar"')[0].rsplit("<textarea", 1)[1]
    saved = client.post(path, data=form_at(client, path, synonyms_ar="طلاق\nانفصال", reason="arabisch"))
    assert saved.status_code == 302
    assert SLUG in client.get("/ar/zoeken?q=طلاق").get_data(as_text=True)
    history = client.get(f"{path}/versies?a=1&b=2").get_data(as_text=True)
    assert "+ar: طلاق" in history
    client.post(f"{path}/versies/1/terugzetten")
    assert SLUG not in client.get("/ar/zoeken?q=طلاق").get_data(as_text=True)
    rows = db.session.scalars(select(models.Synonym).where(models.Synonym.locale == "ar")).all()
    assert rows == []  # nothing else pointed at them: the rows are gone, not left empty


def test_the_logbook_links_organisation_and_theme_events_to_their_edit_pages(app, client):
    editors.create_editor("velsen@example.org", "V", "redacteur", PASSWORD, ["velsen"])
    db.session.commit()
    login(client, "velsen@example.org")
    path = "/redactie/organisaties/test-cjg-velsen"
    client.post(path, data=form_at(client, path, reason="site"))
    client.post("/redactie/themas/scheiding", data=form_at(client, "/redactie/themas/scheiding", reason="woorden"))
    log = client.get("/redactie/logboek").get_data(as_text=True)
    assert f'href="{path}"' in log and 'href="/redactie/themas/scheiding"' in log


def test_languages_spoken_and_the_cost_detail_are_edited_and_shown(app, client):
    make_editor()
    login(client)
    data = form_for(client, SLUG, languages=["nl", "ar", "tr"], cost="inkomensgrens",
                    cost_detail="Voor gezinnen met een inkomen tot 120% van het sociaal minimum.")
    assert client.post(EDIT, data=data).status_code == 302
    s = service(SLUG)
    assert sorted(lang.code for lang in s.languages) == ["ar", "nl", "tr"]
    assert [(c.option, c.amount_description) for c in s.cost_options] == [
        ("inkomensgrens", "Voor gezinnen met een inkomen tot 120% van het sociaal minimum.")]
    page = client.get(f"/aanbod/{SLUG}").get_data(as_text=True)
    assert "Türkçe" in page and "tot 120% van het sociaal minimum" in page
    client.post(EDIT, data=form_for(client, SLUG, cost_detail=""))
    assert service(SLUG).cost_options == []

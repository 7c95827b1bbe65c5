"""Editors edit the translations of a service: saved rows with the current fingerprint, live at
once on the public page and in search, every save a revision and an audit event, earlier
versions restorable; bad input saves nothing; scope and role decide who may."""

from sqlalchemy import select
from test_editors import PASSWORD, login, make_editor

from finder import models
from finder.catalogue.translation_text import fingerprint
from finder.extensions import db

SLUG = "test-scheidingsspreekuur"  # Velsen only
ENGLISH = {"name": "Separation drop-in Velsen", "summary": "A drop-in hour for parents who split up.",
           "how_to_get": "Walk in during the consultation hour."}


def service(slug=SLUG):
    return db.session.scalar(select(models.Service).where(models.Service.slug == slug))


def rows(locale, slug=SLUG):
    return {t.field: t for t in db.session.scalars(select(models.Translation).where(
        models.Translation.entity_id == service(slug).id, models.Translation.locale == locale))}


def current_base(client, locale, slug=SLUG):
    page = client.get(f"/redactie/aanbod/{slug}/vertalingen/{locale}").get_data(as_text=True)
    return page.split('id="base" name="base" type="hidden" value="')[1].split('"')[0]


def save(client, locale, texts, reason="vertaald", reviewed=False, slug=SLUG):
    data = {**texts, "reason": reason, "base": current_base(client, locale, slug)}
    if reviewed:
        data["reviewed"] = "y"
    return client.post(f"/redactie/aanbod/{slug}/vertalingen/{locale}", data=data)


def add_machine_translation(locale, texts, source_hash=None, slug=SLUG):
    """As content/translations/<locale>.yaml would: status machine."""
    s = service(slug)
    source_hash = source_hash or fingerprint([s.name, s.summary, s.how_to_get])
    for field, text in texts.items():
        db.session.add(models.Translation(entity_type="service", entity_id=s.id, field=field, locale=locale,
                                          text=text, status="machine", source_hash=source_hash))
    db.session.commit()


def test_save_goes_live_as_a_human_translation_with_revision_and_audit(app, client):
    make_editor()
    login(client)
    add_machine_translation("en", {"name": "Divorce hour Velsen", "summary": "Machine summary text.",
                                   "how_to_get": "Machine how."})
    machine_page = client.get(f"/en/aanbod/{SLUG}").get_data(as_text=True)
    assert "Divorce hour Velsen" in machine_page and 'class="machine-label"' in machine_page

    edit_page = client.get(f"/redactie/aanbod/{SLUG}/vertalingen/en").get_data(as_text=True)
    assert 'lang="nl"' in edit_page and "Loop binnen op het spreekuur." in edit_page  # the Dutch next to it
    assert 'value="Divorce hour Velsen"' in edit_page  # prefilled with the translation of now
    assert 'lang="en" dir="ltr"' in edit_page

    saved = save(client, "en", ENGLISH, reason="betere vertaling", reviewed=True)
    assert saved.status_code == 302
    s = service()
    found = rows("en")
    assert {f: t.text for f, t in found.items()} == ENGLISH
    assert {t.status for t in found.values()} == {"reviewed"}
    assert {t.source_hash for t in found.values()} == {fingerprint([s.name, s.summary, s.how_to_get])}

    versions = list(db.session.scalars(select(models.Revision).where(
        models.Revision.entity_type == "translation:en", models.Revision.entity_id == s.id
    ).order_by(models.Revision.number)))
    # version 1 keeps the machine translation that was there, so it can be put back
    assert [(r.number, r.author, r.snapshot["status"]) for r in versions] == [
        (1, "eerdere vertaling", "machine"), (2, "beheer@example.org", "reviewed")]
    assert versions[1].reason == "betere vertaling" and versions[1].snapshot["fields"] == ENGLISH
    event = db.session.scalars(select(models.AuditEvent).where(models.AuditEvent.action == "translation")).one()
    assert (event.actor, event.entity_id, event.detail) == ("beheer@example.org", s.id, "en: betere vertaling")

    public = client.get(f"/en/aanbod/{SLUG}").get_data(as_text=True)
    assert "Separation drop-in Velsen" in public and "Walk in during the consultation hour." in public
    assert 'class="machine-label"' not in public  # a person's translation has no machine label
    assert "Separation drop-in Velsen" in client.get("/en/zoeken?q=consultation").get_data(as_text=True)
    assert "Divorce hour" not in client.get("/en/zoeken?q=consultation").get_data(as_text=True)
    overview = client.get(f"/redactie/aanbod/{SLUG}/vertalingen").get_data(as_text=True)
    assert "nagekeken" in overview


def test_without_the_checkbox_the_status_is_human(app, client):
    make_editor()
    login(client)
    assert save(client, "pl", {"name": "Dyżur", "summary": "Dyżur dla rodziców.", "how_to_get": "Przyjdź."}
                ).status_code == 302
    assert {t.status for t in rows("pl").values()} == {"human"}
    assert [r.number for r in db.session.scalars(select(models.Revision).where(
        models.Revision.entity_type == "translation:pl"))] == [1]  # nothing to keep before a first translation


def test_overview_lists_every_language_with_its_state(app, client):
    make_editor()
    login(client)
    add_machine_translation("ar", {"name": "ساعة", "summary": "ملخص", "how_to_get": "تعال"}, source_hash="old")
    add_machine_translation("tr", {"name": "Saat", "summary": "Özet", "how_to_get": "Gel"})
    add_machine_translation("uk", {"name": "Консультація"})  # only the name: the site shows Dutch
    page = client.get(f"/redactie/aanbod/{SLUG}/vertalingen")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    rows_html = {code: html.split(f'id="taal-{code}"')[1].split("</tr>")[0]
                 for code in ("en", "ar", "uk", "tr", "pl", "ti", "fa-AF", "so")}
    assert "verouderd" in rows_html["ar"] and "machinevertaling" in rows_html["ar"]
    assert "machinevertaling" in rows_html["tr"] and "verouderd" not in rows_html["tr"]
    assert "onvolledig" in rows_html["uk"] and "onvolledig" not in rows_html["tr"]
    assert all("ontbreekt" in rows_html[code] for code in ("en", "pl", "ti", "fa-AF", "so"))
    assert f"/redactie/aanbod/{SLUG}/vertalingen/fa-AF" in html
    # a stale translation is not shown: the Dutch is, with a notice
    public = client.get(f"/ar/aanbod/{SLUG}").get_data(as_text=True)
    assert "Spreekuur scheiding Velsen" in public and "ساعة" not in public


def test_restore_an_earlier_version_as_a_new_one(app, client):
    make_editor()
    login(client)
    save(client, "en", ENGLISH, reason="eerste")
    save(client, "en", {**ENGLISH, "name": "Wrong name"}, reason="tweede")
    assert rows("en")["name"].text == "Wrong name"
    page = client.get(f"/redactie/aanbod/{SLUG}/vertalingen/en").get_data(as_text=True)
    assert "Zet versie 1 terug" in page and "Zet versie 2 terug" not in page  # 2 is the current one
    restored = client.post(f"/redactie/aanbod/{SLUG}/vertalingen/en/versies/1/terugzetten")
    assert restored.status_code == 302
    assert rows("en")["name"].text == "Separation drop-in Velsen"
    newest = db.session.scalars(select(models.Revision).where(models.Revision.entity_type == "translation:en")
                                .order_by(models.Revision.number.desc())).first()
    assert (newest.number, newest.reason) == (3, "terugzetten naar versie 1")
    assert "Separation drop-in Velsen" in client.get(f"/en/aanbod/{SLUG}").get_data(as_text=True)
    assert client.post(f"/redactie/aanbod/{SLUG}/vertalingen/en/versies/99/terugzetten").status_code == 404
    details = [e.detail for e in db.session.scalars(select(models.AuditEvent).where(
        models.AuditEvent.action == "translation").order_by(models.AuditEvent.id))]
    assert details == ["en: eerste", "en: tweede", "en: terugzetten naar versie 1"]


def test_emptying_every_field_removes_the_translation_and_can_be_undone(app, client):
    make_editor()
    login(client)
    save(client, "en", ENGLISH)
    removed = save(client, "en", {"name": "", "summary": "", "how_to_get": ""}, reason="slechte vertaling")
    assert removed.status_code == 302
    assert rows("en") == {}
    public = client.get(f"/en/aanbod/{SLUG}").get_data(as_text=True)
    assert "Spreekuur scheiding Velsen" in public and "Separation drop-in" not in public
    assert "Separation drop-in" not in client.get("/en/zoeken?q=consultation").get_data(as_text=True)
    client.post(f"/redactie/aanbod/{SLUG}/vertalingen/en/versies/1/terugzetten")
    assert rows("en")["name"].text == ENGLISH["name"]


def test_bad_input_is_explained_and_nothing_is_saved(app, client):
    make_editor()
    login(client)
    too_long = save(client, "en", {**ENGLISH, "summary": "x" * 501}, reason="")
    html = too_long.get_data(as_text=True)
    assert too_long.status_code == 400
    assert 'id="summary-error"' in html and "hoogstens 500 tekens" in html
    assert 'id="reason-error"' in html and "Schrijf kort wat je veranderd hebt." in html
    no_name = save(client, "en", {**ENGLISH, "name": "  "})
    assert no_name.status_code == 400 and "Een naam is nodig." in no_name.get_data(as_text=True)
    partial = save(client, "en", {**ENGLISH, "how_to_get": ""})
    assert partial.status_code == 400 and 'id="how_to_get-error"' in partial.get_data(as_text=True)
    nothing = save(client, "en", {"name": "", "summary": "", "how_to_get": ""})  # nothing to remove
    assert nothing.status_code == 400
    assert rows("en") == {}
    assert db.session.scalars(select(models.Revision).where(models.Revision.entity_type == "translation:en")
                              ).first() is None
    assert db.session.scalars(select(models.AuditEvent).where(models.AuditEvent.action == "translation")
                              ).first() is None


def test_a_save_over_a_newer_version_is_not_lost_silently(app, client):
    make_editor()
    login(client)
    stale_base = current_base(client, "en")
    save(client, "en", ENGLISH, reason="door een ander")
    late = client.post(f"/redactie/aanbod/{SLUG}/vertalingen/en",
                       data={**ENGLISH, "name": "Mine", "reason": "van mij", "base": stale_base})
    assert late.status_code == 409 and 'value="Mine"' in late.get_data(as_text=True)
    assert rows("en")["name"].text == ENGLISH["name"]


def test_unknown_language_and_service_are_404(app, client):
    make_editor()
    login(client)
    assert client.get(f"/redactie/aanbod/{SLUG}/vertalingen/nl").status_code == 404  # the source itself
    assert client.get(f"/redactie/aanbod/{SLUG}/vertalingen/xx").status_code == 404
    assert client.post(f"/redactie/aanbod/{SLUG}/vertalingen/xx", data={**ENGLISH, "reason": "x"}).status_code == 404
    assert client.get("/redactie/aanbod/bestaat-niet/vertalingen").status_code == 404
    assert client.get(f"/redactie/aanbod/{SLUG}/vertalingen/fa-AF").status_code == 200
    assert 'dir="rtl"' in client.get(f"/redactie/aanbod/{SLUG}/vertalingen/fa-AF").get_data(as_text=True)


def test_aanbieder_and_redacteur_out_of_scope_get_403(app, client):
    make_editor("aanbieder@example.org", "aanbieder", organizations=["test-cjg-velsen"])
    make_editor("alkmaar@example.org", "redacteur", ["alkmaar"])
    make_editor("velsen@example.org", "redacteur", ["velsen"])
    login(client, "aanbieder@example.org")
    assert client.get(f"/redactie/aanbod/{SLUG}").status_code == 200  # its own offer: it may edit the Dutch
    assert client.get(f"/redactie/aanbod/{SLUG}/vertalingen").status_code == 403
    assert client.post(f"/redactie/aanbod/{SLUG}/vertalingen/en",
                       data={**ENGLISH, "reason": "x"}).status_code == 403
    client.post("/redactie/uitloggen")
    login(client, "alkmaar@example.org")
    assert client.get(f"/redactie/aanbod/{SLUG}/vertalingen/en").status_code == 403
    assert client.post(f"/redactie/aanbod/{SLUG}/vertalingen/en/versies/1/terugzetten").status_code == 403
    client.post("/redactie/uitloggen")
    login(client, "velsen@example.org")
    assert save(client, "uk", {"name": "Консультація", "summary": "Для батьків.", "how_to_get": "Приходьте."}
                ).status_code == 302
    assert rows("en") == {} and rows("uk")["name"].text == "Консультація"
    assert client.get("/redactie/aanbod/test-wijkmaatje-overdie/vertalingen").status_code == 403


def test_forms_need_a_csrf_token(make_test_app):
    app = make_test_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_editor()
        client = app.test_client()
        page = client.get("/redactie/inloggen").get_data(as_text=True)
        token = page.split('id="csrf_token" name="csrf_token" type="hidden" value="')[1].split('"')[0]
        client.post("/redactie/inloggen", data={"email": "beheer@example.org", "password": PASSWORD,
                                                "csrf_token": token})
        refused = client.post(f"/redactie/aanbod/{SLUG}/vertalingen/en", data={**ENGLISH, "reason": "x", "base": "0"})
        assert refused.status_code == 400 and rows("en") == {}
        assert client.post(f"/redactie/aanbod/{SLUG}/vertalingen/en/versies/1/terugzetten").status_code == 400

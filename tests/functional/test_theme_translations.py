"""Editors edit the translations of a theme (name and explanation) as they do a service's: saved
rows with the current fingerprint, live at once on the public theme page, the home page tiles and
in search, every save a revision and an audit event, earlier versions restorable, stale after the
Dutch changes; bad input saves nothing; an aanbieder may not; a content load keeps the edit."""

from sqlalchemy import select
from test_editors import form_at, login, make_editor

from finder import models
from finder.catalogue import translation_edits
from finder.catalogue.translation_text import fingerprint
from finder.extensions import db

CODE = "scheiding"
SLUG = "test-scheidingsspreekuur"  # a service with this theme
PATH = f"/redactie/themas/{CODE}/vertalingen"
ENGLISH = {"name": "Parents splitting up", "description": "Help for parents and children when parents part ways."}


def theme(code=CODE):
    return db.session.scalar(select(models.TaxonomyTerm).where(
        models.TaxonomyTerm.taxonomy_id == models.THEMES_TAXONOMY, models.TaxonomyTerm.code == code))


def rows(locale, code=CODE):
    return {t.field: t for t in db.session.scalars(select(models.Translation).where(
        models.Translation.entity_type == "theme", models.Translation.entity_id == theme(code).id,
        models.Translation.locale == locale))}


def versions(locale):
    return list(db.session.scalars(select(models.Revision).where(
        models.Revision.entity_type == f"translation:{locale}", models.Revision.entity_id == theme().id
    ).order_by(models.Revision.number)))


def translation_events():
    return list(db.session.scalars(select(models.AuditEvent).where(models.AuditEvent.action == "translation")
                                   .order_by(models.AuditEvent.id)))


def current_base(client, locale):
    page = client.get(f"{PATH}/{locale}").get_data(as_text=True)
    return page.split('id="base" name="base" type="hidden" value="')[1].split('"')[0]


def save(client, locale, texts, reason="vertaald", reviewed=False):
    data = {**texts, "reason": reason, "base": current_base(client, locale)}
    if reviewed:
        data["reviewed"] = "y"
    return client.post(f"{PATH}/{locale}", data=data)


def add_machine_translation(locale, texts, source_hash=None):
    """As content/translations/<locale>.yaml would: status machine."""
    term = theme()
    source_hash = source_hash or fingerprint([term.name, term.description])
    for field, text in texts.items():
        db.session.add(models.Translation(entity_type="theme", entity_id=term.id, field=field, locale=locale,
                                          text=text, status="machine", source_hash=source_hash))
    db.session.commit()


def test_save_goes_live_on_the_theme_page_home_and_search_with_revision_and_audit(app, client):
    make_editor()
    login(client)
    add_machine_translation("en", {"name": "Divorce", "description": "Machine explanation of divorce."})
    machine_page = client.get(f"/en/thema/{CODE}").get_data(as_text=True)
    assert "Machine explanation of divorce." in machine_page and 'class="machine-label"' in machine_page
    assert SLUG not in client.get("/en/zoeken?q=splitting").get_data(as_text=True)
    assert 'Divorce <span class="count">' in client.get("/en/zoeken?q=spreekuur").get_data(as_text=True)

    edit_page = client.get(f"{PATH}/en").get_data(as_text=True)
    assert "Hulp voor ouders en kinderen als ouders uit elkaar gaan." in edit_page  # the Dutch next to it
    assert 'value="Divorce"' in edit_page and "Machine explanation of divorce.</textarea>" in edit_page
    assert 'id="description"' in edit_page and 'id="summary"' not in edit_page  # a theme's own fields
    assert f'href="{PATH}">Alle vertalingen van dit thema</a>' in edit_page  # back to the overview
    assert f'href="/en/thema/{CODE}"' in edit_page  # see it on the website

    saved = save(client, "en", ENGLISH, reason="betere vertaling", reviewed=True)
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"{PATH}/en")
    term = theme()
    found = rows("en")
    assert {f: t.text for f, t in found.items()} == ENGLISH
    assert {t.status for t in found.values()} == {"reviewed"}
    assert {t.source_hash for t in found.values()} == {fingerprint([term.name, term.description])}

    # version 1 keeps the machine translation that was there, so it can be put back
    assert [(r.number, r.author, r.snapshot["status"]) for r in versions("en")] == [
        (1, "eerdere vertaling", "machine"), (2, "beheer@example.org", "reviewed")]
    assert versions("en")[1].reason == "betere vertaling" and versions("en")[1].snapshot["fields"] == ENGLISH
    event, = translation_events()
    assert (event.actor, event.entity_type, event.entity_id, event.detail) == (
        "beheer@example.org", "theme", term.id, "en: betere vertaling")

    public = client.get(f"/en/thema/{CODE}").get_data(as_text=True)
    assert "<h1>Parents splitting up</h1>" in public and ENGLISH["description"] in public
    assert 'class="machine-label"' not in public  # a person's translation has no machine label
    assert "Parents splitting up" in client.get("/en/").get_data(as_text=True)  # the home page tile
    assert "Parents splitting up" not in client.get(f"/thema/{CODE}").get_data(as_text=True)  # Dutch stays
    search = client.get("/en/zoeken?q=splitting").get_data(as_text=True)
    assert SLUG in search  # the index follows
    assert 'Parents splitting up <span class="count">' in search  # and so does the theme filter's label
    overview = client.get(PATH).get_data(as_text=True)
    assert "nagekeken" in overview.split('id="taal-en"')[1].split("</tr>")[0]


def test_overview_lists_every_language_and_the_theme_editor_links_to_it(app, client):
    make_editor()
    login(client)
    add_machine_translation("tr", {"name": "Boşanma", "description": "Açıklama."})
    add_machine_translation("ar", {"name": "طلاق"})  # the explanation is missing: the site shows Dutch
    page = client.get(PATH)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "<h1>Vertalingen: Scheiding</h1>" in html
    row = {code: html.split(f'id="taal-{code}"')[1].split("</tr>")[0] for code in ("en", "ar", "tr", "fa-AF")}
    assert "machinevertaling" in row["tr"] and "onvolledig" not in row["tr"]
    assert "onvolledig" in row["ar"] and "ontbreekt" in row["en"] and "ontbreekt" in row["fa-AF"]
    assert f'href="{PATH}/fa-AF"' in html and f'href="/redactie/themas/{CODE}"' in html  # back to the theme
    assert f'href="{PATH}"' in client.get(f"/redactie/themas/{CODE}").get_data(as_text=True)
    assert "/vertalingen" not in client.get("/redactie/organisaties/test-cjg-velsen").get_data(as_text=True)
    assert 'dir="rtl"' in client.get(f"{PATH}/ar").get_data(as_text=True)


def test_the_translation_goes_stale_when_the_dutch_changes_in_the_theme_editor(app, client):
    make_editor()
    login(client)
    save(client, "en", ENGLISH)
    assert not translation_edits.state(theme(), "en").stale
    editor_page = f"/redactie/themas/{CODE}"
    changed = client.post(editor_page, data=form_at(client, editor_page, name="Scheiding en omgang",
                                                    reason="nieuwe naam"))
    assert changed.status_code == 302
    assert translation_edits.state(theme(), "en").stale
    assert "verouderd" in client.get(PATH).get_data(as_text=True).split('id="taal-en"')[1].split("</tr>")[0]
    public = client.get(f"/en/thema/{CODE}").get_data(as_text=True)
    assert "Scheiding en omgang" in public and "Parents splitting up" not in public
    # saving again makes it current, with the fingerprint of the new Dutch
    save(client, "en", {**ENGLISH, "name": "Separation and contact"}, reason="bijgewerkt")
    assert not translation_edits.state(theme(), "en").stale
    assert "Separation and contact" in client.get(f"/en/thema/{CODE}").get_data(as_text=True)


def test_restore_an_earlier_version_as_a_new_one(app, client):
    make_editor()
    login(client)
    save(client, "en", ENGLISH, reason="eerste")
    save(client, "en", {**ENGLISH, "name": "Wrong name"}, reason="tweede")
    assert rows("en")["name"].text == "Wrong name"
    page = client.get(f"{PATH}/en").get_data(as_text=True)
    assert "Zet versie 1 terug" in page and "Zet versie 2 terug" not in page  # 2 is the current one
    restored = client.post(f"{PATH}/en/versies/1/terugzetten")
    assert restored.status_code == 302
    assert rows("en")["name"].text == ENGLISH["name"]
    assert (versions("en")[-1].number, versions("en")[-1].reason) == (3, "terugzetten naar versie 1")
    assert "Parents splitting up" in client.get(f"/en/thema/{CODE}").get_data(as_text=True)
    assert client.post(f"{PATH}/en/versies/99/terugzetten").status_code == 404
    assert [e.detail for e in translation_events()] == ["en: eerste", "en: tweede", "en: terugzetten naar versie 1"]
    # emptying both fields removes the translation; the site shows Dutch again
    assert save(client, "en", {"name": "", "description": ""}, reason="weg").status_code == 302
    assert rows("en") == {}
    dutch = client.get(f"/en/thema/{CODE}").get_data(as_text=True)
    assert '<h1 lang="nl"' in dutch and ">Scheiding</h1>" in dutch and "Parents splitting up" not in dutch


def test_bad_input_is_explained_and_nothing_is_saved(app, client):
    make_editor()
    login(client)
    too_long = save(client, "en", {"name": "x" * 251, "description": "Help."}, reason="")
    html = too_long.get_data(as_text=True)
    assert too_long.status_code == 400
    assert 'id="name-error"' in html and "hoogstens 250 tekens" in html
    assert 'id="reason-error"' in html and "Schrijf kort wat je veranderd hebt." in html
    partial = save(client, "en", {**ENGLISH, "description": " "})
    assert partial.status_code == 400 and 'id="description-error"' in partial.get_data(as_text=True)
    assert "Vertaal ook dit veld." in partial.get_data(as_text=True)
    too_long_text = save(client, "en", {**ENGLISH, "description": "y" * 2001})
    assert too_long_text.status_code == 400 and "hoogstens 2000 tekens" in too_long_text.get_data(as_text=True)
    stale_base = client.post(f"{PATH}/en", data={**ENGLISH, "reason": "x", "base": "7"})
    assert stale_base.status_code == 409 and 'value="Parents splitting up"' in stale_base.get_data(as_text=True)
    assert rows("en") == {} and versions("en") == [] and translation_events() == []


def test_aanbieder_gets_403_and_a_redacteur_may(app, client):
    make_editor("aanbieder@example.org", "aanbieder", organizations=["test-cjg-velsen"])
    make_editor("velsen@example.org", "redacteur", ["velsen"])
    assert client.get(PATH).status_code == 302  # not logged in: to the login page
    login(client, "aanbieder@example.org")
    assert client.get(PATH).status_code == 403
    assert client.get(f"{PATH}/en").status_code == 403
    assert client.post(f"{PATH}/en", data={**ENGLISH, "reason": "x", "base": "0"}).status_code == 403
    assert client.post(f"{PATH}/en/versies/1/terugzetten").status_code == 403
    assert rows("en") == {}
    client.post("/redactie/uitloggen")
    login(client, "velsen@example.org")  # themes are the region's shared words
    assert save(client, "uk", {"name": "Розлучення", "description": "Допомога батькам."}).status_code == 302
    assert rows("uk")["name"].text == "Розлучення"


def test_unknown_theme_or_language_is_404(app, client):
    make_editor()
    login(client)
    assert client.get(f"{PATH}/nl").status_code == 404  # the source itself
    assert client.get(f"{PATH}/xx").status_code == 404
    assert client.post(f"{PATH}/xx", data={**ENGLISH, "reason": "x", "base": "0"}).status_code == 404
    assert client.get("/redactie/themas/bestaat-niet/vertalingen").status_code == 404
    assert client.get("/redactie/themas/scheidingsplein/vertalingen").status_code == 404  # a kind, no theme
    assert client.get(f"{PATH}/fa-AF").status_code == 200


def test_a_content_load_keeps_what_an_editor_did_to_a_theme_translation(app, tmp_path):
    from finder.catalogue.content import load_content

    term, other = theme(), theme("opvoeden-en-opgroeien")
    (tmp_path / "content" / "translations").mkdir()
    (tmp_path / "content" / "translations" / "en.yaml").write_text(
        "locale: en\nstatus: machine\nthemes:\n"
        f"  {CODE}:\n    source: {fingerprint([term.name, term.description])}\n"
        "    name: Machine divorce\n    description: A machine explanation.\n"
        f"  opvoeden-en-opgroeien:\n    source: {fingerprint([other.name, other.description])}\n"
        "    name: Machine parenting\n    description: Another machine explanation.\n",
        encoding="utf-8")
    load_content(tmp_path / "content")
    db.session.commit()
    assert translation_edits.state(theme(), "en").texts["name"] == "Machine divorce"
    editor = make_editor()
    translation_edits.save(theme(), "en", ENGLISH, reviewed=True, editor=editor, reason="by hand")
    db.session.commit()
    load_content(tmp_path / "content")  # the file still has the machine text
    db.session.commit()
    kept = translation_edits.state(theme(), "en")
    assert kept.texts == ENGLISH and kept.status == "reviewed"
    # a theme nobody edited still follows the file
    assert translation_edits.state(theme("opvoeden-en-opgroeien"), "en").texts["name"] == "Machine parenting"

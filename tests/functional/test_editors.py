"""Editors: argon2 accounts, rate-limited and logged login, CSRF, scope, optimistic locking,
revisions with diff and restore; the index follows every save."""

from html.parser import HTMLParser

from sqlalchemy import select

from finder import models
from finder.catalogue import editors
from finder.extensions import db

PASSWORD = "correct horse battery"


def make_editor(email="beheer@example.org", role="beheerder", gemeenten=(), organizations=()):
    editor = editors.create_editor(email, "Test", role, PASSWORD, list(gemeenten), list(organizations))
    db.session.commit()
    return editor


def login(client, email="beheer@example.org", password=PASSWORD):
    return client.post("/redactie/inloggen", data={"email": email, "password": password})


def service(slug):
    return db.session.scalar(select(models.Service).where(models.Service.slug == slug))


def audit_actions():
    return [(e.action, e.actor) for e in db.session.scalars(select(models.AuditEvent).order_by(models.AuditEvent.id))]


def test_create_editor_command_hashes_with_argon2(app):
    result = app.test_cli_runner().invoke(args=[
        "create-editor", "--email", "Redactie@Velsen.nl", "--name", "R", "--role", "redacteur",
        "--gemeente", "velsen", "--password", PASSWORD])
    assert result.exit_code == 0, result.output
    editor = db.session.scalar(select(models.Editor))
    assert editor.email == "redactie@velsen.nl" and editor.gemeenten == ["velsen"]
    assert editor.password_hash.startswith("$argon2id$") and PASSWORD not in editor.password_hash
    short = app.test_cli_runner().invoke(args=["create-editor", "--email", "a@b.nl", "--name", "A", "--role",
                                               "beheerder", "--password", "kort"])
    assert short.exit_code != 0 and "12" in short.output
    typo = app.test_cli_runner().invoke(args=["create-editor", "--email", "c@d.nl", "--name", "C", "--role",
                                              "aanbieder", "--organisatie", "socius", "--password", PASSWORD])
    assert typo.exit_code != 0 and "unknown gemeente or organisation: socius" in typo.output


def test_login_logout_and_audit(app, client):
    make_editor()
    assert client.get("/redactie/").status_code == 302  # not logged in: to the login page
    wrong = login(client, password="wrong password!")
    assert wrong.status_code == 400 and "horen niet bij elkaar" in wrong.get_data(as_text=True)
    ok = login(client)
    assert ok.status_code == 302 and ok.headers["Location"].endswith("/redactie/")
    assert "Expires=" in ok.headers["Set-Cookie"]  # the session ends (PERMANENT_SESSION_LIFETIME)
    assert client.get("/redactie/").status_code == 200
    client.post("/redactie/uitloggen")
    assert client.get("/redactie/").status_code == 302
    assert audit_actions() == [("login-failed", "beheer@example.org"), ("login", "beheer@example.org"),
                               ("logout", "beheer@example.org")]


def test_login_is_rate_limited(app, client):
    make_editor()
    statuses = [login(client, password=f"guess {i} wrong").status_code for i in range(6)]
    assert statuses[:5] == [400] * 5 and statuses[5] == 429
    assert login(client).status_code == 429  # even the right password waits


def test_forms_without_csrf_token_are_refused(make_test_app):
    app = make_test_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_editor()
        client = app.test_client()
        refused = login(client)
        assert refused.status_code == 400 and "Dit formulier is verlopen" in refused.get_data(as_text=True)
        assert client.get("/redactie/").status_code == 302  # not logged in
        page = client.get("/redactie/inloggen").get_data(as_text=True)
        token = page.split('id="csrf_token" name="csrf_token" type="hidden" value="')[1].split('"')[0]
        accepted = client.post("/redactie/inloggen", data={"email": "beheer@example.org", "password": PASSWORD,
                                                           "csrf_token": token})
        assert accepted.status_code == 302
        edit = client.post("/redactie/aanbod/test-scheidingsspreekuur", data={"name": "Zonder token"})
        assert edit.status_code == 400 and service("test-scheidingsspreekuur").name != "Zonder token"


def test_redacteur_sees_and_edits_only_its_gemeente(app, client):
    make_editor("velsen@example.org", "redacteur", ["velsen"])
    login(client, "velsen@example.org")
    dashboard = client.get("/redactie/").get_data(as_text=True)
    assert "Spreekuur scheiding Velsen" in dashboard
    assert "Wijkmaatje Overdie" not in dashboard and "Jongerenwerk Haarlem" not in dashboard
    assert client.get("/redactie/aanbod/test-wijkmaatje-overdie").status_code == 403  # Alkmaar only
    assert client.get("/redactie/aanbod/test-hulplijn").status_code == 403  # national: not a gemeente's
    assert client.get("/redactie/aanbod/test-scheidingsspreekuur").status_code == 200
    assert client.post("/redactie/aanbod/test-wijkmaatje-overdie/gecontroleerd").status_code == 403


class _FormValues(HTMLParser):
    """What a browser would send for the editor form on a page: every named control's value
    (checked boxes and radios only, selected options), name -> list of values."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self.inside = False
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = "editor-form" in (a.get("class") or "")
        elif not self.inside or ("name" not in a and tag != "option"):
            return
        elif tag == "input" and (a.get("type") not in ("checkbox", "radio") or "checked" in a):
            self.values.setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "select":
            self.select = a["name"]
            self.values.setdefault(a["name"], [])
        elif tag == "option" and self.select and "selected" in a:
            self.values[self.select].append(a.get("value") or "")
        elif tag == "textarea":
            self.textarea = a["name"]
            self.values[a["name"]] = [""]

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea][0] += data


def form_at(client, path, **changes):
    """The editor form on a page as the page fills it in, with `changes` typed over it."""
    parser = _FormValues()
    parser.feed(client.get(path).get_data(as_text=True))
    data = {name: values for name, values in parser.values.items() if values}
    data.update({"reason": "test", **changes})
    return data


def form_for(client, slug, **changes):
    return form_at(client, f"/redactie/aanbod/{slug}", **changes)


def test_edit_revision_findable_and_restore(app, client):
    make_editor()
    login(client)
    before = form_for(client, "test-scheidingsspreekuur")
    saved = client.post("/redactie/aanbod/test-scheidingsspreekuur",
                        data={**before, "name": "Spreekuur omgangsregeling Velsen", "reason": "nieuwe naam"})
    assert saved.status_code == 302
    assert "Spreekuur omgangsregeling Velsen" in client.get("/zoeken?q=omgangsregeling").get_data(as_text=True)
    history = client.get("/redactie/aanbod/test-scheidingsspreekuur/versies").get_data(as_text=True)
    assert "nieuwe naam" in history and "beheer@example.org" in history
    numbers = [r.number for r in editors.revisions(service("test-scheidingsspreekuur"))]
    newest, previous = numbers[0], numbers[1]
    diff = client.get(f"/redactie/aanbod/test-scheidingsspreekuur/versies?a={previous}&b={newest}").get_data(
        as_text=True)
    assert "-Spreekuur scheiding Velsen" in diff and "+Spreekuur omgangsregeling Velsen" in diff
    client.post(f"/redactie/aanbod/test-scheidingsspreekuur/versies/{previous}/terugzetten")
    assert service("test-scheidingsspreekuur").name == "Spreekuur scheiding Velsen"
    assert "Spreekuur scheiding Velsen" in client.get("/zoeken?q=spreekuur").get_data(as_text=True)
    assert "Spreekuur omgangsregeling" not in client.get("/zoeken?q=omgangsregeling").get_data(as_text=True)
    assert [a for a, _ in audit_actions()] == ["login", "save", "restore"]


def test_second_save_gets_a_conflict_page_and_overwrites_nothing(app, client):
    make_editor()
    login(client)
    first = form_for(client, "test-scheidingsspreekuur", name="Versie van Anna")
    second = form_for(client, "test-scheidingsspreekuur", name="Versie van Bram")
    assert client.post("/redactie/aanbod/test-scheidingsspreekuur", data=first).status_code == 302
    conflict = client.post("/redactie/aanbod/test-scheidingsspreekuur", data=second)
    html = conflict.get_data(as_text=True)
    assert conflict.status_code == 409
    assert "Versie van Anna" in html and "Versie van Bram" in html  # both, side by side
    assert service("test-scheidingsspreekuur").name == "Versie van Anna"


def test_bad_input_is_explained_next_to_the_field_and_nothing_is_saved(app, client):
    make_editor()
    login(client)
    data = form_for(client, "test-scheidingsspreekuur", email="geen-adres", website="niet een url", summary="kort")
    response = client.post("/redactie/aanbod/test-scheidingsspreekuur", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="email-error"' in html and "Dit is geen geldig e-mailadres." in html
    assert "Dit is geen geldig webadres." in html and "Schrijf 10 tot 300 tekens." in html
    assert 'aria-describedby="email-error"' in html
    assert service("test-scheidingsspreekuur").email != "geen-adres"
    assert len(editors.revisions(service("test-scheidingsspreekuur"))) == 1  # only the content load's


def test_mark_checked_and_publish_status(app, client):
    make_editor()
    login(client)
    client.post("/redactie/aanbod/test-scheidingsspreekuur/gecontroleerd", data={"next": "//evil.example"})
    from datetime import date

    assert service("test-scheidingsspreekuur").assured_date == date.today()
    client.post("/redactie/aanbod/test-scheidingsspreekuur/status", data={"status": "gearchiveerd"})
    assert "Spreekuur scheiding Velsen" not in client.get("/zoeken?q=spreekuur").get_data(as_text=True)
    client.post("/redactie/aanbod/test-scheidingsspreekuur/status", data={"status": "gepubliceerd"})
    assert "Spreekuur scheiding Velsen" in client.get("/zoeken?q=spreekuur").get_data(as_text=True)
    assert client.post("/redactie/aanbod/test-scheidingsspreekuur/status", data={"status": "weg"}).status_code == 400
    assert [a for a, _ in audit_actions()][-2:] == ["archive", "publish"]


def test_four_eyes_keeps_the_live_text_until_a_second_editor_publishes(app):
    app.config["FOUR_EYES_GEMEENTEN"] = "velsen"
    editors.create_editor("anna@example.org", "Anna", "redacteur", PASSWORD, ["velsen"])
    editors.create_editor("bram@example.org", "Bram", "redacteur", PASSWORD, ["velsen"])
    db.session.commit()
    anna, bram = app.test_client(), app.test_client()
    login(anna, "anna@example.org")
    login(bram, "bram@example.org")
    data = form_for(anna, "test-scheidingsspreekuur", name="Spreekuur omgangsregeling Velsen", reason="betere naam")
    saved = anna.post("/redactie/aanbod/test-scheidingsspreekuur", data=data, follow_redirects=True)
    assert "wacht op een tweede redacteur" in saved.get_data(as_text=True)
    # the live service did not change; the proposal waits
    assert service("test-scheidingsspreekuur").name == "Spreekuur scheiding Velsen"
    assert "Spreekuur scheiding Velsen" in anna.get("/zoeken?q=spreekuur").get_data(as_text=True)
    proposal = db.session.scalar(select(models.Revision).where(models.Revision.state == "ter beoordeling"))
    assert proposal.author == "anna@example.org"
    assert anna.post(f"/redactie/voorstellen/{proposal.id}/publiceren").status_code == 403  # not her own
    assert service("test-scheidingsspreekuur").name == "Spreekuur scheiding Velsen"
    assert "betere naam" in bram.get("/redactie/").get_data(as_text=True)
    bram.post(f"/redactie/voorstellen/{proposal.id}/publiceren")
    assert service("test-scheidingsspreekuur").name == "Spreekuur omgangsregeling Velsen"
    assert proposal.state == "gepubliceerd" and proposal.reviewed_by == "bram@example.org"
    assert "Spreekuur omgangsregeling Velsen" in anna.get("/zoeken?q=omgangsregeling").get_data(as_text=True)
    assert ("publish", "bram@example.org") in audit_actions() and ("submit", "anna@example.org") in audit_actions()
    # a service of another gemeente without four eyes saves at once
    app.config["FOUR_EYES_GEMEENTEN"] = "haarlem"
    data = form_for(anna, "test-scheidingsspreekuur", name="Spreekuur Velsen", reason="kort")
    anna.post("/redactie/aanbod/test-scheidingsspreekuur", data=data)
    assert service("test-scheidingsspreekuur").name == "Spreekuur Velsen"


def test_four_eyes_also_for_publishing_a_concept(app):
    app.config["FOUR_EYES_GEMEENTEN"] = "*"
    editors.create_editor("anna@example.org", "Anna", "beheerder", PASSWORD)
    editors.create_editor("bram@example.org", "Bram", "beheerder", PASSWORD)
    db.session.commit()
    anna, bram = app.test_client(), app.test_client()
    login(anna, "anna@example.org")
    login(bram, "bram@example.org")
    anna.post("/redactie/aanbod/test-scheidingsspreekuur/status", data={"status": "concept"})
    data = form_for(anna, "test-scheidingsspreekuur", name="Nieuwe tekst", reason="concept bijgewerkt")
    anna.post("/redactie/aanbod/test-scheidingsspreekuur", data=data)  # a concept saves at once
    assert service("test-scheidingsspreekuur").name == "Nieuwe tekst"
    refused = anna.post("/redactie/aanbod/test-scheidingsspreekuur/status", data={"status": "gepubliceerd"})
    assert refused.status_code == 403 and service("test-scheidingsspreekuur").status == "concept"
    bram.post("/redactie/aanbod/test-scheidingsspreekuur/status", data={"status": "gepubliceerd"})
    assert service("test-scheidingsspreekuur").status == "gepubliceerd"

"""Every service of the real catalogue, opened in the editor and saved unchanged, stays exactly
what it was: the form loses nothing (areas, themes, phones, addresses, ages, referrers)."""

from pathlib import Path

import pytest
from sqlalchemy import select
from test_editors import form_at, form_for, login, make_editor

from finder import models
from finder.catalogue import service_edits
from finder.catalogue.revisions import snapshot
from finder.extensions import db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def real_app(tmp_path, app_loader):
    """A writable app with the real catalogue of content/."""
    app = app_loader(tmp_path, ROOT / "content")
    with app.app_context():
        yield app
        db.session.remove()


def test_every_real_service_saves_unchanged_through_the_form(real_app):
    client = real_app.test_client()
    make_editor()
    login(client)
    slugs = db.session.scalars(select(models.Service.slug).order_by(models.Service.slug)).all()
    refused, changed = [], []
    for slug in slugs:
        before = service_edits.editable(snapshot(_service(slug)))
        response = client.post(f"/redactie/aanbod/{slug}", data=form_for(client, slug, reason="ongewijzigd"))
        if response.status_code != 302:
            refused.append((slug, response.status_code))
            continue
        db.session.expire_all()
        after = service_edits.editable(snapshot(_service(slug)))
        changed += [(slug, name, before[name], after[name]) for name in before if before[name] != after[name]]
    assert len(slugs) > 150
    assert refused == []
    assert changed == []


def test_every_real_organisation_saves_unchanged_through_the_form(real_app):
    from finder.catalogue import records

    client = real_app.test_client()
    make_editor()
    login(client)
    orgs = db.session.scalars(select(models.Organization).order_by(models.Organization.slug)).all()
    refused, changed = [], []
    for org in orgs:
        before = records.snapshot(org)
        path = f"/redactie/organisaties/{org.slug}"
        response = client.post(path, data=form_at(client, path, reason="ongewijzigd"))
        if response.status_code != 302:
            refused.append((org.slug, response.status_code))
            continue
        db.session.expire_all()
        after = records.snapshot(db.session.get(models.Organization, org.id))
        changed += [(org.slug, k, before[k], after[k]) for k in before if before[k] != after[k]]
    assert len(orgs) > 90
    assert refused == []
    assert changed == []


def _service(slug):
    return db.session.scalar(select(models.Service).where(models.Service.slug == slug))

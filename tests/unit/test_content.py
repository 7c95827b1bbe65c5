from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from finder import models
from finder.catalogue.content import ContentError, load_content, read_content
from finder.extensions import db


def _edit(content: Path, change) -> None:
    path = content / "services" / "test.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


def test_second_load_changes_nothing(app, tmp_path):
    report = load_content(tmp_path / "content")
    db.session.commit()
    assert report.changed == 0
    assert report.counts["service unchanged"] == 5
    assert db.session.scalar(select(func.count()).select_from(models.Revision)) == 5


def test_changed_record_is_updated_with_a_new_revision(app, tmp_path):
    content = tmp_path / "content"
    _edit(content, lambda d: d["services"][0].update(summary="Een nieuw spreekuur voor ouders die scheiden."))
    report = load_content(content)
    db.session.commit()
    assert report.counts["service updated"] == 1
    service = db.session.scalar(select(models.Service).where(models.Service.slug == "test-scheidingsspreekuur"))
    assert service.summary.startswith("Een nieuw spreekuur")
    assert service.version == 2
    numbers = db.session.scalars(select(models.Revision.number).where(models.Revision.entity_id == service.id))
    assert sorted(numbers) == [1, 2]


def test_broken_file_is_reported_with_file_record_and_field_and_nothing_loads(app, tmp_path):
    content = tmp_path / "content"

    def break_it(d):
        d["services"][1]["kind"] = "cursus"
        d["services"][2]["themes"] = ["bestaat-niet"]
        d["services"][0]["summary"] = "Gewijzigd maar mag niet geladen worden."

    _edit(content, break_it)
    with pytest.raises(ContentError) as info:
        load_content(content)
    problems = "\n".join(info.value.problems)
    assert "test.yaml: services[1] (test-jongerenwerk-haarlem): field kind" in problems
    assert "test.yaml: services (test-wijkmaatje-overdie): field themes: unknown theme 'bestaat-niet'" in problems
    db.session.rollback()
    service = db.session.scalar(select(models.Service).where(models.Service.slug == "test-scheidingsspreekuur"))
    assert service.summary == "Een spreekuur voor ouders die uit elkaar gaan."


def test_unknown_keys_and_invented_looking_facts_are_rejected(tmp_path, app):
    content = tmp_path / "content"
    _edit(content, lambda d: d["services"][0].update(telefoon="020 123"))
    with pytest.raises(ContentError, match="problem"):
        read_content(content)


def test_policy_only_offer_must_be_marked_for_review(tmp_path, app):
    content = tmp_path / "content"
    _edit(content, lambda d: d["services"][0].update(evidence="beleidsdocument", review="bevestigd"))
    with pytest.raises(ContentError) as info:
        read_content(content)
    assert any("te controleren" in p for p in info.value.problems)


def test_invalid_yaml_is_reported_by_file(tmp_path, app):
    content = tmp_path / "content"
    (content / "services" / "kapot.yaml").write_text("services: [\n  - slug: x\n  bad")
    with pytest.raises(ContentError) as info:
        read_content(content)
    assert info.value.problems[0].startswith("kapot.yaml: cannot read YAML")

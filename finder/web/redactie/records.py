"""Editing organisations, themes (with synonyms) and menukaarten: a list, an edit form with
optimistic locking, and the versions of each record with diff and restore."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from finder.catalogue import queries, records
from finder.extensions import db
from finder.i18n import _, _l
from finder.web.redactie import readable
from finder.web.redactie.forms import MenukaartForm, OrganizationForm, ThemeForm
from finder.web.redactie.views import bp, diff_between

FORMS = {"organisaties": OrganizationForm, "themas": ThemeForm, "menukaarten": MenukaartForm}
TITLES = {"organisaties": _l("Organisaties"), "themas": _l("Thema's en zoekwoorden"),
          "menukaarten": _l("Menukaarten")}
KIND = 'any(organisaties, themas, menukaarten):kind'


def _record(kind: str, key: str) -> Any:
    record = records.find(kind, key)
    if record is None:
        abort(404)
    if not records.can_edit(current_user, record):
        abort(403)
    return record


@bp.get(f"/<{KIND}>")
@login_required
def record_list(kind: str):
    if current_user.role == "aanbieder":
        abort(403)
    return render_template("redactie/records.html", kind=kind, title=TITLES[kind],
                           items=records.listing(kind, current_user), key=records.KINDS[kind].key)


@bp.route(f"/<{KIND}>/<key>", methods=["GET", "POST"])
@login_required
def edit_record(kind: str, key: str):
    record = _record(kind, key)
    form_class = FORMS[kind]
    form = form_class(data=form_class.data_from(records.snapshot(record))) if request.method == "GET" else form_class()
    if request.method == "GET":
        form.version.data = records.version_of(record)
    if form.validate_on_submit():
        values = form.state()
        try:
            records.save(record, values, editor=current_user, expected_version=form.version.data or "",
                         reason=form.reason.data or "")
        except records.Conflict as conflict:
            db.session.rollback()
            rows = [(readable.label(name), readable.text(name, conflict.current.get(name)),
                     readable.text(name, values[name])) for name in values]
            return render_template("redactie/conflict.html", title=record.name, rows=rows,
                                   again=request.path), 409
        db.session.commit()
        if kind == "themas":
            queries.forget_cached()  # the next search uses the new words
        flash(_("Opgeslagen."))
        return redirect(url_for("redactie.edit_record", kind=kind, key=key))
    return render_template("redactie/record_edit.html", kind=kind, title=TITLES[kind], record=record,
                           form=form), 400 if form.errors else 200


@bp.get(f"/<{KIND}>/<key>/versies")
@login_required
def record_history(kind: str, key: str):
    record = _record(kind, key)
    revisions = records.revisions(record)
    older, newer = request.args.get("a", type=int), request.args.get("b", type=int)
    return render_template(
        "redactie/history.html", title=record.name, revisions=revisions, a=older, b=newer,
        diff=diff_between(revisions, older, newer), edit_url=url_for("redactie.edit_record", kind=kind, key=key),
        restore_endpoint="redactie.restore_record", url_args={"kind": kind, "key": key},
    )


@bp.post(f"/<{KIND}>/<key>/versies/<int:number>/terugzetten")
@login_required
def restore_record(kind: str, key: str, number: int):
    record = _record(kind, key)
    revision = next((r for r in records.revisions(record) if r.number == number), None)
    if revision is None:
        abort(404)
    records.restore(record, revision, editor=current_user)
    db.session.commit()
    if kind == "themas":
        queries.forget_cached()
    flash(_("Versie %(n)d is teruggezet.", n=number))
    return redirect(url_for("redactie.record_history", kind=kind, key=key))

"""The editors' pages under /redactie: log in, the freshness dashboard, edit a service with
optimistic locking, its revisions (diff and restore), status and "gecontroleerd"."""

from __future__ import annotations

import difflib
from typing import Any

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select

from finder import models
from finder.catalogue import editors, insight, locations, queries, service_edits
from finder.extensions import db, limiter, login_manager
from finder.i18n import _
from finder.web.redactie import readable
from finder.web.redactie.forms import LoginForm, ServiceForm

bp = Blueprint("redactie", __name__, url_prefix="/redactie")


@bp.context_processor
def editor_labels() -> dict[str, Any]:
    return {"STATUS_LABELS": queries.STATUS_LABELS}


@login_manager.user_loader
def load_editor(editor_id: str) -> models.Editor | None:
    try:
        return db.session.get(models.Editor, int(editor_id))
    except ValueError:
        return None


@bp.route("/inloggen", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        editor = editors.authenticate(form.email.data or "", form.password.data or "")
        if editor is None:
            editors.audit(form.email.data or "", "login-failed")
            db.session.commit()
            form.password.errors = [_("Dit e-mailadres en wachtwoord horen niet bij elkaar.")]
        else:
            session.clear()  # a fresh session: no fixation
            session.permanent = True  # ends after PERMANENT_SESSION_LIFETIME
            login_user(editor)
            editors.audit(editor.email, "login")
            db.session.commit()
            return redirect(url_for("redactie.dashboard"))
    status = 400 if form.errors else 200
    return render_template("redactie/login.html", form=form), status


@bp.post("/uitloggen")
@login_required
def logout():
    editors.audit(current_user.email, "logout")
    db.session.commit()
    logout_user()
    session.clear()
    return redirect(url_for("redactie.login"))


@bp.get("/")
@login_required
def dashboard():
    return render_template("redactie/dashboard.html", fresh=editors.freshness(current_user),
                           services=editors.services_in_scope(current_user),
                           reports=editors.open_reports(current_user), proposals=editors.pending(current_user))


@bp.post("/voorstellen/<int:revision_id>/<any(publiceren, afwijzen):action>")
@login_required
def review(revision_id: int, action: str):
    proposal = db.session.get(models.Revision, revision_id)
    if proposal is None or proposal.state != "ter beoordeling":
        abort(404)
    service = _service_by_id(proposal.entity_id)
    try:
        if action == "publiceren":
            editors.approve(proposal, service, editor=current_user, geocode=locations.configured_geocoder())
            message = _("Gepubliceerd.")
        else:
            editors.reject(proposal, service, editor=current_user)
            message = _("Afgewezen.")
    except editors.NotAllowed:
        db.session.rollback()
        flash(_("Dit voorstel beoordeelt een tweede redacteur: niet wie het schreef, en iemand die over het "
                "hele werkgebied gaat."))
        return dashboard(), 403
    except editors.Conflict:
        db.session.rollback()
        flash(_("Het aanbod is veranderd sinds dit voorstel. Maak het voorstel opnieuw."))
        return redirect(url_for("redactie.dashboard"))
    db.session.commit()
    flash(message)
    return redirect(url_for("redactie.dashboard"))


def _service_by_id(service_id: str) -> models.Service:
    service = db.session.get(models.Service, service_id)
    if service is None:
        abort(404)
    if not editors.can_edit(current_user, service):
        abort(403)
    return service


@bp.post("/meldingen/<int:report_id>/afgehandeld")
@login_required
def handle_report(report_id: int):
    report = db.session.get(models.ErrorReport, report_id)
    if report is None:
        abort(404)
    if not editors.can_edit(current_user, report.service):
        abort(403)
    editors.handle_report(report, editor=current_user)
    db.session.commit()
    flash(_("De melding is afgehandeld."))
    return redirect(url_for("redactie.dashboard"))


@bp.get("/zoekwoorden")
@login_required
def search_insight():
    return render_template("redactie/insight.html", weeks=insight.weekly(), themes=queries.vocabulary().themes)


@bp.post("/zoekwoorden/synoniem")
@login_required
def add_synonym():
    phrase = (request.form.get("phrase") or "").strip()
    theme = request.form.get("theme") or ""
    if current_user.role == "aanbieder" or not phrase or theme not in queries.vocabulary().themes:
        abort(400)
    insight.add_synonym(phrase, theme)
    editors.audit(current_user.email, "synonym", detail=f"{phrase} -> {theme}")
    db.session.commit()
    queries.forget_cached()  # the next search uses the new synonym
    flash(_("\"%(p)s\" hoort nu bij het thema %(t)s.", p=phrase, t=queries.vocabulary().themes[theme]))
    return redirect(url_for("redactie.search_insight"))


def _service(slug: str) -> models.Service:
    service = db.session.scalar(select(models.Service).where(models.Service.slug == slug))
    if service is None:
        abort(404)
    if not editors.can_edit(current_user, service):
        abort(403)
    return service


@bp.route("/aanbod/<slug>", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    service = _service(slug)
    form = ServiceForm(data=ServiceForm.data_of(service)) if request.method == "GET" else ServiceForm()
    if request.method == "GET":
        form.version.data = str(service.version)
    if form.validate_on_submit():
        values = form.state()
        if not editors.may_serve(current_user, service, values["service_areas"]):
            form.area_scope.errors = [_("Dit werkgebied valt buiten jouw gemeenten. Vraag een beheerder.")]
        else:
            return _save(service, form, values)
    status = 400 if form.errors else 200
    return render_template("redactie/edit.html", service=service, form=form), status


def _save(service: models.Service, form: ServiceForm, values: dict[str, Any]):
    """Save the editor's version, or keep it as a proposal (four eyes, or an aanbieder's change)."""
    try:
        expected = int(form.version.data or -1)
    except ValueError:
        expected = -1
    proposal = current_user.role == "aanbieder" or editors.needs_four_eyes(
        service, current_app.config["FOUR_EYES_GEMEENTEN"])
    try:
        if proposal:
            editors.propose(service, values, editor=current_user, expected_version=expected,
                            reason=form.reason.data or "")
        else:
            editors.save_service(service, values, editor=current_user, expected_version=expected,
                                 reason=form.reason.data or "", geocode=locations.configured_geocoder())
    except editors.Conflict as conflict:
        db.session.rollback()
        rows = [(readable.label(name), readable.text(name, conflict.current.get(name)),
                 readable.text(name, values[name])) for name in service_edits.EDITABLE]
        return render_template("redactie/conflict.html", title=service.name, rows=rows,
                               again=url_for("redactie.edit", slug=service.slug)), 409
    db.session.commit()
    if proposal:
        flash(_("Je wijziging wacht op een tweede redacteur. Tot dan blijft de huidige tekst online."))
    else:
        flash(_("Opgeslagen."))
    return redirect(url_for("redactie.edit", slug=service.slug))


def _not_for_aanbieders() -> None:
    """An aanbieder proposes changes; publishing, restoring and checking are a redacteur's."""
    if current_user.role == "aanbieder":
        abort(403)


@bp.post("/aanbod/<slug>/status")
@login_required
def change_status(slug: str):
    service = _service(slug)
    _not_for_aanbieders()
    status = request.form.get("status", "")
    if status == "gepubliceerd" and not service.published and not editors.may_publish(
        service, current_user, current_app.config["FOUR_EYES_GEMEENTEN"]
    ):
        flash(_("Een voorstel publiceert altijd een tweede redacteur, niet wie het schreef."))
        form = ServiceForm(data=ServiceForm.data_of(service))
        form.version.data = str(service.version)
        return render_template("redactie/edit.html", service=service, form=form), 403
    try:
        editors.set_status(service, status, editor=current_user)
    except ValueError:
        abort(400)
    db.session.commit()
    flash(_("De status is nu: %(s)s.", s=queries.STATUS_LABELS[status]))
    return redirect(url_for("redactie.edit", slug=slug))


@bp.post("/aanbod/<slug>/gecontroleerd")
@login_required
def mark_checked(slug: str):
    service = _service(slug)
    _not_for_aanbieders()
    editors.mark_checked(service, editor=current_user)
    db.session.commit()
    flash(_("Gemarkeerd als gecontroleerd."))
    target = request.form.get("next", "")
    if not target.startswith("/redactie/") or "//" in target:  # only back to our own pages
        target = url_for("redactie.dashboard")
    return redirect(target)


@bp.get("/aanbod/<slug>/versies")
@login_required
def history(slug: str):
    service = _service(slug)
    revisions = editors.revisions(service)
    older, newer = request.args.get("a", type=int), request.args.get("b", type=int)
    return render_template(
        "redactie/history.html", title=service.name, revisions=revisions, a=older, b=newer,
        diff=diff_between(revisions, older, newer), edit_url=url_for("redactie.edit", slug=slug),
        restore_endpoint="redactie.restore", url_args={"slug": slug},
    )


def diff_between(revisions: list[models.Revision], older: int | None, newer: int | None) -> list[
        tuple[str, list[str]]]:
    """The difference between two of these revisions (by number), when both exist."""
    by_number = {r.number: r for r in revisions}
    if older not in by_number or newer not in by_number:
        return []
    return _diff(by_number[older].snapshot, by_number[newer].snapshot)


@bp.post("/aanbod/<slug>/versies/<int:number>/terugzetten")
@login_required
def restore(slug: str, number: int):
    service = _service(slug)
    _not_for_aanbieders()
    revision = next((r for r in editors.revisions(service) if r.number == number), None)
    if revision is None:
        abort(404)
    if revision.state is not None:  # a proposal is not a state the service was in
        abort(400)
    editors.restore(service, revision, editor=current_user, geocode=locations.configured_geocoder())
    db.session.commit()
    flash(_("Versie %(n)d is teruggezet.", n=number))
    return redirect(url_for("redactie.history", slug=slug))


def _diff(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, list[str]]]:
    """Per changed field, a unified diff of its text (hand-written formatting around difflib)."""
    out = []
    for name in sorted(set(old) | set(new)):
        a, b = old.get(name), new.get(name)
        if a == b:
            continue
        lines = difflib.unified_diff(readable.text(name, a).splitlines() or [""],
                                     readable.text(name, b).splitlines() or [""], lineterm="", n=1)
        out.append((readable.label(name), [line for line in lines if not line.startswith(("---", "+++"))]))
    return out


def init_app(app) -> None:
    # The other editors' pages add their routes to `bp` when imported; register after that.
    from finder.web.redactie import bulk, logbook, records, translations  # noqa: F401

    app.register_blueprint(bp)

    @app.before_request
    def forget_previous_user() -> None:
        # Flask-Login keeps the user on `g`, which lives as long as the app context; when one
        # context serves several requests (tests, some servers) the previous visitor would stick.
        g.pop("_login_user", None)

    login_manager.init_app(app)
    login_manager.login_view = "redactie.login"
    login_manager.login_message = None
    limiter.init_app(app)
    from finder.editor_cli import create_editor_command

    app.cli.add_command(create_editor_command)

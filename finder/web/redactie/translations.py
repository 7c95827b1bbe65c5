"""Editing the translations of a service's texts: an overview per language, an edit form with
the Dutch text next to the translation, and earlier versions to put back.

A translation goes live at once, so an aanbieder (who may edit its own offers, but whose
changes nobody checks) may not change translations."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from finder import models
from finder.catalogue import editors, translated
from finder.catalogue import translation_edits as edits
from finder.catalogue.translation_text import SERVICE_FIELDS
from finder.extensions import db
from finder.i18n import LANGUAGES, _, _l
from finder.web.redactie.views import bp

TOO_LONG = _l("Dit is te lang. Schrijf hoogstens %(max)d tekens.")
STATE_LABELS = {
    None: _l("ontbreekt"), "machine": _l("machinevertaling"), "human": _l("door een mens vertaald"),
    "reviewed": _l("nagekeken"),
}


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class TranslationForm(FlaskForm):
    base = HiddenField()  # the newest version number when the form was opened
    name = StringField(_l("Naam"), filters=[_strip],
                       validators=[Length(max=edits.MAX_LENGTHS["name"], message=TOO_LONG)])
    summary = TextAreaField(_l("Korte beschrijving"), filters=[_strip], render_kw={"rows": 3},
                            validators=[Length(max=edits.MAX_LENGTHS["summary"], message=TOO_LONG)])
    how_to_get = TextAreaField(_l("Hoe krijg ik dit?"), filters=[_strip],
                               validators=[Length(max=edits.MAX_LENGTHS["how_to_get"], message=TOO_LONG)])
    reviewed = BooleanField(_l("Ik heb deze vertaling nagekeken"))
    reason = StringField(_l("Wat heb je veranderd en waarom?"), filters=[_strip], validators=[
        DataRequired(_l("Schrijf kort wat je veranderd hebt.")), Length(max=500, message=TOO_LONG)])

    def check_texts(self, dutch: dict[str, str], exists: bool) -> bool:
        """Every field that has Dutch text needs a translation: the site shows a translation
        only when it is complete. All fields empty removes an existing translation."""
        texts = {name: self[name].data or "" for name in SERVICE_FIELDS}
        if not any(texts.values()) and exists:
            return True
        ok = True
        for name in SERVICE_FIELDS:
            if not texts[name] and (dutch[name] or name == "name"):
                self[name].errors = [*self[name].errors, _("Een naam is nodig.") if name == "name" else _(
                    "Vertaal ook dit veld. Anders toont de website alles in het Nederlands.")]
                ok = False
        return ok


def _translatable(slug: str, locale: str | None = None) -> models.Service:
    """The service, if this editor may change its translations: 404 for an unknown service or
    language, 403 outside the editor's scope or for an aanbieder."""
    service = edits.service_by_slug(slug)
    if service is None:
        abort(404)
    if not editors.can_edit(current_user, service) or current_user.role == "aanbieder":
        abort(403)
    if locale is not None and locale not in edits.EDITABLE_LOCALES:
        abort(404)
    return service


@bp.get("/aanbod/<slug>/vertalingen")
@login_required
def translations(slug: str):
    service = _translatable(slug)
    return render_template("redactie/translations.html", service=service, states=edits.states(service),
                           languages=LANGUAGES, dutch_names=edits.DUTCH_NAMES, labels=STATE_LABELS)


@bp.route("/aanbod/<slug>/vertalingen/<locale>", methods=["GET", "POST"])
@login_required
def edit_translation(slug: str, locale: str):
    service = _translatable(slug, locale)
    now = edits.state(service, locale)
    dutch = edits.dutch_texts(service)
    latest = edits.latest_number(service, locale)
    # "Nagekeken" starts unchecked: whoever saves says again that they checked the text.
    form = TranslationForm(data=now.texts if request.method == "GET" else None)
    if request.method == "GET":
        form.base.data = str(latest)
    status, conflict = 200, False
    if request.method == "POST":
        valid = form.validate_on_submit()
        valid = form.check_texts(dutch, not now.missing) and valid
        if valid and form.base.data != str(latest):
            # Someone saved since this form was opened: keep this editor's text in the form and
            # show the newer version; saving again is then a conscious choice.
            form.base.data = str(latest)
            conflict, valid = True, False
        if valid:
            edits.save(service, locale, {name: form[name].data for name in SERVICE_FIELDS},
                       reviewed=bool(form.reviewed.data), editor=current_user, reason=form.reason.data)
            db.session.commit()
            translated.forget()  # this process shows the new text at once (others within a minute)
            if not service.published:
                flash(_("Opgeslagen."))
            elif any(form[name].data for name in SERVICE_FIELDS):
                flash(_("Opgeslagen. De vertaling staat nu op de website."))
            else:
                flash(_("De vertaling is weggehaald. De website toont nu de Nederlandse tekst."))
            return redirect(url_for("redactie.edit_translation", slug=slug, locale=locale))
        status = 409 if conflict else 400
    return render_template("redactie/translation_edit.html", service=service, form=form, state=now, dutch=dutch,
                           language=LANGUAGES[locale], dutch_name=edits.DUTCH_NAMES.get(locale, locale),
                           labels=STATE_LABELS, revisions=edits.revisions(service, locale),
                           conflict=conflict), status


@bp.post("/aanbod/<slug>/vertalingen/<locale>/versies/<int:number>/terugzetten")
@login_required
def restore_translation(slug: str, locale: str, number: int):
    service = _translatable(slug, locale)
    revision = next((r for r in edits.revisions(service, locale) if r.number == number), None)
    if revision is None:
        abort(404)
    edits.restore(service, locale, revision, editor=current_user)
    db.session.commit()
    translated.forget()
    flash(_("Versie %(n)d is teruggezet.", n=number))
    return redirect(url_for("redactie.edit_translation", slug=slug, locale=locale))

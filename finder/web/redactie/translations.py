"""Editing the translations of a service's or a theme's texts: an overview per language, an edit
form with the Dutch text next to the translation, and earlier versions to put back.

Both kinds share these views and templates; a `Pages` says where a kind's pages are, who may
use them and where they link to. A translation goes live at once, so an aanbieder (who may edit
its own offers, but whose changes nobody checks) may not change translations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from finder.catalogue import editors, queries, records, translated
from finder.catalogue import translation_edits as edits
from finder.extensions import db
from finder.i18n import LANGUAGES, _, _l
from finder.web.redactie.views import bp

TOO_LONG = _l("Dit is te lang. Schrijf hoogstens %(max)d tekens.")
STATE_LABELS = {
    None: _l("ontbreekt"), "machine": _l("machinevertaling"), "human": _l("door een mens vertaald"),
    "reviewed": _l("nagekeken"),
}
# Every translatable field: its input and its label (a name is one line, the rest are texts).
FIELDS: dict[str, tuple[type, Any, dict[str, Any]]] = {
    "name": (StringField, _l("Naam"), {}),
    "summary": (TextAreaField, _l("Korte beschrijving"), {"rows": 3}),
    "how_to_get": (TextAreaField, _l("Hoe krijg ik dit?"), {}),
    "description": (TextAreaField, _l("Uitleg"), {"rows": 5}),
}


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class TranslationForm(FlaskForm):
    """The fields every translation form has; `form_for` adds the texts of a kind."""

    fields: tuple[str, ...] = ()
    base = HiddenField()  # the newest version number when the form was opened
    reviewed = BooleanField(_l("Ik heb deze vertaling nagekeken"))
    reason = StringField(_l("Wat heb je veranderd en waarom?"), filters=[_strip], validators=[
        DataRequired(_l("Schrijf kort wat je veranderd hebt.")), Length(max=500, message=TOO_LONG)])

    def texts(self) -> dict[str, str]:
        return {name: self[name].data or "" for name in self.fields}

    def check_texts(self, dutch: dict[str, str], exists: bool) -> bool:
        """Every field that has Dutch text needs a translation: the site shows a translation
        only when it is complete. All fields empty removes an existing translation."""
        texts = self.texts()
        if not any(texts.values()) and exists:
            return True
        ok = True
        for name in self.fields:
            if not texts[name] and (dutch[name] or name == "name"):
                self[name].errors = [*self[name].errors, _("Een naam is nodig.") if name == "name" else _(
                    "Vertaal ook dit veld. Anders toont de website alles in het Nederlands.")]
                ok = False
        return ok


def form_for(kind: edits.Kind) -> type[TranslationForm]:
    """The translation form of a kind: one input per field, with the kind's maximum length."""
    inputs = {
        name: FIELDS[name][0](FIELDS[name][1], filters=[_strip], render_kw=FIELDS[name][2] or None,
                              validators=[Length(max=kind.max_lengths[name], message=TOO_LONG)])
        for name in kind.fields
    }
    return type(f"{kind.entity_type.title()}TranslationForm", (TranslationForm,), {"fields": kind.fields, **inputs})


FORMS = {kind.entity_type: form_for(kind) for kind in (edits.SERVICE, edits.THEME)}


@dataclass(frozen=True)
class Pages:
    """Where the translation pages of one kind of record are, and what they link to."""

    kind: edits.Kind
    rule: str  # the record's part of the address, e.g. "/aanbod/<slug>"
    key: str  # the name of the key in `rule`; also the record's attribute that holds it
    endpoints: tuple[str, str, str]  # the overview, the edit form, restoring a version
    find: Callable[[str], Any]  # the record with this key, or None
    may_edit: Callable[[Any, Any], bool]  # (editor, record)
    back: Callable[[Any], str]  # the address of the record's own edit page
    back_label: Any
    overview_label: Any  # the link from the edit form to the overview
    public: Callable[[Any, str], str | None]  # the record's public page in a language (None: not public)
    forget: Callable[[], None]  # drop what this process keeps, so the new text shows at once

    def url(self, page: str, record: Any, **values: Any) -> str:
        """The address of this record's "overview", "edit" (form) or "restore" (a version)."""
        endpoint = self.endpoints[("overview", "edit", "restore").index(page)]
        return url_for(f"redactie.{endpoint}", **{self.key: getattr(record, self.key)}, **values)


SERVICES = Pages(
    edits.SERVICE, "/aanbod/<slug>", "slug", ("translations", "edit_translation", "restore_translation"),
    edits.service_by_slug,
    # an aanbieder may edit its own offers, but its changes are checked; translations are not
    lambda editor, service: editors.can_edit(editor, service) and editor.role != "aanbieder",
    lambda service: url_for("redactie.edit", slug=service.slug), _l("Terug naar het aanbod"),
    _l("Alle vertalingen van dit aanbod"),
    lambda service, lang: url_for("public.service", slug=service.slug, lang=lang) if service.published else None,
    translated.forget,  # (other processes within a minute)
)
THEMES = Pages(
    edits.THEME, "/themas/<code>", "code",
    ("theme_translations", "edit_theme_translation", "restore_theme_translation"),
    partial(records.find, "themas"), records.can_edit,
    lambda term: url_for("redactie.edit_record", kind="themas", key=term.code), _l("Terug naar bewerken"),
    _l("Alle vertalingen van dit thema"),
    lambda term, lang: url_for("public.theme", slug=term.code, lang=lang),
    queries.forget_cached,  # a theme's name is also a search filter's label, kept with the vocabulary
)


def _translatable(pages: Pages, key: str, locale: str | None = None) -> Any:
    """The record, if this editor may change its translations: 404 for an unknown record or
    language, 403 outside the editor's scope or for an aanbieder."""
    record = pages.find(key)
    if record is None:
        abort(404)
    if not pages.may_edit(current_user, record):
        abort(403)
    if locale is not None and locale not in edits.EDITABLE_LOCALES:
        abort(404)
    return record


def overview(pages: Pages, **args: str):
    record = _translatable(pages, args[pages.key])
    return render_template("redactie/translations.html", pages=pages, record=record,
                           title=pages.kind.display_name(record), states=edits.states(record),
                           languages=LANGUAGES, dutch_names=edits.DUTCH_NAMES, labels=STATE_LABELS)


def edit(pages: Pages, locale: str, **args: str):
    record = _translatable(pages, args[pages.key], locale)
    now = edits.state(record, locale)
    dutch = edits.dutch_texts(record)
    latest = edits.latest_number(record, locale)
    # "Nagekeken" starts unchecked: whoever saves says again that they checked the text.
    form = FORMS[pages.kind.entity_type](data=now.texts if request.method == "GET" else None)
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
            edits.save(record, locale, form.texts(), reviewed=bool(form.reviewed.data), editor=current_user,
                       reason=form.reason.data)
            db.session.commit()
            pages.forget()
            if pages.public(record, locale) is None:
                flash(_("Opgeslagen."))
            elif any(form.texts().values()):
                flash(_("Opgeslagen. De vertaling staat nu op de website."))
            else:
                flash(_("De vertaling is weggehaald. De website toont nu de Nederlandse tekst."))
            return redirect(pages.url("edit", record, locale=locale))
        status = 409 if conflict else 400
    return render_template("redactie/translation_edit.html", pages=pages, record=record,
                           title=pages.kind.display_name(record), form=form, state=now, dutch=dutch,
                           language=LANGUAGES[locale], dutch_name=edits.DUTCH_NAMES.get(locale, locale),
                           labels=STATE_LABELS, revisions=edits.revisions(record, locale),
                           conflict=conflict), status


def restore(pages: Pages, locale: str, number: int, **args: str):
    record = _translatable(pages, args[pages.key], locale)
    revision = next((r for r in edits.revisions(record, locale) if r.number == number), None)
    if revision is None:
        abort(404)
    edits.restore(record, locale, revision, editor=current_user)
    db.session.commit()
    pages.forget()
    flash(_("Versie %(n)d is teruggezet.", n=number))
    return redirect(pages.url("edit", record, locale=locale))


def _register(pages: Pages) -> None:
    overview_endpoint, edit_endpoint, restore_endpoint = pages.endpoints
    bp.add_url_rule(f"{pages.rule}/vertalingen", overview_endpoint, login_required(partial(overview, pages)),
                    methods=["GET"])
    bp.add_url_rule(f"{pages.rule}/vertalingen/<locale>", edit_endpoint, login_required(partial(edit, pages)),
                    methods=["GET", "POST"])
    bp.add_url_rule(f"{pages.rule}/vertalingen/<locale>/versies/<int:number>/terugzetten", restore_endpoint,
                    login_required(partial(restore, pages)), methods=["POST"])


_register(SERVICES)
_register(THEMES)

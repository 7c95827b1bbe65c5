"""The audit log page: who did what and when, newest first, 50 per page, with filters.

The filters are a GET form (bookmarkable, no JavaScript needed). Bad input in the address
(a date that is no date, page "-3") gets a message next to its field and status 400."""

from __future__ import annotations

import re
from datetime import date

from flask import current_app, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, ValidationError
from wtforms.widgets import DateInput

from finder.catalogue import audit_log
from finder.i18n import _, _l
from finder.web.redactie.views import bp


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _valid_day(form: FlaskForm, field: StringField) -> None:
    if field.data and _day(field.data) is None:
        raise ValidationError(_("Dit is geen datum. Kies een datum, bijvoorbeeld 2025-03-01."))


class LogbookForm(FlaskForm):
    class Meta:
        csrf = False  # a GET form that only reads: bookmarkable, and no token in the address

    actie = SelectField(_l("Wat is er gebeurd?"), validate_choice=False)  # new kinds of events may come
    wie = StringField(_l("Wie (e-mailadres of een deel ervan)"), filters=[lambda v: v.strip() if v else v],
                      validators=[Length(max=250, message=_l("Dit is te lang. Schrijf hoogstens %(max)d tekens."))])
    van = StringField(_l("Vanaf (datum)"), widget=DateInput(), validators=[_valid_day])
    tot = StringField(_l("Tot en met (datum)"), widget=DateInput(), validators=[_valid_day])
    pagina = StringField(_l("Pagina"))

    def validate_tot(self, field: StringField) -> None:
        since, until = _day(self.van.data), _day(field.data)
        if since and until and until < since:
            raise ValidationError(_("Deze datum ligt voor de datum bij 'Vanaf'."))

    def validate_pagina(self, field: StringField) -> None:
        if field.data and not (re.fullmatch(r"[0-9]{1,6}", field.data) and int(field.data) >= 1):
            raise ValidationError(_("Deze pagina bestaat niet. Pagina's tellen vanaf 1."))

    def to_filter(self) -> audit_log.AuditFilter:
        return audit_log.AuditFilter(action=self.actie.data or None, actor=self.wie.data or None,
                                     since=_day(self.van.data), until=_day(self.tot.data))


@bp.get("/logboek", endpoint="audit_log")  # the function name would hide the module
@login_required
def audit_log_page():
    form = LogbookForm(formdata=request.args)
    form.actie.choices = [("", _("Alles")), *((a, audit_log.action_label(a)) for a in audit_log.actions())]
    if not form.validate():
        return render_template("redactie/logbook.html", form=form, page=None), 400
    page = audit_log.events(current_user, form.to_filter(), int(form.pagina.data or 1),
                            timezone=current_app.config["BABEL_DEFAULT_TIMEZONE"])
    kept = {name: form[name].data for name in ("actie", "wie", "van", "tot") if form[name].data}
    return render_template(
        "redactie/logbook.html", form=form, page=page,
        previous_url=url_for("redactie.audit_log", **kept, pagina=page.page - 1) if page.has_previous else None,
        next_url=url_for("redactie.audit_log", **kept, pagina=page.page + 1) if page.has_next else None,
        first_url=url_for("redactie.audit_log", **kept),
    )


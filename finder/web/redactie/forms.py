"""Editors' forms: validated on the server, messages next to the field (Flask-WTF, CSRF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import URL, DataRequired, Email, Length, Optional

from finder.catalogue.queries import ACCESS_SHORT, COST_LABELS
from finder.i18n import _l


def _choices(labels: dict[str, object]) -> list[SelectChoice]:
    return [SelectChoice("onbekend", str(_l("Niet bekend"))), *(SelectChoice(k, str(v)) for k, v in labels.items())]


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(_l("Vul je e-mailadres in.")), Email(
        _l("Dit is geen geldig e-mailadres."), check_deliverability=False)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(_l("Vul je wachtwoord in."))])


class ServiceForm(FlaskForm):
    version = HiddenField()
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Een naam is nodig.")), Length(max=250)])
    summary = StringField(_l("Korte beschrijving (één zin)"), validators=[
        DataRequired(_l("Een korte beschrijving is nodig.")),
        Length(min=10, max=300, message=_l("Schrijf 10 tot 300 tekens."))])
    description = TextAreaField(_l("Wat is het?"), validators=[Length(max=5000)])
    how_to_get = TextAreaField(_l("Hoe krijg ik dit?"), validators=[Length(max=2000)])
    access = SelectField(_l("Toegang"), choices=lambda: _choices(ACCESS_SHORT))
    cost = SelectField(_l("Kosten"), choices=lambda: _choices(COST_LABELS))
    website = URLField(_l("Website"), validators=[Optional(), URL(message=_l("Dit is geen geldig webadres."))])
    email = EmailField(_l("E-mailadres"), validators=[Optional(), Email(
        _l("Dit is geen geldig e-mailadres."), check_deliverability=False)])
    reason = StringField(_l("Wat heb je veranderd en waarom?"), validators=[
        DataRequired(_l("Schrijf kort wat je veranderd hebt.")), Length(max=500)])

"""Public forms (Flask-WTF: CSRF, server-side checks, messages next to the field)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from finder.i18n import _l


class ErrorReportForm(FlaskForm):
    text = TextAreaField(_l("Wat klopt er niet?"), validators=[
        DataRequired(_l("Schrijf kort wat er niet klopt.")),
        Length(min=5, max=2000, message=_l("Schrijf 5 tot 2000 tekens."))])
    email = EmailField(_l("Je e-mailadres (niet verplicht)"), validators=[
        Optional(), Email(_l("Dit is geen geldig e-mailadres."), check_deliverability=False), Length(max=250)])

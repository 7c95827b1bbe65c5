"""Editors' forms: validated on the server, messages next to the field (Flask-WTF, CSRF).

A service form reads from and gives back the snapshot shape of finder/catalogue/service_edits.py,
so what an editor saves is exactly what a revision stores.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    URLField,
    ValidationError,
    widgets,
)
from wtforms.validators import URL, DataRequired, Email, Length, NumberRange, Optional

from finder import models
from finder.catalogue import queries, service_edits
from finder.catalogue.queries import ACCESS_SHORT, AUDIENCE_LABELS, COST_LABELS, KIND_NAMES, REFERRER_LABELS
from finder.catalogue.records import OTHER_LOCALES
from finder.catalogue.revisions import snapshot
from finder.catalogue.validation import phone_number, postal_code
from finder.i18n import LANGUAGES, _, _l

MARKDOWN_HINT = _l("Je kunt Markdown gebruiken: een witregel voor een nieuwe alinea, een streepje (-) voor een "
                   "lijstje, **vet** en [tekst](https://…) voor een link.")


def _options(labels: dict[str, Any]) -> list[SelectChoice]:
    return [SelectChoice(k, str(v)) for k, v in labels.items()]


def _choices(labels: dict[str, object]) -> list[SelectChoice]:
    return [SelectChoice("onbekend", str(_l("Niet bekend"))), *_options(labels)]


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes in a list (WTForms' documented recipe), so every choice is one click."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(_l("Vul je e-mailadres in.")), Email(
        _l("Dit is geen geldig e-mailadres."), check_deliverability=False)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(_l("Vul je wachtwoord in."))])


def _phone(form: Form, field: StringField) -> None:
    if field.data:
        try:
            field.data = phone_number(field.data)
        except ValueError as error:
            raise ValidationError(_("Dit is geen geldig telefoonnummer. Schrijf het zoals 072 548 88 88 of "
                                    "0800 2000.")) from error


class PhoneEntry(Form):
    number = StringField(_l("Telefoonnummer"), validators=[Optional(), _phone])
    description = StringField(_l("Waarvoor is dit nummer?"), validators=[Length(max=250)])

    def validate_description(self, field: StringField) -> None:
        if field.data and not self.number.data:
            raise ValidationError(_("Vul ook het telefoonnummer in, of maak dit veld leeg."))


class ScheduleEntry(Form):
    description = StringField(_l("Openingstijden"), validators=[Length(max=500)])


class LocationEntry(Form):
    name = StringField(_l("Naam van de plek"), validators=[Length(max=250)])
    address_1 = StringField(_l("Straat en huisnummer"), validators=[Length(max=250)])
    postal_code = StringField(_l("Postcode"), validators=[Length(max=20)])
    city = StringField(_l("Plaats"), validators=[Length(max=120)])

    def validate_postal_code(self, field: StringField) -> None:
        if field.data:
            try:
                field.data = postal_code(field.data)
            except ValueError as error:
                raise ValidationError(_("Schrijf de postcode zoals 1811 KH.")) from error

    # No rule that an address needs a town: some sources give only the street, and an editor must
    # not guess the kern. Such an address gets no pin and stays on the dashboard until completed.


def _phones(entries: FieldList) -> list[dict[str, Any]]:
    """Filled-in phone rows; FormField's own attributes (name, description) shadow the subform's
    fields, hence `.form`."""
    return [{"number": e.form.number.data, "description": (e.form.description.data or "").strip()}
            for e in entries if e.form.number.data]


def _min_entries(entries: int) -> dict[str, Any]:
    return {"min_entries": entries, "max_entries": 20}


class ServiceForm(FlaskForm):
    version = HiddenField()
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Een naam is nodig.")), Length(max=250)])
    summary = StringField(_l("Korte beschrijving (één zin)"), validators=[
        DataRequired(_l("Een korte beschrijving is nodig.")),
        Length(min=10, max=300, message=_l("Schrijf 10 tot 300 tekens."))])
    description = TextAreaField(_l("Wat is het?"), validators=[Length(max=5000)], description=MARKDOWN_HINT)
    how_to_get = TextAreaField(_l("Hoe krijg ik dit?"), validators=[Length(max=2000)])
    kind = SelectField(_l("Soort aanbod"), choices=lambda: _options(KIND_NAMES))
    audience = MultiCheckboxField(_l("Voor wie?"), choices=lambda: _options(AUDIENCE_LABELS))
    minimum_age = IntegerField(_l("Vanaf leeftijd"), validators=[
        Optional(), NumberRange(0, 99, _l("Vul een leeftijd van 0 tot 99 in."))])
    maximum_age = IntegerField(_l("Tot en met leeftijd"), validators=[
        Optional(), NumberRange(0, 99, _l("Vul een leeftijd van 0 tot 99 in."))])
    access = SelectField(_l("Toegang"), choices=lambda: _choices(ACCESS_SHORT))
    referred_by = MultiCheckboxField(_l("Wie kan verwijzen?"),
                                     choices=lambda: _options(REFERRER_LABELS))
    cost = SelectField(_l("Kosten"), choices=lambda: _choices(COST_LABELS))
    cost_detail = StringField(_l("Meer over de kosten"), validators=[Length(max=1000)],
                              description=_l("Bijvoorbeeld de inkomensgrens of het bedrag, zoals de bron het noemt."))
    languages = MultiCheckboxField(_l("In welke talen kun je hier terecht?"),
                                   choices=lambda: _options(queries.LANGUAGE_NAMES))
    website = URLField(_l("Website"), validators=[Optional(), URL(message=_l("Dit is geen geldig webadres."))])
    email = EmailField(_l("E-mailadres"), validators=[Optional(), Email(
        _l("Dit is geen geldig e-mailadres."), check_deliverability=False)])
    phones = FieldList(FormField(PhoneEntry), **_min_entries(1))
    schedules = FieldList(FormField(ScheduleEntry), **_min_entries(1))
    area_scope = RadioField(_l("Waar is dit aanbod?"), choices=lambda: _options({
        "gemeente": _l("In één of meer gemeenten"), "regio": _l("In de hele regio"),
        "wijk": _l("In één of meer wijken"), "landelijk": _l("Heel Nederland"),
        "online": _l("Online of telefonisch, overal")}), default="gemeente")
    area_gemeenten = MultiCheckboxField(_l("Gemeenten"), choices=lambda: _options(queries.vocabulary().gemeenten))
    area_regions = MultiCheckboxField(_l("Regio's"), choices=lambda: _options(queries.REGION_NAMES))
    area_wijken = SelectMultipleField(_l("Wijken"), choices=lambda: [
        SelectChoice(w.code, w.name, optgroup=g.name) for g in queries.vocabulary().places for w in g.wijken])
    area_note = StringField(_l("Toelichting bij het werkgebied (bijvoorbeeld de kernen)"),
                            validators=[Length(max=500)])
    themes = MultiCheckboxField(_l("Thema's"), choices=lambda: _options(queries.vocabulary().themes))
    locations = FieldList(FormField(LocationEntry), **_min_entries(1))
    reason = StringField(_l("Wat heb je veranderd en waarom?"), validators=[
        DataRequired(_l("Schrijf kort wat je veranderd hebt.")), Length(max=500)])

    def validate_maximum_age(self, field: IntegerField) -> None:
        if field.data is not None and self.minimum_age.data is not None and field.data < self.minimum_age.data:
            raise ValidationError(_("De leeftijd 'tot en met' is lager dan 'vanaf'."))

    def validate_area_scope(self, field: RadioField) -> None:
        needs = {"gemeente": self.area_gemeenten, "regio": self.area_regions, "wijk": self.area_wijken}
        if field.data in needs and not needs[field.data].data:
            raise ValidationError(_("Kies ten minste één %(what)s.", what=str(needs[field.data].label.text).lower()))

    @classmethod
    def data_of(cls, service: models.Service) -> dict[str, Any]:
        """What the form shows for a service (a snapshot's editable part, in form fields)."""
        return cls.data_from(snapshot(service))

    @staticmethod
    def data_from(state: dict[str, Any]) -> dict[str, Any]:
        data = {name: state.get(name) for name in service_edits.SCALARS}
        for name in ("description", "how_to_get", "website", "email"):
            data[name] = data[name] or ""
        codes = {term_id: code for code, term_id in service_edits.theme_ids_by_code().items()}
        areas = state.get("service_areas") or []
        scope = areas[0]["scope"] if areas else "gemeente"
        data.update(
            phones=[*state.get("phones", []), {}], schedules=[*state.get("schedules", []), {}],
            locations=[*state.get("locations", []), {}],
            themes=[codes[t] for t in state.get("themes", []) if t in codes],
            area_scope=scope,
            area_gemeenten=[a["gemeente"] for a in areas if a["scope"] == "gemeente"],
            area_regions=sorted({r for a in areas if a["scope"] == "regio"
                                 for r in (a["region"] or "").split(",") if r}),
            area_wijken=[a["wijk"] for a in areas if a["scope"] == "wijk"],
            area_note=next((a["description"] for a in areas if a.get("description")), ""),
            languages=list(state.get("languages", [])),
            cost_detail="\n".join(c["amount_description"] for c in state.get("cost_options", [])),
        )
        return data

    def state(self) -> dict[str, Any]:
        """The editor's version of the service, in the snapshot shape (empty rows left out)."""
        state: dict[str, Any] = {name: getattr(self, name).data for name in service_edits.SCALARS}
        for name in ("name", "summary", "description", "how_to_get", "website", "email"):
            state[name] = (state[name] or "").strip()
        state["phones"] = _phones(self.phones)
        state["schedules"] = [{"description": e.form.description.data.strip()}
                              for e in self.schedules if (e.form.description.data or "").strip()]
        state["locations"] = [
            {"name": (e.form.name.data or "").strip(), "address_1": (e.form.address_1.data or "").strip(),
             "postal_code": e.form.postal_code.data or "", "city": (e.form.city.data or "").strip()}
            for e in self.locations
            if any((getattr(e.form, name).data or "").strip() for name in ("name", "address_1", "postal_code", "city"))
        ]
        ids = service_edits.theme_ids_by_code()
        state["themes"] = [ids[code] for code in self.themes.data or [] if code in ids]
        state["service_areas"] = self._areas()
        state["languages"] = list(self.languages.data)
        detail = (self.cost_detail.data or "").strip()
        state["cost_options"] = [{"option": self.cost.data, "amount_description": detail}] if detail else []
        return state

    def _areas(self) -> list[dict[str, Any]]:
        scope, note = self.area_scope.data, (self.area_note.data or "").strip()
        area = {"scope": scope, "gemeente": None, "wijk": None, "region": None, "description": note}
        if scope == "gemeente":
            return [{**area, "gemeente": g} for g in self.area_gemeenten.data]
        if scope == "regio":
            regions = ",".join(self.area_regions.data)
            return [{**area, "gemeente": g, "region": regions}
                    for g in queries.gemeenten_of_regions(self.area_regions.data)]
        if scope == "wijk":
            gemeente_of = queries.vocabulary().wijken
            return [{**area, "wijk": w, "gemeente": gemeente_of.get(w)} for w in self.area_wijken.data]
        return [area]


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class RecordForm(FlaskForm):
    """The fields every record form shares: its version (optimistic locking) and the why."""

    version = HiddenField()
    reason = StringField(_l("Wat heb je veranderd en waarom?"), validators=[
        DataRequired(_l("Schrijf kort wat je veranderd hebt.")), Length(max=500)])


class OrganizationForm(RecordForm):
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Een naam is nodig.")), Length(max=250)])
    description = TextAreaField(_l("Over de organisatie"), validators=[Length(max=5000)], description=MARKDOWN_HINT)
    website = URLField(_l("Website"), validators=[Optional(), URL(message=_l("Dit is geen geldig webadres."))])
    email = EmailField(_l("E-mailadres"), validators=[Optional(), Email(
        _l("Dit is geen geldig e-mailadres."), check_deliverability=False)])
    phones = FieldList(FormField(PhoneEntry), **_min_entries(1))

    @staticmethod
    def data_from(state: dict[str, Any]) -> dict[str, Any]:
        return {**state, "website": state.get("website") or "", "email": state.get("email") or "",
                "phones": [*state.get("phones", []), {}]}

    def state(self) -> dict[str, Any]:
        return {
            "name": self.name.data.strip(), "description": (self.description.data or "").strip(),
            "website": (self.website.data or "").strip(), "email": (self.email.data or "").strip(),
            "phones": _phones(self.phones),
        }


class ThemeForm(RecordForm):
    name = StringField(_l("Naam van het thema"), validators=[DataRequired(_l("Een naam is nodig.")),
                                                             Length(max=250)])
    question = StringField(_l("De vraag van een bezoeker"), validators=[Length(max=250)])
    description = TextAreaField(_l("Uitleg"), validators=[Length(max=2000)])
    terms = TextAreaField(_l("Zoektermen"), validators=[Length(max=4000)],
                          description=_l("Eén per regel. Aanbod met deze woorden hoort bij het thema."))
    synonyms = TextAreaField(_l("Woorden van bezoekers"), validators=[Length(max=20000)],
                             description=_l("Eén per regel. Wie zo zoekt, vindt dit thema."))

    @staticmethod
    def data_from(state: dict[str, Any]) -> dict[str, Any]:
        data = {**state, "terms": "\n".join(state.get("terms", [])), "synonyms": "\n".join(state.get("synonyms", []))}
        for locale, words in state.get("other_synonyms", {}).items():
            data[_synonym_field(locale)] = "\n".join(words)
        return data

    def state(self) -> dict[str, Any]:
        return {"name": self.name.data.strip(), "question": (self.question.data or "").strip(),
                "description": (self.description.data or "").strip(), "terms": _lines(self.terms.data),
                "synonyms": _lines(self.synonyms.data),
                "other_synonyms": {locale: words for locale in OTHER_LOCALES
                                   if (words := _lines(self[_synonym_field(locale)].data))}}

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for name in ("synonyms", *(_synonym_field(locale) for locale in OTHER_LOCALES)):
            too_long = [line for line in _lines(self[name].data) if len(line) > 200]
            if too_long:
                self[name].errors = [*self[name].errors, _("Deze regel is te lang (meer dan 200 tekens): %(l)s",
                                                           l=too_long[0][:60])]
                valid = False
        return valid


def _synonym_field(locale: str) -> str:
    return f"synonyms_{LANGUAGES[locale].babel}"


for _locale in OTHER_LOCALES:  # one box per language, written in that language's direction
    setattr(ThemeForm, _synonym_field(_locale), TextAreaField(
        _l("Woorden van bezoekers: %(taal)s", taal=LANGUAGES[_locale].name), validators=[Length(max=20000)],
        render_kw={"lang": _locale, "dir": LANGUAGES[_locale].dir, "rows": 4}))


class MenuEntry(Form):
    service = SelectField(_l("Aanbod"), choices=lambda: [
        SelectChoice("", str(_l("(geen)"))), *_options(queries.service_choices())])


class MenukaartForm(RecordForm):
    name = StringField(_l("Naam"), validators=[DataRequired(_l("Een naam is nodig.")), Length(max=250)])
    age_band = StringField(_l("Leeftijd"), validators=[Length(max=60)])
    intro = TextAreaField(_l("Inleiding"), validators=[Length(max=5000)], description=MARKDOWN_HINT)
    gemeenten = MultiCheckboxField(_l("Gemeenten"), choices=lambda: _options(queries.vocabulary().gemeenten))
    services = FieldList(FormField(MenuEntry), min_entries=1, max_entries=60)

    @staticmethod
    def data_from(state: dict[str, Any]) -> dict[str, Any]:
        return {**state, "services": [*({"service": sid} for sid in state.get("services", [])), {"service": ""}]}

    def state(self) -> dict[str, Any]:
        return {"name": self.name.data.strip(), "age_band": (self.age_band.data or "").strip(),
                "intro": (self.intro.data or "").strip(), "gemeenten": list(self.gemeenten.data),
                "services": [e.form.service.data for e in self.services if e.form.service.data]}

"""The shape of the YAML files in content/ (see content/README.md), checked with pydantic.

Unknown keys are errors (extra="forbid"), so a typo never silently drops a fact.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, StringConstraints, field_validator, model_validator

from finder import models

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True)]
NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Url = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]
Locale = Literal["nl", "en", "ar", "tr", "pl", "uk", "ti", "fa-AF", "so"]  # finder.i18n.LANGUAGES
Fingerprint = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{16}$")]

Kind = Literal[models.KINDS]  # type: ignore[valid-type]
Audience = Literal[models.AUDIENCES]  # type: ignore[valid-type]
Access = Literal[models.ACCESS]  # type: ignore[valid-type]
Referrer = Literal[models.REFERRERS]  # type: ignore[valid-type]
Cost = Literal[models.COSTS]  # type: ignore[valid-type]
Scope = Literal[models.SCOPES]  # type: ignore[valid-type]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """A public page, or (no url) a policy document named by its title."""

    url: Url | None = None
    title: Text = ""
    date: Text | None = None

    @model_validator(mode="after")
    def named(self) -> Source:
        if not self.url and not self.title:
            raise ValueError("een bron heeft een url of een titel nodig")
        return self

    @field_validator("date", mode="before")
    @classmethod
    def date_as_text(cls, value: object) -> object:
        return str(value) if value is not None else None


class Fact(Strict):
    value: NonEmpty
    source: Url


class WebsiteFact(Fact):
    @field_validator("value")
    @classmethod
    def absolute(cls, value: str) -> str:
        HttpUrl(value)  # raises on a malformed address
        return value


class EmailFact(Fact):
    @field_validator("value")
    @classmethod
    def email_shape(cls, value: str) -> str:
        if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", value, re.IGNORECASE):
            raise ValueError("geen geldig e-mailadres")
        return value


class PhoneFact(Strict):
    value: NonEmpty
    label: Text = ""
    source: Url

    @field_validator("value")
    @classmethod
    def phone_shape(cls, value: str) -> str:
        digits = re.sub(r"\D", "", value)
        if not 3 <= len(digits) <= 15:
            raise ValueError("geen geldig telefoonnummer")
        return value


class LabelledFact(Strict):
    label: NonEmpty
    value: NonEmpty
    source: Url


class ScheduleFact(Strict):
    description: NonEmpty
    source: Url


class LocationIn(Strict):
    name: Text = ""
    address: Text = ""
    postcode: Text = ""
    city: Text = ""
    source: Url
    # Coordinates of the address, only from a geocoder (never estimated): with `geocoded_by`.
    latitude: float | None = None
    longitude: float | None = None
    geocoded_by: Text = ""

    @model_validator(mode="after")
    def something_known(self) -> LocationIn:
        if not (self.name or self.address):
            raise ValueError("een locatie heeft een naam of een adres nodig")
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("latitude en longitude horen bij elkaar: vul beide in of geen van beide")
        if self.latitude is not None:
            if not self.address or not self.geocoded_by:
                raise ValueError("coördinaten horen bij een adres, met geocoded_by (waar ze vandaan komen)")
            if not (50.7 <= self.latitude <= 53.7 and 3.2 <= (self.longitude or 0) <= 7.3):
                raise ValueError("deze coördinaten liggen niet in Nederland")
        return self


class AreaIn(Strict):
    scope: Scope
    gemeenten: list[Slug] = []
    regions: list[Slug] = []
    wijken: list[Annotated[str, StringConstraints(pattern=r"^WK\d{6}$")]] = []
    kernen: list[NonEmpty] = []
    note: Text = ""

    @model_validator(mode="after")
    def consistent(self) -> AreaIn:
        if self.scope == "gemeente" and not self.gemeenten:
            raise ValueError("scope gemeente heeft gemeenten nodig")
        if self.scope == "regio" and not (self.gemeenten or self.regions):
            raise ValueError("scope regio heeft gemeenten of regions nodig")
        if self.scope == "wijk" and not self.wijken:
            raise ValueError("scope wijk heeft wijken nodig")
        return self


class OrganizationIn(Strict):
    slug: Slug
    name: NonEmpty
    description: Text = ""
    website: WebsiteFact | None = None
    email: EmailFact | None = None
    phone: PhoneFact | None = None
    sources: list[Source] = Field(min_length=1)


class ServiceIn(Strict):
    slug: Slug
    name: NonEmpty
    organization: Slug
    kind: Kind
    themes: list[Slug] = Field(min_length=1, max_length=5)
    audience: list[Audience] = Field(min_length=1)
    minimum_age: Annotated[int, Field(ge=-1, le=120)] | None = None
    maximum_age: Annotated[int, Field(ge=0, le=120)] | None = None
    summary: Annotated[str, StringConstraints(strip_whitespace=True, min_length=10, max_length=300)]
    description: NonEmpty
    how_to_get: NonEmpty
    access: Access = "onbekend"
    referred_by: list[Referrer] = []
    cost: Cost = "onbekend"
    cost_detail: Fact | None = None
    area: AreaIn
    languages: list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Z]{2})?$")]] = ["nl"]
    website: WebsiteFact | None = None
    email: EmailFact | None = None
    phones: list[PhoneFact] = []
    locations: list[LocationIn] = []
    schedules: list[ScheduleFact] = []
    facts: list[LabelledFact] = []
    sources: list[Source] = Field(min_length=1)
    source_date: Text | None = None
    evidence: Literal["bron", "beleidsdocument"] = "bron"
    review: Literal["bevestigd", "te controleren"]
    review_note: Text = ""
    status: Literal["gepubliceerd", "concept", "gearchiveerd"] = "gepubliceerd"

    @field_validator("source_date", mode="before")
    @classmethod
    def date_as_text(cls, value: object) -> object:
        return str(value) if value is not None else None

    @model_validator(mode="after")
    def consistent(self) -> ServiceIn:
        if self.minimum_age is not None and self.maximum_age is not None and self.minimum_age > self.maximum_age:
            raise ValueError("minimum_age is groter dan maximum_age")
        if self.evidence == "beleidsdocument" and self.review != "te controleren":
            raise ValueError("aanbod uit een beleidsdocument moet 'te controleren' zijn")
        if self.evidence == "bron" and not any(src.url for src in self.sources):
            raise ValueError("aanbod met evidence 'bron' heeft een bron met url nodig")
        return self


class MenukaartIn(Strict):
    slug: Slug
    name: NonEmpty
    organization: Slug
    gemeenten: list[Slug] = Field(min_length=1)
    age_band: Text = ""
    intro: Text = ""
    services: list[Slug] = Field(min_length=1)


class ServicesFile(Strict):
    organizations: list[OrganizationIn] = []
    services: list[ServiceIn] = []
    menukaarten: list[MenukaartIn] = []


class NamedSlug(Strict):
    slug: Slug
    name: NonEmpty


class GemeenteIn(NamedSlug):
    cbs_code: Annotated[str, StringConstraints(pattern=r"^GM\d{4}$")]
    region: Slug


class ThemeIn(NamedSlug):
    question: Text = ""
    description: Text = ""
    related: list[Slug] = []
    terms: list[NonEmpty] = []


class TaxonomyFile(Strict):
    kinds: list[NamedSlug]
    audiences: list[NamedSlug]
    regions: list[NamedSlug]
    gemeenten: list[GemeenteIn]
    themes: list[ThemeIn] = Field(min_length=1)


class SynonymIn(Strict):
    phrase: NonEmpty
    themes: list[Slug] = []
    terms: list[NonEmpty] = []
    locale: Locale = "nl"

    @model_validator(mode="after")
    def maps_somewhere(self) -> SynonymIn:
        if not (self.themes or self.terms):
            raise ValueError("een synoniem heeft themes of terms nodig")
        return self


class SynonymsFile(Strict):
    synonyms: list[SynonymIn]


class ServiceTranslationIn(Strict):
    source: Fingerprint  # of the Dutch name, summary and how_to_get it translates
    name: Text = ""
    summary: Text = ""
    how_to_get: Text = ""


class ThemeTranslationIn(Strict):
    source: Fingerprint  # of the Dutch name and description
    name: Text = ""
    description: Text = ""


class TranslationFile(Strict):
    """content/translations/<locale>.yaml: empty fields are not translated yet."""

    locale: Locale
    status: Literal["machine", "human", "reviewed"]
    themes: dict[Slug, ThemeTranslationIn] = {}
    services: dict[Slug, ServiceTranslationIn] = {}

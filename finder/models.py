"""The data model: Open Referral HSDS 3.0 entities plus what our users need.

HSDS names are kept where they fit (Organization, Service, Location, ServiceAtLocation, Phone,
Schedule, ServiceArea, Language, CostOption, Taxonomy, TaxonomyTerm, Attribute, Contact,
Accessibility). Ids are UUID strings, as in HSDS; records loaded from content/ get a uuid5 of
their slug, so their ids are stable across machines and reloads.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from finder.extensions import db

NAMESPACE = uuid.UUID("6f1d3c1e-9a53-4d3e-8d0b-5b7a0e0c2f10")

KINDS = ("cjg-menukaart", "jongerenwerk", "maatjesproject", "scheidingsplein", "armoedevoorziening", "overig")
AUDIENCES = ("ouders", "jongeren", "kinderen", "professionals")
ACCESS = ("vrij toegankelijk", "aanmelden", "verwijzing nodig", "onbekend")
REFERRERS = ("huisarts", "cjg", "wijkteam", "school", "jeugdarts", "gemeente", "intermediair")
COSTS = ("gratis", "eigen bijdrage", "inkomensgrens", "onbekend")
SCOPES = ("wijk", "gemeente", "regio", "landelijk", "online")
STATUSES = ("concept", "ter beoordeling", "gepubliceerd", "gearchiveerd")
PRECISIONS = ("adres", "wijk", "gemeente")
TRANSLATION_STATUSES = ("machine", "human", "reviewed")


def stable_id(kind: str, slug: str) -> str:
    """The id of a content record: the same on every machine for the same slug."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{slug}"))


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> str:
    return str(uuid.uuid4())


class Gemeente(db.Model):
    __tablename__ = "gemeente"
    slug: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    cbs_code: Mapped[str] = mapped_column(String(10), unique=True)
    region: Mapped[str] = mapped_column(String(60), index=True)
    wijken: Mapped[list[Wijk]] = relationship(back_populates="gemeente", order_by="Wijk.name")


class Wijk(db.Model):
    __tablename__ = "wijk"
    code: Mapped[str] = mapped_column(String(12), primary_key=True)  # CBS code, e.g. WK036103
    name: Mapped[str] = mapped_column(String(120))
    gemeente_slug: Mapped[str] = mapped_column(ForeignKey("gemeente.slug"), index=True)
    latitude: Mapped[float] = mapped_column()
    longitude: Mapped[float] = mapped_column()
    gemeente: Mapped[Gemeente] = relationship(back_populates="wijken")


class Organization(db.Model):
    __tablename__ = "organization"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(250))
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str | None] = mapped_column(String(500))
    website_source: Mapped[str | None] = mapped_column(String(1000))
    email: Mapped[str | None] = mapped_column(String(250))
    email_source: Mapped[str | None] = mapped_column(String(1000))
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    last_modified: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    services: Mapped[list[Service]] = relationship(back_populates="organization")
    # Organisation-level numbers only: service phones never set organization_id.
    phones: Mapped[list[Phone]] = relationship(
        foreign_keys="Phone.organization_id", cascade="all, delete-orphan", order_by="Phone.position"
    )


class Service(db.Model):
    __tablename__ = "service"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(250))
    summary: Mapped[str] = mapped_column(String(500), default="")  # one sentence
    description: Mapped[str] = mapped_column(Text, default="")
    how_to_get: Mapped[str] = mapped_column(Text, default="")  # HSDS application_process
    kind: Mapped[str] = mapped_column(String(40), index=True)
    audience: Mapped[list[str]] = mapped_column(JSON, default=list)
    minimum_age: Mapped[int | None] = mapped_column(Integer)
    maximum_age: Mapped[int | None] = mapped_column(Integer)
    access: Mapped[str] = mapped_column(String(40), default="onbekend")
    referred_by: Mapped[list[str]] = mapped_column(JSON, default=list)
    cost: Mapped[str] = mapped_column(String(40), default="onbekend")
    website: Mapped[str | None] = mapped_column(String(500))
    website_source: Mapped[str | None] = mapped_column(String(1000))
    email: Mapped[str | None] = mapped_column(String(250))
    email_source: Mapped[str | None] = mapped_column(String(1000))
    facts: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    source_date: Mapped[str | None] = mapped_column(String(40))
    evidence: Mapped[str] = mapped_column(String(40), default="bron")
    needs_review: Mapped[bool] = mapped_column(Boolean, default=True)  # "te controleren"
    review_note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(40), default="concept", index=True)
    assured_date: Mapped[date | None] = mapped_column(Date)  # laatst gecontroleerd
    last_modified: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer, default=1)

    organization: Mapped[Organization] = relationship(back_populates="services")
    phones: Mapped[list[Phone]] = relationship(cascade="all, delete-orphan", order_by="Phone.position")
    schedules: Mapped[list[Schedule]] = relationship(cascade="all, delete-orphan", order_by="Schedule.position")
    service_areas: Mapped[list[ServiceArea]] = relationship(cascade="all, delete-orphan")
    languages: Mapped[list[Language]] = relationship(cascade="all, delete-orphan")
    cost_options: Mapped[list[CostOption]] = relationship(cascade="all, delete-orphan")
    contacts: Mapped[list[Contact]] = relationship(cascade="all, delete-orphan")
    attributes: Mapped[list[Attribute]] = relationship(
        primaryjoin="and_(Attribute.link_id == Service.id, Attribute.link_entity == 'service')",
        foreign_keys="Attribute.link_id",
        cascade="all, delete-orphan",
    )
    service_at_locations: Mapped[list[ServiceAtLocation]] = relationship(
        cascade="all, delete-orphan", back_populates="service"
    )

    @property
    def published(self) -> bool:
        return self.status == "gepubliceerd"

    @property
    def theme_terms(self) -> list[TaxonomyTerm]:
        return [a.taxonomy_term for a in self.attributes if a.taxonomy_term.taxonomy_id == THEMES_TAXONOMY]

    @property
    def locations(self) -> list[Location]:
        return [sal.location for sal in self.service_at_locations]


class Location(db.Model):
    __tablename__ = "location"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(250), default="")
    address_1: Mapped[str] = mapped_column(String(250), default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    country: Mapped[str] = mapped_column(String(2), default="NL")
    latitude: Mapped[float | None] = mapped_column()
    longitude: Mapped[float | None] = mapped_column()
    precision: Mapped[str | None] = mapped_column(String(20))  # adres | wijk | gemeente
    wijk_code: Mapped[str | None] = mapped_column(String(12))
    source: Mapped[str | None] = mapped_column(String(1000))
    # Geocoding of the address (only when it is saved, never in a page view): None = not tried,
    # gevonden | niet-gevonden | meerduidig | fout. Anything but "gevonden" is on the editors' list.
    geocode_status: Mapped[str | None] = mapped_column(String(20), index=True)
    geocode_source: Mapped[str | None] = mapped_column(String(60))
    geocode_note: Mapped[str] = mapped_column(Text, default="")
    geocoded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    accessibility: Mapped[list[Accessibility]] = relationship(cascade="all, delete-orphan")


class ServiceAtLocation(db.Model):
    __tablename__ = "service_at_location"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("location.id"), index=True)
    service: Mapped[Service] = relationship(back_populates="service_at_locations")
    location: Mapped[Location] = relationship(cascade="all, delete-orphan", single_parent=True)


class Phone(db.Model):
    __tablename__ = "phone"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str | None] = mapped_column(ForeignKey("service.id"), index=True)
    organization_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"), index=True)
    number: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(String(250), default="")
    source: Mapped[str | None] = mapped_column(String(1000))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Schedule(db.Model):
    __tablename__ = "schedule"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    description: Mapped[str] = mapped_column(Text)  # literal from the source
    source: Mapped[str | None] = mapped_column(String(1000))
    position: Mapped[int] = mapped_column(Integer, default=0)


class ServiceArea(db.Model):
    __tablename__ = "service_area"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    scope: Mapped[str] = mapped_column(String(20))  # wijk | gemeente | regio | landelijk | online
    gemeente_slug: Mapped[str | None] = mapped_column(ForeignKey("gemeente.slug"), index=True)
    wijk_code: Mapped[str | None] = mapped_column(ForeignKey("wijk.code"))
    region: Mapped[str | None] = mapped_column(String(60))
    name: Mapped[str] = mapped_column(String(250), default="")
    description: Mapped[str] = mapped_column(Text, default="")  # note, kernen


class Language(db.Model):
    __tablename__ = "language"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    code: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(60), default="")
    note: Mapped[str] = mapped_column(String(250), default="")


class CostOption(db.Model):
    __tablename__ = "cost_option"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    option: Mapped[str] = mapped_column(String(250), default="")
    amount: Mapped[float | None] = mapped_column()
    currency: Mapped[str | None] = mapped_column(String(3))
    amount_description: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str | None] = mapped_column(String(1000))


class Contact(db.Model):
    """A named contact person (HSDS). The seed has none: personal details are left out on purpose."""

    __tablename__ = "contact"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    service_id: Mapped[str | None] = mapped_column(ForeignKey("service.id"), index=True)
    name: Mapped[str] = mapped_column(String(250), default="")
    title: Mapped[str] = mapped_column(String(250), default="")
    email: Mapped[str | None] = mapped_column(String(250))


class Accessibility(db.Model):
    __tablename__ = "accessibility"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    location_id: Mapped[str] = mapped_column(ForeignKey("location.id"), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(500))


THEMES_TAXONOMY = stable_id("taxonomy", "vragen")
KINDS_TAXONOMY = stable_id("taxonomy", "soorten")


class Taxonomy(db.Model):
    __tablename__ = "taxonomy"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    uri: Mapped[str | None] = mapped_column(String(500))
    version: Mapped[str | None] = mapped_column(String(40))


class TaxonomyTerm(db.Model):
    __tablename__ = "taxonomy_term"
    __table_args__ = (UniqueConstraint("taxonomy_id", "code"),)
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    taxonomy_id: Mapped[str] = mapped_column(ForeignKey("taxonomy.id"), index=True)
    code: Mapped[str] = mapped_column(String(120))  # our slug
    name: Mapped[str] = mapped_column(String(250))
    description: Mapped[str] = mapped_column(Text, default="")
    question: Mapped[str] = mapped_column(String(250), default="")
    terms: Mapped[list[str]] = mapped_column(JSON, default=list)
    related: Mapped[list[str]] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("taxonomy_term.id"))
    taxonomy: Mapped[Taxonomy] = relationship()


class Attribute(db.Model):
    """Links a taxonomy term to an entity, as HSDS does (here: themes of services)."""

    __tablename__ = "attribute"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    link_id: Mapped[str] = mapped_column(String(36), index=True)
    link_type: Mapped[str] = mapped_column(String(60), default="theme")
    link_entity: Mapped[str] = mapped_column(String(40), default="service")
    taxonomy_term_id: Mapped[str] = mapped_column(ForeignKey("taxonomy_term.id"), index=True)
    value: Mapped[str | None] = mapped_column(String(250))
    taxonomy_term: Mapped[TaxonomyTerm] = relationship(lazy="joined")


class Synonym(db.Model):
    """An everyday word or phrase, mapped to themes and search terms."""

    __tablename__ = "synonym"
    __table_args__ = (UniqueConstraint("locale", "phrase"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    locale: Mapped[str] = mapped_column(String(10), default="nl")
    phrase: Mapped[str] = mapped_column(String(200))
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    terms: Mapped[list[str]] = mapped_column(JSON, default=list)


class Translation(db.Model):
    __tablename__ = "translation"
    __table_args__ = (UniqueConstraint("entity_type", "entity_id", "field", "locale"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    field: Mapped[str] = mapped_column(String(60))
    locale: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="machine")
    source_hash: Mapped[str] = mapped_column(String(64))  # hash of the Dutch text it was made from
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Revision(db.Model):
    """A full snapshot per save: nothing an editor or a content load does is lost."""

    __tablename__ = "revision"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(36), index=True)
    number: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # None: a saved state of the service. "ter beoordeling": a proposed change of a published
    # service that waits for a second editor (four eyes) while the live version stays; then
    # "gepubliceerd" or "afgewezen". base_version: the service version it was made from.
    state: Mapped[str | None] = mapped_column(String(20), index=True)
    base_version: Mapped[int | None] = mapped_column(Integer)
    reviewed_by: Mapped[str | None] = mapped_column(String(250))


class ChangeLog(db.Model):
    """Every committed change to what the index shows, in order: nodes catch up from `seq`."""

    __tablename__ = "change_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Menukaart(db.Model):
    __tablename__ = "menukaart"
    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(250))
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"))
    age_band: Mapped[str] = mapped_column(String(60), default="")
    intro: Mapped[str] = mapped_column(Text, default="")
    gemeenten: Mapped[list[str]] = mapped_column(JSON, default=list)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    organization: Mapped[Organization] = relationship()
    items: Mapped[list[MenukaartItem]] = relationship(
        cascade="all, delete-orphan", order_by="MenukaartItem.position"
    )


class MenukaartItem(db.Model):
    __tablename__ = "menukaart_item"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    menukaart_id: Mapped[str] = mapped_column(ForeignKey("menukaart.id"), index=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"))
    position: Mapped[int] = mapped_column(Integer)
    service: Mapped[Service] = relationship()


class SearchStat(db.Model):
    """Searches counted per day: text and count only (no IP, no user id)."""

    __tablename__ = "search_stat"
    __table_args__ = (UniqueConstraint("day", "text"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(String(100))
    searches: Mapped[int] = mapped_column(Integer, default=0)
    zero_results: Mapped[int] = mapped_column(Integer, default=0)


ROLES = ("beheerder", "redacteur", "aanbieder")


class Editor(db.Model):
    """An editor account. Scope: a redacteur edits the services of its gemeenten and/or
    organisations; an aanbieder only its own organisations'; a beheerder everything."""

    __tablename__ = "editor"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(250), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    gemeenten: Mapped[list[str]] = mapped_column(JSON, default=list)
    organizations: Mapped[list[str]] = mapped_column(JSON, default=list)  # organisation slugs
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    # Flask-Login
    @property
    def is_active(self) -> bool:
        return self.active

    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)


class AuditEvent(db.Model):
    """Who did what and when: logins (also failed ones), saves, publishes, archives, restores."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(250), default="")
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str | None] = mapped_column(String(40))
    entity_id: Mapped[str | None] = mapped_column(String(36), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")


class ErrorReport(db.Model):
    """"Meld een fout": a visitor's report on a service, in the editors' queue. The e-mail
    address is optional and only for a reply."""

    __tablename__ = "error_report"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    service_id: Mapped[str] = mapped_column(ForeignKey("service.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(String(250))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    handled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    handled_by: Mapped[str | None] = mapped_column(String(250))
    service: Mapped[Service] = relationship()

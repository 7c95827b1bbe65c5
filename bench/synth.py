"""Synthetic services for the benchmark, made from the real catalogue's own Dutch text.

After the real content/ is loaded, every synthetic service takes a real service as its
template (its kind, themes and ages are kept most of the time, so words and themes stay
correlated as in real data) and recombines names, summary sentences and description sentences
of other real services. All records are marked: slugs start with "bench-". Deterministic for a
given random.Random seed and the same content/.

Rows are written with SQLAlchemy's ORM bulk INSERT (lists of dicts per table) in batches,
with the search sync switched off: no revisions, no change log, no per-object flush events.
"""

from __future__ import annotations

import random
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import selectinload

from finder import models
from finder.extensions import db

PREFIX = "bench-"
BATCH = 1000
STAMP = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")

EXTRA_LANGUAGES = ("en", "ar", "tr", "pl", "uk", "ti", "fa", "so", "de")
AGE_BANDS = ((None, None), (0, 4), (0, 12), (4, 12), (12, 18), (12, 23), (16, 27), (0, 18), (18, None), (None, 23))
CITY_BY_GEMEENTE = {  # a plausible place name for a location in each gemeente
    "dijk-en-waard": "Heerhugowaard", "bergen-nh": "Bergen",
}


@dataclass
class Pools:
    templates: list[dict[str, Any]]
    name_words: list[list[str]]
    summaries: list[str]
    sentences: list[str]
    how_to_get: list[str]
    org_names: list[list[str]]
    org_sentences: list[str]
    real_org_ids: list[str]
    themes: list[str]
    gemeenten: dict[str, tuple[str, str]]  # slug -> (name, region)
    regions: dict[str, list[str]]
    wijken: list[tuple[str, str]]  # (code, gemeente slug)
    schedules: list[str]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(" ".join(text.split())) if len(s.strip()) > 15]


def collect_pools() -> Pools:
    """Words and sentences of the real, loaded catalogue."""
    services = db.session.scalars(
        select(models.Service)
        .where(~models.Service.slug.startswith(PREFIX))
        .options(selectinload(models.Service.attributes), selectinload(models.Service.schedules))
    ).all()
    if not services:
        raise RuntimeError("no real services loaded: cannot build synthetic text from them")
    templates, sentences, summaries, how, names, schedules = [], [], [], [], [], []
    for s in services:
        themes = [a.taxonomy_term.code for a in s.attributes if a.taxonomy_term.taxonomy_id == models.THEMES_TAXONOMY]
        templates.append({
            "kind": s.kind, "themes": themes, "audience": list(s.audience), "ages": (s.minimum_age, s.maximum_age),
            "access": s.access, "cost": s.cost, "referred_by": list(s.referred_by),
        })
        names.append(s.name.split())
        summaries.append(s.summary)
        sentences += _sentences(s.description)
        how.append(s.how_to_get)
        schedules += [x.description for x in s.schedules]
    orgs = db.session.scalars(select(models.Organization).where(~models.Organization.slug.startswith(PREFIX))).all()
    gemeenten = {g.slug: (g.name, g.region) for g in db.session.scalars(select(models.Gemeente))}
    regions: dict[str, list[str]] = {}
    for slug, (_, region) in sorted(gemeenten.items()):
        regions.setdefault(region, []).append(slug)
    theme_codes = list(
        db.session.scalars(
            select(models.TaxonomyTerm.code)
            .where(models.TaxonomyTerm.taxonomy_id == models.THEMES_TAXONOMY)
            .order_by(models.TaxonomyTerm.position)
        )
    )
    return Pools(
        templates=templates,
        name_words=names,
        summaries=[s for s in summaries if s],
        sentences=sentences or summaries,
        how_to_get=[h for h in how if h] or ["Neem contact op."],
        org_names=[o.name.split() for o in orgs],
        org_sentences=[x for o in orgs for x in _sentences(o.description)] or ["Organisatie in de regio."],
        real_org_ids=[o.id for o in orgs],
        themes=theme_codes,
        gemeenten=gemeenten,
        regions=regions,
        wijken=list(db.session.execute(select(models.Wijk.code, models.Wijk.gemeente_slug).order_by(models.Wijk.code))),
        schedules=schedules or ["Op afspraak."],
    )


class Generator:
    def __init__(self, pools: Pools, rng: random.Random) -> None:
        self.p = pools
        self.rng = rng

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def _mix_name(self, pool: list[list[str]]) -> str:
        a, b = self.rng.choice(pool), self.rng.choice(pool)
        head = a[: max(1, (len(a) + 1) // 2)]
        tail = b[len(b) // 2 :] if len(b) > 1 else []
        words = head + [w for w in tail if w not in head]
        return " ".join(words)[:200]

    def organisation(self, i: int) -> dict[str, Any]:
        slug = f"{PREFIX}org-{i:05d}"
        return {
            "id": models.stable_id("organization", slug), "slug": slug, "name": self._mix_name(self.p.org_names),
            "description": " ".join(self.rng.sample(self.p.org_sentences, k=min(2, len(self.p.org_sentences)))),
            "website": None, "website_source": None, "email": None, "email_source": None,
            "sources": [{"title": "bench synthetic record"}], "content_hash": None, "last_modified": STAMP,
        }

    def _areas(self, sid: str) -> tuple[list[dict[str, Any]], str | None]:
        r = self.rng.random()
        base = {
            "service_id": sid, "region": None, "wijk_code": None, "gemeente_slug": None, "name": "", "description": "",
        }
        if r < 0.08:
            return [dict(base, id=self.uid(), scope="landelijk", name="landelijk")], None
        if r < 0.12:
            return [dict(base, id=self.uid(), scope="online", name="online")], None
        if r < 0.27 and self.p.wijken:
            picks = self.rng.sample(self.p.wijken, k=min(len(self.p.wijken), self.rng.randint(1, 3)))
            return [
                dict(base, id=self.uid(), scope="wijk", wijk_code=code, gemeente_slug=gem) for code, gem in picks
            ], picks[0][1]
        if r < 0.47:
            region = self.rng.choice(sorted(self.p.regions))
            slugs = self.p.regions[region]
            return [
                dict(base, id=self.uid(), scope="regio", gemeente_slug=g, region=region) for g in slugs
            ], self.rng.choice(slugs)
        slugs = self.rng.sample(sorted(self.p.gemeenten), k=self.rng.choice((1, 1, 1, 2, 3)))
        return [dict(base, id=self.uid(), scope="gemeente", gemeente_slug=g) for g in slugs], slugs[0]

    def service(self, i: int, org_id: str) -> dict[str, list[dict[str, Any]]]:
        rng, p = self.rng, self.p
        slug = f"{PREFIX}svc-{i:06d}"
        sid = models.stable_id("service", slug)
        t = rng.choice(p.templates)
        kind = t["kind"] if rng.random() < 0.7 else rng.choice(models.KINDS)
        themes = list(t["themes"]) if rng.random() < 0.7 and t["themes"] else []
        while len(themes) < 1 or (len(themes) < 4 and rng.random() < 0.3):
            extra = rng.choice(p.themes)
            if extra not in themes:
                themes.append(extra)
        lo, hi = t["ages"] if rng.random() < 0.6 else rng.choice(AGE_BANDS)
        audience = list(t["audience"]) if rng.random() < 0.6 and t["audience"] else sorted(
            rng.sample(models.AUDIENCES, k=rng.randint(1, 3))
        )
        areas, place = self._areas(sid)
        name = self._mix_name(p.name_words)
        if place and rng.random() < 0.4:
            name = f"{name} {p.gemeenten[place][0]}"
        summary = rng.choice(p.summaries) if rng.random() < 0.6 else rng.choice(p.sentences)
        description = " ".join(rng.sample(p.sentences, k=min(len(p.sentences), rng.randint(2, 6))))
        status = "gepubliceerd" if rng.random() < 0.95 else rng.choice(("concept", "gearchiveerd"))
        service = {
            "id": sid, "slug": slug, "organization_id": org_id, "name": name[:250], "summary": summary[:500],
            "description": description, "how_to_get": rng.choice(p.how_to_get), "kind": kind,
            "audience": audience, "minimum_age": lo, "maximum_age": hi,
            "access": t["access"] if rng.random() < 0.5 else rng.choice(models.ACCESS),
            "referred_by": list(t["referred_by"]),
            "cost": t["cost"] if rng.random() < 0.5 else rng.choice(models.COSTS),
            "website": None, "website_source": None, "email": None, "email_source": None,
            "facts": [], "sources": [{"title": "bench synthetic record"}], "source_date": None,
            "evidence": "bron", "needs_review": True, "review_note": "", "status": status,
            "assured_date": None, "last_modified": STAMP, "content_hash": None, "version": 1,
        }
        languages = ["nl"] + ([rng.choice(EXTRA_LANGUAGES)] if rng.random() < 0.2 else [])
        if rng.random() < 0.05:
            languages.append(rng.choice(EXTRA_LANGUAGES))
        rows: dict[str, list[dict[str, Any]]] = {
            "service": [service],
            "attribute": [
                {"id": self.uid(), "link_id": sid, "link_type": "theme", "link_entity": "service",
                 "taxonomy_term_id": models.stable_id("theme", th), "value": None}
                for th in themes
            ],
            "service_area": areas,
            "language": [
                {"id": self.uid(), "service_id": sid, "code": c, "name": "", "note": ""}
                for c in dict.fromkeys(languages)
            ],
            "phone": [],
            "schedule": [],
            "location": [],
            "service_at_location": [],
            "cost_option": [],
        }
        if rng.random() < 0.6:
            rows["phone"].append({
                "id": self.uid(), "service_id": sid, "organization_id": None, "position": 0, "description": "",
                "number": f"0{rng.randint(100, 999)} {rng.randint(100, 999)} {rng.randint(100, 999)}", "source": None,
            })
        if rng.random() < 0.3:
            rows["schedule"].append({"id": self.uid(), "service_id": sid, "description": rng.choice(p.schedules),
                                     "source": None, "position": 0})
        if place and rng.random() < 0.35:
            lid = self.uid()
            city = CITY_BY_GEMEENTE.get(place, p.gemeenten[place][0])
            rows["location"].append({
                "id": lid, "organization_id": org_id, "name": name[:250], "address_1": "", "postal_code": "",
                "city": city, "country": "NL", "latitude": None, "longitude": None, "precision": "gemeente",
                "wijk_code": None, "source": None,
            })
            rows["service_at_location"].append({"id": self.uid(), "service_id": sid, "location_id": lid})
        if service["cost"] == "eigen bijdrage" and rng.random() < 0.5:
            rows["cost_option"].append({"id": self.uid(), "service_id": sid, "option": "eigen bijdrage", "amount": None,
                                        "currency": None, "amount_description": "Vraag naar de kosten.",
                                        "source": None})
        return rows


# Insert order respects the foreign keys.
_TABLES = (
    ("service", models.Service), ("attribute", models.Attribute), ("service_area", models.ServiceArea),
    ("language", models.Language), ("phone", models.Phone), ("schedule", models.Schedule),
    ("location", models.Location), ("service_at_location", models.ServiceAtLocation),
    ("cost_option", models.CostOption),
)


def service_count() -> int:
    return db.session.scalar(select(func.count()).select_from(models.Service)) or 0


def generate(total: int, rng: random.Random) -> dict[str, int]:
    """Add synthetic services until there are `total` services in all; commits per batch."""
    existing = service_count()
    wanted = max(0, total - existing)
    counts = {"real_services": existing, "synthetic_services": wanted, "synthetic_organisations": 0}
    if not wanted:
        return counts
    pools = collect_pools()
    gen = Generator(pools, rng)
    org_rows = [gen.organisation(i) for i in range(max(5, wanted // 30))]
    db.session.execute(insert(models.Organization), org_rows)
    db.session.commit()
    counts["synthetic_organisations"] = len(org_rows)
    org_ids = [o["id"] for o in org_rows]
    for start in range(0, wanted, BATCH):
        batch: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in _TABLES}
        for i in range(start, min(wanted, start + BATCH)):
            org_id = rng.choice(org_ids) if rng.random() < 0.85 or not pools.real_org_ids else rng.choice(
                pools.real_org_ids
            )
            for name, rows in gen.service(i, org_id).items():
                batch[name].extend(rows)
        for name, model in _TABLES:
            if batch[name]:
                db.session.execute(insert(model), batch[name])
        db.session.commit()
    return counts

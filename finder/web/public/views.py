"""The public pages: home, search, service, theme, gemeente, menukaart, organisation, info."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from finder.catalogue import insight, queries
from finder.catalogue import search as catalogue_search
from finder.extensions import db
from finder.geo import gazetteer
from finder.geo.svg import outline_svg
from finder.search import current_index
from finder.web import localized, pagecache
from finder.web.localized import route

bp = Blueprint("public", __name__)
localized.init_blueprint(bp)


@route(bp, "/")
def home():
    return render_template(
        "public/home.html",
        themes=queries.themes(),
        theme_counts=queries.theme_counts(),
        gemeenten=queries.vocabulary().places,
        kinds=queries.vocabulary().kinds,
        counts=queries.counts(),
    )


@route(bp, "/zoeken")
def search():
    key = pagecache.key()
    kept = pagecache.cache().get(key) if key is not None else None
    if kept is not None:
        body, status, text, total = kept.body, kept.status, kept.text, kept.total
    else:
        req, errors = catalogue_search.parse_request(request.args)
        page = catalogue_search.search_services(req)
        status = 404 if page.out_of_range else 400 if errors else 200
        vocab = queries.vocabulary()
        body = render_template("public/search.html", page=page, errors=errors, vocab=vocab, gemeenten=vocab.places)
        text, total = ("" if page.degraded else req.text), page.total
        if key is not None and not page.degraded:
            pagecache.cache().put(key, body, status, text, total)
    if text and insight.count_search(text, total):
        try:
            insight.write_counts()
            db.session.commit()
        except SQLAlchemyError:  # counting must never break a search (e.g. a parallel insert)
            db.session.rollback()
    return body, status


@route(bp, "/aanbod/<slug>")
def service(slug: str):
    item = queries.get_service(slug)
    return render_template("public/service.html", service=item)


@route(bp, "/organisatie/<slug>")
def organization(slug: str):
    org, services = queries.get_organization(slug)
    return render_template("public/organization.html", org=org, services=services)


@route(bp, "/thema/<slug>")
def theme(slug: str):
    term = queries.get_theme(slug)
    gemeente = request.args.get("gemeente") or None
    if gemeente and gemeente not in queries.vocabulary().gemeenten:
        gemeente = None
    services = queries.services_for_theme(slug, gemeente)
    return render_template(
        "public/theme.html", theme=term, services=services, gemeente=gemeente, gemeenten=queries.vocabulary().places,
        related=queries.related_themes([slug])[1:],
    )


@route(bp, "/gemeente/<slug>")
def gemeente(slug: str):
    item = queries.get_gemeente(slug)
    local, national = queries.services_by_kind_for_gemeente(slug)
    return render_template(
        "public/gemeente.html", gemeente=item, local=local, national=national, kinds=queries.vocabulary().kinds,
        cjg=queries.cjg_for(slug),
        menukaarten=[m for m in queries.menukaarten() if slug in m.gemeenten],
    )


@route(bp, "/menukaart")
def menukaarten():
    return render_template("public/menukaarten.html", menukaarten=queries.menukaarten())


@route(bp, "/menukaart/<slug>")
def menukaart(slug: str):
    return render_template("public/menukaart.html", menukaart=queries.get_menukaart(slug))


@route(bp, "/privacy")
def privacy():
    return render_template("public/privacy.html")


@route(bp, "/toegankelijkheid")
def accessibility():
    return render_template("public/accessibility.html")


@route(bp, "/over")
def about():
    return render_template("public/about.html", counts=queries.counts())


@route(bp, "/wijk")
def choose_place():
    """All wijken and kernen per gemeente; also the target of the gemeente/wijk picker without
    JavaScript (it then goes on to the right page)."""
    wijk = (request.args.get("wijk") or "").strip()
    vocab = queries.vocabulary()
    if wijk in vocab.wijken:
        return redirect(url_for("public.wijk", code=wijk))
    gemeente = (request.args.get("gemeente") or "").strip()
    if gemeente in vocab.gemeenten:
        return redirect(url_for("public.gemeente", slug=gemeente))
    if wijk or gemeente:
        abort(404)
    gaz = gazetteer()
    places = [
        (g, sorted((w for w in gaz.wijken.values() if w.gemeente == g.key), key=lambda p: p.name),
         sorted((k for k in gaz.kernen.values() if k.gemeente == g.key), key=lambda p: p.name))
        for g in sorted(gaz.gemeenten.values(), key=lambda p: p.name)
    ]
    return render_template("public/places.html", places=places)


@route(bp, "/wijk/<code>")
def wijk(code: str):
    place = gazetteer().wijken.get(code)
    if place is None:
        abort(404)
    return _place_page(place)


@route(bp, "/plaats/<slug>")
def kern(slug: str):
    place = gazetteer().kernen.get(slug)
    if place is None:
        abort(404)
    return _place_page(place)


def _place_page(place):
    gaz = gazetteer()
    offer = catalogue_search.place_offer(place)
    wijken = [place] if place.kind == "wijk" else gaz.kern_wijken(place)
    outline = gaz.outline(*(w.key for w in wijken)) if wijken else []
    path, width, height = outline_svg(outline)
    return render_template(
        "public/place.html", place=place, offer=offer, wijken=wijken, outline_path=path,
        outline_size=(width, height), outline=outline,
        search_args={"wijk": place.key} if place.kind == "wijk" else {"kern": place.key},
    )


@bp.get("/healthz")
def healthz():
    """200 when the database and the index answer. Cheap on purpose: load balancers ask often."""
    try:
        db_ok = db.session.execute(select(1)).scalar() == 1
    except SQLAlchemyError:
        db_ok = False
    index_ok = current_index().healthy()
    status = 200 if db_ok and index_ok else 503
    return jsonify(database=db_ok, index=index_ok), status

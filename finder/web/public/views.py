"""The public pages: home, search, service, theme, gemeente, menukaart, organisation, info."""

from __future__ import annotations

from urllib.parse import urlsplit

import segno
from flask import Blueprint, abort, current_app, g, jsonify, redirect, render_template, request, url_for
from flask_babel import force_locale
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from finder import models
from finder.catalogue import insight, queries, shortlist
from finder.catalogue import search as catalogue_search
from finder.extensions import db, limiter
from finder.geo import gazetteer
from finder.geo.svg import outline_svg
from finder.i18n import LANGUAGES, current_language
from finder.search import current_index
from finder.web import localized, pagecache
from finder.web.localized import route
from finder.web.public.forms import ErrorReportForm

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
    return _search_page(professional=False)


@route(bp, "/professionals/zoeken")
def professional_search():
    """The same search, with the referral facts of each offer in one line (compact)."""
    return _search_page(professional=True)


@route(bp, "/professionals")
def professionals():
    return redirect(url_for("public.professional_search"))


def _search_page(professional: bool):
    key = pagecache.key()
    kept = pagecache.cache().get(key) if key is not None else None
    if kept is not None:
        body, status, text, total = kept.body, kept.status, kept.text, kept.total
    else:
        req, errors = catalogue_search.parse_request(request.args)
        page = catalogue_search.search_services(req)
        status = 404 if page.out_of_range else 400 if errors else 200
        vocab = queries.vocabulary()
        body = render_template("public/search.html", page=page, errors=errors, vocab=vocab, gemeenten=vocab.places,
                               professional=professional)
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


# -- the shortlist -----------------------------------------------------------------------------


def _list_response(slugs: list[str]):
    """Back to where the visitor was (a local path only), with the new list in its cookie."""
    target = request.form.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("public.shortlist_page")
    response = redirect(target, code=303)
    response.set_cookie(
        shortlist.COOKIE, shortlist.write(slugs), max_age=shortlist.COOKIE_MAX_AGE, samesite="Lax",
        httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


def _same_origin() -> bool:
    """The shortlist forms carry no CSRF token, so that search pages stay cacheable and the same
    for everyone: the list holds no personal data and its cookie is SameSite=Lax. A browser's
    Origin header, when sent, must still be ours (OWASP's origin check)."""
    origin = request.headers.get("Origin")
    # The host only: behind a proxy that ends TLS, the scheme seen here may differ from the browser's.
    return origin is None or urlsplit(origin).netloc == request.host


@route(bp, "/lijst/toevoegen", methods=["POST"])
def shortlist_add():
    if not _same_origin():
        abort(400)
    slugs = shortlist.read(request.cookies.get(shortlist.COOKIE))
    slug = (request.form.get("slug") or "").strip()
    adopt = shortlist.parse_shared(request.form.get("ids"))
    for item in [slug, *adopt]:
        if item and item not in slugs and shortlist.services([item]):
            slugs.append(item)
    return _list_response(slugs)


@route(bp, "/lijst/verwijderen", methods=["POST"])
def shortlist_remove():
    if not _same_origin():
        abort(400)
    slug = (request.form.get("slug") or "").strip()
    slugs = [s for s in shortlist.read(request.cookies.get(shortlist.COOKIE)) if s != slug]
    if request.form.get("alles"):
        slugs = []
    return _list_response(slugs)


@route(bp, "/lijst")
def shortlist_page():
    shared = request.args.get("ids")
    slugs = shortlist.parse_shared(shared) if shared is not None else shortlist.read(
        request.cookies.get(shortlist.COOKIE))
    items = shortlist.services(slugs)
    share_url = url_for("public.shortlist_page", ids=",".join(s.slug for s in items), _external=True) if items else None
    return render_template("public/shortlist.html", items=items, shared=shared is not None, share_url=share_url,
                           handout_languages=LANGUAGES)


@route(bp, "/lijst/uitdraai")
def handout():
    """A printable A4 list for a client, in the language chosen for the client (`voor`), which
    may differ from the page's language; with a QR code to the live list."""
    slugs = shortlist.parse_shared(request.args.get("ids")) if request.args.get("ids") is not None else (
        shortlist.read(request.cookies.get(shortlist.COOKIE)))
    items = shortlist.services(slugs)
    code = request.args.get("voor") or current_language().code
    if code not in LANGUAGES:
        abort(400)
    share_url = url_for("public.shortlist_page", ids=",".join(s.slug for s in items), lang=code, _external=True)
    if code == "nl":
        share_url = url_for("public.shortlist_page", ids=",".join(s.slug for s in items), lang=None, _external=True)
    qr = segno.make(share_url, error="m").svg_inline(scale=3, border=2) if items else ""
    page_lang = g.lang
    try:
        g.lang = code
        with force_locale(LANGUAGES[code].babel):
            return render_template("public/handout.html", items=items, qr=Markup(qr), share_url=share_url)  # noqa: S704 - segno's SVG
    finally:
        g.lang = page_lang


@route(bp, "/aanbod/<slug>")
def service(slug: str):
    item = queries.get_service(slug)
    return render_template("public/service.html", service=item)


@route(bp, "/aanbod/<slug>/meld-een-fout", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REPORT_RATE_LIMIT"], methods=["POST"])
def report_error(slug: str):
    """A short form on every service: what is wrong, optionally an e-mail address for a reply."""
    item = queries.get_service(slug)
    form = ErrorReportForm()
    if form.validate_on_submit():
        db.session.add(models.ErrorReport(service_id=item.id, text=form.text.data or "",
                                          email=(form.email.data or None)))
        db.session.commit()
        return redirect(url_for("public.report_thanks", slug=slug), code=303)
    return render_template("public/report.html", service=item, form=form), 400 if form.errors else 200


@route(bp, "/aanbod/<slug>/bedankt")
def report_thanks(slug: str):
    return render_template("public/report_thanks.html", service=queries.get_service(slug))


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

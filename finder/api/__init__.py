"""The open-data API: Open Referral HSDS 3.0, read only, under /api/.

JSON only; every parameter is checked (a bad one gives 400 with {"error", "parameter"}), errors
are JSON too, and every answer may be read from any origin (CORS). The mapping of our catalogue
to HSDS lives in finder.catalogue.hsds; the OpenAPI document in finder.api.openapi.
"""

from __future__ import annotations

import json
import math
from typing import Any, TypeVar

from flask import Blueprint, Flask, Response, request, url_for
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from finder.api import openapi
from finder.api.params import ApiError, Params
from finder.catalogue import hsds
from finder.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api")
ALLOWED_METHODS = "GET, HEAD, OPTIONS"


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    csrf.exempt(bp)  # read only; nothing here uses a session or a form


def _json(data: Any, status: int = 200) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return Response(body, status=status, mimetype="application/json")


T = TypeVar("T")


def _page(items: list[Any], total: int, page: int, per_page: int) -> Response:
    pages = math.ceil(total / per_page)
    return _json({
        "total_items": total, "total_pages": pages, "page_number": page, "size": len(items),
        "first_page": page == 1, "last_page": page >= pages, "empty": not items, "contents": items,
    })


def _slice(items: list[T], page: int, per_page: int) -> list[T]:
    start = (page - 1) * per_page
    return items[start : start + per_page]


def _context(args: Params) -> hsds.Context:
    return hsds.Context.make(args.locale(), request.host_url)


@bp.after_request
def cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        asked = request.headers.get("Access-Control-Request-Headers")
        if asked:
            response.headers["Access-Control-Allow-Headers"] = asked
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


@bp.errorhandler(ApiError)
def api_error(exc: ApiError) -> Response:
    return _json(exc.body(), exc.status)


@bp.errorhandler(hsds.SearchUnavailable)
def search_unavailable(exc: hsds.SearchUnavailable) -> Response:
    response = _json({"error": "the search index is being rebuilt: try again in a minute"}, 503)
    response.headers["Retry-After"] = "60"
    return response


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException) -> Response:
    messages = {404: "not found", 405: "method not allowed: this API only reads (GET)"}
    code = exc.code or 500
    response = _json({"error": messages.get(code, exc.name.lower())}, code)
    if code == 405:
        response.headers["Allow"] = ALLOWED_METHODS
    return response


@bp.errorhandler(Exception)
def server_error(exc: Exception) -> Response:  # pragma: no cover - a bug; logged, never an HTML page
    from flask import current_app

    from finder.extensions import db

    current_app.logger.exception("API error")
    db.session.rollback()
    return _json({"error": "internal error"}, 500)


@bp.get("/")
def root() -> Response:
    return _json({"version": hsds.HSDS_VERSION, "profile": hsds.HSDS_PROFILE,
                  "openapi_url": url_for("api.openapi_document", _external=True)})


@bp.get("/openapi.json")
def openapi_document() -> Response:
    return _json(openapi.document(url_for("api.openapi_document", _external=True), hsds.example_ids()))


@bp.get("/services")
def services() -> Response:
    args = Params(request.args)
    page, per_page = args.page()
    flt = args.service_filter()
    minimal, full = args.boolean("minimal"), args.boolean("full")
    if minimal and full:
        raise ApiError("choose 'minimal' or 'full', not both", "full")
    ctx = _context(args)
    total, chosen = hsds.service_page(flt, page, per_page)
    shape = "minimal" if minimal else "full" if full else "list"
    items = [hsds.service_record(s, ctx, shape) for s in hsds.load_services(chosen)]
    return _page(items, total, page, per_page)


@bp.get("/services/<service_id>")
def service(service_id: str) -> Response:
    ctx = _context(Params(request.args))
    found = hsds.get_service(service_id)
    if found is None:
        raise NotFound
    return _json(hsds.service_record(found, ctx, "full"))


@bp.get("/organizations")
def organizations() -> Response:
    args = Params(request.args)
    page, per_page = args.page()
    text = args.text("search")
    full, full_service = args.boolean("full"), args.boolean("full_service")
    ctx = _context(args)
    ids = hsds.organization_ids(text)
    chosen = _slice(ids, page, per_page)
    orgs = hsds.load_organizations(chosen)
    if full or full_service:
        items = [hsds.organization_full(org, ctx, full_service) for org in orgs]
    else:
        items = [hsds.organization_record(org, ctx) for org in orgs]
    return _page(items, len(ids), page, per_page)


@bp.get("/organizations/<org_id>")
def organization(org_id: str) -> Response:
    args = Params(request.args)
    full_service = args.boolean("full_service")
    ctx = _context(args)
    found = hsds.find_organization(org_id)
    if found is None:
        raise NotFound
    return _json(hsds.organization_full(found, ctx, full_service))


@bp.get("/taxonomies")
def taxonomies() -> Response:
    args = Params(request.args)
    page, per_page = args.page()
    needle = args.text("search").casefold()
    items = [t for t in hsds.all_taxonomies() if needle in t["name"].casefold()]
    return _page(_slice(items, page, per_page), len(items), page, per_page)


@bp.get("/taxonomies/<taxonomy_id>")
def taxonomy(taxonomy_id: str) -> Response:
    found = next((t for t in hsds.all_taxonomies() if t["id"] == taxonomy_id), None)
    if found is None:
        raise NotFound
    return _json(found)


@bp.get("/taxonomy_terms")
def taxonomy_terms() -> Response:
    args = Params(request.args)
    page, per_page = args.page()
    needle = args.text("search").casefold()
    taxonomy_id, parent_id = args.uuid("taxonomy_id"), args.uuid("parent_id")
    top_only = args.boolean("top_only")
    items = [
        t for t in hsds.all_terms(_context(args))
        if needle in t["name"].casefold()
        and (taxonomy_id is None or t["taxonomy_id"] == taxonomy_id)
        and (parent_id is None or t.get("parent_id") == parent_id)
        and not (top_only and t.get("parent_id"))
    ]
    return _page(_slice(items, page, per_page), len(items), page, per_page)


@bp.get("/taxonomy_terms/<term_id>")
def taxonomy_term(term_id: str) -> Response:
    found = next((t for t in hsds.all_terms(_context(Params(request.args))) if t["id"] == term_id), None)
    if found is None:
        raise NotFound
    return _json(found)


@bp.get("/service_at_locations")
def service_at_locations() -> Response:
    args = Params(request.args)
    page, per_page = args.page()
    flt = args.service_filter()
    geo = args.geo_filter()
    full = args.boolean("full")
    ctx = _context(args)
    found = hsds.service_at_locations(flt, geo)
    chosen = [sal_id for sal_id, _km in _slice(found, page, per_page)]
    items = [hsds.sal_record(sal, ctx, "full" if full else "list") for sal in hsds.load_service_at_locations(chosen)]
    return _page(items, len(found), page, per_page)


@bp.get("/service_at_locations/<sal_id>")
def service_at_location(sal_id: str) -> Response:
    ctx = _context(Params(request.args))
    found = hsds.load_service_at_locations([sal_id])
    if not found:
        raise NotFound
    return _json(hsds.sal_record(found[0], ctx, "full"))


@bp.route("/<path:rest>", methods=["GET"])
def unknown(rest: str) -> Response:
    raise NotFound


@bp.route("/", endpoint="write_root", methods=["POST", "PUT", "PATCH", "DELETE"])
@bp.route("/<path:rest>", endpoint="write", methods=["POST", "PUT", "PATCH", "DELETE"])
def write(rest: str = "") -> Response:
    raise MethodNotAllowed(valid_methods=["GET", "HEAD", "OPTIONS"])

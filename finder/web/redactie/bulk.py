"""Bulk import of a spreadsheet (CSV) of services, with a per-row report.

Upload → every row is checked → all good: imported at once (one transaction) → result page.
Any row with a problem: nothing is imported; the report offers to import only the good rows.
That second form carries the file's text in a signed hidden field (no upload twice, nothing kept
on the server); it is checked again in full when posted, never trusted. The result page is
reached by a redirect, so a reload never imports twice.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from flask import Response, abort, current_app, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.utils import secure_filename
from wtforms import HiddenField

from finder.catalogue import bulk_import
from finder.extensions import db
from finder.i18n import _, _l
from finder.web.redactie.views import bp

_SALT = "redactie.bulk-import"  # signs the hidden field: only a report made here can be posted back
_BATCH = re.compile(r"^[0-9a-f]{12}$")


class UploadForm(FlaskForm):
    file = FileField(_l("Je CSV-bestand"), validators=[FileRequired(_l("Kies een bestand."))],
                     render_kw={"accept": ".csv,.txt,text/csv"})


class GoodRowsForm(FlaskForm):
    payload = HiddenField()


def _refuse_providers() -> None:
    """An aanbieder edits its own services one by one; a bulk import is for the redactie."""
    if current_user.role == "aanbieder":
        abort(403)


@bp.route("/importeren", methods=["GET", "POST"], endpoint="bulk_import")
@login_required
def upload():
    _refuse_providers()
    form = UploadForm()
    if not form.validate_on_submit():
        return _upload_page(form, 400 if form.errors else 200)
    file = form.file.data
    filename = _filename(file.filename)
    with file.stream:  # a large upload is a temporary file: closed now, not left to the GC
        data = file.stream.read(bulk_import.MAX_BYTES + 1)  # never more than the limit into memory
    try:
        check = bulk_import.check_file(filename, data, current_user)
    except bulk_import.FileProblem as problem:
        return _upload_page(form, 400, problem.message)
    if check.bad:
        return _report(check, filename)
    return _save(check.good, filename)


@bp.post("/importeren/goede-rijen")
@login_required
def import_good_rows():
    _refuse_providers()
    form = GoodRowsForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        payload: dict[str, Any] = _serializer().loads(form.payload.data or "")
        text, filename, agreed = str(payload["text"]), _filename(str(payload["name"])), list(payload["good"])
    except (BadData, KeyError, TypeError, ValueError):
        return _upload_page(UploadForm(formdata=None), 400,
                            _("Dit formulier klopt niet meer. Upload het bestand opnieuw."))
    try:
        check = bulk_import.check_text(text, current_user)  # checked again: the catalogue may have changed
    except bulk_import.FileProblem as problem:
        return _upload_page(UploadForm(formdata=None), 400, problem.message)
    if [r.number for r in check.good] != agreed or not check.good:
        return _report(check, filename, _("Er is iets veranderd sinds de controle. Er is niets geïmporteerd. "
                                          "Bekijk het overzicht hieronder opnieuw."))
    return _save(check.good, filename)


@bp.get("/importeren/resultaat/<batch>")
@login_required
def import_result(batch: str):
    _refuse_providers()
    services = bulk_import.imported_in(batch, current_user.email) if _BATCH.match(batch) else []
    if not services:
        abort(404)
    return render_template("redactie/import_result.html", services=services)


@bp.get("/importeren/voorbeeld.csv")
@login_required
def import_template():
    return Response(bulk_import.template_csv().encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="aanbod-importeren.csv"'})


def _upload_page(form: UploadForm, status: int, problem: str | None = None):
    if problem:
        form.file.errors = [problem]
    return render_template("redactie/import.html", form=form, columns=bulk_import.COLUMNS,
                           allowed=bulk_import.allowed_values(), max_rows=bulk_import.MAX_ROWS), status


def _report(check: bulk_import.Check, filename: str, notice: str | None = None):
    """The per-row report; nothing was imported. With good rows, the form to import only those."""
    good = check.good
    form = GoodRowsForm(formdata=None)
    form.payload.data = _serializer().dumps({"text": check.text, "name": filename, "good": [r.number for r in good]})
    limit = current_app.config.get("MAX_FORM_MEMORY_SIZE")
    fits = limit is None or len(form.payload.data) < limit - 10_000  # else the post would be refused as too large
    return render_template("redactie/import_report.html", check=check, good=good, form=form, filename=filename,
                           fits=fits, notice=notice), 400


def _save(rows: list[bulk_import.RowResult], filename: str):
    """All rows in one transaction: on any database error nothing is saved and the editor is told."""
    batch = uuid.uuid4().hex[:12]
    try:
        bulk_import.import_rows(rows, editor=current_user, filename=filename, batch=batch)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("bulk import of %s failed; rolled back", filename)
        return _upload_page(UploadForm(formdata=None), 500, _(
            "Het opslaan is mislukt. Er is niets geïmporteerd. Probeer het over een paar minuten opnieuw."))
    return redirect(url_for("redactie.import_result", batch=batch))


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _filename(name: str | None) -> str:
    """The uploaded file's name, safe to show and to keep in the revision's reason."""
    return (secure_filename(name or "") or "spreadsheet.csv")[-100:]


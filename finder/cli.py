"""`flask --app finder ...` commands. Thin: parse, call the catalogue, commit, report."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from finder.catalogue import hsds, queries
from finder.catalogue.content import ContentError, load_content
from finder.catalogue.indexing import catch_up, published_count, rebuild_index
from finder.catalogue.locations import geocode_location, locations_for_editors, locations_to_geocode
from finder.extensions import db
from finder.search import current_index


@click.command("load-content")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def load_content_command(directory: Path | None) -> None:
    """Load the catalogue from content/ (all or nothing), then rebuild the search index."""
    directory = directory or Path(current_app.config["CONTENT_DIR"])
    current_app.config["SEARCH_SYNC_ENABLED"] = False  # one rebuild at the end instead
    try:
        report = load_content(directory)
        db.session.commit()
    except ContentError as exc:
        db.session.rollback()
        click.echo(f"Nothing was loaded: {len(exc.problems)} problem(s) in {directory}:", err=True)
        for problem in exc.problems:
            click.echo(f"  - {problem}", err=True)
        sys.exit(1)
    finally:
        current_app.config["SEARCH_SYNC_ENABLED"] = True
    queries.forget_cached()
    click.echo(report.summary())
    count = rebuild_index()
    click.echo(f"Indexed {count} published services.")


@click.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Rebuild the search index from the database; the site keeps serving the old one meanwhile."""
    count = rebuild_index()
    click.echo(f"Indexed {count} published services.")


@click.command("index-status")
@with_appcontext
def index_status_command() -> None:
    """Compare the index with the database; exit 1 when they differ."""
    applied = catch_up()
    docs = current_index().doc_count()
    published = published_count()
    click.echo(f"index documents: {docs}, published services: {published}, caught up: {applied} change(s)")
    if docs != published:
        sys.exit(1)


@click.command("catalogue-stats")
@with_appcontext
def catalogue_stats_command() -> None:
    """Print the published catalogue's counts per kind and per gemeente."""
    stats = queries.catalogue_stats()
    click.echo(
        f"published services: {stats['services']} from {stats['organizations']} organisations "
        f"({stats['to_check']} te controleren); themes: {stats['themes']}; synonyms: {stats['synonyms']}; "
        f"menukaarten: {stats['menukaarten']}"
    )
    click.echo("per kind:")
    for kind, n in stats["per_kind"].items():  # type: ignore[union-attr]
        click.echo(f"  {kind:20} {n:4}")
    click.echo("per gemeente (regional and national offers included):")
    for gemeente, n in stats["per_gemeente"].items():  # type: ignore[union-attr]
        click.echo(f"  {gemeente:20} {n:4}")


@click.command("geocode-locations")
@click.option("--limit", default=100, show_default=True, help="At most this many addresses in one run.")
@with_appcontext
def geocode_locations_command(limit: int) -> None:
    """Look up addresses never geocoded (PDOK Locatieserver, then Nominatim; needs the internet).
    Each result is committed on its own; what is not found stays on the editors' list."""
    todo = locations_to_geocode()[:limit]
    for location in todo:
        result = geocode_location(location)
        db.session.commit()
        click.echo(f"{result.status:14} {location.address_1}, {location.city}"
                   + (f" → {result.label} ({result.source})" if result.label else ""))
    click.echo(f"{len(todo)} address(es) looked up.")


@click.command("geocode-report")
@with_appcontext
def geocode_report_command() -> None:
    """The addresses an editor must check (no coordinates: not found, ambiguous, error, not tried)."""
    rows = locations_for_editors()
    for location in rows:
        status = location.geocode_status or "nog niet gezocht"
        note = f" ({location.geocode_note})" if location.geocode_note else ""
        click.echo(f"{status:16} {location.address_1}, {location.postal_code} {location.city}{note}")
    click.echo(f"{len(rows)} address(es) without coordinates.")


@click.command("export-hsds")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--base-url", default="http://127.0.0.1:5000/", show_default=True,
              help="The public address of the site: area and organisation URIs point to its pages.")
@with_appcontext
def export_hsds_command(directory: Path, base_url: str) -> None:
    """Write the published catalogue as Open Referral HSDS 3.0: services.json, organizations.json,
    taxonomies.json, taxonomy_terms.json and a tabular data package (CSV + datapackage.json)."""
    report = hsds.export_hsds(directory, base_url)
    click.echo(report.summary())
    click.echo(f"Written to {directory}")


@click.command("import-hsds")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--partial", is_flag=True, help="Save the valid records even when others have errors.")
@click.option("--publish", is_flag=True, help="Publish imported services the file calls active (default: concept).")
@with_appcontext
def import_hsds_command(path: Path, partial: bool, publish: bool) -> None:
    """Load HSDS 3.0 JSON (one service, a list, or a folder with services.json, organizations.json,
    taxonomies.json, taxonomy_terms.json). All or nothing unless --partial; imported services are
    concept (unless --publish) and te controleren (unless the file says they were checked)."""
    try:
        report = hsds.import_hsds(path, partial=partial, publish=publish)
    except hsds.HsdsFileError as exc:
        click.echo(f"Nothing was imported: {exc}", err=True)
        sys.exit(1)
    except SQLAlchemyError as exc:
        db.session.rollback()
        click.echo(f"Nothing was imported: the database refused a record: {exc}", err=True)
        sys.exit(1)
    for line in hsds.iter_report(report):
        click.echo(line)
    if report.saved:
        db.session.commit()  # the search index follows this commit (finder/search/sync.py)
        queries.forget_cached()
    else:
        db.session.rollback()
    click.echo(report.summary())
    if report.errors:
        if report.saved:
            click.echo(f"{len(report.errors)} record(s) with errors were left out; the valid records were saved.",
                       err=True)
        else:
            click.echo(f"Nothing was saved: {len(report.errors)} record(s) have errors. Fix them, or use --partial "
                       "to save the valid records.", err=True)
        sys.exit(1)


def init_app(app: Flask) -> None:
    for command in (load_content_command, reindex_command, index_status_command, catalogue_stats_command,
                    geocode_locations_command, geocode_report_command, export_hsds_command, import_hsds_command):
        app.cli.add_command(command)

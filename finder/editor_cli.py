"""`flask --app finder create-editor`: accounts are made by a beheerder on the server."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from finder import models
from finder.catalogue import editors
from finder.extensions import db


@click.command("create-editor")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(models.ROLES), required=True)
@click.option("--gemeente", "gemeenten", multiple=True, help="Gemeente slug in the scope of a redacteur (repeat).")
@click.option("--organisatie", "organizations", multiple=True, help="Organisation slug in the scope (repeat).")
@click.password_option(help="At least 12 characters; asked for when left out.")
@with_appcontext
def create_editor_command(email: str, name: str, role: str, gemeenten: tuple[str, ...],
                          organizations: tuple[str, ...], password: str) -> None:
    """Create an editor account (password hashed with argon2)."""
    try:
        editor = editors.create_editor(email, name, role, password, list(gemeenten), list(organizations))
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    db.session.commit()
    scope = [*gemeenten, *organizations]
    click.echo(f"Created {editor.role} {editor.email}" + (f" for {', '.join(scope)}" if scope else ""))

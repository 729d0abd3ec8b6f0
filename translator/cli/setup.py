"""Commands that set up a workspace and its database: ``init`` and ``db``."""

from __future__ import annotations

from pathlib import Path

import click

from ..db import current_revision, head_revision, is_newer, upgrade
from ..i18n import gettext as _
from ..workspace import init_workspace
from .context import AppContext
from .output import console


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--source", "-s", required=True, help="Source language of the articles, e.g. en.")
@click.option("--targets", "-t", required=True, help="Comma-separated target languages, e.g. nl,de,fr,es,pt.")
@click.option("--database", help="SQLAlchemy URL (default: SQLite in .translator/), e.g. postgresql+psycopg://user@host/db.")
def init(directory: Path, source: str, targets: str, database: str | None) -> None:
    """Create a workspace in DIRECTORY: translator.toml and a migrated database."""
    ws = init_workspace(directory, source, targets, database=database)
    console().print(_("created {path}").format(path=ws.config_path))
    console().print(_("source {source}, targets {targets}; database {database}").format(
        source=ws.source, targets=", ".join(ws.targets), database=ws.database))


@click.group()
def db() -> None:
    """The workspace's database schema."""


@db.command("upgrade")
@click.pass_obj
def db_upgrade(app: AppContext) -> None:
    """Apply pending migrations."""
    before, after = upgrade(app.workspace.database_url)
    if before == after:
        line = _("schema at {revision} (unchanged)")
    elif before:
        line = _("schema at {revision} (was {previous})")
    else:
        line = _("schema at {revision} (was empty)")
    console().print(line.format(revision=after, previous=before))


@db.command("status")
@click.pass_obj
def db_status(app: AppContext) -> None:
    """Show the schema revision in the database and the one this version needs."""
    current, head = current_revision(app.workspace.database_url), head_revision()
    if current == head:
        line = _("database {current}, code {head}: up to date")
    elif is_newer(current):  # 'db upgrade' cannot help: only a newer translator knows this schema
        line = _("database {current}, code {head}: made by a newer translator; use that version (or newer)")
    else:
        line = _("database {current}, code {head}: run 'translator db upgrade'")
    console().print(line.format(current=current or _("empty"), head=head))


COMMANDS = [init, db]

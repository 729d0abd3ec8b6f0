"""Commands for the QA checks: ``checks list``."""

from __future__ import annotations

import click
from rich.table import Table

from ..checks import CHECKS
from ..i18n import gettext as _
from .output import console, print_json


@click.group()
def checks() -> None:
    """The QA checks run on translations; switch one off by id under [checks] disabled in translator.toml."""


@checks.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def checks_list(as_json: bool) -> None:
    """List the checks: id, name, severity (errors block approval) and what each looks for."""
    rows = [{"id": c.id, "name": c.name, "severity": c.severity, "description": c.description} for c in CHECKS]
    if as_json:
        print_json(rows)
        return
    table = Table(_("id"), _("name"), _("severity"), _("description"))
    for row in rows:
        style = "red" if row["severity"] == "error" else "yellow"
        table.add_row(row["id"], row["name"], f"[{style}]{row['severity']}[/]", row["description"])
    console().print(table)


COMMANDS = [checks]

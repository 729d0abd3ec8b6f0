"""The ``engines`` command: the MT engines, whether they run here, and which one serves each language."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table

from ..i18n import gettext as _
from ..mt.overview import engine_rows, pair_rows
from .context import AppContext
from .output import console, print_json


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
@click.pass_obj
def engines(app: AppContext, as_json: bool) -> None:
    """List the MT engines and which engine translates each target language.

    The order of preference is [mt] engines in translator.toml (TRANSLATOR_ENGINES overrides it);
    [mt.languages] names an engine for one language. A language no engine serves directly is
    translated through a third language, possibly by two engines.
    """
    ws = app.workspace
    rows, pairs = engine_rows(ws), pair_rows(ws)
    if as_json:
        print_json({"engines": rows, "languages": pairs})
        return
    table = Table(title=_("MT engines"), title_justify="left")
    for name in (_("engine"), _("order"), _("available"), _("language pairs")):
        table.add_column(name)
    for row in rows:
        state = f"[green]{_('yes')}[/] {escape(row.detail)}" if row.available else f"[red]{_('no')}[/] {escape(row.detail)}"
        table.add_row(row.name, str(row.preferred or "-"), state, escape(", ".join(row.pairs)) or "-")
    console().print(table)
    table = Table(title=_("languages of this workspace"), title_justify="left")
    for name in (_("pair"), _("served by")):
        table.add_column(name)
    for pair in pairs:
        served = escape(pair.route) if pair.route else f"[yellow]{escape(pair.why_not or '')}[/]"
        table.add_row(f"{pair.source} -> {pair.target}", served)
    console().print(table)


COMMANDS = [engines]

"""The ``translate`` command: machine pre-translation with a progress bar per language."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.table import Table
from rich.text import Text

from ..db import check_schema
from ..errors import TranslatorError
from ..i18n import gettext as _, ngettext
from ..mt.pretranslate import LanguageRun, pretranslate
from .context import AppContext
from .output import console, error_console, print_json


class _Speed(ProgressColumn):
    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:.1f} seg/s" if task.speed else "", style="cyan")


class _Bars:
    """One rich progress bar per target language (segments, segments/s, ETA)."""

    def __init__(self, progress: Progress) -> None:
        self.progress, self.tasks = progress, {}

    def start(self, language: str, total: int) -> None:
        self.tasks[language] = self.progress.add_task(language, total=total)

    def advance(self, language: str, rows: int) -> None:
        self.progress.advance(self.tasks[language], rows)

    def finish(self, language: str) -> None:
        self.progress.stop_task(self.tasks[language])


@click.command()
@click.argument("slugs", nargs=-1)
@click.option("--all", "all_articles", is_flag=True, help="Every article in the workspace.")
@click.option("--lang", "-l", help="Comma-separated target languages (default: all the workspace's).")
@click.option("--beam", default=4, show_default=True, type=int, help="Beam size.")
@click.option("--keep-going/--fail-fast", default=True, show_default=True,
              help="A language no engine serves is reported at the end and the others still run (exit code 1); "
                   "--fail-fast stops before any work instead (exit code 2).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def translate(app: AppContext, slugs: tuple[str, ...], all_articles: bool, lang: str | None, beam: int,
              keep_going: bool, as_json: bool) -> None:
    """Machine-translate untranslated and stale segments, with the glossary applied.

    Exact TM hits are used instead of MT; each finished batch is saved, so an interrupted run
    loses at most one batch and a re-run continues where it stopped.

    Exit codes: 0 every language translated; 1 some could not be (no model, an engine failed) while
    the others were; 2 none could be, or bad input.
    """
    if not slugs and not all_articles:
        raise TranslatorError(_("name the articles to translate, or pass --all"))
    if slugs and all_articles:
        raise TranslatorError(_("pass article slugs or --all, not both"))
    check_schema(app.workspace.database_url)
    columns = (TextColumn("{task.description:>6}"), BarColumn(), MofNCompleteColumn(), _Speed(),
               TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=error_console(), transient=as_json, disable=as_json) as progress:
        runs = pretranslate(app.workspace, app.user, slugs, lang, beam_size=beam, keep_going=keep_going,
                            progress=_Bars(progress))
    if as_json:
        print_json([{**run.__dict__, "adherence": run.adherence} for run in runs])
    else:
        _summary(runs)
    failed = [run for run in runs if run.error]
    prefix = _("error:")
    for run in failed:
        error_console().print(f"[bold red]{escape(prefix)}[/] {escape(run.language)}: {escape(run.error or '')}",
                              soft_wrap=True)
    if failed:
        # a partial run is not bad input: what could be translated was, and is saved
        raise click.exceptions.Exit(2 if len(failed) == len(runs) else 1)


def _summary(runs: list[LanguageRun]) -> None:
    table = Table(title=_("machine translation"), title_justify="left")
    table.add_column(_("lang"), no_wrap=True)
    for name in (_("to do"), _("from TM"), _("MT"), _("saved"), _("flagged"), _("glossary kept"), "seg/s"):
        table.add_column(name, justify="right", no_wrap=True)
    for run in runs:
        adherence = f"{run.terms_kept}/{run.terms} ({run.adherence:.0f}%)" if run.terms else "-"
        table.add_row(run.language, str(run.rows), str(run.tm_filled), str(run.sources), str(run.translated),
                      str(run.flagged), adherence, f"{run.per_second:.1f}" if run.sources else "-")
    console().print(table)
    no_model = _("no model")
    for run in runs:
        console().print(f"  {escape(run.language)}: {escape(run.engine) if run.engine else f'[red]{no_model}[/]'}",
                        soft_wrap=True)
    changed = sum(r.changed_meanwhile for r in runs)
    if changed:
        console().print(ngettext("{count} translations were edited by someone during the run and were left as they are",
                                 "{count} translations were edited by someone during the run and were left as they are",
                                 changed).format(count=changed))


COMMANDS = [translate]

"""The ``report`` command: coverage per language and article, in the terminal or as JSON, CSV or HTML."""

from __future__ import annotations

from pathlib import Path

import click

from ..i18n import current_locale, gettext as _, set_locale
from ..report import DEFAULT_DAYS, FORMATS, Formatter, build_report, render, select_languages, write_report
from ..report.text import TABLE_ROWS, renderables
from .context import AppContext, FiniteRange
from .output import console, error_console


@click.command()
@click.option("--article", "slug", metavar="SLUG", help="Only this article (default: the whole workspace).")
@click.option("--lang", "-l", help="Comma-separated target languages (default: all of the workspace's).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
              help="table for the terminal; json and csv for scripts; html for one self-contained file.")
@click.option("--out", type=click.Path(path_type=Path),
              help="Write the report to this file instead of the terminal.")
@click.option("--locale", help="Language of the report's words, numbers, dates and language names, e.g. de "
                               "(default: the interface language; env TRANSLATOR_LOCALE, LANGUAGE, LC_ALL, LANG).")
@click.option("--fail-under", type=FiniteRange(0, 100), metavar="PERCENT",
              help="Exit with code 1 if a requested language's coverage is below PERCENT (to gate publication).")
@click.option("--days", type=click.IntRange(1, 3660), default=DEFAULT_DAYS, show_default=True,
              help="Days of approvals and edits in the trend, up to today (UTC).")
@click.option("--matrix-rows", type=click.IntRange(0), metavar="N",
              help=f"Articles in the matrix of the table (default {TABLE_ROWS}) and HTML (default 200): the least "
                   "covered ones; 0 shows all. JSON and CSV always hold all.")
@click.pass_obj
def report(app: AppContext, slug: str | None, lang: str | None, fmt: str, out: Path | None, locale: str | None,
           fail_under: float | None, days: int, matrix_rows: int | None) -> None:
    """Coverage per language: segments and source words by status, QA issues, glossary misses, last
    activity, each article in each language, and approvals and edits per day.

    Coverage is approved words / source words. With --fail-under 90 the exit code is 1 when a
    requested language is below 90 % (the report is written all the same).
    """
    if locale:
        set_locale(locale)  # the command's own messages follow the report's language
    code = current_locale()
    formatter = Formatter(code)
    languages = select_languages(app.workspace.targets, lang)
    with app.session() as session:
        figures = build_report(session, languages, article=slug, days=days)
    if out is not None:
        write_report(out, render(figures, fmt, code, matrix_rows))
        error_console().print(_("wrote {path}").format(path=out), highlight=False, markup=False)
    elif fmt == "table":
        terminal = console()
        for item in renderables(figures, formatter, TABLE_ROWS if matrix_rows is None else matrix_rows or None):
            terminal.print(item)
            terminal.print()
    else:
        click.echo(render(figures, fmt, code, matrix_rows), nl=False)
    if fail_under is not None:
        below = figures.below(fail_under)
        if below:
            error_console().print(_("coverage below {threshold}: {languages}").format(
                threshold=formatter.percent(fail_under),
                languages=", ".join(f"{f.language} {formatter.percent(f.coverage)}" for f in below)), highlight=False)
            raise click.exceptions.Exit(1)


COMMANDS = [report]

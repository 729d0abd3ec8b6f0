"""The ``demo`` command: the whole pipeline on the example article, then what to look at next."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

import click
from rich.markup import escape
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                           TimeRemainingColumn)

from ..i18n import gettext as _
from ..languages import normalize_code, normalize_codes
from .context import AppContext
from .articles import print_segments
from .output import console, error_console
from .translate import _Bars, _Speed, _summary


@click.command()
@click.argument("directory", default="demo-workspace", type=click.Path(file_okay=False, path_type=Path))
@click.option("--source", default="en", show_default=True, help="Source language.")
@click.option("--targets", default="nl,de,fr,es,pt", show_default=True, help="Target languages.")
@click.option("--models-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of installed models (default: the workspace's; env TRANSLATOR_MODELS_DIR).")
@click.option("--replace", is_flag=True, help="Start an existing demo workspace afresh.")
@click.option("--show/--no-show", default=True, show_default=True,
              help="Show the segments of the first machine-translated language.")
@click.pass_obj
def demo(app: AppContext, directory: Path, source: str, targets: str, models_dir: Path | None, replace: bool,
         show: bool) -> None:
    """Run the pipeline on the example article in DIRECTORY (default: ./demo-workspace).

    Creates the workspace, imports the example TM, the default glossary and the article, and
    machine-translates into every target language that has a model.
    """
    from ..demo import DemoReport, run_demo  # the whole pipeline: imported only when asked for

    if models_dir:
        os.environ["TRANSLATOR_MODELS_DIR"] = str(models_dir.resolve())
    out = console()

    def heading(label: str, text: str) -> None:
        out.print(f"[bold]{escape(label)}[/] {escape(text)}", soft_wrap=True)

    def step(stage: str, report: DemoReport) -> None:
        """One line as each stage ends: the first run takes a while (models load, MT runs)."""
        ws = report.workspace
        if stage == "workspace":
            heading(_("workspace"), _("{root} ({source} -> {targets}; database {database})").format(
                root=ws.root, source=ws.source, targets=", ".join(ws.targets), database=ws.database_url))
        elif stage == "memory":
            heading(_("translation memory"), _("{count} units from {path}").format(
                count=report.tm_units, path="examples/newsroom-memory.tmx"))
        elif stage == "glossary":
            heading(_("glossary"), _("{count} concepts from {path}").format(
                count=report.glossary_concepts, path="glossary/world-news.csv"))
        elif stage == "article" and report.article:
            a = report.article
            heading(_("article"), _("{slug}: {segments} segments in {blocks} blocks; {tm_exact} filled from the TM, "
                                    "{suggestions} TM suggestions").format(
                slug=a.slug, segments=a.segments, blocks=a.blocks, tm_exact=a.tm_exact, suggestions=a.suggestions))
        elif stage == "engines":
            found = ", ".join(f"{lang} {engine}" for lang, engine in report.engines.items()) or _("none")
            heading(_("engines"), found + (_("; machine-translating now") if report.engines else ""))

    columns = (TextColumn("{task.description:>6}"), BarColumn(), MofNCompleteColumn(), _Speed(),
               TimeElapsedColumn(), TimeRemainingColumn())
    with Progress(*columns, console=error_console()) as progress:
        report = run_demo(directory.resolve(), normalize_code(source), normalize_codes(targets),
                          app.user_option or os.environ.get("TRANSLATOR_USER") or "demo", replace=replace,
                          progress=_Bars(progress), step=step)
    ws = report.workspace
    if report.runs:
        _summary(report.runs)
    if report.missing:
        label = _("not machine-translated, no model installed")
        out.print(f"[yellow]{escape(label)}[/]: " + escape(_("{languages} (models in {path})").format(
            languages=", ".join(report.missing), path=ws.models_path)), soft_wrap=True)
        tr = f"{_invocation()} -w {shlex.quote(str(directory))}"
        for lang in report.missing:
            out.print(escape(f"  {tr} models install {ws.source} {lang}"), soft_wrap=True)
        out.print(escape(_("Those download from the Argos package index; offline, install a downloaded file with "
                           "'{command} models install FILE.argosmodel', or point --models-dir / TRANSLATOR_MODELS_DIR "
                           "at a folder of installed Argos packages.").format(command=tr)))
    slug = report.article.slug if report.article else "putin-xi-call"
    lang = next((r.language for r in report.runs if r.translated), ws.targets[0])
    if show and report.shown:
        out.print()
        print_segments(slug, report.shown, [lang])
    label = _("next")
    tr = f"{_invocation()} -w {shlex.quote(str(directory))}"
    out.print(f"\n[bold]{escape(label)}[/]:\n" + escape(f"  {tr} show {slug} --lang {lang}\n  {tr} review {slug} "
                                                       f"--lang {lang}\n  {tr} report"), soft_wrap=True)


def _invocation() -> str:
    """How the user ran us, as they can type it again: ``translator`` when it is on PATH, else its path
    (``.venv/bin/translator`` after ``./dev demo``)."""
    ran = Path(sys.argv[0])
    on_path = shutil.which("translator")
    if ran.name == "translator" and not (on_path and Path(on_path).resolve() == ran.resolve()):
        try:
            return shlex.quote(str(ran.resolve().relative_to(Path.cwd())))
        except ValueError:
            return shlex.quote(str(ran.resolve()))
    return "translator"


COMMANDS = [demo]

"""The ``demo`` command: the whole pipeline on the example article, then what to look at next."""

from __future__ import annotations

import os
from pathlib import Path

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..languages import normalize_code, normalize_codes
from .context import AppContext
from .output import console, error_console
from .translate import _Bars, _Speed, _summary


@click.command()
@click.argument("directory", default="demo-workspace", type=click.Path(file_okay=False, path_type=Path))
@click.option("--source", default="en", show_default=True, help="Source language.")
@click.option("--targets", default="nl,de,fr,es,pt", show_default=True, help="Target languages.")
@click.option("--models-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder of installed models (default: the workspace's; env TRANSLATOR_MODELS_DIR).")
@click.option("--replace", is_flag=True, help="Start an existing demo workspace afresh.")
@click.pass_obj
def demo(app: AppContext, directory: Path, source: str, targets: str, models_dir: Path | None, replace: bool) -> None:
    """Run the pipeline on the example article in DIRECTORY (default: ./demo-workspace).

    Creates the workspace, imports the example TM, the default glossary and the article, and
    machine-translates into every target language that has a model.
    """
    from ..demo import run_demo  # the whole pipeline: imported only when asked for

    if models_dir:
        os.environ["TRANSLATOR_MODELS_DIR"] = str(models_dir.resolve())
    out = console()
    columns = (TextColumn("{task.description:>6}"), BarColumn(), MofNCompleteColumn(), _Speed(), TimeRemainingColumn())
    with Progress(*columns, console=error_console()) as progress:
        report = run_demo(directory.resolve(), normalize_code(source), normalize_codes(targets),
                          app.user_option or os.environ.get("TRANSLATOR_USER") or "demo", replace=replace,
                          progress=_Bars(progress))
    ws = report.workspace
    out.print(f"[bold]workspace[/] {ws.root} ({ws.source} -> {', '.join(ws.targets)}; database {ws.database_url})")
    out.print(f"[bold]translation memory[/] {report.tm_units} units from examples/newsroom-memory.tmx")
    out.print(f"[bold]glossary[/] {report.glossary_concepts} concepts from glossary/world-news.csv")
    if report.article:
        a = report.article
        out.print(f"[bold]article[/] {a.slug}: {a.segments} segments in {a.blocks} blocks; "
                  f"{a.tm_exact} filled from the TM, {a.suggestions} TM suggestions")
    if report.runs:
        _summary(report.runs)
    if report.missing:
        missing = ", ".join(report.missing)
        out.print(f"[yellow]not machine-translated, no model installed[/]: {missing} (models in {ws.models_path})")
        for lang in report.missing:
            out.print(f"  translator -w {directory} models install {ws.source} {lang}")
        out.print("Those download from the Argos package index; offline, install a downloaded file with "
                  "'translator models install FILE.argosmodel', or point --models-dir / TRANSLATOR_MODELS_DIR "
                  "at a folder of installed Argos packages.")
    slug = report.article.slug if report.article else "putin-xi-call"
    lang = next((r.language for r in report.runs), ws.targets[0])
    out.print("\n[bold]next[/]: "
              f"cd {directory} && translator articles && translator show {slug} --lang {lang} && translator report")


COMMANDS = [demo]

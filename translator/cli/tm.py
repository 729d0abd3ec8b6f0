"""Commands for the translation memory: ``tm import``, ``tm export``, ``tm search``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ..i18n import gettext as _, ngettext
from ..languages import normalize_code
from ..memory import DEFAULT_THRESHOLD, TranslationMemory
from ..tm_files import export_tmx, import_tmx
from .context import AppContext, FiniteRange
from .output import console, print_json


@click.group()
def tm() -> None:
    """The translation memory (TM): exchange as TMX, search."""


@tm.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_obj
def tm_import(app: AppContext, file: Path) -> None:
    """Add the units of a TMX file to the memory (all or nothing)."""
    with app.session(write=True) as session:
        report = import_tmx(TranslationMemory(session), file, app.user)
    line = (_("{file}: {added} units added, {merged} already known, {skipped} empty skipped") if report.skipped
            else _("{file}: {added} units added, {merged} already known"))
    console().print(line.format(file=escape(str(file)), added=report.added, merged=report.merged, skipped=report.skipped))


@tm.command("export")
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path), help="TMX file to write.")
@click.option("--lang", "-l", help="Only this target language.")
@click.option("--approved-only", is_flag=True, help="Only approved units.")
@click.pass_obj
def tm_export(app: AppContext, out: Path, lang: str | None, approved_only: bool) -> None:
    """Write the memory as TMX 1.4b."""
    target = normalize_code(lang) if lang else None
    with app.session() as session:
        count = export_tmx(TranslationMemory(session), out, app.workspace.source, target, approved_only)
    console().print(ngettext("wrote {count} units to {path}", "wrote {count} units to {path}", count)
                    .format(count=count, path=escape(str(out))))


@tm.command("search")
@click.argument("text")
@click.option("--lang", "-l", required=True, help="Target language.")
@click.option("--source-lang", help="Source language (default: the workspace's).")
@click.option("--threshold", type=FiniteRange(0, 100), default=DEFAULT_THRESHOLD, show_default=True,
              help="Lowest fuzzy score shown (0-100).")
@click.option("--limit", "-n", type=click.IntRange(1, 100), default=5, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_obj
def tm_search(app: AppContext, text: str, lang: str, source_lang: str | None, threshold: float, limit: int,
              as_json: bool) -> None:
    """Find TM units matching TEXT, exact first, with fuzzy scores."""
    target = normalize_code(lang)
    source = normalize_code(source_lang) if source_lang else app.workspace.source
    with app.session() as session:
        matches = TranslationMemory(session).search(source, target, text, threshold, limit)
        rows = [
            {"score": round(m.score, 1), "source": m.unit.source, "target": m.unit.target,
             "origin": m.unit.origin.value, "approved": m.unit.approved, "id": m.unit.id,
             "updated_at": m.unit.updated_at.isoformat(timespec="seconds")}
            for m in matches
        ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        console().print(_("no matches at or above {threshold} for {source} -> {target}").format(
            threshold=f"{threshold:g}", source=source, target=target))
        return
    table = Table(title=f"TM {source} -> {target}", title_justify="left", show_lines=True)
    for name, justify in ((_("score"), "right"), (_("source"), "left"), (_("target"), "left"), (_("origin"), "left")):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for r in rows:
        origin = f"{r['origin']}{', approved' if r['approved'] else ''}"
        table.add_row(f"{r['score']:.1f}", escape(str(r["source"])), escape(str(r["target"])), origin)
    console().print(table)


COMMANDS = [tm]

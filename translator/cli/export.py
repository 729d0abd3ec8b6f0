"""Commands for getting work out and back: ``export`` and ``import-translations``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ..errors import TranslatorError
from ..export import FORMATS, export
from ..i18n import gettext as _, ngettext
from ..import_translations import AS_STATUSES, import_translations
from ..localize import Fallback, Policy
from ..status import Status
from .context import AppContext
from .output import console, print_json


@click.command("export")
@click.argument("slugs", nargs=-1)
@click.option("--all", "all_articles", is_flag=True, help="Every article in the workspace.")
@click.option("--lang", "-l", "langs", multiple=True, help="Target language (repeat, or comma-separated).")
@click.option("--all-languages", is_flag=True, help="Every target language of the workspace.")
@click.option("--format", "-f", "formats", multiple=True, default=("text",), show_default=True,
              help=f"One of {', '.join(FORMATS)} or all (repeat, or comma-separated).")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: export/ in the workspace).")
@click.option("--only-approved", is_flag=True, help="Only approved translations go out (for publication).")
@click.option("--include-machine", is_flag=True, help="Machine and fuzzy drafts go out too (for a preview).")
@click.option("--fallback", type=click.Choice([f.value for f in Fallback]), default="source", show_default=True,
              help="What replaces a segment whose translation does not go out.")
@click.option("--strict", is_flag=True, help="Exit with 1 if any segment needed the fallback.")
@click.option("--mo", is_flag=True, help="With po: also compile .mo files.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def export_(app: AppContext, slugs: tuple[str, ...], all_articles: bool, langs: tuple[str, ...],
            all_languages: bool, formats: tuple[str, ...], out: Path | None, only_approved: bool,
            include_machine: bool, fallback: str, strict: bool, mo: bool, as_json: bool) -> None:
    """Write localized articles (text, markdown, html) and exchange files (po, xliff, tmx) per language.

    Files go to OUT/<lang>/<slug>.<ext>, PO files to OUT/<lang>/LC_MESSAGES/<slug>.po. By default approved
    and translated segments go out; the others follow --fallback.
    """
    if all_articles == bool(slugs):
        raise TranslatorError(_("name the articles to export, or use --all (not both)"))
    if all_languages == bool(langs):
        raise TranslatorError(_("name the languages with --lang, or use --all-languages (not both)"))
    wanted = [f.strip() for item in formats for f in item.split(",") if f.strip()]
    wanted = list(FORMATS) if "all" in wanted else wanted
    workspace = app.workspace
    languages = workspace.targets if all_languages else workspace.require_targets(",".join(langs))
    policy = Policy.choose(only_approved, include_machine, fallback)
    with app.session() as session:
        report = export(session, out or workspace.root / "export", slugs=None if all_articles else list(slugs),
                        languages=languages, formats=wanted, targets=workspace.targets, policy=policy, mo=mo)
    summary = {
        lang: {"articles": s.articles, "files": s.files, "exported": dict(s.tally.exported),
               "fallbacks": dict(s.tally.fallbacks)}
        for lang, s in report.languages.items()
    }
    if as_json:
        print_json({"out": str(report.out), "files": len(report.files), "languages": summary})
    else:
        _print_summary(report.out, summary, policy.fallback.value)
    if strict and report.fallbacks:
        console().print(ngettext("--strict: {count} segments needed the fallback",
                                 "--strict: {count} segments needed the fallback", report.fallbacks)
                        .format(count=report.fallbacks))
        raise click.exceptions.Exit(1)


def _print_summary(out: Path, summary: dict[str, dict], fallback: str) -> None:
    table = Table(title=_("exported to {path}").format(path=escape(str(out))), title_justify="left")
    for name, justify in ((_("lang"), "left"), (_("articles"), "right"), (_("files"), "right"),
                          (_("segments exported"), "left"), (_("fallback: {fallback}").format(fallback=fallback),
                                                             "right")):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for lang, s in summary.items():
        fallbacks = sum(s["fallbacks"].values())
        table.add_row(lang, str(s["articles"]), str(s["files"]), _by_status(s["exported"]) or "0",
                      f"{fallbacks} ({_by_status(s['fallbacks'])})" if fallbacks else "0")
    console().print(table)


def _by_status(counts: dict[str, int]) -> str:
    return ", ".join(f"{counts[s.value]} {s.value}" for s in Status if counts.get(s.value))


@click.command("import-translations")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--as", "as_status", type=click.Choice(AS_STATUSES), default="translated", show_default=True,
              help="approved: approve what the file marks finished (PO not fuzzy, XLIFF state translated+).")
@click.option("--force", is_flag=True, help="Overwrite translations changed in the workspace since the export.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.pass_obj
def import_translations_(app: AppContext, file: Path, as_status: str, force: bool, as_json: bool) -> None:
    """Bring back a PO or XLIFF file exported by 'translator export', edited in another tool.

    Exit code 1 if any unit was refused (listed with the reason).
    """
    workspace = app.workspace
    with app.session(write=True) as session:
        outcome = import_translations(session, file, app.user, targets=workspace.targets, as_status=as_status,
                                      force=force, disabled=workspace.disabled_checks)
    if as_json:
        print_json({"article": outcome.slug, "language": outcome.language, "updated": outcome.updated,
                    "approved": outcome.approved, "unchanged": outcome.unchanged,
                    "refused": [{"segment": r.number, "segment_id": r.segment_id, "reason": r.reason}
                                for r in outcome.refused]})
    else:
        out = console()
        out.print(_("{file}: {slug} ({language}): {updated} updated, {approved} approved, {unchanged} unchanged, "
                    "{refused} refused").format(file=file, slug=outcome.slug, language=outcome.language,
                                                updated=len(outcome.updated), approved=len(outcome.approved),
                                                unchanged=outcome.unchanged, refused=len(outcome.refused)),
                  highlight=False, markup=False)
        for refusal in outcome.refused:
            out.print("  " + _("refused segment {number}: {reason}").format(number=refusal.number,
                                                                           reason=refusal.reason),
                      highlight=False, markup=False)
    if outcome.refused:
        raise click.exceptions.Exit(1)


COMMANDS = [export_, import_translations_]

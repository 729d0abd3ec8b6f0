"""Commands for articles: ``import``, ``articles`` and ``show``."""

from __future__ import annotations

from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ..article_changes import remove_article, rename_article
from ..articles import FORMATS, ImportReport, import_files
from ..i18n import gettext as _, ngettext
from ..overview import article_segments, list_articles
from ..review_queue import flag_message, flag_severity
from ..status import parse_statuses
from .context import AppContext
from .output import console, error_console, print_json, styled_status


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--slug", help="Article slug (default: from the file name). One file only.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), help="Input format (default: from the extension).")
@click.option("--title", help="Article title (default: the title found in the file). One file only.")
@click.option("--lang", help="Source language of the file (default: the workspace's).")
@click.option("--encoding", default="utf-8", show_default=True, help="Text encoding of the files.")
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON.")
@click.pass_obj
def import_(app: AppContext, files: tuple[Path, ...], slug: str | None, fmt: str | None, title: str | None,
            lang: str | None, encoding: str, as_json: bool) -> None:
    """Import articles, or update them from changed files (all or nothing).

    Unchanged segments keep their translations; changed ones keep them as stale;
    exact translation-memory hits fill new segments, fuzzy ones become suggestions.
    """
    with app.session(write=True) as session:
        reports = import_files(session, app.workspace, list(files), app.user, slug=slug, fmt=fmt, title=title,
                               lang=lang, encoding=encoding)
    _warn_similar(files, reports)  # on stderr, so --json stays clean
    if as_json:
        print_json([{**r.__dict__, "summary": r.summary} for r in reports])
        return
    for r in reports:
        extra = []
        if r.tm_exact:
            extra.append(ngettext("{count} filled from the TM", "{count} filled from the TM", r.tm_exact)
                         .format(count=r.tm_exact))
        if r.suggestions:
            extra.append(ngettext("{count} TM suggestions", "{count} TM suggestions", r.suggestions)
                         .format(count=r.suggestions))
        tail = f" ({'; '.join(extra)})" if extra else ""
        console().print(f"[bold]{escape(r.slug)}[/]: {escape(_summary(r) + tail)}")


def _warn_similar(files: tuple[Path, ...], reports: list[ImportReport]) -> None:
    """One stderr line per new article that repeats an existing one, saying how to update that one instead."""
    for path, r in zip(files, reports):
        if r.similar is None:
            continue
        line = _("{file}: the new article {slug} repeats {shared} of its {segments} segments from article {old}; "
                 "if it is a changed copy, run 'translator articles remove {slug}' and "
                 "'translator import {file} --slug {old}' to update {old} instead").format(
            file=path, slug=r.slug, shared=r.similar.shared, segments=r.similar.segments, old=r.similar.slug)
        error_console().print(f"[yellow]{escape(_('warning:'))}[/] {escape(line)}", soft_wrap=True)


def _summary(r: ImportReport) -> str:
    """``r.summary`` in the UI language (the JSON keeps the English one)."""
    if r.created:
        return _("imported {segments} segments in {blocks} blocks").format(segments=r.segments, blocks=r.blocks)
    if r.same_file:
        return _("unchanged")
    parts = [message.format(count=n) for n, message in (
        (r.added, ngettext("{count} added", "{count} added", r.added)),
        (r.changed, ngettext("{count} changed", "{count} changed", r.changed)),
        (r.moved, ngettext("{count} moved", "{count} moved", r.moved)),
        (r.removed, ngettext("{count} removed", "{count} removed", r.removed)),
        (r.unchanged, ngettext("{count} unchanged", "{count} unchanged", r.unchanged)),
    ) if n]
    return _("updated: {changes}").format(changes=", ".join(parts))


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_context
def articles(ctx: click.Context, as_json: bool) -> None:
    """List the articles with their translation progress per language; 'rename' and 'remove' change one."""
    if ctx.invoked_subcommand is not None:
        return
    app: AppContext = ctx.obj
    with app.session() as session:
        rows = list_articles(session)
    if as_json:
        print_json(rows)
        return
    targets = app.workspace.targets
    title = ngettext("{count} articles", "{count} articles", len(rows)).format(count=len(rows))
    table = Table(title=title, title_justify="left")
    # Only the title may wrap: slugs and figures must stay whole on narrow terminals.
    table.add_column(_("slug"), no_wrap=True)
    table.add_column(_("title"), overflow="fold", ratio=1)
    table.add_column(_("src"), no_wrap=True)
    table.add_column(_("segments"), justify="right", no_wrap=True)
    for lang in targets:
        table.add_column(lang, justify="right", no_wrap=True)
    for row in rows:
        done = [
            f"{row.statuses.get(lang, {}).get('approved', 0)}/{row.segments}" for lang in targets
        ]
        table.add_row(escape(row.slug), escape(row.title), row.source_lang, str(row.segments), *done)
    console().print(table)
    if targets:
        legend = _("per language: approved / segments")
        console().print(f"[dim]{legend}[/]")


@click.command()
@click.argument("slug")
@click.option("--lang", "-l", help="Comma-separated languages to show (default: all targets).")
@click.option("--status", "statuses", help="Only segments with one of these comma-separated statuses in a "
                                           "language shown (e.g. machine,stale).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_obj
def show(app: AppContext, slug: str, lang: str | None, statuses: str | None, as_json: bool) -> None:
    """Show an article's segments with their translations and statuses."""
    languages = app.workspace.require_targets(lang)
    wanted = parse_statuses(statuses) if statuses else None
    with app.session() as session:
        rows = article_segments(session, slug, languages)
    if wanted:
        rows = [row for row in rows
                if any(str(row.translations.get(code, {}).get("status", "untranslated")) in wanted
                       for code in languages)]
    if as_json:
        print_json(rows)
        return
    print_segments(slug, rows, languages)


def print_segments(slug: str, rows: list, languages: list[str]) -> None:
    """The segments table of ``show``: one language with texts and flags, or several with statuses."""
    table = Table(title=escape(slug), title_justify="left", show_lines=len(languages) == 1)
    table.add_column("#", justify="right")
    table.add_column(_("kind"))
    table.add_column(_("source"), overflow="fold")
    if len(languages) == 1:
        table.add_column(languages[0], overflow="fold")
        table.add_column(_("status"))
    else:
        for code in languages:
            table.add_column(code)
    for row in rows:
        cells = [str(row.position + 1), row.kind, escape(row.source)]
        if len(languages) == 1:
            tr = row.translations.get(languages[0], {})
            status = styled_status(str(tr.get("status", "untranslated")))
            for flag in tr.get("flags") or []:  # e.g. a glossary term MT could not keep
                style = "red" if flag_severity(flag) == "error" else "yellow"
                status += f"\n[{style}]{escape(str(flag.get('check')))}[/]: {escape(flag_message(flag))}"
            cells += [escape(str(tr.get("text") or "")), status]
        else:
            cells += [styled_status(str(row.translations.get(code, {}).get("status", "untranslated")))
                      + (" [red]⚑[/]" if row.translations.get(code, {}).get("flags") else "")
                      for code in languages]
        table.add_row(*cells)
    console().print(table)


@articles.command("rename")
@click.argument("old")
@click.argument("new")
@click.pass_obj
def articles_rename(app: AppContext, old: str, new: str) -> None:
    """Give article OLD the slug NEW; its segments, translations and history go with it.

    Files already exported under OLD stay as they are; 'translator import FILE --slug NEW' updates it.
    """
    with app.session(write=True) as session:
        rename_article(session, old, new, app.user)
    console().print(_("renamed {old} to {new}").format(old=old, new=new), markup=False)


@articles.command("remove")
@click.argument("slug")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
def articles_remove(app: AppContext, slug: str, yes: bool) -> None:
    """Remove article SLUG: its segments, translations, suggestions and comments.

    Kept: its units in the translation memory (approved translations still match new articles) and its
    events in the history log. Exported files are not touched.
    """
    if not yes and not click.confirm(_("remove article {slug} and its translations?").format(slug=slug)):
        raise click.exceptions.Exit(1)
    with app.session(write=True) as session:
        removal = remove_article(session, slug, app.user)
    console().print(_("removed {slug}: {segments} segments, {translations} translations; {units} TM units kept")
                    .format(slug=removal.slug, segments=removal.segments, translations=removal.translations,
                            units=removal.tm_units), markup=False)


COMMANDS = [import_, articles, show]

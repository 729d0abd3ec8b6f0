"""Commands for the glossary: ``glossary import``, ``export``, ``list``, ``add``, ``remove``, ``find``."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ..errors import TranslatorError
from ..glossary import (
    Glossary,
    GlossaryEntry,
    GlossaryImportReport,
    add_concept,
    export_glossary,
    import_glossary,
    list_concepts,
    parse_forms,
    remove_concept,
)
from ..i18n import gettext as _, ngettext
from ..languages import normalize_code, normalize_codes
from ..models import ConceptKind
from .context import AppContext
from .output import console, print_json

KINDS = [k.value for k in ConceptKind]


@click.group()
def glossary() -> None:
    """The glossary of names, titles and places: exchange as CSV or TBX, list, edit, try out."""


@glossary.command("import")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON.")
@click.pass_obj
def glossary_import(app: AppContext, files: tuple[Path, ...], as_json: bool) -> None:
    """Import glossary files, .csv or .tbx (all or nothing).

    Without FILE, the files listed in translator.toml under [glossary] files. Importing a file
    again updates its concepts and removes those it no longer lists. The QA checks run again on
    the translations that mention a concept added, changed or removed.
    """
    workspace = app.workspace
    paths = list(files) or [workspace.resolve(name) for name in workspace.glossary]
    if not paths:
        raise TranslatorError(_("no glossary file given, and translator.toml lists none under [glossary] files"))
    with app.session(write=True) as session:
        reports = [import_glossary(session, path, workspace.source, app.user, workspace.disabled_checks)
                   for path in paths]
    if as_json:
        print_json([{**r.__dict__, "summary": r.summary} for r in reports])
        return
    for r in reports:
        console().print(f"{escape(r.path)}: {_summary(r)}")


def _summary(r: GlossaryImportReport) -> str:
    """``r.summary`` in the UI language (the JSON keeps the English one)."""
    parts = [ngettext("{count} added", "{count} added", r.added).format(count=r.added),
             ngettext("{count} updated", "{count} updated", r.updated).format(count=r.updated),
             ngettext("{count} unchanged", "{count} unchanged", r.unchanged).format(count=r.unchanged)]
    if r.removed:
        parts.append(ngettext("{count} removed", "{count} removed", r.removed).format(count=r.removed))
    return ", ".join(parts)


@glossary.command("export")
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="File to write: .csv or .tbx (TBX-Basic).")
@click.option("--lang", "-l", "langs", multiple=True, help="Only these target languages (repeat, or comma-separated).")
@click.pass_obj
def glossary_export(app: AppContext, out: Path, langs: tuple[str, ...]) -> None:
    """Write the glossary as CSV or TBX, the source language first."""
    languages = normalize_codes(",".join(langs)) if langs else None
    with app.session() as session:
        count = export_glossary(session, out, app.workspace.source, languages, app.workspace.targets)
    console().print(ngettext("wrote {count} concepts to {path}", "wrote {count} concepts to {path}", count)
                    .format(count=count, path=escape(str(out))))


@glossary.command("list")
@click.option("--lang", "-l", help="Only concepts with terms in this language, and only its column.")
@click.option("--kind", "-k", type=click.Choice(KINDS), help="Only concepts of this kind.")
@click.option("--search", "-s", "text", help="Only concepts with a form containing TEXT (any case).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_obj
def glossary_list(app: AppContext, lang: str | None, kind: str | None, text: str | None, as_json: bool) -> None:
    """List the concepts with their forms per language: preferred first (bold), forbidden ones with "!"."""
    language = normalize_code(lang) if lang else None
    source = app.workspace.source
    with app.session() as session:
        entries = list_concepts(session, language=language, kind=kind, text=text)
    if as_json:
        print_json([_as_dict(e) for e in entries])
        return
    if not entries:
        console().print(_("no concepts match") if language or kind or text
                        else _("no concepts; import some with 'translator glossary import'"))
        return
    targets = [language] if language and language != source else list(app.workspace.targets)
    title = ngettext("{count} concept", "{count} concepts", len(entries)).format(count=len(entries))
    table = Table(title=title, title_justify="left", show_lines=True)
    for name, justify in ((_("id"), "right"), (_("kind"), "left"), (source, "left"), *((t, "left") for t in targets),
                          (_("note"), "left")):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for entry in entries:
        table.add_row(str(entry.id), entry.kind.value, _forms(entry, source),
                      *(_forms(entry, t, source) for t in targets), f"[dim]{escape(entry.note)}[/]")
    console().print(table)


@glossary.command("add")
@click.option("--kind", "-k", type=click.Choice(KINDS), required=True, help="What the concept is.")
@click.option("--term", "-t", "terms", multiple=True, required=True, metavar="LANG=FORMS",
              help='Forms in one language, preferred first, "|" between them, "!" before a forbidden one; '
                   'repeat per language, e.g. -t en="Emmanuel Macron|Macron" -t de="Emmanuel Macron|Macron".')
@click.option("--note", "-n", default="", help="A note for translators.")
@click.option("--case-sensitive/--ignore-case", default=None,
              help="How the forms are matched (default: names and do-not-translate by case, titles not).")
@click.option("--whole-segment", is_flag=True, help="Match only a segment that is the term alone.")
@click.pass_obj
def glossary_add(app: AppContext, kind: str, terms: tuple[str, ...], note: str, case_sensitive: bool | None,
                 whole_segment: bool) -> None:
    """Add a concept, or add languages to the one with the same kind and source form."""
    allowed: dict[str, list[str]] = {}
    forbidden: dict[str, list[str]] = {}
    for item in terms:
        lang, sep, cell = item.partition("=")
        if not sep or not cell.strip():
            raise TranslatorError(_("--term {item!r}: expected LANG=FORMS, e.g. de=\"Wladimir Putin|Putin\"")
                                  .format(item=item))
        code = normalize_code(lang)
        if code in allowed or code in forbidden:
            raise TranslatorError(_("--term: {code} given twice; put its forms in one, separated by '|'")
                                  .format(code=code))
        good, bad = parse_forms(cell)
        if kind == ConceptKind.FORBIDDEN.value:
            good, bad = [], [*good, *bad]
        if good:
            allowed[code] = good
        if bad:
            forbidden[code] = bad
    entry = GlossaryEntry(ConceptKind(kind), allowed, forbidden, note.strip(), case_sensitive, whole_segment)
    with app.session(write=True) as session:
        stored, created = add_concept(session, entry, app.workspace.source, app.user, app.workspace.disabled_checks)
    label = stored.label(app.workspace.source)
    line = _("added {label!r} ({kind}, id {id})") if created else _("updated {label!r} ({kind}, id {id})")
    console().print(escape(line.format(label=label, kind=stored.kind.value, id=stored.id)))  # escaped after !r


@glossary.command("remove")
@click.argument("ref", metavar="TERM|ID")
@click.pass_obj
def glossary_remove(app: AppContext, ref: str) -> None:
    """Remove a concept, given by its id or one of its forms."""
    with app.session(write=True) as session:
        entry = remove_concept(session, ref, app.workspace.source, app.user, app.workspace.disabled_checks)
    console().print(escape(_("removed {label!r} ({kind}, id {id})").format(
        label=entry.label(app.workspace.source), kind=entry.kind.value, id=entry.id)))


@glossary.command("find")
@click.argument("text")
@click.option("--lang", "-l", required=True, help="Target language.")
@click.option("--translation", help="A translation of TEXT to check: required forms kept, forbidden ones used.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_obj
def glossary_find(app: AppContext, text: str, lang: str, translation: str | None, as_json: bool) -> None:
    """Show the glossary terms found in TEXT and what a translation must contain."""
    target = normalize_code(lang)
    with app.session() as session:
        terms = Glossary.load(session, app.workspace.source, target)
    matches = terms.find(text)
    kept = {id(m) for m in terms.adherence(translation, matches)[0]} if translation is not None else set()
    bad = terms.forbidden_used(translation) if translation is not None else []
    if as_json:
        rows = [{**asdict(m), **({"present": id(m) in kept} if translation is not None else {})} for m in matches]
        print_json({"matches": rows, "forbidden": bad})
        return
    if not matches:
        console().print(_("no glossary terms for {source} -> {target} in the text").format(
            source=app.workspace.source, target=target))
    else:
        table = Table(title=f"{app.workspace.source} -> {target}", title_justify="left")
        for name in (_("source"), _("kind"), _("required"), _("also accepted"),
                     *([_("in translation")] if translation else [])):
            table.add_column(name, overflow="fold")
        yes, missing = _("yes"), _("missing")
        for m in matches:
            row = [escape(m.text), m.kind.value, escape(m.target), escape(", ".join(m.variants))]
            if translation is not None:
                row.append(f"[green]{yes}[/]" if id(m) in kept else f"[red]{missing}[/]")
            table.add_row(*row)
        console().print(table)
    label = _("forbidden:")
    for use in bad:
        # escaped after repr(): a backslash repr() doubles would undo rich's escape
        instead = "; " + _("use {term!r}").format(term=use.use_instead) if use.use_instead else ""
        console().print(f"[red]{escape(label)}[/] " + escape(f"{use.text!r} ({use.concept}){instead}"))


def _forms(entry: GlossaryEntry, lang: str, source: str | None = None) -> str:
    allowed = entry.terms.get(lang, [])
    if not allowed and source and entry.kind is ConceptKind.DO_NOT_TRANSLATE:
        allowed = [f"[dim]{escape(f)}[/]" for f in entry.terms.get(source, [])[:1]]
    else:
        allowed = [f"[bold]{escape(f)}[/]" if i == 0 else escape(f) for i, f in enumerate(allowed)]
    bad = [f"[red]!{escape(f)}[/]" for f in entry.forbidden.get(lang, [])]
    return "\n".join([*allowed, *bad])


def _as_dict(entry: GlossaryEntry) -> dict[str, object]:
    return {"id": entry.id, "kind": entry.kind.value, "note": entry.note, "case_sensitive": entry.case_sensitive,
            "whole_segment": entry.whole_segment, "terms": entry.terms, "forbidden": entry.forbidden}


COMMANDS = [glossary]

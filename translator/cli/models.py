"""Commands for translation models (Argos packages): ``models list``, ``available``, ``install``, ``remove``."""

from __future__ import annotations

import os
from pathlib import Path

import click
from rich.markup import escape
from rich.table import Table

from ..errors import TranslatorError
from ..i18n import gettext as _, ngettext
from ..languages import language_name
from ..mt.packages import (
    InstallReport,
    canonical_code,
    disk_size,
    install_file,
    install_pair,
    list_models,
    package_index,
    remove_model,
)
from .context import AppContext
from .output import console, error_console, print_json


@click.group()
def models() -> None:
    """Translation models (Argos packages): list, install from the Argos index or a file, remove.

    Models live in the workspace's models folder (translator.toml [models] dir, default
    .translator/models); TRANSLATOR_MODELS_DIR overrides it, and also works outside a workspace.
    """


@models.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_obj
def models_list(app: AppContext, as_json: bool) -> None:
    """Installed models: languages, version, size on disk, folder."""
    folder = _models_dir(app)
    listing = list_models(folder)
    warning = _("warning:")
    for problem in listing.problems:
        error_console().print(f"[yellow]{warning}[/] {escape(problem)}", soft_wrap=True)
    rows = [
        {"from_code": m.from_code, "from_name": _name(m.from_code), "to_code": m.to_code, "to_name": _name(m.to_code),
         "version": m.version, "size_bytes": disk_size(m.path), "tokenizer": m.tokenizer_kind, "path": str(m.path)}
        for m in listing.models
    ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        console().print(_("no models in {folder}; install one with 'translator models install FROM TO', or from a "
                          "downloaded file with 'translator models install FILE.argosmodel'")
                        .format(folder=escape(str(folder))), soft_wrap=True)
        return
    table = Table(title=_("Models in {folder}").format(folder=escape(str(folder))), title_justify="left")
    for name, justify in ((_("from"), "left"), (_("to"), "left"), (_("version"), "left"), (_("size"), "right"),
                          (_("folder"), "left")):
        table.add_column(name, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for r in rows:
        table.add_row(escape(f"{r['from_code']} {r['from_name']}"), escape(f"{r['to_code']} {r['to_name']}"),
                      escape(str(r["version"])), _human_size(int(r["size_bytes"])), escape(Path(str(r["path"])).name))
    console().print(table)


@models.command("available")
@click.option("--lang", "-l", help="Only pairs from or to this language.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_obj
def models_available(app: AppContext, lang: str | None, as_json: bool) -> None:
    """Models in the Argos package index (needs the network; offline, the last copy fetched)."""
    folder = _models_dir(app)
    with error_console().status(_("fetching the Argos package index")):
        index = package_index(folder)
    if not index.fresh:
        warning = _("warning:")
        error_console().print(f"[yellow]{warning}[/] " + _("cannot reach the Argos package index (offline?); showing "
                                                           "the copy in {path}, which may be out of date")
                              .format(path=escape(str(index.path))), soft_wrap=True)
    installed = {(canonical_code(m.from_code), canonical_code(m.to_code)): m.version
                 for m in list_models(folder).models}
    wanted = canonical_code(lang) if lang else None
    rows = [
        {"from_code": m.from_code, "from_name": _name(m.from_code), "to_code": m.to_code, "to_name": _name(m.to_code),
         "version": m.version,
         "installed": installed.get((canonical_code(m.from_code), canonical_code(m.to_code)))}
        for m in index.models
        if wanted is None or wanted in (canonical_code(m.from_code), canonical_code(m.to_code))
    ]
    if as_json:
        print_json(rows)
        return
    table = Table(title=_("Argos package index"), title_justify="left")
    for name in (_("from"), _("to"), _("version"), _("installed")):
        table.add_column(name, overflow="fold")
    for r in rows:
        table.add_row(escape(f"{r['from_code']} {r['from_name']}"), escape(f"{r['to_code']} {r['to_name']}"),
                      escape(str(r["version"])), escape(str(r["installed"] or "")))
    console().print(table)
    console().print(ngettext("{count} models; install one with 'translator models install FROM TO'",
                             "{count} models; install one with 'translator models install FROM TO'", len(rows))
                    .format(count=len(rows)))


@models.command("install")
@click.argument("what", nargs=-1, required=True, metavar="FROM TO | FILE.argosmodel")
@click.pass_obj
def models_install(app: AppContext, what: tuple[str, ...]) -> None:
    """Install a model: FROM TO downloads it from the Argos index; FILE.argosmodel installs a file
    downloaded elsewhere (no network needed).

    The file is checked before anything is written, and an installed version of the same pair is
    replaced only once the new one is in place.
    """
    folder = _models_dir(app)
    if len(what) == 1:
        path = Path(what[0])
        if not path.exists() and path.suffix != ".argosmodel":
            raise TranslatorError(_("no file {name!r}; give FROM TO to download a model, "
                                    "or the path of a .argosmodel file").format(name=what[0]))
        report = install_file(folder, path)
    elif len(what) == 2 and not any(w.endswith(".argosmodel") for w in what):
        with error_console().status(_("downloading the {source} -> {target} model").format(source=escape(what[0]),
                                                                                           target=escape(what[1]))):
            report = install_pair(folder, *what)
    else:
        raise TranslatorError(_("give FROM TO (e.g. 'translator models install en de') or one FILE.argosmodel"))
    _print_report(report)


@models.command("remove")
@click.argument("from_code", metavar="FROM")
@click.argument("to_code", metavar="TO")
@click.pass_obj
def models_remove(app: AppContext, from_code: str, to_code: str) -> None:
    """Remove the installed model for FROM -> TO (codes as 'translator models list' shows them)."""
    for model in remove_model(_models_dir(app), from_code, to_code):
        console().print(_("removed {pair} {version} ({path})").format(
            pair=escape(model.pair), version=escape(model.version), path=escape(str(model.path))), soft_wrap=True)


def _models_dir(app: AppContext) -> Path:
    try:
        return app.workspace.models_path
    except TranslatorError as exc:
        named = os.environ.get("TRANSLATOR_MODELS_DIR")
        if named:
            return Path(named).expanduser().resolve()
        raise TranslatorError(_("{error}, or set TRANSLATOR_MODELS_DIR").format(error=exc)) from None


def _print_report(report: InstallReport) -> None:
    # codes and versions come from the package's metadata: file text, not markup
    m = report.model
    pair, version = escape(m.pair), escape(m.version)
    names = escape(f"({_name(m.from_code)} -> {_name(m.to_code)})")
    where = escape(str(m.path))
    if report.unchanged:
        console().print(_("{pair} {version} {names} is already installed in {path}").format(
            pair=pair, version=version, names=names, path=where), soft_wrap=True)
        return
    replaced = escape(", ".join(old.version for old in report.replaced))
    change = f"{replaced} -> {version}" if replaced else version
    line = (_("updated {pair} {change} {names} in {path}") if replaced
            else _("installed {pair} {change} {names} in {path}"))
    if [old.version for old in report.replaced] == [m.version]:
        line, change = _("reinstalled {pair} {change} {names} in {path}"), version
    console().print(line.format(pair=pair, change=change, names=names, path=where), soft_wrap=True)


def _name(code: str) -> str:
    return language_name(canonical_code(code))


def _human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"  # pragma: no cover


COMMANDS = [models]

"""Coverage reports for managers: where each language stands, per article, and how work moves.

``build_report`` computes the figures by SQL aggregation (``figures.py``); ``render`` turns them
into a terminal table, JSON, CSV or one self-contained HTML file, in a locale's words and numbers::

    with transaction(workspace.database_url, write=False) as session:
        report = build_report(session, ["de", "fr"], article="putin-xi-call")
    Path("report.html").write_text(render(report, "html", "de"))
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import TranslatorError
from ..i18n import gettext as _
from .data import render_csv, render_json
from .figures import DEFAULT_DAYS, Report, build_report, select_languages, share
from .html import HTML_ROWS, render_html
from .labels import Formatter
from .text import TABLE_ROWS, render_text

__all__ = ["DEFAULT_DAYS", "FORMATS", "Formatter", "Report", "build_report", "render", "select_languages", "share",
           "write_report"]

FORMATS = ("table", "json", "csv", "html")


def render(report: Report, fmt: str, locale: str = "en", matrix_rows: int | None = None) -> str:
    """The report in ``fmt`` (one of FORMATS) for ``locale``; ``matrix_rows`` limits the articles shown
    in the table (default 20) and HTML (default 200) to the least covered ones, 0 shows all."""
    formatter = Formatter(locale)
    limit = None if matrix_rows == 0 else matrix_rows
    if fmt == "table":
        return render_text(report, formatter, limit if matrix_rows is not None else TABLE_ROWS)
    if fmt == "json":
        return render_json(report, formatter)
    if fmt == "csv":
        return render_csv(report, formatter)
    if fmt == "html":
        return render_html(report, formatter, limit if matrix_rows is not None else HTML_ROWS)
    raise TranslatorError(_("unknown report format {format!r}; use {formats}").format(
        format=fmt, formats=", ".join(FORMATS)))


def write_report(path: Path, content: str) -> None:
    """Write ``content`` to ``path`` whole or not at all: a temporary file beside it, then a rename."""
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise TranslatorError(_("cannot write {path}: it is a directory").format(path=path))
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise TranslatorError(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror)) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise TranslatorError(_("cannot write {path}: {reason}").format(path=path, reason=exc.strerror)) from None

"""Glossary CSV: one concept per row, one column per language, for editing in a spreadsheet.

The header names the columns: ``kind`` and the language codes (``kind,note,en,nl,de``), optionally
``note``, ``case_sensitive`` and ``whole_segment``. A cell holds forms separated by ``|``, the
preferred one first; ``!form`` is a forbidden form. Rows whose first cell starts with ``#`` are comments.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from translator.errors import TranslatorError
from translator.formats import replace_file
from translator.glossary import GlossaryEntry, check_entry, format_forms, parse_forms
from translator.inputs import GLOSSARY, read_input
from translator.languages import normalize_code
from translator.models import ConceptKind

KIND, NOTE, CASE, WHOLE = "kind", "note", "case_sensitive", "whole_segment"
KINDS = [k.value for k in ConceptKind]
_YES, _NO = {"yes", "y", "true", "1"}, {"no", "n", "false", "0"}


def read_glossary_csv(path: Path) -> list[GlossaryEntry]:
    """Read every concept of a glossary CSV (UTF-8; comma, semicolon or tab separated).

    Any problem raises TranslatorError("file:line: what is wrong") and nothing is returned.

    >>> entries = read_glossary_csv(Path("glossary/world-news.csv"))
    >>> entries[0].terms["de"]
    ['Wladimir Putin', 'Putin']
    """
    path = Path(path)
    data = read_input(path, GLOSSARY)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TranslatorError(f"{path}:{line}: not UTF-8 text; save the file as UTF-8") from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    entries: list[GlossaryEntry] = []
    columns: list[str] | None = None
    try:
        for row in reader:
            if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
                continue
            if columns is None:
                columns = _columns(path, reader.line_num, row)
                continue
            entries.append(_entry(path, reader.line_num, columns, row))
    except csv.Error as exc:
        what = "a quote opened here is never closed" if "unexpected end of data" in str(exc) else str(exc)
        raise TranslatorError(f"{path}:{reader.line_num}: not valid CSV: {what}") from None
    if columns is None:
        raise TranslatorError(f"{path}: empty file; the first row names the columns, e.g. kind,note,en,de")
    return entries


def write_glossary_csv(path: Path, entries: Sequence[GlossaryEntry], languages: Sequence[str]) -> int:
    """Write ``entries`` with one column per language in ``languages``; returns how many rows.

    ``case_sensitive`` and ``whole_segment`` columns appear only when an entry needs them.
    """
    path = Path(path)
    header = [KIND, NOTE]
    if any(e.case_sensitive is not None for e in entries):
        header.append(CASE)
    if any(e.whole_segment for e in entries):
        header.append(WHOLE)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*header, *languages])
    count = 0
    for entry in entries:
        cells = [_cell(entry, lang) for lang in languages]
        if not any(cells):
            continue
        extra = {
            CASE: "" if entry.case_sensitive is None else ("yes" if entry.case_sensitive else "no"),
            WHOLE: "yes" if entry.whole_segment else "",
        }
        writer.writerow([entry.kind.value, entry.note, *(extra[c] for c in header[2:]), *cells])
        count += 1
    replace_file(path, out.getvalue().encode("utf-8"))
    return count


def _delimiter(text: str) -> str:
    # spreadsheets in many European locales save with semicolons
    first = next((line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")), "")
    return max(",;\t", key=first.count)


def _columns(path: Path, line: int, row: list[str]) -> list[str]:
    columns: list[str] = []
    for cell in row:
        name = cell.strip()
        if name.lower() in (KIND, NOTE, CASE, WHOLE):
            name = name.lower()
        else:
            try:
                name = normalize_code(name)
            except TranslatorError as exc:
                raise TranslatorError(
                    f"{path}:{line}: column {cell.strip()!r} is neither {KIND}, {NOTE}, {CASE}, {WHOLE} "
                    f"nor a language: {exc}"
                ) from None
        if name in columns:
            raise TranslatorError(f"{path}:{line}: column {name!r} appears twice")
        columns.append(name)
    if KIND not in columns:
        raise TranslatorError(
            f"{path}:{line}: no {KIND!r} column; the first row names the columns, e.g. kind,note,en,de"
        )
    if all(c in (KIND, NOTE, CASE, WHOLE) for c in columns):
        raise TranslatorError(f"{path}:{line}: no language columns (en, de, ...)")
    return columns


def _entry(path: Path, line: int, columns: list[str], row: list[str]) -> GlossaryEntry:
    if len(row) > len(columns) and any(cell.strip() for cell in row[len(columns):]):
        raise TranslatorError(f"{path}:{line}: {len(row)} cells, but the header names {len(columns)} columns")
    cells = dict(zip(columns, [*row, *[""] * (len(columns) - len(row))]))
    kind = cells[KIND].strip().lower()
    if kind not in KINDS:
        raise TranslatorError(f"{path}:{line}: kind {cells[KIND].strip()!r} is not one of {', '.join(KINDS)}")
    terms: dict[str, list[str]] = {}
    forbidden: dict[str, list[str]] = {}
    try:
        for lang, cell in cells.items():
            if lang in (KIND, NOTE, CASE, WHOLE):
                continue
            try:
                allowed, bad = parse_forms(cell)
            except TranslatorError as exc:
                raise TranslatorError(f"{lang}: {exc}") from None
            if kind == ConceptKind.FORBIDDEN.value:  # every form of a forbidden concept is forbidden
                allowed, bad = [], [*allowed, *bad]
            if allowed:
                terms[lang] = allowed
            if bad:
                forbidden[lang] = bad
        entry = GlossaryEntry(
            ConceptKind(kind), terms, forbidden, note=cells.get(NOTE, "").strip(),
            case_sensitive=_yes_no(cells.get(CASE, ""), CASE), whole_segment=bool(_yes_no(cells.get(WHOLE, ""), WHOLE)),
            line=line,
        )
        check_entry(entry)
    except TranslatorError as exc:
        raise TranslatorError(f"{path}:{line}: {exc}") from None
    return entry


def _yes_no(cell: str, column: str) -> bool | None:
    value = cell.strip().lower()
    if not value:
        return None
    if value in _YES or value in _NO:
        return value in _YES
    raise TranslatorError(f"{column} is {cell.strip()!r}, expected yes, no or nothing")


def _cell(entry: GlossaryEntry, lang: str) -> str:
    forbidden = entry.forbidden.get(lang, [])
    if entry.kind is ConceptKind.FORBIDDEN:  # no "!" needed: the kind says it
        return format_forms(forbidden)
    return format_forms(entry.terms.get(lang, []), forbidden)

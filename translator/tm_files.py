"""TMX import into, and export from, the translation memory.

The file format itself lives in ``formats.tmx``; this module maps its units onto TM units.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import __version__
from .errors import TranslatorError
from .formats.tmx import TmxUnit, read_tmx, write_tmx
from .languages import normalize_code
from .memory import TranslationMemory
from .history import record
from .status import Origin


@dataclass
class TmxImportReport:
    added: int = 0
    merged: int = 0
    skipped: int = 0


def import_tmx(memory: TranslationMemory, path: Path, user: str) -> TmxImportReport:
    """Add every pair of ``path`` to the memory, in bulk; a bad file raises before anything is added."""
    units = read_tmx(path)
    report = TmxImportReport()
    # the units that are stored alike, in the order the file first has each kind: one bulk write per kind
    groups: dict[tuple[str, str, Origin, bool, str], list[tuple[str, str]]] = {}
    for unit in units:
        try:
            source_lang, target_lang = _code(unit.source_lang), _code(unit.target_lang)
        except TranslatorError as exc:
            raise TranslatorError(f"{path}: {exc}") from None
        if not unit.source.strip() or not unit.target.strip():
            report.skipped += 1
            continue
        kind = (source_lang, target_lang, _origin(unit.origin), unit.approved, unit.creator or user)
        groups.setdefault(kind, []).append((unit.source, unit.target))
    for (source_lang, target_lang, origin, approved, creator), pairs in groups.items():
        report.added += memory.add_many(source_lang, target_lang, pairs, origin, user=creator, approved=approved)
    # a pair the memory had, or that the file has twice, is merged into one unit
    report.merged = len(units) - report.skipped - report.added
    record(memory.session, user, "tm-import", detail=f"{path.name}: {report.added} added, {report.merged} merged")
    return report


@lru_cache(maxsize=256)
def _code(tag: str) -> str:
    return normalize_code(tag)


def export_tmx(
    memory: TranslationMemory,
    path: Path,
    source_lang: str,
    target_lang: str | None = None,
    approved_only: bool = False,
) -> int:
    """Write the memory's units from ``source_lang`` (to one or every target) as TMX 1.4b."""
    units = memory.units(source_lang, target_lang, approved_only)
    return write_tmx(
        path,
        (
            TmxUnit(
                source_lang=u.source_lang,
                target_lang=u.target_lang,
                source=u.source,
                target=u.target,
                created=u.created_at,
                changed=u.updated_at,
                creator=u.created_by,
                origin=Origin(u.origin).value,
                approved=u.approved,
            )
            for u in units
        ),
        source_lang=source_lang,
        tool_version=__version__,
    )


def _origin(value: str | None) -> Origin:
    # units from other tools carry no origin of ours: they count as imported
    try:
        return Origin(value) if value else Origin.IMPORT
    except ValueError:
        return Origin.IMPORT

"""TMX import into, and export from, the translation memory.

The file format itself lives in ``formats.tmx``; this module maps its units onto TM units.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    """Add every pair of ``path`` to the memory; a bad file raises before anything is added."""
    units = read_tmx(path)
    report = TmxImportReport()
    for unit in units:
        try:
            source_lang, target_lang = normalize_code(unit.source_lang), normalize_code(unit.target_lang)
        except TranslatorError as exc:
            raise TranslatorError(f"{path}: {exc}") from None
        if not unit.source.strip() or not unit.target.strip():
            report.skipped += 1
            continue
        origin = _origin(unit.origin)
        _, created = memory.add(
            source_lang, target_lang, unit.source, unit.target, origin, approved=unit.approved, user=unit.creator or user
        )
        if created:
            report.added += 1
        else:
            report.merged += 1
    record(memory.session, user, "tm-import", detail=f"{path.name}: {report.added} added, {report.merged} merged")
    return report


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

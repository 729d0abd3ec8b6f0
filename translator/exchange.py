"""What export and import-translations exchange with outside tools: one unit per segment, one file per
article and language, whatever the file format (PO, XLIFF).

A unit carries the segment's stable id, its source, the translation and the translation's version at
export, so a file coming back can be matched, checked and applied safely.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .status import Status


@dataclass
class ExchangeUnit:
    segment_id: int
    number: int  # the segment's position from 1, as the CLI names segments
    source: str
    target: str | None
    status: Status | None  # ours at export; read back only where the file keeps it
    version: int | None  # the translation's version at export; None if the file lost it
    finished: bool = False  # the file marks it done: PO not fuzzy, XLIFF state translated or later
    notes: list[str] = field(default_factory=list)  # QA findings, for the translator
    hints: list[str] = field(default_factory=list)  # glossary terms and their required forms
    previous_source: str | None = None  # the source a stale translation was made from
    kind: str = "paragraph"


@dataclass
class ExchangeFile:
    slug: str
    source_lang: str
    language: str
    units: list[ExchangeUnit]


def unit_key(slug: str, segment_id: int) -> str:
    """The stable id a unit carries in a file (PO msgctxt), e.g. ``putin-xi-call/17``."""
    return f"{slug}/{segment_id}"

"""Translations coming back from outside tools (PO, XLIFF), applied through the review service.

A unit is matched by its segment id and must still have the source it was exported with; a translation
changed in the workspace since the export is not overwritten unless forced. Every change is a review edit
or approval, so it is versioned, checked and in the history like any other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import review
from .errors import TranslatorError
from .exchange import ExchangeFile, ExchangeUnit
from .formats.po import read_po
from .formats.xliff import read_xliff
from .languages import normalize_code
from .models import Segment, SegmentState, Translation
from .overview import get_article
from .status import Status

READERS = {".po": read_po, ".xlf": read_xliff, ".xliff": read_xliff}
AS_STATUSES = ("translated", "approved")


@dataclass
class Refusal:
    number: int
    segment_id: int
    reason: str


@dataclass
class ImportOutcome:
    slug: str
    language: str
    updated: list[int] = field(default_factory=list)  # segment numbers whose text changed
    approved: list[int] = field(default_factory=list)
    unchanged: int = 0
    refused: list[Refusal] = field(default_factory=list)


def read_exchange_file(path: Path) -> ExchangeFile:
    reader = READERS.get(Path(path).suffix.lower())
    if reader is None:
        raise TranslatorError(f"{path}: unknown exchange file type; use .po, .xlf or .xliff")
    return reader(Path(path))


def import_translations(session: Session, path: Path, user: str, *, targets: Iterable[str],
                        as_status: str = "translated", force: bool = False,
                        disabled: Iterable[str] = ()) -> ImportOutcome:
    """Apply the translations in ``path``; what cannot be applied safely is refused and listed."""
    if as_status not in AS_STATUSES:
        raise TranslatorError(f"--as {as_status!r}: use translated or approved")
    exchange = read_exchange_file(path)
    language = normalize_code(exchange.language)
    if language not in targets:
        raise TranslatorError(f"{path}: language {language} is not a target language of this workspace")
    if not exchange.slug:
        raise TranslatorError(f"{path}: names no article")
    article = get_article(session, exchange.slug)
    outcome = ImportOutcome(article.slug, language)
    segments = {s.id: s for s in session.scalars(select(Segment).where(Segment.article_id == article.id))}
    translations = {t.segment_id: t for t in session.scalars(
        select(Translation).join(Segment).where(Segment.article_id == article.id, Translation.language == language))}
    note = f"imported from {Path(path).name}"
    for unit in exchange.units:
        incoming = (unit.target or "").strip()
        if not incoming:  # nothing came back for this segment
            outcome.unchanged += 1
            continue
        reason = _refusal(unit, segments.get(unit.segment_id), translations.get(unit.segment_id), force)
        if reason:
            outcome.refused.append(Refusal(unit.number, unit.segment_id, reason))
            continue
        segment, tr = segments[unit.segment_id], translations[unit.segment_id]
        target = review.Target(article.slug, segment.position + 1, language)
        if incoming != (tr.text or ""):
            review.edit(session, target, incoming, user, tr.version, disabled, detail=note)
            outcome.updated.append(target.segment)
        elif not (as_status == "approved" and unit.finished and tr.status is not Status.APPROVED):
            outcome.unchanged += 1
            continue
        if as_status == "approved" and unit.finished:
            try:
                review.approve(session, target, user, tr.version, detail=note, disabled=disabled)
            except review.Conflict:
                raise  # someone saved meanwhile: the whole import is rolled back
            except TranslatorError as exc:  # QA errors: the text is in, as translated, for a reviewer
                outcome.refused.append(Refusal(target.segment, segment.id, f"not approved: {exc}"))
                continue
            outcome.approved.append(target.segment)
    return outcome


def _refusal(unit: ExchangeUnit, segment: Segment | None, tr: Translation | None, force: bool) -> str | None:
    """Why ``unit`` cannot be applied, or None."""
    if segment is None or segment.state is not SegmentState.ACTIVE or tr is None:
        return "the segment is no longer in the article"
    if segment.source != unit.source:
        return "the source changed since the export"
    if (unit.target or "").strip() == (tr.text or "") or force:
        return None
    if unit.version is None:
        return "the file does not say which version it was exported from; use --force to overwrite"
    if unit.version != tr.version:
        return (f"changed in the workspace since the export (version {unit.version}, now {tr.version} by "
                f"{tr.updated_by or 'unknown'}); use --force to overwrite")
    return None

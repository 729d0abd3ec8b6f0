"""Leverage: filling translations from exact translation-memory hits, checked like any other text."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from . import qa
from .history import record
from .models import TMUnit, Translation
from .status import Origin, Status, change_status

_BATCH = 500


def fill_exact(session: Session, translation: Translation, unit: TMUnit, user: str, article_id: int,
               checker: qa.Checker | None = None, *, others: Sequence[str] | None = None) -> Status:
    """Take the unit's target: approved if the unit was approved, else machine, so a person checks it.

    The QA checks run on it against the segment's source and the current glossary (``checker`` holds
    the disabled checks and each language pair's glossary, built once per command; ``others``, the
    other translations of the source, if the caller fetched them for many rows). A unit with QA errors
    is filled as machine even if approved: a translation with errors is never approved unchecked.
    """
    checker = checker or qa.Checker(session)
    segment = translation.segment
    # checked before the row changes: the checks query, and a flush in between would bump the version twice
    flags = checker.findings(segment.source, segment.source_hash, unit.target, unit.source_lang,
                             translation.language, exclude_segment=segment.id, others=others)
    held_back = unit.approved and bool(qa.blocking(flags))
    new_status = Status.APPROVED if unit.approved and not held_back else Status.MACHINE
    old_status = change_status(translation, new_status)
    old_text = translation.text
    translation.text, translation.origin, translation.score = unit.target, Origin.TM_EXACT, 100.0
    translation.engine, translation.updated_by, translation.flags = None, user, flags or None
    record(session, user, "leverage", article_id=article_id, segment_id=translation.segment_id,
           language=translation.language, old_status=old_status.value, new_status=new_status.value,
           old_value=old_text, new_value=unit.target,
           detail=f"tm unit {unit.id}" + ("; QA errors: not approved" if held_back else ""))
    return new_status


def fill_hits(session: Session, hits: Sequence[tuple[int, TMUnit, int]], user: str, checker: qa.Checker) -> int:
    """``fill_exact`` for many (translation id, unit, article id): the translations, their segments and
    the other translations the checks compare with are fetched in a few queries; returns how many."""
    for start in range(0, len(hits), _BATCH):
        chunk = hits[start:start + _BATCH]
        translations = {tr.id: tr for tr in session.scalars(
            select(Translation).where(Translation.id.in_([tr_id for tr_id, _, _ in chunk]))
            .options(joinedload(Translation.segment)))}
        elsewhere = qa.Elsewhere(session, {(tr.segment.source_hash, tr.language) for tr in translations.values()})
        for tr_id, unit, article_id in chunk:
            tr = translations[tr_id]
            fill_exact(session, tr, unit, user, article_id, checker,
                       others=elsewhere.others(tr.segment.source_hash, tr.language, tr.segment_id))
    return len(hits)

"""Leverage: filling a translation from an exact translation-memory hit."""

from __future__ import annotations

from sqlalchemy.orm import Session

from .history import record
from .models import TMUnit, Translation
from .status import Origin, Status, change_status


def fill_exact(session: Session, translation: Translation, unit: TMUnit, user: str, article_id: int) -> Status:
    """Take the unit's target: approved if the unit was approved, else machine, so a person checks it."""
    new_status = Status.APPROVED if unit.approved else Status.MACHINE
    old_status = change_status(translation, new_status)
    old_text = translation.text
    translation.text, translation.origin, translation.score = unit.target, Origin.TM_EXACT, 100.0
    translation.engine, translation.updated_by = None, user
    record(session, user, "leverage", article_id=article_id, segment_id=translation.segment_id,
           language=translation.language, old_status=old_status.value, new_status=new_status.value,
           old_value=old_text, new_value=unit.target, detail=f"tm unit {unit.id}")
    return new_status

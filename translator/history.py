"""The append-only event log: every change to an article, segment, translation or the TM.

Services call ``record``; nothing updates or deletes an event.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import Event


def record(session: Session, user: str, action: str, **fields: object) -> Event:
    """Append one event; ``fields`` are Event columns (article_id, segment_id, language, old_value, ...)."""
    event = Event(user=user, action=action, **fields)
    session.add(event)
    return event


def events(session: Session, article_id: int | None = None, segment_id: int | None = None,
           language: str | None = None) -> list[Event]:
    """Events newest first, filtered by article, segment and language."""
    query = select(Event).order_by(Event.id.desc())
    if article_id is not None:
        query = query.where(Event.article_id == article_id)
    if segment_id is not None:
        query = query.where(Event.segment_id == segment_id)
    if language is not None:
        query = query.where(Event.language == language)
    return list(session.scalars(query))

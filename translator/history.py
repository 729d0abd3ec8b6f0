"""The append-only event log: every change to an article, segment, translation or the TM.

Services call ``record``; nothing updates or deletes an event.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from .errors import TranslatorError
from .models import Article, Event


def record(session: Session, user: str, action: str, **fields: object) -> Event:
    """Append one event; ``fields`` are Event columns (article_id, segment_id, language, old_value, ...).

    An event of an article also keeps the article's slug (looked up in the session's identity map).
    """
    article_id = fields.get("article_id")
    if article_id is not None and "article_slug" not in fields:
        # held for the session: its identity map keeps an article only while something refers to it, and
        # each miss flushed and queried (168 ms of the 266 ms that storing 119 machine translations took)
        held = session.info.setdefault("history_articles", {})
        article = held.get(article_id)
        if article is None:
            article = held[article_id] = session.get(Article, article_id)
        fields["article_slug"] = article.slug if article else None
    event = Event(user=user, action=action, **fields)
    session.add(event)
    return event


def article_events(session: Session, slug: str, segment_id: int | None = None,
                   language: str | None = None) -> list[Event]:
    """The events of article ``slug``, newest first: those of the article of that slug now (recorded
    under any earlier slug too) and those of removed articles that had it (their removal included)."""
    article_id = session.scalar(select(Article.id).where(Article.slug == slug))
    removed = and_(Event.article_id.is_(None), Event.article_slug == slug)
    query = select(Event).where(or_(Event.article_id == article_id, removed) if article_id else removed)
    if segment_id is not None:
        query = query.where(Event.segment_id == segment_id)
    if language is not None:
        query = query.where(Event.language == language)
    found = list(session.scalars(query.order_by(Event.id.desc())))
    if article_id is None and not found:
        raise TranslatorError(f"no article {slug!r}, and no history of one; 'translator articles' lists them")
    return found


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

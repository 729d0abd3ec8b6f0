"""Read-only views of the workspace: the article list and one article's segments.

They return plain data that the CLI prints as tables or JSON, and that tests read directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .errors import NotFound
from .models import Article, Segment, SegmentState, Translation
from .status import Status


@dataclass
class ArticleRow:
    slug: str
    title: str
    source_lang: str
    format: str
    segments: int
    updated_at: str
    statuses: dict[str, dict[str, int]]  # language -> status -> count


@dataclass
class SegmentRow:
    position: int
    segment_id: int
    block: int
    kind: str
    source: str
    translations: dict[str, dict[str, object]]  # language -> text, status, origin, score, version, previous_source, engine, flags


def list_articles(session: Session) -> list[ArticleRow]:
    active = (Segment.state == SegmentState.ACTIVE)
    counts = dict(session.execute(
        select(Segment.article_id, func.count()).where(active).group_by(Segment.article_id)
    ).all())
    statuses: dict[int, dict[str, dict[str, int]]] = {}
    for article_id, lang, status, n in session.execute(
        select(Segment.article_id, Translation.language, Translation.status, func.count())
        .join(Translation).where(active)
        .group_by(Segment.article_id, Translation.language, Translation.status)
    ):
        statuses.setdefault(article_id, {}).setdefault(lang, {})[Status(status).value] = n
    return [
        ArticleRow(a.slug, a.title, a.source_lang, a.source_format, counts.get(a.id, 0),
                   a.updated_at.isoformat(timespec="seconds"), statuses.get(a.id, {}))
        for a in session.scalars(select(Article).order_by(Article.slug))
    ]


def get_article(session: Session, slug: str) -> Article:
    article = session.scalar(select(Article).where(Article.slug == slug))
    if article is None:
        raise NotFound(f"no article {slug!r}; 'translator articles' lists them")
    return article


def article_segments(session: Session, slug: str, languages: list[str] | None = None) -> list[SegmentRow]:
    article = get_article(session, slug)
    segments = list(session.scalars(
        select(Segment).where(Segment.article_id == article.id, Segment.state == SegmentState.ACTIVE)
        .order_by(Segment.position)
    ))
    query = select(Translation).join(Segment).where(
        Segment.article_id == article.id, Segment.state == SegmentState.ACTIVE
    )
    if languages:
        query = query.where(Translation.language.in_(languages))
    by_segment: dict[int, dict[str, dict[str, object]]] = {}
    for tr in session.scalars(query):
        by_segment.setdefault(tr.segment_id, {})[tr.language] = {
            "text": tr.text, "status": Status(tr.status).value, "origin": tr.origin.value if tr.origin else None,
            "score": tr.score, "version": tr.version, "previous_source": tr.previous_source,
            "engine": tr.engine, "flags": getattr(tr, "flags", None) or [],
        }
    return [SegmentRow(s.position, s.id, s.block_index, s.kind, s.source, by_segment.get(s.id, {})) for s in segments]


def rebuild_source(session: Session, slug: str) -> str:
    """The article's source text as imported, byte for byte (for text files)."""
    article = get_article(session, slug)
    segments = session.scalars(
        select(Segment).where(Segment.article_id == article.id, Segment.state == SegmentState.ACTIVE)
        .order_by(Segment.position)
    )
    return article.lead + "".join(s.source + s.separator for s in segments)

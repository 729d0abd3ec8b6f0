"""Changes to whole articles: renaming, removing, and spotting a new article that repeats an existing one.

Removal deletes the article with its segments, translations, suggestions and comments; its TM units stay
in the translation memory (they still match new articles) and its events stay in the history log.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, distinct, func, select
from sqlalchemy.orm import Session

from .articles import ImportReport, check_slug
from .errors import TranslatorError
from .history import record
from .models import Article, Segment, SegmentState, TMUnit, Translation
from .overview import get_article

#: a new article sharing at least this part of its segments with another is most likely a changed copy
SIMILAR_SHARE = 0.6
#: fewer shared segments than this is a common title or byline, not a copy
SIMILAR_MIN_SEGMENTS = 2


@dataclass(frozen=True)
class Similar:
    """An existing article that holds most of a new article's segments."""

    slug: str
    shared: int  # segments of the new article found in it, by normalized source
    segments: int  # segments of the new article

    @property
    def share(self) -> float:
        return self.shared / self.segments if self.segments else 0.0


@dataclass(frozen=True)
class Removal:
    slug: str
    segments: int
    translations: int
    tm_units: int  # units the article contributed, kept in the memory


def similar_article(session: Session, article_id: int) -> Similar | None:
    """The other article holding most of ``article_id``'s active segments, when that is most of them."""
    active = (Segment.state == SegmentState.ACTIVE,)
    own = select(Segment.source_hash).where(Segment.article_id == article_id, *active)
    segments = session.scalar(select(func.count(distinct(Segment.source_hash)))
                              .where(Segment.article_id == article_id, *active)) or 0
    shared = func.count(distinct(Segment.source_hash))
    best = session.execute(
        select(Article.slug, shared.label("shared"))
        .join(Article, Article.id == Segment.article_id)
        .where(Segment.article_id != article_id, Segment.source_hash.in_(own), *active)
        .group_by(Article.slug).order_by(shared.desc(), Article.slug).limit(1)
    ).first()
    if best is None or best.shared < SIMILAR_MIN_SEGMENTS or best.shared < SIMILAR_SHARE * segments:
        return None
    return Similar(best.slug, best.shared, segments)


def note_similar(session: Session, reports: list[ImportReport]) -> None:
    """Set ``similar`` on each report of a new article that is mostly an existing article's text."""
    for report in reports:
        if report.created:
            article_id = session.scalar(select(Article.id).where(Article.slug == report.slug))
            report.similar = similar_article(session, article_id) if article_id is not None else None


def rename_article(session: Session, old: str, new: str, user: str) -> Article:
    """Give article ``old`` the slug ``new``; its segments, translations and history stay with it."""
    article = get_article(session, old)
    check_slug(new)
    if new == old:
        raise TranslatorError(f"article {old!r} already has that slug")
    if session.scalar(select(Article.id).where(Article.slug == new)) is not None:
        raise TranslatorError(f"article {new!r} already exists: choose another slug, or remove it first with "
                              f"'translator articles remove {new}'")
    article.slug = new
    record(session, user, "article-renamed", article_id=article.id, old_value=old, new_value=new)
    return article


def remove_article(session: Session, slug: str, user: str) -> Removal:
    """Delete article ``slug``; its TM units and history events are kept (they no longer point to it)."""
    article = get_article(session, slug)
    segment_ids = select(Segment.id).where(Segment.article_id == article.id)
    removal = Removal(
        slug=slug,
        segments=session.scalar(select(func.count()).where(Segment.article_id == article.id,
                                                           Segment.state == SegmentState.ACTIVE)) or 0,
        translations=session.scalar(select(func.count()).where(Translation.segment_id.in_(segment_ids),
                                                               Translation.text.is_not(None))) or 0,
        tm_units=session.scalar(select(func.count()).where(TMUnit.article_id == article.id)) or 0,
    )
    record(session, user, "article-removed", article_slug=slug, old_value=slug,
           detail=f"{article.title} ({removal.segments} segments, {removal.translations} translations; "
                  f"{removal.tm_units} TM units kept)")
    # the database cascades to segments, translations, suggestions and comments, and unlinks TM units and events
    session.execute(delete(Article).where(Article.id == article.id), execution_options={"synchronize_session": False})
    session.expunge(article)
    return removal

"""What the web desk lists: articles with their progress per language, filtered and in pages; the
segments of one article in one language, filtered; and search across the workspace.

Progress comes from the ``coverage`` table that database triggers keep exact, so a page of 50 of
10,000 articles reads 50 articles' rows, not their translations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session

from .models import Article, Coverage, Segment, SegmentState, Translation
from .overview import get_article
from .localize import PUBLISHED
from .status import Status

PAGE = 50


@dataclass
class ArticleProgress:
    slug: str
    title: str
    updated_at: datetime
    segments: int
    words: int
    # language -> status -> (segments, words); and the QA findings per language on translations not approved
    statuses: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    findings: dict[str, int] = field(default_factory=dict)

    def approved_share(self, language: str) -> float | None:
        """Approved source words in ``language``, in percent of the article's words."""
        if not self.words:
            return None
        return 100 * self.statuses.get(language, {}).get(Status.APPROVED.value, (0, 0))[1] / self.words


@dataclass(frozen=True)
class ArticleFilter:
    status: Status | None = None  # has segments in this status (in the languages asked for)
    findings: bool = False  # has QA findings on translations not approved
    since: datetime | None = None  # updated since


@dataclass
class ArticlePage:
    articles: list[ArticleProgress]
    total: int
    offset: int
    limit: int


def articles(session: Session, languages: list[str], wanted: ArticleFilter = ArticleFilter(),
             offset: int = 0, limit: int = PAGE) -> ArticlePage:
    """A page of articles (by slug) with their progress in ``languages``."""
    conditions = []
    if wanted.status is not None:
        conditions.append(exists().where(Coverage.article_id == Article.id, Coverage.language.in_(languages),
                                         Coverage.status == wanted.status.value, Coverage.segments > 0))
    if wanted.findings:
        conditions.append(exists().where(Coverage.article_id == Article.id, Coverage.language.in_(languages),
                                         Coverage.status != Status.APPROVED.value, Coverage.findings > 0))
    if wanted.since is not None:
        conditions.append(Article.updated_at >= wanted.since)
    total = session.scalar(select(func.count()).select_from(Article).where(*conditions)) or 0
    rows = session.execute(select(Article.id, Article.slug, Article.title, Article.updated_at).where(*conditions)
                           .order_by(Article.slug).offset(offset).limit(limit)).all()
    return ArticlePage(_progress(session, rows, languages), int(total), offset, limit)


def progress(session: Session, slug: str, languages: list[str]) -> ArticleProgress:
    """One article's progress in ``languages``."""
    article = get_article(session, slug)
    row = session.execute(select(Article.id, Article.slug, Article.title, Article.updated_at)
                          .where(Article.id == article.id)).one()
    return _progress(session, [row], languages)[0]


def unpublished(progress: ArticleProgress, language: str, statuses: frozenset[Status] = PUBLISHED) -> int:
    """How many of the article's segments have no translation in ``statuses`` in ``language``: what an
    export would fill with the fallback (0: it can be published as it is)."""
    wanted = {s.value for s in statuses}
    done = sum(n for status, (n, _) in progress.statuses.get(language, {}).items() if status in wanted)
    return progress.segments - done


def _progress(session: Session, rows, languages: list[str]) -> list[ArticleProgress]:  # type: ignore[no-untyped-def]
    ids = [row.id for row in rows]
    sizes = dict.fromkeys(ids, (0, 0))
    if ids:
        for article_id, n, words in session.execute(
                select(Segment.article_id, func.count(), func.coalesce(func.sum(Segment.words), 0))
                .where(Segment.article_id.in_(ids), Segment.state == SegmentState.ACTIVE)
                .group_by(Segment.article_id)):
            sizes[article_id] = (int(n), int(words))
    found = {row.id: ArticleProgress(row.slug, row.title, row.updated_at, *sizes[row.id]) for row in rows}
    if ids and languages:
        for article_id, lang, status, n, words, findings in session.execute(
                select(Coverage.article_id, Coverage.language, Coverage.status, Coverage.segments, Coverage.words,
                       Coverage.findings)
                .where(Coverage.article_id.in_(ids), Coverage.language.in_(languages), Coverage.segments > 0)):
            progress = found[article_id]
            progress.statuses.setdefault(lang, {})[status] = (int(n), int(words))
            if status != Status.APPROVED.value:
                progress.findings[lang] = progress.findings.get(lang, 0) + int(findings)
    return [found[i] for i in ids]


@dataclass(frozen=True)
class SegmentLine:
    number: int  # from 1, as the CLI names segments
    source: str
    translation_id: int
    text: str | None
    status: str
    version: int
    updated_by: str | None
    flags: list[dict]


def segments(session: Session, slug: str, language: str, statuses: tuple[Status, ...] = (),
             check: str | None = None) -> list[SegmentLine]:
    """One article's segments with their translation into ``language``: those in ``statuses`` (all if
    none) and with a flag of ``check``."""
    article = get_article(session, slug)
    query = (select(Segment.position, Segment.source, Translation.id, Translation.text, Translation.status,
                    Translation.version, Translation.updated_by, Translation.flags)
             .join(Translation, Translation.segment_id == Segment.id)
             .where(Segment.article_id == article.id, Segment.state == SegmentState.ACTIVE,
                    Translation.language == language).order_by(Segment.position))
    if statuses:
        query = query.where(Translation.status.in_(statuses))
    lines = [SegmentLine(r.position + 1, r.source, r.id, r.text, Status(r.status).value, r.version, r.updated_by,
                         list(r.flags or [])) for r in session.execute(query)]
    return [line for line in lines if not check or any(f.get("check") == check for f in line.flags)]


@dataclass(frozen=True)
class Hit:
    slug: str
    number: int
    language: str
    source: str
    text: str | None
    status: str


def search(session: Session, text: str, languages: list[str], limit: int = PAGE) -> list[Hit]:
    """Segments whose source or translation (in ``languages``) contains ``text``, regardless of case."""
    needle = text.strip()
    if not needle or not languages:
        return []
    pattern = "%" + needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = session.execute(
        select(Article.slug, Segment.position, Translation.language, Segment.source, Translation.text,
               Translation.status)
        .join(Segment, Segment.article_id == Article.id).join(Translation, Translation.segment_id == Segment.id)
        .where(Segment.state == SegmentState.ACTIVE, Translation.language.in_(languages),
               or_(Segment.source.ilike(pattern, escape="\\"), Translation.text.ilike(pattern, escape="\\")))
        .order_by(Article.slug, Segment.position, Translation.language).limit(limit)).all()
    return [Hit(r.slug, r.position + 1, r.language, r.source, r.text, Status(r.status).value) for r in rows]


def article_title(session: Session, slug: str) -> str:
    return get_article(session, slug).title

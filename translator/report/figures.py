"""The coverage report's figures, computed by SQL aggregation, as plain dataclasses.

Every count and sum is a GROUP BY in the database (SQLite or PostgreSQL); Python only arranges the
aggregated rows. Segments, words and QA findings by article, language and status come from the
``coverage`` table, which database triggers keep exact (``models.Coverage``): a report over 10,000
articles x 5 languages sums some 300,000 rows instead of joining 1.75 million translations to their
segments. What each figure means is written in ``labels.DEFINITIONS`` and shown in the report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import Connection, String, Text, case, cast, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.functions import FunctionElement

from ..languages import among_targets
from ..models import Article, Coverage, Event, Segment, SegmentState, Translation
from ..overview import get_article
from ..status import Status

STATUSES = [s.value for s in Status]  # the report's order: from nothing done to approved, then the problems
APPROVALS = ("approve",)  # history actions counted as approvals (single and bulk)
EDITS = ("edit", "revert")  # history actions counted as edits: a person wrote the text
GLOSSARY_MISS = "glossary-missing"
DEFAULT_DAYS = 30


@dataclass
class StatusFigure:
    segments: int
    words: int
    percent: float | None  # share of the language's source words, rounded down to 2 decimals


@dataclass
class LanguageFigures:
    language: str  # a target code, or "total" for the sum over the report's languages
    segments: int
    words: int  # source words
    statuses: dict[str, StatusFigure]  # every status, in STATUSES order
    qa_issues: int  # QA findings on translations not approved yet
    glossary_misses: int  # of which: a glossary term the translation lacks
    last_activity: datetime | None

    @property
    def approved_words(self) -> int:
        return self.statuses[Status.APPROVED.value].words

    @property
    def coverage(self) -> float | None:
        """Approved words / source words, in percent, rounded down to 2 decimals."""
        return share(self.approved_words, self.words)

    def below(self, threshold: float) -> bool:
        """Whether the coverage is under ``threshold`` percent, compared exactly (no rounding)."""
        return self.words > 0 and self.approved_words * 100 < threshold * self.words


@dataclass(slots=True)
class Cell:
    """One article in one language: the heat map's square."""

    approved_segments: int
    approved_words: int
    coverage: float | None


@dataclass
class ArticleFigures:
    slug: str
    title: str
    segments: int
    words: int
    languages: dict[str, Cell]


@dataclass
class Day:
    day: date
    approvals: int
    edits: int
    by_language: dict[str, tuple[int, int]]  # language -> (approvals, edits)


@dataclass
class Report:
    generated_at: datetime
    article: str | None  # the slug the report is limited to, or None for the workspace
    articles: int
    segments: int  # active source segments
    words: int  # their source words
    languages: list[LanguageFigures]
    total: LanguageFigures
    matrix: list[ArticleFigures]  # by slug
    trend: list[Day]  # one per day, oldest first, days without activity included
    days: int = DEFAULT_DAYS

    def below(self, threshold: float) -> list[LanguageFigures]:
        """The languages whose coverage is under ``threshold`` percent."""
        return [f for f in self.languages if f.below(threshold)]


def share(part: int, whole: int, decimals: int = 2) -> float | None:
    """``part`` of ``whole`` in percent, rounded down: 100 only when all of it (None for nothing).

    >>> share(2, 3), share(3, 3), share(0, 0)
    (66.66, 100.0, None)
    """
    if not whole:
        return None
    scale = 10 ** decimals
    return (part * 100 * scale // whole) / scale


def select_languages(targets: list[str], wanted: str | list[str] | None) -> list[str]:
    """The report's languages: ``wanted`` (checked against the workspace's targets) or all targets."""
    return among_targets(targets, wanted)


class utc_day(FunctionElement):
    """The UTC calendar day of a timestamp as 'YYYY-MM-DD', on SQLite and PostgreSQL."""

    type = String()
    inherit_cache = True


@compiles(utc_day)
def _utc_day_sqlite(element, compiler, **kw):  # type: ignore[no-untyped-def]
    # SQLite keeps UTC text 'YYYY-MM-DD HH:MM:SS.ffffff' (models.UTCDateTime)
    return f"date({compiler.process(element.clauses, **kw)})"


@compiles(utc_day, "postgresql")
def _utc_day_postgresql(element, compiler, **kw):  # type: ignore[no-untyped-def]
    return f"to_char(({compiler.process(element.clauses, **kw)}) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"


def build_report(session: Session, languages: list[str], *, article: str | None = None,
                 days: int = DEFAULT_DAYS, today: date | None = None) -> Report:
    """Every figure of the coverage report for ``languages``, over the workspace or one article."""
    now = datetime.now(timezone.utc)
    today = today or now.date()
    article_id = get_article(session, article).id if article else None
    conn = session.connection()  # Core rows: the ORM's per-row bookkeeping would cost more than the queries
    segment_scope = [Segment.state == SegmentState.ACTIVE] + ([Segment.article_id == article_id] if article_id else [])
    coverage_scope = [Coverage.language.in_(languages)] + ([Coverage.article_id == article_id] if article_id else [])
    event_scope = [Event.article_id == article_id] if article_id else []

    # each article's segments and words, and (window sums) the whole scope's
    per_article = (select(Segment.article_id, func.count().label("segments"), func.sum(Segment.words).label("words"))
                   .where(*segment_scope).group_by(Segment.article_id).subquery())
    sizes = conn.execute(
        select(Article.id, Article.slug, Article.title, per_article.c.segments, per_article.c.words,
               func.count().over(), func.sum(per_article.c.segments).over(), func.sum(per_article.c.words).over())
        .join(per_article, per_article.c.article_id == Article.id).order_by(Article.slug)).all()
    articles, segments, words = (sizes[0][5], int(sizes[0][6]), int(sizes[0][7])) if sizes else (0, 0, 0)
    counts: dict[str, dict[str, tuple[int, int, int, int]]] = {lang: {} for lang in languages}
    for lang, status, n, w, findings, misses in conn.execute(
        select(Coverage.language, Coverage.status, func.sum(Coverage.segments), func.sum(Coverage.words),
               func.sum(Coverage.findings), func.sum(Coverage.glossary_misses))
        .where(*coverage_scope).group_by(Coverage.language, Coverage.status)):
        counts[lang][status] = (int(n), int(w), int(findings), int(misses))
    # the latest event per language: one index lookup each
    latest = conn.execute(select(*(
        select(func.max(Event.at)).where(Event.language == lang, *event_scope).scalar_subquery()
        for lang in languages))).one() if languages else ()
    figures = [_language(lang, segments, words, counts[lang], last) for lang, last in zip(languages, latest)]
    return Report(
        generated_at=now, article=article, articles=articles, segments=segments, words=words,
        languages=figures, total=_total(figures),
        matrix=_matrix(conn, sizes, coverage_scope, languages),
        trend=_trend(conn, event_scope, languages, days, today), days=days,
    )


def _language(lang: str, segments: int, words: int, counts: dict[str, tuple[int, int, int, int]],
              last: datetime | None) -> LanguageFigures:
    # a segment without a row in this language (a target added since its import) is untranslated too
    done = [s for s in STATUSES if s != Status.UNTRANSLATED.value]
    untranslated = (segments - sum(counts.get(s, (0,))[0] for s in done),
                    words - sum(counts.get(s, (0, 0))[1] for s in done))
    statuses = {}
    for status in STATUSES:
        n, w = untranslated if status == Status.UNTRANSLATED.value else counts.get(status, (0, 0, 0, 0))[:2]
        statuses[status] = StatusFigure(n, w, share(w, words))
    open_ = [c for s, c in counts.items() if s != Status.APPROVED.value]
    return LanguageFigures(lang, segments, words, statuses, sum(c[2] for c in open_), sum(c[3] for c in open_), last)


def _total(figures: list[LanguageFigures]) -> LanguageFigures:
    segments, words = sum(f.segments for f in figures), sum(f.words for f in figures)
    statuses = {}
    for status in STATUSES:
        n = sum(f.statuses[status].segments for f in figures)
        w = sum(f.statuses[status].words for f in figures)
        statuses[status] = StatusFigure(n, w, share(w, words))
    dates = [f.last_activity for f in figures if f.last_activity]
    return LanguageFigures("total", segments, words, statuses, sum(f.qa_issues for f in figures),
                           sum(f.glossary_misses for f in figures), max(dates) if dates else None)


def _matrix(conn: Connection, sizes: list, coverage_scope: list, languages: list[str]) -> list[ArticleFigures]:
    approved = {(article_id, lang): (n, w) for article_id, lang, n, w in conn.execute(
        select(Coverage.article_id, Coverage.language, Coverage.segments, Coverage.words)
        .where(*coverage_scope, Coverage.status == Status.APPROVED.value)).all()}
    nothing = (0, 0)
    matrix = []
    for article_id, slug, title, segments, words, *_totals in sizes:
        words = int(words)
        cells = {}
        for lang in languages:
            approved_segments, approved_words = approved.get((article_id, lang), nothing)
            cells[lang] = Cell(approved_segments, approved_words, share(approved_words, words))
        matrix.append(ArticleFigures(slug, title, segments, words, cells))
    return matrix


def _trend(conn: Connection, event_scope: list, languages: list[str], days: int,
           today: date) -> list[Day]:
    first = today - timedelta(days=days - 1)
    since = datetime(first.year, first.month, first.day, tzinfo=timezone.utc)
    day = utc_day(Event.at)
    rows = conn.execute(
        select(day, Event.language,
               func.sum(case((Event.action.in_(APPROVALS), 1), else_=0)),
               func.sum(case((Event.action.in_(EDITS), 1), else_=0)))
        .where(Event.language.in_(languages), *event_scope, Event.at >= since,
               Event.action.in_(APPROVALS + EDITS))
        .group_by(day, Event.language)).all()
    found: dict[str, dict[str, tuple[int, int]]] = {}
    for when, lang, approvals, edits in rows:
        found.setdefault(when, {})[lang] = (int(approvals), int(edits))
    trend = []
    for offset in range(days):
        current = first + timedelta(days=offset)
        counts = found.get(current.isoformat(), {})
        trend.append(Day(current, sum(c[0] for c in counts.values()), sum(c[1] for c in counts.values()),
                         {lang: counts.get(lang, (0, 0)) for lang in languages}))
    return trend


def _occurrences(text, needle: str):  # type: ignore[no-untyped-def]
    """How often ``needle`` occurs in ``text``, in portable SQL (length arithmetic)."""
    return func.coalesce((func.length(text) - func.length(func.replace(text, needle, ""))) / len(needle), 0)


CoverageKey = tuple[int, str, str]  # article id, language, status


def recount(session: Session) -> dict[CoverageKey, tuple[int, int, int, int]]:
    """The ``coverage`` table's figures counted afresh, joining every translation to its segment:
    what the triggers must keep it equal to (the tests compare the two on both databases)."""
    flags = cast(Translation.flags, Text)
    rows = session.execute(
        select(Segment.article_id, Translation.language, Translation.status, func.count(), func.sum(Segment.words),
               func.sum(_occurrences(flags, '"check"')), func.sum(_occurrences(flags, f'"{GLOSSARY_MISS}"')))
        .join(Segment, Translation.segment_id == Segment.id).where(Segment.state == SegmentState.ACTIVE)
        .group_by(Segment.article_id, Translation.language, Translation.status))
    return {(a, lang, Status(status).value): (n, int(w), int(f), int(m)) for a, lang, status, n, w, f, m in rows}


def stored(session: Session) -> dict[CoverageKey, tuple[int, int, int, int]]:
    """The ``coverage`` table as the triggers keep it, without rows that went back to nothing."""
    return {(c.article_id, c.language, c.status): (c.segments, c.words, c.findings, c.glossary_misses)
            for c in session.scalars(select(Coverage))
            if (c.segments, c.words, c.findings, c.glossary_misses) != (0, 0, 0, 0)}

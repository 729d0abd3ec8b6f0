"""Importing articles into the workspace, and re-importing them as updates.

A re-import aligns the new segments with the stored ones: unchanged segments keep their
translations, changed ones make them stale (old source kept), missing ones are marked removed.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz
from sqlalchemy import delete, distinct, func, insert, literal, select
from sqlalchemy.orm import Session

from . import inputs, qa
from .errors import TranslatorError
from .history import record
from .languages import normalize_code
from .leverage import fill_hits
from .memory import DEFAULT_THRESHOLD, Match, TranslationMemory
from .models import Article, Segment, SegmentState, Suggestion, Translation
from .normalize import normalize, source_hash
from .segment import ParsedArticle, SegmentSpec, segment_article
from .status import Status, change_status
from .words import count_words
from .workspace import Workspace

if TYPE_CHECKING:
    from .article_changes import Similar

FORMATS_BY_SUFFIX = {
    ".txt": "text", ".text": "text",
    ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}
FORMATS = ("text", "markdown", "html")
SLUG = re.compile(r"[a-z0-9](?:[a-z0-9._-]{0,198}[a-z0-9])?")
# a changed sentence still resembles the one it replaces; below this it is a removal plus an addition
CHANGED_SIMILARITY = 50.0
SUGGESTIONS_PER_SEGMENT = 3
# per megabyte of the article size limit (2 MB: 10,000 blocks, 24,000 sentences, a few seconds' work)
BLOCKS_PER_MB = 5_000
SEGMENTS_PER_MB = 12_000


@dataclass
class ImportReport:
    slug: str
    title: str
    created: bool
    segments: int = 0
    blocks: int = 0
    unchanged: int = 0
    added: int = 0
    changed: int = 0
    moved: int = 0
    removed: int = 0
    tm_exact: int = 0
    suggestions: int = 0
    same_file: bool = False
    similar: Similar | None = None  # a new article whose text is mostly an existing one's (article_changes)

    @property
    def summary(self) -> str:
        if self.created:
            return f"imported {self.segments} segments in {self.blocks} blocks"
        if self.same_file:
            return "unchanged"
        parts = [f"{n} {label}" for n, label in (
            (self.added, "added"), (self.changed, "changed"), (self.moved, "moved"),
            (self.removed, "removed"), (self.unchanged, "unchanged"),
        ) if n]
        return "updated: " + ", ".join(parts)


@dataclass
class SourceFile:
    path: Path
    text: str
    checksum: str
    format: str
    slug: str


@dataclass
class _Alignment:
    kept: list[tuple[Segment, SegmentSpec]] = field(default_factory=list)
    moved: list[tuple[Segment, SegmentSpec]] = field(default_factory=list)
    changed: list[tuple[Segment, SegmentSpec]] = field(default_factory=list)
    added: list[SegmentSpec] = field(default_factory=list)
    removed: list[Segment] = field(default_factory=list)


def read_source(path: Path, fmt: str | None = None, slug: str | None = None, encoding: str = "utf-8") -> SourceFile:
    """Read and check one article file; every problem is a one-line TranslatorError."""
    data = inputs.read_input(path, inputs.ARTICLE)
    if not data.strip():
        raise TranslatorError(f"{path}: file is empty")
    text = inputs.decode_text(path, data, encoding)
    if not text.strip():
        raise TranslatorError(f"{path}: file is empty")
    return SourceFile(
        path=path,
        text=text,
        checksum=hashlib.sha256(data).hexdigest(),
        format=detect_format(path, fmt),
        slug=check_slug(slug) if slug else slug_from_path(path),
    )


def detect_format(path: Path, fmt: str | None) -> str:
    if fmt:
        if fmt not in FORMATS:
            raise TranslatorError(f"unknown format {fmt!r}: use {', '.join(FORMATS)}")
        return fmt
    try:
        return FORMATS_BY_SUFFIX[path.suffix.lower()]
    except KeyError:
        raise TranslatorError(
            f"{path}: cannot tell the format from {path.suffix or 'a name without extension'!r}; pass --format {'|'.join(FORMATS)}"
        ) from None


def check_slug(slug: str) -> str:
    """A slug names output files, so it may hold only lowercase letters, digits, '.', '-' and '_'."""
    if not SLUG.fullmatch(slug) or ".." in slug:
        raise TranslatorError(
            f"invalid slug {slug!r}: use lowercase letters, digits, '-', '_' and '.', starting and ending with a letter or digit"
        )
    return slug


def slug_from_path(path: Path) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    if not slug:
        raise TranslatorError(f"{path}: cannot make a slug from the file name; pass --slug")
    return slug[:200]


def import_files(
    session: Session,
    workspace: Workspace,
    paths: list[Path],
    user: str,
    *,
    slug: str | None = None,
    fmt: str | None = None,
    title: str | None = None,
    lang: str | None = None,
    encoding: str = "utf-8",
) -> list[ImportReport]:
    """Import or update every file, all or nothing (the caller's transaction)."""
    if not paths:
        raise TranslatorError("no files to import")
    if (slug or title) and len(paths) > 1:
        raise TranslatorError("--slug and --title name one article: import one file with them")
    language = normalize_code(lang) if lang else workspace.source
    sources = [read_source(p, fmt, slug, encoding) for p in paths]
    seen: dict[str, Path] = {}
    for src in sources:
        if src.slug in seen:
            raise TranslatorError(f"{src.path} and {seen[src.slug]} both give the slug {src.slug!r}; import one with --slug")
        seen[src.slug] = src.path
    memory = TranslationMemory(session)
    checker = qa.Checker(session, workspace.disabled_checks)
    reports = [
        import_article(session, workspace, memory, src, user, title=title, language=language, checker=checker)
        for src in sources
    ]
    from .article_changes import note_similar  # that module builds on this one

    note_similar(session, reports)
    return reports


def import_article(
    session: Session,
    workspace: Workspace,
    memory: TranslationMemory,
    src: SourceFile,
    user: str,
    *,
    title: str | None = None,
    language: str | None = None,
    checker: qa.Checker | None = None,
) -> ImportReport:
    language = language or workspace.source
    checker = checker or qa.Checker(session, workspace.disabled_checks)
    article = session.scalar(select(Article).where(Article.slug == src.slug))
    if article is not None and article.source_lang != language:
        raise TranslatorError(f"article {src.slug!r} is in {article.source_lang}; it cannot be re-imported as {language}")
    if article is not None and article.checksum == src.checksum and article.source_format == src.format:
        # the same bytes segment the same way: skip the splitter, the slow part of an import
        report = ImportReport(src.slug, title or article.title, created=False, same_file=True)
        if title:
            article.title = title
        report.segments, report.blocks = session.execute(
            select(func.count(), func.count(distinct(Segment.block_index)))
            .where(Segment.article_id == article.id, Segment.state == SegmentState.ACTIVE)
        ).one()
    else:
        parsed = _segment(src, language)
        if not parsed.segments:
            raise TranslatorError(f"{src.path}: no translatable text found in this {src.format} file")
        article_title = title or parsed.title or src.slug
        report = ImportReport(src.slug, article_title, created=article is None)
        if article is None:
            article = Article(
                slug=src.slug, title=article_title, source_lang=language, source_format=src.format,
                checksum=src.checksum, lead=parsed.lead,
            )
            session.add(article)
            session.flush()
            _insert_segments(session, article, parsed.segments, list(range(len(parsed.segments))), workspace.targets)
            record(session, user, "article-imported", article_id=article.id, new_value=src.path.name,
                   detail=f"{len(parsed.segments)} segments")
        else:
            _update_article(session, workspace, article, parsed, report, user, checker)
            article.checksum, article.source_format, article.lead = src.checksum, src.format, parsed.lead
            article.title = title or parsed.title or article.title
            record(session, user, "article-updated", article_id=article.id, new_value=src.path.name,
                   detail=report.summary)
        report.segments, report.blocks = len(parsed.segments), parsed.blocks
    report.title = article.title
    if not report.created:  # a new article got its rows with its segments
        _ensure_translations(session, article, workspace.targets)
    _leverage(session, memory, checker, article, workspace.targets, report, user)
    return report


def _segment(src: SourceFile, language: str) -> ParsedArticle:
    """Split the article, bounded: blocks and sentences grow with the file's size limit."""
    megabytes = inputs.ARTICLE.effective_megabytes()
    try:
        return segment_article(src.text, src.format, language, max_blocks=BLOCKS_PER_MB * megabytes,
                               max_segments=SEGMENTS_PER_MB * megabytes)
    except TranslatorError as exc:
        raise TranslatorError(f"{src.path}: {exc}, or raise the limit with {inputs.LIMIT_VARIABLE}=N") from None


def _insert_segments(session: Session, article: Article, specs: list[SegmentSpec], positions: list[int],
                     targets: list[str]) -> list[int]:
    """Insert segments with an untranslated row per target; returns their ids, in the order of ``specs``."""
    if not specs:
        return []
    # Core executemany, not ORM objects: object bookkeeping would cost more than the splitting
    connection = session.connection()
    table = Segment.__table__
    connection.execute(insert(table), [
        {"article_id": article.id, "position": pos, "block_index": spec.block_index, "kind": spec.kind,
         "source": spec.source, "source_hash": source_hash(spec.source), "separator": spec.separator,
         "words": count_words(spec.source)}
        for spec, pos in zip(specs, positions)
    ])
    # ids read back by position, unique among active segments: RETURNING in parameter order would make
    # SQLite insert row by row (13,000 statements for a long article)
    by_position: dict[int, int] = {}
    for start in range(0, len(positions), 500):
        by_position.update(connection.execute(
            select(table.c.position, table.c.id).where(
                table.c.article_id == article.id, table.c.state == SegmentState.ACTIVE,
                table.c.position.in_(positions[start:start + 500]))
        ).all())
    segment_ids = [by_position[pos] for pos in positions]
    # set-based, a statement per language and 500 segments: PostgreSQL's coverage trigger runs once per
    # statement (migration 0006), and a row per statement would cost more than the rows
    translation = Translation.__table__
    for lang in targets:
        for start in range(0, len(segment_ids), 500):
            connection.execute(insert(translation).from_select(
                ["segment_id", "language", "status", "version"],
                select(table.c.id, literal(lang), literal(Status.UNTRANSLATED.value), literal(1))
                .where(table.c.id.in_(segment_ids[start:start + 500]))))
    return segment_ids


def _align(old: list[Segment], new: list[SegmentSpec]) -> _Alignment:
    """Match stored segments to new ones: equal runs, then moves by hash, then similar text."""
    new_hashes = [source_hash(s.source) for s in new]
    matcher = SequenceMatcher(a=[s.source_hash for s in old], b=new_hashes, autojunk=False)
    result = _Alignment()
    groups: list[tuple[list[Segment], list[tuple[int, SegmentSpec]]]] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result.kept.extend(zip(old[i1:i2], new[j1:j2]))
        else:
            groups.append((list(old[i1:i2]), list(enumerate(new[j1:j2], j1))))
    # a sentence that moved is the same sentence: keep its translations
    gone_by_hash: dict[str, list[Segment]] = defaultdict(list)
    for olds, _ in groups:
        for seg in olds:
            gone_by_hash[seg.source_hash].append(seg)
    moved_ids: set[int] = set()
    for _, news in groups:
        for j, spec in list(news):
            candidates = gone_by_hash.get(new_hashes[j])
            if candidates:
                seg = candidates.pop(0)
                moved_ids.add(seg.id)
                result.moved.append((seg, spec))
                news.remove((j, spec))
    for olds, news in groups:
        remaining = [s for s in olds if s.id not in moved_ids]
        for _, spec in news:
            wanted = normalize(spec.source)
            best, best_score = None, CHANGED_SIMILARITY
            for seg in remaining:
                score = fuzz.ratio(wanted, normalize(seg.source))
                if score >= best_score:
                    best, best_score = seg, score
            if best is None:
                result.added.append(spec)
            else:
                remaining.remove(best)
                result.changed.append((best, spec))
        result.removed.extend(remaining)
    return result


def _update_article(session: Session, workspace: Workspace, article: Article, parsed: ParsedArticle,
                    report: ImportReport, user: str, checker: qa.Checker) -> None:
    old = list(session.scalars(
        select(Segment).where(Segment.article_id == article.id, Segment.state == SegmentState.ACTIVE)
        .order_by(Segment.position)
    ))
    alignment = _align(old, parsed.segments)
    position = {id(spec): i for i, spec in enumerate(parsed.segments)}
    stale: list[int] = []  # their flags were found for the old source
    for seg, spec in alignment.kept + alignment.moved:
        _place(seg, spec, position[id(spec)])
        seg.source, seg.words = spec.source, count_words(spec.source)  # equal after normalizing, maybe not bytewise
    for seg, spec in alignment.changed:
        record(session, user, "segment-changed", article_id=article.id, segment_id=seg.id,
               old_value=seg.source, new_value=spec.source)
        for tr in seg.translations:
            if tr.status == Status.UNTRANSLATED:
                continue
            if tr.status != Status.STALE:
                tr.previous_source = seg.source
            old_status = change_status(tr, Status.STALE)
            tr.updated_by = user
            record(session, user, "status", article_id=article.id, segment_id=seg.id, language=tr.language,
                   old_status=old_status.value, new_status=Status.STALE.value, detail="source changed")
            stale.append(tr.id)
        _place(seg, spec, position[id(spec)])
        seg.source, seg.source_hash, seg.words = spec.source, source_hash(spec.source), count_words(spec.source)
        session.execute(delete(Suggestion).where(Suggestion.segment_id == seg.id))
    for seg in alignment.removed:
        seg.state = SegmentState.REMOVED
        record(session, user, "segment-removed", article_id=article.id, segment_id=seg.id, old_value=seg.source)
    session.flush()
    qa.recheck(session, stale, checker=checker)  # a number or a term the new source has, the old text lacks
    added = _insert_segments(session, article, alignment.added, [position[id(s)] for s in alignment.added],
                             workspace.targets)
    for segment_id, spec in zip(added, alignment.added):
        record(session, user, "segment-added", article_id=article.id, segment_id=segment_id, new_value=spec.source)
    report.unchanged, report.moved = len(alignment.kept), len(alignment.moved)
    report.changed, report.added, report.removed = len(alignment.changed), len(added), len(alignment.removed)


def _place(seg: Segment, spec: SegmentSpec, position: int) -> None:
    seg.position, seg.block_index, seg.kind, seg.separator = position, spec.block_index, spec.kind, spec.separator


def _ensure_translations(session: Session, article: Article, targets: list[str]) -> None:
    """Targets added to the workspace after an import get their (untranslated) rows too."""
    have = set(session.execute(
        select(Translation.segment_id, Translation.language).join(Segment)
        .where(Segment.article_id == article.id, Segment.state == SegmentState.ACTIVE)
    ))
    segment_ids = session.scalars(
        select(Segment.id).where(Segment.article_id == article.id, Segment.state == SegmentState.ACTIVE)
    ).all()
    missing = [{"segment_id": sid, "language": lang, "status": Status.UNTRANSLATED, "version": 1}
               for sid in segment_ids for lang in targets if (sid, lang) not in have]
    if missing:
        session.execute(insert(Translation), missing)


def _leverage(session: Session, memory: TranslationMemory, checker: qa.Checker, article: Article,
              targets: list[str], report: ImportReport, user: str) -> None:
    """Fill untranslated segments from exact TM hits (QA-checked); offer fuzzy hits as suggestions."""
    targets = [lang for lang in targets if len(memory.index(article.source_lang, lang))]
    if not targets:
        return
    # plain rows, not ORM objects: most segments of a new article have no TM hit at all
    rows = session.execute(
        select(Translation.id, Translation.language, Translation.status, Segment.id, Segment.source_hash,
               Segment.source)
        .join(Segment)
        .where(Segment.article_id == article.id, Segment.state == SegmentState.ACTIVE,
               Translation.status.in_([Status.UNTRANSLATED, Status.STALE]), Translation.language.in_(targets))
    ).all()
    by_lang: dict[str, list] = defaultdict(list)
    for row in rows:
        by_lang[row[1]].append(row)
    # the article's suggestions in one query, new ones in one insert: an article may hold 20,000 segments
    have = set(session.execute(
        select(Suggestion.segment_id, Suggestion.language, Suggestion.tm_unit_id).join(Segment)
        .where(Segment.article_id == article.id)
    ).tuples())
    hits, suggestions = [], []
    for lang, pairs in by_lang.items():
        exact = memory.best_exact(article.source_lang, lang, list({row[4] for row in pairs}))
        index = memory.index(article.source_lang, lang)
        found: dict[str, list[Match]] = {}  # an article repeats sentences: look each one up once
        for tr_id, _, status, seg_id, seg_hash, seg_source in pairs:
            unit = exact.get(seg_hash)
            if unit is not None and status == Status.UNTRANSLATED:
                hits.append((tr_id, unit, article.id))
                continue
            if seg_source not in found:
                # most sentences of a new article resemble nothing in the memory: spare the two queries
                resembles = unit is not None or index.search(seg_source, threshold=DEFAULT_THRESHOLD, limit=1)
                found[seg_source] = memory.search(article.source_lang, lang, seg_source,
                                                  limit=SUGGESTIONS_PER_SEGMENT) if resembles else []
            suggestions.extend({"segment_id": seg_id, "language": lang, "tm_unit_id": m.unit.id, "score": m.score}
                               for m in found[seg_source] if (seg_id, lang, m.unit.id) not in have)
    if suggestions:
        session.execute(insert(Suggestion.__table__), suggestions)
    report.suggestions += len(suggestions)
    report.tm_exact += fill_hits(session, hits, user, checker)

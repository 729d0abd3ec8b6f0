"""Pre-translation: machine-translate every untranslated or stale segment, per target language.

Per language: collect the rows to do, fill exact TM hits, deduplicate identical sources, sort them
by length and translate them in large batches; each batch is committed on its own, so an
interrupted run keeps its finished batches and a re-run continues where it stopped.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db import transaction
from .. import qa
from ..errors import TranslatorError
from ..glossary import Glossary
from ..history import record
from ..leverage import fill_hits
from ..memory import TranslationMemory
from ..models import Article, Segment, SegmentState, Translation
from ..status import Origin, Status, change_status
from ..workspace import STATE_DIR, Workspace
from .engine import Engine, EngineFailed, MissingModel
from .registry import EngineFactory
from .routing import load_engine
from .enforce import Draft, Enforcer, load_glossary

TODO = (Status.UNTRANSLATED, Status.STALE)
#: the flags of a term that could not be enforced (a glossary-rewrite warning is not one)
MISSES = ("glossary-missing", "glossary-forbidden")
#: source tokens of the first committed batch: a few CTranslate2 batches, so both threads stay busy,
#: and small enough that a slow engine moves the progress bar early; it measures the engine's speed
FIRST_CHUNK_TOKENS = 1024
#: later batches are sized to take about this long on the engine (within the bounds below), so the
#: bar advances every few seconds on a slow engine and a fast one still gets large batches
CHUNK_SECONDS = 3.0
MIN_CHUNK_TOKENS, MAX_CHUNK_TOKENS = 256, 16384
#: the widest beam (and so n-best list) a run may ask for; quality gains stop long before it
MAX_BEAM = 16


class Progress(Protocol):
    def start(self, language: str, total: int) -> None: ...
    def advance(self, language: str, rows: int) -> None: ...
    def finish(self, language: str) -> None: ...


@dataclass
class LanguageRun:
    """What happened for one target language."""

    language: str
    engine: str | None = None
    rows: int = 0  # translations that needed work
    tm_filled: int = 0
    sources: int = 0  # distinct sources sent to the engine
    translated: int = 0  # rows written from MT
    changed_meanwhile: int = 0  # rows someone else edited during the run: left alone
    flagged: int = 0  # rows with a glossary term that could not be enforced
    terms: int = 0  # glossary occurrences in the translated sources
    terms_kept: int = 0  # of those, with the required target form in the output
    seconds: float = 0.0
    error: str | None = None

    @property
    def adherence(self) -> float | None:
        return 100.0 * self.terms_kept / self.terms if self.terms else None

    @property
    def per_second(self) -> float:
        return self.sources / self.seconds if self.seconds else 0.0


@dataclass
class _Row:
    translation_id: int
    version: int
    article_id: int
    source: str
    source_hash: str


@dataclass
class _Work:
    source: str
    rows: list[_Row] = field(default_factory=list)


def pretranslate(
    workspace: Workspace,
    user: str,
    slugs: Sequence[str] = (),
    languages: Sequence[str] | str | None = None,
    *,
    beam_size: int = 4,
    keep_going: bool = True,
    progress: Progress | None = None,
    factory: EngineFactory | None = None,
) -> list[LanguageRun]:
    """Translate the selected articles (all when ``slugs`` is empty) into ``languages`` (default: all targets).

    A language no engine serves is reported in its run (``error``) and the others still run; with
    ``keep_going=False`` it raises MissingModel before any work instead.
    """
    if not 1 <= beam_size <= MAX_BEAM:
        # a beam holds that many hypotheses per sentence in memory: 100,000 exhausts any machine
        raise TranslatorError(f"--beam must be between 1 and {MAX_BEAM} (got {beam_size})")
    url = workspace.database_url
    targets = workspace.require_targets(languages)
    with transaction(url, write=False) as session:
        article_ids = _article_ids(session, slugs)
        source_langs = {lang for (lang,) in session.execute(
            select(Article.source_lang).where(Article.id.in_(article_ids)))}
    runs = [LanguageRun(lang) for lang in targets]
    engines: dict[tuple[str, str], Engine] = {}
    # every model is looked up before any work, so a missing one fails fast (or is skipped)
    for run in runs:
        for source_lang in sorted(source_langs):
            try:
                engines[source_lang, run.language] = load_engine(workspace, source_lang, run.language, factory)
            except MissingModel as exc:
                if not keep_going:
                    raise
                run.error = str(exc)
    with transaction(url, write=False) as session:  # what waits for the languages that cannot run
        for run in runs:
            if run.error:
                run.rows = sum(len(_collect(session, article_ids, s, run.language)) for s in sorted(source_langs))
    for run in runs:
        if run.error:
            continue
        for source_lang in sorted(source_langs):
            engine = engines[source_lang, run.language]
            run.engine = engine.id
            try:
                _run_language(workspace, user, engine, source_lang, run, article_ids, beam_size, progress)
            except EngineFailed as exc:  # its finished chunks are saved; the other languages still run
                run.error = str(exc)
                break
    return runs


def _article_ids(session: Session, slugs: Sequence[str]) -> list[int]:
    if not slugs:
        return list(session.scalars(select(Article.id).order_by(Article.id)))
    found = dict(session.execute(select(Article.slug, Article.id).where(Article.slug.in_(slugs))).all())
    missing = [s for s in slugs if s not in found]
    if missing:
        raise TranslatorError(f"no article {', '.join(map(repr, missing))}; 'translator articles' lists them")
    return [found[s] for s in slugs]


def _run_language(workspace: Workspace, user: str, engine: Engine, source_lang: str, run: LanguageRun,
                  article_ids: list[int], beam_size: int, progress: Progress | None) -> None:
    url, lang = workspace.database_url, run.language
    with transaction(url) as session:
        rows = _collect(session, article_ids, source_lang, lang)
        run.rows += len(rows)
        rows = _fill_from_tm(session, rows, source_lang, lang, user, run, workspace.disabled_checks)
        glossary = load_glossary(session, source_lang, lang)
        enforcer = Enforcer(engine, glossary, source_lang, lang, records=workspace.root / STATE_DIR / "cache")
    checks = _Checks(workspace.disabled_checks, glossary or Glossary([], source_lang, lang))
    work: dict[str, _Work] = {}
    for row in rows:
        work.setdefault(row.source_hash, _Work(row.source)).rows.append(row)
    run.sources += len(work)
    if not rows:
        return
    if progress:
        progress.start(lang, len(rows))
    started = time.perf_counter()
    chunks = _Chunks(list(work.values()), enforcer)

    def timed(chunk: list[_Work]) -> tuple[list[Draft], float]:
        began = time.perf_counter()
        return enforcer.translate([w.source for w in chunk], beam_size=beam_size), time.perf_counter() - began

    # the next chunk is translated while this one is checked and stored (engines work outside the GIL)
    ahead = ThreadPoolExecutor(max_workers=1, thread_name_prefix="translate")
    try:
        chunk = chunks.take(FIRST_CHUNK_TOKENS)
        pending = ahead.submit(timed, chunk)
        while chunk:
            drafts, seconds = pending.result()
            following = chunks.take(chunks.size_for(seconds, chunk))
            if following:
                pending = ahead.submit(timed, following)
            with transaction(url) as session:
                _store(session, chunk, drafts, engine.id, source_lang, lang, user, run, checks)
            if progress:
                progress.advance(lang, sum(len(w.rows) for w in chunk))
            chunk = following
    finally:
        ahead.shutdown(wait=True, cancel_futures=True)
        run.seconds += time.perf_counter() - started
        if progress:
            progress.finish(lang)


def _collect(session: Session, article_ids: list[int], source_lang: str, lang: str) -> list[_Row]:
    query = (
        select(Translation.id, Translation.version, Segment.article_id, Segment.source, Segment.source_hash)
        .join(Segment).join(Article)
        .where(Segment.article_id.in_(article_ids), Segment.state == SegmentState.ACTIVE,
               Article.source_lang == source_lang, Translation.language == lang, Translation.status.in_(TODO))
        .order_by(Segment.article_id, Segment.position)
    )
    return [_Row(*r) for r in session.execute(query)]


def _fill_from_tm(session: Session, rows: list[_Row], source_lang: str, lang: str, user: str,
                  run: LanguageRun, disabled: Sequence[str] = ()) -> list[_Row]:
    """Rows whose source the TM knows exactly take the TM's translation (QA-checked) and need no MT."""

    exact = TranslationMemory(session).best_exact(source_lang, lang, list({r.source_hash for r in rows}))
    hits = [(row.translation_id, exact[row.source_hash], row.article_id) for row in rows if row.source_hash in exact]
    # the checks, with the pair's glossary compiled once for all the rows
    run.tm_filled += fill_hits(session, hits, user, qa.Checker(session, disabled))
    return [row for row in rows if row.source_hash not in exact]


class _Chunks:
    """The work in length order (similar lengths pad least), handed out in runs of about N source tokens."""

    def __init__(self, work: list[_Work], enforcer: Enforcer) -> None:
        self.enforcer = enforcer
        self.sized = sorted(((enforcer.length(w.source), i, w) for i, w in enumerate(work)), key=lambda t: t[:2])
        self.next = 0

    def take(self, tokens: int) -> list[_Work]:
        chunk: list[_Work] = []
        total = 0
        while self.next < len(self.sized) and total < tokens:
            length, _, w = self.sized[self.next]
            chunk.append(w)
            total += length
            self.next += 1
        return chunk

    def size_for(self, seconds: float, chunk: list[_Work]) -> int:
        """Tokens for the next chunk, from how long ``chunk`` took: about CHUNK_SECONDS of work."""
        tokens = sum(self.enforcer.length(w.source) for w in chunk)
        if seconds <= 0 or not tokens:
            return MAX_CHUNK_TOKENS
        return min(MAX_CHUNK_TOKENS, max(MIN_CHUNK_TOKENS, int(tokens * CHUNK_SECONDS / seconds)))


@dataclass
class _Checks:
    disabled: list[str]
    glossary: Glossary


def _store(session: Session, chunk: list[_Work], drafts: list[Draft], engine_id: str, source_lang: str, lang: str,
           user: str, run: LanguageRun, checks: _Checks) -> None:
    by_id = {r.translation_id: r for w in chunk for r in w.rows}
    elsewhere = qa.Elsewhere(session, {(w.rows[0].source_hash, lang) for w in chunk})
    stored: list[tuple[str, str]] = []
    # row locks on PostgreSQL (SQLite's write transaction already excludes other writers)
    current = {t.id: t for t in session.scalars(
        select(Translation).where(Translation.id.in_(list(by_id))).with_for_update())}
    for item, draft in zip(chunk, drafts):
        if not draft.text.strip():
            continue  # an empty draft helps nobody; the segment stays to do
        written = 0
        key = item.rows[0].source_hash
        flags = qa.merge(draft.flags, qa.findings(session, item.source, key, draft.text, source_lang, lang,
                                                  checks.disabled, checks.glossary,
                                                  others=elsewhere.others(key, lang, -1)))
        for row in item.rows:
            tr = current.get(row.translation_id)
            if tr is None or tr.version != row.version or tr.status not in TODO:
                run.changed_meanwhile += 1  # someone edited it since we collected it: theirs wins
                continue
            old_status, old_text = change_status(tr, Status.MACHINE), tr.text
            tr.text, tr.origin, tr.score, tr.engine, tr.updated_by = draft.text, Origin.MT, None, engine_id, user
            tr.flags = flags or None
            record(session, user, "machine-translation", article_id=row.article_id, segment_id=tr.segment_id,
                   language=lang, old_status=old_status.value, new_status=Status.MACHINE.value, old_value=old_text,
                   new_value=draft.text, detail=engine_id)
            written += 1
        run.translated += written
        run.flagged += written if any(f["check"] in MISSES for f in draft.flags) else 0
        run.terms += draft.terms * len(item.rows)
        run.terms_kept += draft.terms_kept * len(item.rows)
        if written:
            stored.append((item.source, draft.text))
    TranslationMemory(session).add_many(source_lang, lang, stored, Origin.MT, user=user)


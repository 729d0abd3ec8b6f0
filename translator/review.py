"""Review operations on one translation: approve, edit, reject; each an event, each version-checked.

Every change names the version it edits (optimistic locking): if someone saved the translation
meanwhile, the change is refused with both versions shown, and nothing is overwritten. A change that
names no version edits the one it reads (last writer wins; the history keeps every earlier text), and
that read holds until the write: the row is locked (``FOR UPDATE`` on PostgreSQL, ``BEGIN IMMEDIATE``
on SQLite) and the UPDATE carries ``AND version = :read`` besides. An approved translation enters the
translation memory as approved, the highest rank, so every article reuses it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from . import qa
from .db import storable
from .errors import NotFound, TranslatorError
from .history import record
from .memory import TranslationMemory
from .models import Article, Comment, Event, Segment, SegmentState, Translation
from .overview import get_article
from .status import Origin, Status, change_status


class Conflict(TranslatorError):
    """The translation changed since the version the user edited."""


@dataclass(frozen=True)
class Target:
    """One translation, as the CLI names it: article slug, segment number (from 1) and language."""

    slug: str
    segment: int
    language: str


def load(session: Session, target: Target) -> tuple[Article, Segment, Translation]:
    article = get_article(session, target.slug)
    position = target.segment - 1
    segment = session.scalar(
        select(Segment).where(Segment.article_id == article.id, Segment.state == SegmentState.ACTIVE,
                              Segment.position == position)) if storable(position) else None
    if segment is None:
        raise NotFound(f"{target.slug} has no segment {target.segment}; 'translator show {target.slug}' "
                              "lists them")
    translation = session.scalar(
        select(Translation).where(Translation.segment_id == segment.id, Translation.language == target.language)
        .with_for_update())
    if translation is None:
        raise TranslatorError(f"{target.slug} is not translated into {target.language}: not a target language")
    return article, segment, translation


def target_of(session: Session, translation_id: int) -> Target:
    """The translation of that id, named as the CLI names it; NotFound for none (or a removed segment's)."""
    found = session.execute(
        select(Article.slug, Segment.position, Translation.language).join(Segment, Segment.article_id == Article.id)
        .join(Translation, Translation.segment_id == Segment.id)
        .where(Translation.id == translation_id, Segment.state == SegmentState.ACTIVE)).first() \
        if storable(translation_id) else None
    if found is None:
        raise NotFound(f"no translation {translation_id}")
    return Target(found.slug, found.position + 1, found.language)


def approve(session: Session, target: Target, user: str, expected_version: int | None = None, *,
            force: bool = False, reason: str | None = None, detail: str | None = None,
            disabled: Iterable[str] = ()) -> Translation:
    """Approve; a translation with blocking QA errors needs ``force`` and a reason.

    A stale translation is checked again first, against the source it now translates.
    """
    article, segment, tr = load(session, target)
    _check(target, tr, expected_version, tr.text)
    if not tr.text:
        raise TranslatorError(f"{_name(target)} has no text to approve")
    stale = tr.status is Status.STALE
    if stale:
        _recheck_stale(qa.Checker(session, disabled), article, segment, tr)
    errors = qa.blocking(tr.flags or [])
    if errors and not (force and reason and reason.strip()):
        against = " against its changed source" if stale else ""
        raise TranslatorError(f"{_name(target)} has QA errors{against} ({qa.describe(errors)}); "
                              "approve with --force and --reason")
    old = change_status(tr, Status.APPROVED)
    tr.updated_by = user
    record(session, user, "approve", article_id=article.id, segment_id=segment.id, language=tr.language,
           old_status=old.value, new_status=Status.APPROVED.value, new_value=tr.text,
           detail=f"forced: {reason.strip()}" if errors and reason else detail)
    _flush(session, target, tr)  # before the TM write: its statements would flush the translation unguarded
    TranslationMemory(session).add(article.source_lang, tr.language, segment.source, tr.text, Origin.HUMAN,
                                   approved=True, article_id=article.id, user=user)
    return tr


def edit(session: Session, target: Target, text: str, user: str, expected_version: int | None = None,
         disabled: Iterable[str] = (), detail: str | None = None) -> Translation:
    """Replace the text (status translated, origin human); the QA checks run on the new text."""
    article, segment, tr = load(session, target)
    _check(target, tr, expected_version, text)
    text = text.strip()
    if not text:
        raise TranslatorError(f"{_name(target)}: an empty translation; use reject to refuse one")
    # checked before the row changes: the checks query, and a flush in between would bump the version twice
    flags = qa.findings(session, segment.source, segment.source_hash, text, article.source_lang, tr.language,
                        disabled, exclude_segment=segment.id)
    old_text = tr.text
    old = change_status(tr, Status.TRANSLATED)
    tr.text, tr.origin, tr.score, tr.updated_by, tr.flags = text, Origin.HUMAN, None, user, flags or None
    record(session, user, "edit", article_id=article.id, segment_id=segment.id, language=tr.language,
           old_status=old.value, new_status=Status.TRANSLATED.value, old_value=old_text, new_value=text,
           detail=detail)
    return _flush(session, target, tr)


def reject(session: Session, target: Target, reason: str, user: str, expected_version: int | None = None) -> Translation:
    article, segment, tr = load(session, target)
    _check(target, tr, expected_version, tr.text)
    if not reason.strip():
        raise TranslatorError("a rejection needs a reason")
    old = change_status(tr, Status.REJECTED)
    tr.updated_by = user
    record(session, user, "reject", article_id=article.id, segment_id=segment.id, language=tr.language,
           old_status=old.value, new_status=Status.REJECTED.value, new_value=tr.text, detail=reason.strip())
    return _flush(session, target, tr)


def revert(session: Session, target: Target, event_id: int, user: str,
           expected_version: int | None = None, disabled: Iterable[str] = ()) -> Translation:
    """Bring back the text an earlier change wrote (an event from ``history``), as a new edit."""
    article, segment, tr = load(session, target)
    event = session.get(Event, event_id) if storable(event_id) else None
    if event is None or event.segment_id != segment.id or event.language != tr.language or not event.new_value:
        raise TranslatorError(f"event {event_id} wrote no text for {_name(target)}; "
                              f"'translator history {target.slug} {target.segment} --lang {target.language}' lists them")
    _check(target, tr, expected_version, event.new_value)
    flags = qa.findings(session, segment.source, segment.source_hash, event.new_value, article.source_lang,
                        tr.language, disabled, exclude_segment=segment.id)
    old_text = tr.text
    old = change_status(tr, Status.TRANSLATED)
    tr.text, tr.origin, tr.score, tr.updated_by, tr.flags = event.new_value, Origin.HUMAN, None, user, flags or None
    record(session, user, "revert", article_id=article.id, segment_id=segment.id, language=tr.language,
           old_status=old.value, new_status=Status.TRANSLATED.value, old_value=old_text, new_value=event.new_value,
           detail=f"to event {event_id}")
    return _flush(session, target, tr)


def comment(session: Session, target: Target, text: str, user: str, reply_to: int | None = None) -> Comment:
    """A remark on a segment in one language; ``reply_to`` answers an earlier comment on it."""
    article, segment, tr = load(session, target)
    if not text.strip():
        raise TranslatorError("an empty comment")
    if reply_to is not None:
        parent = session.get(Comment, reply_to) if storable(reply_to) else None
        if parent is None or parent.segment_id != segment.id or parent.language != tr.language:
            raise TranslatorError(f"comment {reply_to} is not on {_name(target)}")
    note = Comment(segment_id=segment.id, language=tr.language, reply_to=reply_to, user=user, text=text.strip())
    session.add(note)
    session.flush()
    record(session, user, "comment", article_id=article.id, segment_id=segment.id, language=tr.language,
           new_value=note.text, detail=f"comment {note.id}" + (f", reply to {reply_to}" if reply_to else ""))
    return note


def comments(session: Session, target: Target) -> list[Comment]:
    """The comments on a segment in one language, oldest first (replies carry ``reply_to``)."""
    _, segment, tr = load(session, target)
    return list(session.scalars(select(Comment).where(Comment.segment_id == segment.id,
                                                      Comment.language == tr.language).order_by(Comment.id)))


@dataclass
class Blocked:
    """A translation ``approve_all`` left unapproved because of its QA errors."""

    slug: str
    segment: int  # numbered from 1, as in 'show'
    language: str
    findings: list[dict]  # the blocking flags


@dataclass
class BulkResult:
    approved: int = 0  # forced ones included
    skipped_flagged: int = 0
    forced: int = 0  # approved despite QA errors, with a reason
    blocked: list[Blocked] = field(default_factory=list)


def approve_all(session: Session, language: str, user: str, *, slug: str | None = None,
                statuses: tuple[Status, ...] = (Status.MACHINE, Status.FUZZY, Status.TRANSLATED),
                origin: Origin | None = None, unflagged: bool = False, force: bool = False,
                reason: str | None = None, disabled: Iterable[str] = ()) -> BulkResult:
    """Approve every translation in ``language`` that matches the filters (one transaction).

    As with ``approve``, translations with blocking QA errors are left out (listed in ``blocked``)
    unless ``force`` with a ``reason``; stale ones are checked again against their current source.
    """
    reason = (reason or "").strip() or None
    if force and not reason:
        raise TranslatorError("--force needs --reason: why the QA errors are acceptable (kept in the history)")
    query = (select(Translation, Segment, Article).join(Segment, Translation.segment_id == Segment.id)
             .join(Article, Segment.article_id == Article.id)
             .where(Translation.language == language, Segment.state == SegmentState.ACTIVE,
                    Translation.status.in_(statuses), Translation.text.is_not(None))
             .order_by(Article.id, Segment.position).with_for_update(of=Translation))
    if slug is not None:
        query = query.where(Article.id == get_article(session, slug).id)
    if origin is not None:
        query = query.where(Translation.origin == origin)
    result = BulkResult()
    memory = TranslationMemory(session)
    checker = qa.Checker(session, disabled)
    for tr, segment, article in session.execute(query).all():
        if tr.status is Status.STALE:
            _recheck_stale(checker, article, segment, tr)
        if unflagged and tr.flags:
            result.skipped_flagged += 1
            continue
        errors = qa.blocking(tr.flags or [])
        if errors and not force:
            result.blocked.append(Blocked(article.slug, segment.position + 1, language, errors))
            continue
        old = change_status(tr, Status.APPROVED)
        tr.updated_by = user
        record(session, user, "approve", article_id=article.id, segment_id=segment.id, language=language,
               old_status=old.value, new_status=Status.APPROVED.value, new_value=tr.text,
               detail=f"forced: {reason}" if errors else "bulk")
        _flush(session, Target(article.slug, segment.position + 1, language), tr)
        memory.add(article.source_lang, language, segment.source, tr.text, Origin.HUMAN, approved=True,
                   article_id=article.id, user=user)
        result.approved += 1
        result.forced += bool(errors)
    session.flush()
    return result


def _recheck_stale(checker: qa.Checker, article: Article, segment: Segment, tr: Translation) -> None:
    """A stale translation's flags were found for the old source: find them for the current one."""
    assert tr.text is not None
    checked = checker.findings(segment.source, segment.source_hash, tr.text, article.source_lang, tr.language,
                               exclude_segment=segment.id)
    tr.flags = qa.refresh(tr.flags, checked) or None


def _check(target: Target, tr: Translation, expected: int | None, yours: str | None) -> None:
    if expected is not None and tr.version != expected:
        raise Conflict(f"{_name(target)} changed since version {expected}: version {tr.version} by "
                       f"{tr.updated_by or 'unknown'} ({Status(tr.status).value}) reads {tr.text!r}; "
                       f"yours: {yours!r}; nothing was saved")


def _flush(session: Session, target: Target, tr: Translation) -> Translation:
    try:
        session.flush()  # the UPDATE carries "AND version = :old": a concurrent save makes it match nothing
    except StaleDataError:
        raise Conflict(f"{_name(target)} was saved by someone else at the same moment; nothing was saved") from None
    return tr


def _name(target: Target) -> str:
    return f"{target.slug} segment {target.segment} ({target.language})"

"""What the terminal review shows: which segments to walk, and everything a reviewer needs for one.

``queue`` lists the segments to walk, ``view`` gathers one segment's source, context, translation,
MT draft, TM suggestions, glossary terms, QA flags, comments and rejection reason; ``flag_message``
and ``flag_severity`` say what a stored flag means, whoever stored it (a check, or MT's enforcement).
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import qa
from .errors import TranslatorError
from .glossary import Glossary
from .models import Comment, Event, Suggestion
from .overview import article_segments, get_article
from .review import Target
from .status import Status

DEFAULT_STATUSES = (Status.MACHINE, Status.FUZZY, Status.STALE, Status.TRANSLATED, Status.REJECTED)
#: the term checks whose findings a term line of the glossary already shows
_TERM_CHECKS = ("glossary-missing", "glossary-dnt")


@dataclass(frozen=True)
class TermLine:
    """A glossary concept found in the source, once however often it occurs."""

    source: str  # as written in the source
    target: str  # the form the translation must contain
    variants: tuple[str, ...] = ()  # other forms that count as well
    forbidden: tuple[str, ...] = ()
    note: str = ""
    missing: bool = False  # a QA flag says the translation lacks it


@dataclass(frozen=True)
class CommentLine:
    id: int
    reply_to: int | None
    user: str
    at: str
    text: str


@dataclass(frozen=True)
class MatchLine:
    """A TM suggestion with where it came from: its source (to compare with the segment's) and origin."""

    score: float
    source: str
    target: str
    origin: str
    approved: bool


@dataclass
class SegmentView:
    target: Target
    kind: str
    source: str
    text: str | None
    status: str
    version: int
    previous: str | None  # the source before and after, for context
    following: str | None
    mt_draft: str | None
    previous_source: str | None  # for stale translations: what the text was made for
    suggestions: list[tuple[float, str]] = field(default_factory=list)
    terms: list[TermLine] = field(default_factory=list)
    flags: list[dict] = field(default_factory=list)  # those a term line does not already show
    comments: list[CommentLine] = field(default_factory=list)
    rejection: str | None = None  # the reason, while the translation stays rejected
    matches: list[MatchLine] = field(default_factory=list)  # the suggestions with their TM units' sources

    def diff(self) -> list[tuple[str, str]]:
        """The translation against the MT draft, word by word: ('=', w), ('-', w) or ('+', w)."""
        if not self.mt_draft or not self.text or self.mt_draft == self.text:
            return []
        return word_diff(self.mt_draft, self.text)

    def source_diff(self) -> list[tuple[str, str]]:
        """For a stale translation, the source it was made for against the current one, word by word."""
        if self.status != Status.STALE.value or not self.previous_source or self.previous_source == self.source:
            return []
        return word_diff(self.previous_source, self.source)


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """``old`` against ``new`` word by word: ('=', w) kept, ('-', w) removed, ('+', w) added.

    >>> word_diff("the leaders met", "both leaders met")
    [('-', 'the'), ('+', 'both'), ('=', 'leaders'), ('=', 'met')]
    """
    a, b = old.split(), new.split()
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out += [("=", w) for w in a[i1:i2]]
        else:
            out += [("-", w) for w in a[i1:i2]] + [("+", w) for w in b[j1:j2]]
    return out


def flag_severity(flag: dict) -> str:
    """"error" or "warning"; MT's own glossary flags carry none, and block approval like errors."""
    return str(flag.get("severity") or ("error" if qa.blocking([flag]) else "warning"))


def flag_message(flag: dict) -> str:
    """What a stored flag says, e.g. "'Putin' should be translated as 'Wladimir Putin'".

    The checks store a ``message``; MT's enforcement stores only ``source`` and ``required`` (and the
    plain MT text as ``alternative``), so the message is made from those.
    """
    if flag.get("message"):
        return str(flag["message"])
    source, required = flag.get("source"), flag.get("required")
    if flag.get("alternative"):
        return f"plain MT: {flag['alternative']}"
    if flag.get("check") == "glossary-forbidden" and source:
        return f"{source!r} is a forbidden form" + (f"; use {required!r}" if required else "")
    if source and required:
        return f"{source!r} should be translated as {required!r}"
    return str(required or source or "")


def queue(session: Session, slug: str, language: str, statuses: tuple[Status, ...] = DEFAULT_STATUSES,
          check: str | None = None) -> list[int]:
    """Segment numbers (from 1) to review, in article order."""
    if check is not None:
        _known_flag(check)
    wanted = {s.value for s in statuses}
    numbers = []
    for row in article_segments(session, slug, [language]):
        tr = row.translations.get(language, {})
        if tr.get("status") not in wanted:
            continue
        if check and not any(f.get("check") == check for f in tr.get("flags") or []):
            continue
        numbers.append(row.position + 1)
    return numbers


def _known_flag(check: str) -> None:
    """Refuse a flag id nothing stores: a typo would otherwise say "nothing to review"."""
    from .checks import CHECKS  # the checks import babel's locale data: only when a filter is given
    from .mt.enforce import REWRITE

    known = [c.id for c in CHECKS] + [REWRITE]
    if check not in known:
        raise TranslatorError(f"--check: unknown check {check!r}; the checks are: {', '.join(known)}")


def view(session: Session, target: Target) -> SegmentView:
    rows = article_segments(session, target.slug, [target.language])
    row = rows[target.segment - 1]
    tr = row.translations.get(target.language, {})
    article = get_article(session, target.slug)
    draft = session.scalar(
        select(Event.new_value).where(Event.segment_id == row.segment_id, Event.language == target.language,
                                      Event.action == "machine-translation").order_by(Event.id.desc()).limit(1))
    matches = [MatchLine(s.score, s.tm_unit.source, s.tm_unit.target, s.tm_unit.origin.value, s.tm_unit.approved)
               for s in session.scalars(
                   select(Suggestion).where(Suggestion.segment_id == row.segment_id,
                                            Suggestion.language == target.language)
                   .order_by(Suggestion.score.desc()))]
    status = str(tr.get("status"))
    flags = list(tr.get("flags") or [])
    terms, flags = _terms(Glossary.load(session, article.source_lang, target.language), row.source, flags)
    comments = [CommentLine(c.id, c.reply_to, c.user, c.created_at.isoformat(timespec="minutes"), c.text)
                for c in session.scalars(select(Comment).where(Comment.segment_id == row.segment_id,
                                                               Comment.language == target.language)
                                         .order_by(Comment.id))]
    rejection = None
    if status == Status.REJECTED.value:
        rejection = session.scalar(
            select(Event.detail).where(Event.segment_id == row.segment_id, Event.language == target.language,
                                       Event.action == "reject").order_by(Event.id.desc()).limit(1))
    return SegmentView(
        target, row.kind, row.source, tr.get("text"), status, int(tr.get("version") or 1),
        rows[target.segment - 2].source if target.segment > 1 else None,
        rows[target.segment].source if target.segment < len(rows) else None,
        draft, tr.get("previous_source"), [(m.score, m.target) for m in matches], terms, flags, comments, rejection,
        matches,
    )


def _terms(glossary: Glossary, source: str, flags: list[dict]) -> tuple[list[TermLine], list[dict]]:
    """The source's glossary concepts, once each, with their variants and notes; and the flags left
    once those saying a term is missing are folded into its line."""
    if not len(glossary):
        return [], flags
    notes = {entry.id: entry.note for entry in glossary.entries}
    lost = {(f.get("source"), f.get("required")) for f in flags if f.get("check") in _TERM_CHECKS}
    lines: dict[tuple, TermLine] = {}
    found: set[tuple] = set()
    for m in glossary.find(source):
        found.add((m.text, m.target))
        key = (m.concept_id if m.concept_id is not None else m.concept, m.target)
        if key in lines:  # the same concept again ("Putin ... Putin"): one line, missing if any occurrence is
            lines[key] = replace(lines[key], missing=lines[key].missing or (m.text, m.target) in lost)
            continue
        lines[key] = TermLine(m.text, m.target, m.variants, m.forbidden, notes.get(m.concept_id) or "",
                              (m.text, m.target) in lost)
    rest = [f for f in flags if not (f.get("check") in _TERM_CHECKS and (f.get("source"), f.get("required")) in found)]
    return list(lines.values()), rest


class Bookmarks:
    """Where each reviewer stopped, per article and language, so a review resumes there."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _all(self) -> dict[str, int]:
        try:
            return json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def get(self, user: str, slug: str, language: str) -> int | None:
        return self._all().get(f"{user}/{slug}/{language}")

    def set(self, user: str, slug: str, language: str, segment: int) -> None:
        data = self._all()
        data[f"{user}/{slug}/{language}"] = segment
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temp = self.path.with_suffix(".tmp")
        temp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        temp.replace(self.path)

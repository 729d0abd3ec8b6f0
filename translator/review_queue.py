"""What the terminal review shows: which segments to walk, and everything a reviewer needs for one."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from .glossary import Glossary
from .models import Event, Suggestion
from .overview import article_segments, get_article
from .review import Target
from .status import Status

DEFAULT_STATUSES = (Status.MACHINE, Status.FUZZY, Status.STALE, Status.TRANSLATED, Status.REJECTED)


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
    terms: list[tuple[str, str]] = field(default_factory=list)  # source term -> required form
    flags: list[dict] = field(default_factory=list)

    def diff(self) -> list[tuple[str, str]]:
        """The translation against the MT draft, word by word: ('=', w), ('-', w) or ('+', w)."""
        if not self.mt_draft or not self.text or self.mt_draft == self.text:
            return []
        old, new = self.mt_draft.split(), self.text.split()
        out: list[tuple[str, str]] = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new).get_opcodes():
            if op == "equal":
                out += [("=", w) for w in old[i1:i2]]
            else:
                out += [("-", w) for w in old[i1:i2]] + [("+", w) for w in new[j1:j2]]
        return out


def queue(session: Session, slug: str, language: str, statuses: tuple[Status, ...] = DEFAULT_STATUSES,
          check: str | None = None) -> list[int]:
    """Segment numbers (from 1) to review, in article order."""
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


def view(session: Session, target: Target) -> SegmentView:
    rows = article_segments(session, target.slug, [target.language])
    row = rows[target.segment - 1]
    tr = row.translations.get(target.language, {})
    article = get_article(session, target.slug)
    draft = session.scalar(
        select(Event.new_value).where(Event.segment_id == row.segment_id, Event.language == target.language,
                                      Event.action == "machine-translation").order_by(Event.id.desc()).limit(1))
    suggestions = [(s.score, s.tm_unit.target) for s in session.scalars(
        select(Suggestion).where(Suggestion.segment_id == row.segment_id, Suggestion.language == target.language)
        .order_by(Suggestion.score.desc()))]
    glossary = Glossary.load(session, article.source_lang, target.language)
    terms = [(m.text, m.target) for m in glossary.find(row.source)] if len(glossary) else []
    return SegmentView(
        target, row.kind, row.source, tr.get("text"), str(tr.get("status")), int(tr.get("version") or 1),
        rows[target.segment - 2].source if target.segment > 1 else None,
        rows[target.segment].source if target.segment < len(rows) else None,
        draft, tr.get("previous_source"), suggestions, terms, list(tr.get("flags") or []),
    )


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

"""Running the QA checks on a stored translation, and what their findings mean for approval.

``findings`` checks one text; ``Checker`` does it for a whole command (the glossary of each language
pair compiled once); ``recheck`` runs the checks again on stored translations whose source or glossary
changed, and stores their flags.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence

from sqlalchemy import Select, bindparam, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from .checks import CHECKS, ERROR, CheckContext, run_checks
from .glossary import Glossary
from .models import Article, Segment, SegmentState, Translation
from .status import Status

#: flags written by machine translation itself (glossary enforcement); the checks recompute them
_GLOSSARY = ("glossary-missing", "glossary-forbidden")
#: the statuses whose texts count as "translated elsewhere" for the inconsistency check
_REVIEWED = (Status.TRANSLATED, Status.APPROVED)
#: the checks' ids: a flag with another id was set by someone else (MT) and survives a re-check
_CHECK_IDS = frozenset(c.id for c in CHECKS)
_BATCH = 500


def findings(session: Session, source: str, source_hash: str, text: str, source_lang: str, language: str,
             disabled: Iterable[str] = (), glossary: Glossary | None = None,
             exclude_segment: int | None = None, others: Sequence[str] | None = None) -> list[dict]:
    """The flags to store with ``text``: every enabled check's findings.

    ``others`` are the other translations of the same source (looked up when not given).
    """
    glossary = glossary if glossary is not None else Glossary.load(session, source_lang, language)
    if others is None:
        others = list(session.scalars(
            select(Translation.text).join(Segment)
            .where(Segment.source_hash == source_hash, Segment.state == SegmentState.ACTIVE,
                   Translation.language == language, Translation.text.is_not(None),
                   Translation.status.in_(_REVIEWED), Segment.id != (exclude_segment or -1))
            .distinct()))
    context = CheckContext(source, text, source_lang, language, glossary if len(glossary) else None, others)
    return [f.as_flag() for f in run_checks(context, disabled)]


class Checker:
    """The QA checks as one command runs them: the ids switched off, and each language pair's glossary
    compiled once, however many translations are checked.

    >>> checker = Checker(session, workspace.disabled_checks)
    >>> checker.findings(segment.source, segment.source_hash, "Der Handel erreichte 243 Milliarden.", "en", "de")
    [{'check': 'numbers', 'severity': 'error', 'message': 'missing number 234; ...'}]
    """

    def __init__(self, session: Session, disabled: Iterable[str] = ()) -> None:
        self.session, self.disabled = session, tuple(disabled)
        self._glossaries: dict[tuple[str, str], Glossary] = {}

    def glossary(self, source_lang: str, language: str) -> Glossary:
        pair = (source_lang, language)
        if pair not in self._glossaries:
            self._glossaries[pair] = Glossary.load(self.session, source_lang, language)
        return self._glossaries[pair]

    def findings(self, source: str, source_hash: str, text: str, source_lang: str, language: str,
                 exclude_segment: int | None = None, others: Sequence[str] | None = None) -> list[dict]:
        return findings(self.session, source, source_hash, text, source_lang, language, self.disabled,
                        self.glossary(source_lang, language), exclude_segment, others)


class Elsewhere:
    """The translated and approved translations of many sources, fetched in one query: what ``findings``
    would look up one by one as ``others`` (the inconsistency check compares with them)."""

    def __init__(self, session: Session, keys: Collection[tuple[str, str]]) -> None:
        """``keys``: (source hash, language) pairs."""
        keys = set(keys)
        self._found: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
        hashes, languages = list({h for h, _ in keys}), list({lang for _, lang in keys})
        for start in range(0, len(hashes), _BATCH):
            for hash_, language, segment_id, text in session.execute(
                    select(Segment.source_hash, Translation.language, Segment.id, Translation.text).join(Segment)
                    .where(Segment.source_hash.in_(hashes[start:start + _BATCH]),
                           Translation.language.in_(languages), Segment.state == SegmentState.ACTIVE,
                           Translation.text.is_not(None), Translation.status.in_(_REVIEWED))):
                if (hash_, language) in keys:
                    self._found[hash_, language].append((segment_id, text))

    def others(self, source_hash: str, language: str, segment_id: int) -> list[str]:
        """The texts of the source in ``language`` on segments other than ``segment_id``."""
        return sorted({text for seg, text in self._found.get((source_hash, language), ()) if seg != segment_id})


def refresh(flags: Iterable[dict] | None, checked: list[dict]) -> list[dict]:
    """The flags after a re-check: those no check computes (set by MT, e.g. a glossary rewrite with the
    plain MT text), then the checks' new findings, which replace all the old ones."""
    return [f for f in flags or () if f.get("check") not in _CHECK_IDS] + checked


def recheck(session: Session, translations: Iterable[int] | Select, disabled: Iterable[str] = (),
            checker: Checker | None = None) -> int:
    """Run the checks again on stored translations (ids, or a select of ids), against their segment's
    current source and the current glossary, and store the flags; returns how many changed.

    Translations without text or on removed segments are left alone. The flags are derived data, so
    storing them changes neither the version a reviewer edits nor ``updated_at``.
    """
    ids = list(session.scalars(translations)) if isinstance(translations, Select) else list(translations)
    checker = checker or Checker(session, disabled)
    table = Translation.__table__
    store = (update(table).where(table.c.id == bindparam("tid"))
             .values(flags=bindparam("new_flags"), updated_at=table.c.updated_at))
    changed = 0
    for start in range(0, len(ids), _BATCH):
        rows = session.execute(
            select(Translation.id, Translation.language, Translation.text, Translation.flags, Segment.id,
                   Segment.source, Segment.source_hash, Article.source_lang)
            .join(Segment, Translation.segment_id == Segment.id).join(Article, Segment.article_id == Article.id)
            .where(Translation.id.in_(ids[start:start + _BATCH]), Translation.text.is_not(None),
                   Segment.state == SegmentState.ACTIVE)).all()
        elsewhere = Elsewhere(session, {(r[6], r[1]) for r in rows})
        updates = []
        for tr_id, language, text, old, segment_id, source, hash_, source_lang in rows:
            others = elsewhere.others(hash_, language, segment_id)
            new = refresh(old, checker.findings(source, hash_, text, source_lang, language, segment_id, others))
            if new != (old or []):
                updates.append({"tid": tr_id, "new_flags": new or None})
        if updates:
            session.execute(store, updates)
            for row in updates:  # translations this session holds see their new flags too
                held = session.identity_map.get(session.identity_key(Translation, row["tid"]))
                if held is not None:
                    set_committed_value(held, "flags", row["new_flags"])
        changed += len(updates)
    return changed


def merge(mt_flags: list[dict], checked: list[dict]) -> list[dict]:
    """MT's own glossary flags, then the checks' findings (their glossary ones would repeat MT's)."""
    if not mt_flags:
        return checked
    return mt_flags + [f for f in checked if f.get("check") not in _GLOSSARY]


def blocking(flags: Iterable[dict]) -> list[dict]:
    """Flags that stop an approval: errors, and glossary terms machine translation could not keep."""
    return [f for f in flags if f.get("severity") == ERROR or f.get("check") in _GLOSSARY]


def describe(flags: Iterable[dict]) -> str:
    """Flags on one line, e.g. ``numbers: missing number 234; the translation has 243 instead``."""
    return "; ".join(f"{f.get('check')}: {f.get('message') or f.get('required') or ''}" for f in flags)

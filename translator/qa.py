"""Running the QA checks on a stored translation, and what their findings mean for approval."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from .checks import ERROR, CheckContext, run_checks
from .glossary import Glossary
from .models import Segment, SegmentState, Translation
from .status import Status

#: flags written by machine translation itself (glossary enforcement); the checks recompute them
_GLOSSARY = ("glossary-missing", "glossary-forbidden")


def findings(session: Session, source: str, source_hash: str, text: str, source_lang: str, language: str,
             disabled: Iterable[str] = (), glossary: Glossary | None = None,
             exclude_segment: int | None = None) -> list[dict]:
    """The flags to store with ``text``: every enabled check's findings."""
    glossary = glossary if glossary is not None else Glossary.load(session, source_lang, language)
    others = list(session.scalars(
        select(Translation.text).join(Segment)
        .where(Segment.source_hash == source_hash, Segment.state == SegmentState.ACTIVE,
               Translation.language == language, Translation.text.is_not(None),
               Translation.status.in_([Status.TRANSLATED, Status.APPROVED]),
               Segment.id != (exclude_segment or -1))
        .distinct()))
    context = CheckContext(source, text, source_lang, language, glossary if len(glossary) else None, others)
    return [f.as_flag() for f in run_checks(context, disabled)]


def merge(mt_flags: list[dict], checked: list[dict]) -> list[dict]:
    """MT's own glossary flags, then the checks' findings (their glossary ones would repeat MT's)."""
    if not mt_flags:
        return checked
    return mt_flags + [f for f in checked if f.get("check") not in _GLOSSARY]


def blocking(flags: Iterable[dict]) -> list[dict]:
    """Flags that stop an approval: errors, and glossary terms machine translation could not keep."""
    return [f for f in flags if f.get("severity") == ERROR or f.get("check") in _GLOSSARY]

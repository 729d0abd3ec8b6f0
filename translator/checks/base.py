"""What every QA check shares: the translation it looks at (``CheckContext``), what it reports
(``Finding``) and how it is registered (``Check``: id, name, description, severity, function).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..glossary import Glossary

ERROR = "error"  # blocks approval
WARNING = "warning"  # shown to the reviewer, does not block


@dataclass(frozen=True)
class CheckContext:
    """One translation to check: its source and target text and languages, and what helps judging it.

    >>> CheckContext("Trade reached $234 billion.", "Der Handel erreichte 234 Milliarden Dollar.", "en", "de")
    """

    source: str
    target: str
    source_lang: str
    target_lang: str
    glossary: Glossary | None = None
    others: Sequence[str] = field(default_factory=tuple)  # other translations of the same source in the workspace


@dataclass(frozen=True)
class Finding:
    """A problem a check found. A check function sets ``message`` (and ``source``/``required`` for terms);
    ``run_checks`` fills in ``check`` and ``severity`` from the registry."""

    message: str
    source: str | None = None  # the source text concerned, e.g. a glossary term
    required: str | None = None  # what the translation should have instead
    check: str = ""
    severity: str = ""

    def as_flag(self) -> dict[str, Any]:
        """The dict stored on a translation, e.g. ``{"check": "numbers", "severity": "error", "message": "..."}``;
        glossary findings keep the keys of the flags pre-translation sets (``source``, ``required``)."""
        flag: dict[str, Any] = {"check": self.check, "severity": self.severity, "message": self.message}
        if self.source is not None:
            flag["source"] = self.source
        if self.required is not None:
            flag["required"] = self.required
        return flag


@dataclass(frozen=True)
class Check:
    """A QA check as users see it in ``translator checks list`` and switch it off by ``id``; its
    description is its function's docstring."""

    id: str
    name: str
    severity: str
    function: Callable[[CheckContext], list[Finding]] = field(repr=False)
    needs_target: bool = True  # skipped on an empty translation, which the "empty" check reports once

    @property
    def description(self) -> str:
        """The function's one-line docstring."""
        return (self.function.__doc__ or "").strip().splitlines()[0] if self.function.__doc__ else ""

    def run(self, ctx: CheckContext) -> list[Finding]:
        return [Finding(f.message, f.source, f.required, self.id, self.severity) for f in self.function(ctx)]

"""Translation statuses and origins, with the one table of allowed status changes.

Nothing sets ``Translation.status`` except ``change_status`` here.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from .errors import TranslatorError
from .i18n import gettext as _

if TYPE_CHECKING:
    from .models import Translation


class Status(str, enum.Enum):
    UNTRANSLATED = "untranslated"
    MACHINE = "machine"
    FUZZY = "fuzzy"
    TRANSLATED = "translated"
    APPROVED = "approved"
    REJECTED = "rejected"
    STALE = "stale"


def parse_statuses(text: str) -> tuple[Status, ...]:
    """Comma-separated status names, e.g. "machine,stale"; an unknown name is an error listing them."""
    try:
        return tuple(Status(s.strip()) for s in text.split(",") if s.strip())
    except ValueError as exc:
        raise TranslatorError(_("--status: {error}; statuses: {statuses}").format(
            error=exc, statuses=", ".join(s.value for s in Status))) from None


class Origin(str, enum.Enum):
    """Where a translation's text came from; TM units use the same values."""

    TM_EXACT = "tm-exact"
    MT = "mt"
    HUMAN = "human"
    IMPORT = "import"


S = Status
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.UNTRANSLATED: frozenset({S.MACHINE, S.FUZZY, S.TRANSLATED, S.APPROVED}),
    S.MACHINE: frozenset({S.TRANSLATED, S.APPROVED, S.REJECTED, S.STALE, S.MACHINE}),
    S.FUZZY: frozenset({S.TRANSLATED, S.APPROVED, S.REJECTED, S.STALE}),
    S.TRANSLATED: frozenset({S.TRANSLATED, S.APPROVED, S.REJECTED, S.STALE}),
    S.APPROVED: frozenset({S.TRANSLATED, S.REJECTED, S.STALE}),
    S.REJECTED: frozenset({S.MACHINE, S.FUZZY, S.TRANSLATED, S.APPROVED, S.STALE}),
    S.STALE: frozenset({S.MACHINE, S.FUZZY, S.TRANSLATED, S.APPROVED, S.REJECTED, S.STALE}),
}


def change_status(translation: Translation, new: Status) -> Status:
    """Move ``translation`` to ``new`` if the table allows it; returns the old status."""
    old = Status(translation.status)
    if new not in TRANSITIONS[old]:
        raise TranslatorError(f"a translation cannot go from {old.value} to {new.value}")
    translation.status = new
    return old

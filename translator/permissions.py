"""Who may do what: the roles, the actions, and the one check that the web pages and the API both call.

Roles are per language, as in Pontoon and Crowdin: a user's languages bound what they may touch in
each target language (none listed: every language). Each role may do what the roles before it may:

- translator: read, edit and comment in their languages;
- reviewer: also approve and reject;
- editor: also export and download, and import articles;
- manager: also read the coverage reports and manage users (never an admin);
- admin: everything, in every language.

The CLI acts as the workspace's local admin and asks nothing here.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .errors import TranslatorError


class Role(str, enum.Enum):
    TRANSLATOR = "translator"
    REVIEWER = "reviewer"
    EDITOR = "editor"
    MANAGER = "manager"
    ADMIN = "admin"


class Action(str, enum.Enum):
    READ = "read"  # articles, segments, translations, history, TM and glossary lookups
    EDIT = "edit"  # save a translation's text, revert it
    COMMENT = "comment"
    APPROVE = "approve"
    REJECT = "reject"
    EXPORT = "export"  # download localized articles and exchange files
    IMPORT = "import"  # upload an article
    REPORT = "report"  # the coverage report
    MANAGE_USERS = "manage-users"


#: the least role that may do each action
LEAST_ROLE: dict[Action, Role] = {
    Action.READ: Role.TRANSLATOR,
    Action.EDIT: Role.TRANSLATOR,
    Action.COMMENT: Role.TRANSLATOR,
    Action.APPROVE: Role.REVIEWER,
    Action.REJECT: Role.REVIEWER,
    Action.EXPORT: Role.EDITOR,
    Action.IMPORT: Role.EDITOR,
    Action.REPORT: Role.MANAGER,
    Action.MANAGE_USERS: Role.MANAGER,
}
#: actions on one target language's translations: bound by the user's languages
PER_LANGUAGE = frozenset({Action.READ, Action.EDIT, Action.COMMENT, Action.APPROVE, Action.REJECT, Action.EXPORT})
#: what a read-only API token may do
READ_ONLY = frozenset({Action.READ, Action.REPORT})
_RANK = {role: rank for rank, role in enumerate(Role)}


class Forbidden(TranslatorError):
    """The user may not do this (here, or in this language)."""


@dataclass(frozen=True)
class Actor:
    """Who is asking: a user's name, role and languages (empty: all), and whether the request may write
    (a read-only API token may not)."""

    name: str
    role: Role
    languages: tuple[str, ...] = ()
    writes: bool = True

    def may(self, action: Action, language: str | None = None) -> bool:
        """Whether this actor may do ``action`` (in ``language``, for actions on one language's work)."""
        if _RANK[self.role] < _RANK[LEAST_ROLE[action]]:
            return False
        if not self.writes and action not in READ_ONLY:
            return False
        if self.role is Role.ADMIN or action not in PER_LANGUAGE or not self.languages:
            return True
        return language is not None and language in self.languages

    def languages_among(self, languages: Iterable[str]) -> list[str]:
        """Of ``languages``, those this actor may read."""
        return [lang for lang in languages if self.may(Action.READ, lang)]

    def may_grant(self, role: Role) -> bool:
        """Whether this actor may give a user ``role`` (or change a user who has it): a manager never
        makes or changes an admin."""
        return self.may(Action.MANAGE_USERS) and (self.role is Role.ADMIN or role is not Role.ADMIN)


def require(actor: Actor, action: Action, language: str | None = None) -> None:
    """Forbidden unless ``actor`` may do ``action`` (in ``language``)."""
    if actor.may(action, language):
        return
    where = f" in {language}" if language and action in PER_LANGUAGE else ""
    if not actor.writes and action not in READ_ONLY:
        raise Forbidden(f"this token may only read; {action.value}{where} needs a write token")
    raise Forbidden(f"{actor.name} ({actor.role.value}) may not {action.value}{where}")


def require_grant(actor: Actor, role: Role) -> None:
    """Forbidden unless ``actor`` may give ``role`` or change a user who has it."""
    require(actor, Action.MANAGE_USERS)
    if not actor.may_grant(role):
        raise Forbidden(f"{actor.name} ({actor.role.value}) may not make or change an {role.value}")


def parse_role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise TranslatorError(f"unknown role {text!r}: one of {', '.join(r.value for r in Role)}") from None


def check_languages(languages: Sequence[str], targets: Sequence[str]) -> tuple[str, ...]:
    """``languages`` as a user's languages: each one of the workspace's targets."""
    unknown = [lang for lang in languages if lang not in targets]
    if unknown:
        raise TranslatorError(f"{', '.join(map(repr, unknown))} {'is' if len(unknown) == 1 else 'are'} not a target language "
                              f"of this workspace ({', '.join(targets)})")
    return tuple(dict.fromkeys(languages))

"""One glossary concept as files and the database carry it: ``GlossaryEntry``, its forms and their rules.

``parse_forms`` and ``format_forms`` read and write a cell of forms (``preferred|variant|!forbidden``);
``check_entry`` refuses what cannot be stored or matched.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..errors import TranslatorError
from ..languages import base_language
from ..models import ConceptKind

#: names and do-not-translate terms match case-sensitively unless a concept says otherwise
CASE_SENSITIVE = {
    ConceptKind.NAME: True,
    ConceptKind.DO_NOT_TRANSLATE: True,
    ConceptKind.TITLE: False,
    ConceptKind.FORBIDDEN: False,
}
MAX_FORM_LENGTH = 300  # Term.text


@dataclass
class GlossaryEntry:
    """One concept as glossary files carry it: its kind and its forms per language.

    ``terms`` lists the allowed forms per language, preferred first; ``forbidden`` the forms never
    to use. A concept of kind ``forbidden`` has only forbidden forms.

    >>> GlossaryEntry("name", {"en": ["Vladimir Putin", "Putin"], "de": ["Wladimir Putin", "Putin"]},
    ...               forbidden={"de": ["Vladimir Putin"]})
    """

    kind: ConceptKind
    terms: dict[str, list[str]]
    forbidden: dict[str, list[str]] = field(default_factory=dict)
    note: str = ""
    case_sensitive: bool | None = None  # None: the kind's rule (CASE_SENSITIVE)
    whole_segment: bool = False  # matched only when a segment is the term alone
    id: int | None = field(default=None, compare=False)  # the concept's id, when loaded from the database
    line: int | None = field(default=None, compare=False)  # where it starts in its file, for messages

    def __post_init__(self) -> None:
        self.kind = ConceptKind(self.kind)
        self.note = self.note or ""
        if self.case_sensitive == CASE_SENSITIVE[self.kind]:
            self.case_sensitive = None  # one spelling for "the kind's rule", so equal entries compare equal

    def label(self, language: str) -> str:
        """The concept's name in ``language``: its preferred form there, else its first form anywhere."""
        forms = _forms_in(self.terms, language) or _forms_in(self.forbidden, language)
        if forms:
            return forms[0]
        return next(iter([*self.terms.values(), *self.forbidden.values()]))[0]

    def languages(self) -> list[str]:
        return list(dict.fromkeys([*self.terms, *self.forbidden]))

    def is_case_sensitive(self, form: str) -> bool:
        """How ``form`` is matched: acronyms (UN, PM, U.S.) always by case, others by the concept's rule."""
        if _is_acronym(form):
            return True
        return CASE_SENSITIVE[self.kind] if self.case_sensitive is None else self.case_sensitive


def check_entry(entry: GlossaryEntry) -> None:
    """Raise TranslatorError (without a location) if ``entry`` cannot be stored or matched."""
    if entry.kind is ConceptKind.FORBIDDEN and any(entry.terms.values()):
        raise TranslatorError("a concept of kind forbidden has forbidden forms only")
    if not any(entry.terms.values()) and not any(entry.forbidden.values()):
        raise TranslatorError("no terms in any language")
    for lang in entry.languages():
        seen: set[str] = set()
        for form in [*entry.terms.get(lang, []), *entry.forbidden.get(lang, [])]:
            _check_form(form, lang)
            if form in seen:
                raise TranslatorError(f"{lang}: {form!r} is listed twice")
            seen.add(form)
    if entry.note and (bad := _control_character(entry.note, allow="\n\t")):
        raise TranslatorError(f"the note contains U+{ord(bad):04X}, a control character")


def parse_forms(cell: str) -> tuple[list[str], list[str]]:
    """Split a cell of forms: ``|`` between forms, preferred first, ``!`` before a forbidden one.

    >>> parse_forms("Wladimir Putin | Putin | !Vladimir Putin")
    (['Wladimir Putin', 'Putin'], ['Vladimir Putin'])
    """
    if not cell.strip():
        return [], []
    allowed: list[str] = []
    forbidden: list[str] = []
    for piece in cell.split("|"):
        text = " ".join(piece.split())
        bad = text.startswith("!")
        if bad:
            text = " ".join(text[1:].split())
        if not text:
            raise TranslatorError(f"an empty form in {cell.strip()!r} (a '|' too many?)")
        if text in allowed or text in forbidden:
            raise TranslatorError(f"{text!r} is listed twice")
        (forbidden if bad else allowed).append(text)
    return allowed, forbidden


def format_forms(allowed: Sequence[str], forbidden: Sequence[str] = ()) -> str:
    """The cell ``parse_forms`` reads back: ``format_forms(["Putin"], ["Poutin"]) == "Putin|!Poutin"``."""
    return "|".join([*allowed, *(f"!{f}" for f in forbidden)])


def _check_form(form: str, lang: str) -> None:
    if not form or form != " ".join(form.split()):
        raise TranslatorError(f"{lang}: {form!r} has leading, trailing or repeated spaces")
    if "|" in form or form.startswith("!"):
        raise TranslatorError(f"{lang}: {form!r}: '|' separates forms and '!' marks a forbidden one")
    if len(form) > MAX_FORM_LENGTH:
        raise TranslatorError(f"{lang}: {form[:40]!r}... is longer than {MAX_FORM_LENGTH} characters")
    if bad := _control_character(form):
        raise TranslatorError(f"{lang}: {form!r} contains U+{ord(bad):04X}, a control character")


def _control_character(text: str, allow: str = "") -> str | None:
    return next((c for c in text if unicodedata.category(c) == "Cc" and c not in allow), None)


def _is_acronym(form: str) -> bool:
    return sum(c.isupper() for c in form) >= 2 and form == form.upper()


def _forms_in(forms: dict[str, list[str]], language: str) -> list[str]:
    # a glossary in "pt" serves "pt-BR" too
    return forms.get(language) or forms.get(base_language(language)) or []


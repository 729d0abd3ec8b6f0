"""The glossary: names, titles and do-not-translate terms per language, and finding them in text.

``GlossaryEntry`` is one concept as files carry it (``formats.glossary_csv``, ``formats.tbx``);
``Glossary`` is the glossary of one language pair, built once and asked per segment: ``find``
the terms in a source text, check a translation with ``adherence`` and ``forbidden_used``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .errors import TranslatorError
from .history import record
from .languages import base_language
from .models import Concept, ConceptKind, Term, TermStatus, utcnow

__all__ = [
    "ConceptKind", "ForbiddenUse", "Glossary", "GlossaryEntry", "GlossaryImportReport", "TermMatch",
    "add_concept", "adherence", "check_entry", "export_glossary", "find_terms", "forbidden_used",
    "format_forms", "import_glossary", "import_glossary_files", "list_concepts", "load_entries",
    "parse_forms", "read_glossary", "remove_concept", "term_occurrences", "term_present", "write_glossary",
]

#: names and do-not-translate terms match case-sensitively unless a concept says otherwise
CASE_SENSITIVE = {
    ConceptKind.NAME: True,
    ConceptKind.DO_NOT_TRANSLATE: True,
    ConceptKind.TITLE: False,
    ConceptKind.FORBIDDEN: False,
}
MAX_FORM_LENGTH = 300  # Term.text

_TOKEN = re.compile(r"\w+|[^\w\s]")
_APOSTROPHES = "'’"
_HYPHENS = "-‐‑"
# German and Dutch add a genitive s to names ("Putins", "Poetins", "des Kremls", "des Rates")
_TARGET_SUFFIX = "(?:e?s)?"


# --- one concept, as files and the database carry it ---------------------------------------------


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


# --- matching -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TermMatch:
    """A glossary term found in a source text, with what its translation must contain."""

    start: int
    end: int
    text: str  # as written in the source
    concept: str  # the concept's preferred source-language form, e.g. "Vladimir Putin"
    kind: ConceptKind
    source: str  # the glossary form that matched, e.g. "Putin"
    target: str  # the form the translation must contain
    variants: tuple[str, ...] = ()  # other target forms that count as well
    forbidden: tuple[str, ...] = ()  # target forms that must not appear
    case_sensitive: bool = True  # how target forms are compared
    concept_id: int | None = None


@dataclass(frozen=True)
class ForbiddenUse:
    """A forbidden form found in a translation."""

    start: int
    end: int
    text: str
    concept: str
    concept_id: int | None = None
    use_instead: str | None = None  # the concept's preferred form in that language, if it has one


@dataclass(frozen=True)
class _Hit:
    """What a source form of the glossary stands for in the target language."""

    concept: str
    kind: ConceptKind
    source: str
    target: str
    variants: tuple[str, ...]
    forbidden: tuple[str, ...]
    case_sensitive: bool
    concept_id: int | None


P = TypeVar("P")


class _FormIndex(Generic[P]):
    """Forms found in one left-to-right pass: candidates are looked up by the word a form starts with,
    longest first, so a text is scanned once whatever the size of the glossary."""

    def __init__(self, forms: Iterable[tuple[str, bool, P]], suffix: str = "") -> None:
        by_key: dict[str, list[tuple[str, bool, P]]] = {}
        for form, case_sensitive, payload in forms:
            key = _TOKEN.search(form).group().casefold()  # type: ignore[union-attr]
            by_key.setdefault(key, []).append((form, case_sensitive, payload))
        for candidates in by_key.values():
            candidates.sort(key=lambda c: -len(c[0]))  # stable: on equal length the first listed wins
        self._by_key = by_key
        self._suffix = suffix

    def find(self, text: str) -> Iterator[tuple[int, int, P]]:
        """Leftmost-longest, non-overlapping matches."""
        end = 0
        for token in _TOKEN.finditer(text):
            if token.start() < end:
                continue
            for form, case_sensitive, payload in self._by_key.get(token.group().casefold(), ()):
                # compiled on first use (and cached), so a large glossary costs only what a text asks for
                match = _form_pattern(form, case_sensitive, self._suffix).match(text, token.start())
                if match:
                    end = match.end()
                    yield match.start(), end, payload
                    break


class Glossary:
    """The glossary of one language pair, compiled for matching: build it once, ask it per segment.

    >>> glossary = Glossary.load(session, "en", "de")
    >>> [(m.text, m.target) for m in glossary.find("Russian President Vladimir Putin said")]
    [('President', 'Präsident'), ('Vladimir Putin', 'Wladimir Putin')]
    """

    def __init__(self, entries: Iterable[GlossaryEntry], source_lang: str, target_lang: str) -> None:
        self.source_lang, self.target_lang = source_lang, target_lang
        self.entries = list(entries)
        sources: list[tuple[str, bool, _Hit]] = []
        whole: list[tuple[str, bool, _Hit]] = []
        bad: list[tuple[str, bool, ForbiddenUse]] = []
        self._matchable = 0
        for entry in self.entries:
            hits = list(_hits(entry, source_lang, target_lang))
            if hits:
                self._matchable += 1
            for form, hit in hits:
                case = entry.is_case_sensitive(form)
                if entry.whole_segment:
                    whole.append((form, case, hit))
                else:
                    sources.append((form, case, hit))
            preferred = _forms_in(entry.terms, target_lang)
            for form in _forms_in(entry.forbidden, target_lang):
                use = ForbiddenUse(0, 0, form, entry.label(source_lang), entry.id, preferred[0] if preferred else None)
                bad.append((form, entry.is_case_sensitive(form), use))
        self._sources = _FormIndex(sources)
        self._whole = whole
        self._forbidden = _FormIndex(bad, _TARGET_SUFFIX)

    @classmethod
    def load(cls, session: Session, source_lang: str, target_lang: str) -> Glossary:
        """The stored glossary for translating ``source_lang`` into ``target_lang``."""
        languages = {source_lang, target_lang, base_language(source_lang), base_language(target_lang)}
        return cls(load_entries(session, languages=languages), source_lang, target_lang)

    def __len__(self) -> int:
        """How many concepts can be found in a source text of this pair."""
        return self._matchable

    def find(self, text: str) -> list[TermMatch]:
        """The glossary terms in a source text, left to right, longest first, never overlapping."""
        stripped = text.strip()
        for form, case, hit in self._whole:
            if stripped and _form_pattern(form, case).fullmatch(stripped):
                start = text.index(stripped)
                return [_term_match(text, start, start + len(stripped), hit)]
        return [_term_match(text, start, end, hit) for start, end, hit in self._sources.find(text)]

    def present(self, target_text: str, match: TermMatch) -> bool:
        """Whether a translation contains the required form of ``match`` or an accepted variant."""
        return term_present(target_text, match)

    def occurrences(self, target_text: str, match: TermMatch) -> int:
        """How many times a translation has the required form of ``match`` or an accepted variant."""
        return term_occurrences(target_text, match)

    def adherence(self, target_text: str, matches: Iterable[TermMatch]) -> tuple[list[TermMatch], list[TermMatch]]:
        """The matches whose required form a translation has, and those it lacks."""
        return adherence(target_text, matches)

    def forbidden_used(self, target_text: str) -> list[ForbiddenUse]:
        """The forbidden forms of the target language that a translation contains."""
        return [
            ForbiddenUse(start, end, target_text[start:end], use.concept, use.concept_id, use.use_instead)
            for start, end, use in self._forbidden.find(target_text)
        ]


def find_terms(text: str, glossary: Glossary) -> list[TermMatch]:
    """The glossary terms in a source text: ``glossary.find(text)``."""
    return glossary.find(text)


def term_present(target_text: str, match: TermMatch) -> bool:
    """Whether ``target_text`` contains ``match.target`` or one of ``match.variants`` as whole words.

    Titles compare regardless of case and may end a compound ("Gesundheitsminister" has "Minister");
    a genitive s is accepted ("Putins", "des Kremls").
    """
    return _target_pattern_of(match).search(target_text) is not None


def term_occurrences(target_text: str, match: TermMatch) -> int:
    """How often ``target_text`` has ``match.target`` or a variant (a term twice in the source must be there twice)."""
    return len(_target_pattern_of(match).findall(target_text))


def adherence(target_text: str, matches: Iterable[TermMatch]) -> tuple[list[TermMatch], list[TermMatch]]:
    """Split ``matches`` into those a translation keeps (required form or a variant) and those it misses."""
    present: list[TermMatch] = []
    missing: list[TermMatch] = []
    for match in matches:
        (present if term_present(target_text, match) else missing).append(match)
    return present, missing


def forbidden_used(target_text: str, glossary: Glossary) -> list[ForbiddenUse]:
    """The forbidden forms of ``glossary``'s target language in a translation."""
    return glossary.forbidden_used(target_text)


def _target_pattern_of(match: TermMatch) -> re.Pattern[str]:
    forms = (match.target, *match.variants)
    return _target_pattern(forms, match.case_sensitive, compound=match.kind is ConceptKind.TITLE)


def _hits(entry: GlossaryEntry, source_lang: str, target_lang: str) -> Iterator[tuple[str, _Hit]]:
    """Each source-language form of ``entry`` with what it requires in ``target_lang``."""
    if entry.kind is ConceptKind.FORBIDDEN:
        return
    sources = _forms_in(entry.terms, source_lang)
    targets = _forms_in(entry.terms, target_lang)
    dnt = entry.kind is ConceptKind.DO_NOT_TRANSLATE
    if not sources or not (targets or dnt):
        return
    forbidden = tuple(_forms_in(entry.forbidden, target_lang))
    accepted = [*sources, *targets] if dnt else targets
    # forms written wrongly in the source (en "Kiev") are found too, and ask for the preferred form
    candidates = [*enumerate(sources), *((0, form) for form in _forms_in(entry.forbidden, source_lang))]
    for index, form in candidates:
        if dnt:
            required = form if form in sources else sources[0]
        else:
            required = _required_form(entry.kind, index, form, targets)
        variants = tuple(dict.fromkeys(v for v in accepted if v != required and not _part_of(v, required)))
        yield form, _Hit(entry.label(source_lang), entry.kind, form, required, variants, forbidden,
                         entry.is_case_sensitive(required), entry.id)


def _required_form(kind: ConceptKind, index: int, form: str, targets: list[str]) -> str:
    """What a name's source form at ``index`` asks for: the target form at that index ("Putin" ->
    "Putin"), unless it has another number of words and some target form has as many ("Zelenskyy" ->
    "Selenskyj" where the target lists no spelling variants); the first with as many words when the
    target has no form at that index; else, as for titles, the preferred form."""
    if kind is ConceptKind.TITLE or index == 0:
        return targets[0]
    words = len(form.split())
    same = [t for t in targets if len(t.split()) == words]
    if index < len(targets) and (len(targets[index].split()) == words or not same):
        return targets[index]
    return same[0] if same else targets[0]


def _part_of(short: str, form: str) -> bool:
    """Whether ``short``'s words run inside ``form``: "Putin" is part of "Wladimir Putin" and must not
    stand in for it, or "Vladimir Putin" would pass."""
    words, within = _words(short), _words(form)
    return any(within[i:i + len(words)] == words for i in range(len(within) - len(words) + 1))


def _words(text: str) -> list[str]:
    return [w.casefold() for w in re.findall(r"\w+", text)]


def _term_match(text: str, start: int, end: int, hit: _Hit) -> TermMatch:
    return TermMatch(start, end, text[start:end], hit.concept, hit.kind, hit.source, hit.target, hit.variants,
                     hit.forbidden, hit.case_sensitive, hit.concept_id)


@lru_cache(maxsize=8192)
def _form_pattern(form: str, case_sensitive: bool, suffix: str = "") -> re.Pattern[str]:
    return re.compile(_form_regex(form, suffix), 0 if case_sensitive else re.IGNORECASE)


@lru_cache(maxsize=8192)
def _target_pattern(forms: tuple[str, ...], case_sensitive: bool, compound: bool = False) -> re.Pattern[str]:
    alternatives = sorted(dict.fromkeys(forms), key=len, reverse=True)
    regex = "|".join(_form_regex(f, _TARGET_SUFFIX, compound) for f in alternatives)
    return re.compile(regex, 0 if case_sensitive else re.IGNORECASE)


def _form_regex(form: str, suffix: str = "", compound: bool = False) -> str:
    """A form as a regex on word boundaries: any run of spaces, either apostrophe, any hyphen."""
    parts: list[str] = []
    for char in form:
        if char.isspace():
            if parts[-1:] != [r"\s+"]:
                parts.append(r"\s+")
        elif char in _APOSTROPHES:
            parts.append(f"[{_APOSTROPHES}]")
        elif char in _HYPHENS:
            parts.append(f"[{_HYPHENS}]")
        else:
            parts.append(re.escape(char))
    # German and Dutch titles end compounds: "Gesundheitsminister", "Bundespräsident"
    head = r"(?<!\w)" if _is_word_char(form[0]) and not compound else ""
    tail = suffix + r"(?!\w)" if _is_word_char(form[-1]) else ""
    return f"{head}(?:{''.join(parts)}){tail}"


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


# --- the stored glossary --------------------------------------------------------------------------


@dataclass
class GlossaryImportReport:
    path: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0  # concepts the file brought earlier and no longer has

    @property
    def concepts(self) -> int:
        """How many concepts the file holds."""
        return self.added + self.updated + self.unchanged

    @property
    def summary(self) -> str:
        parts = [f"{self.added} added", f"{self.updated} updated", f"{self.unchanged} unchanged"]
        if self.removed:
            parts.append(f"{self.removed} removed")
        return ", ".join(parts)


def read_glossary(path: Path) -> list[GlossaryEntry]:
    """Read a glossary file, ``.csv`` or ``.tbx`` by its extension; a bad file raises TranslatorError."""
    read, _ = _format(path)
    return read(Path(path))


def write_glossary(path: Path, entries: Sequence[GlossaryEntry], languages: Sequence[str]) -> int:
    """Write ``entries`` in ``languages`` (the source language first) as ``.csv`` or ``.tbx``; returns how many."""
    _, write = _format(path)
    return write(Path(path), entries, languages)


def import_glossary(session: Session, path: Path, source_lang: str, user: str) -> GlossaryImportReport:
    """Store the concepts of a glossary file, all or nothing.

    A concept is known by its kind and its first form in the source language: importing a file
    again updates its concepts, and removes those it brought earlier and no longer lists.
    """
    path = Path(path)
    entries = read_glossary(path)
    keys: dict[tuple[ConceptKind, str], GlossaryEntry] = {}
    for entry in entries:
        key = _key(entry, source_lang, f"{path}:{entry.line}" if entry.line else str(path))
        if key in keys:
            raise TranslatorError(
                f"{path}:{entry.line}: {key[1]!r} ({key[0].value}) is already at line {keys[key].line}"
            )
        keys[key] = entry
    known = _concepts_by_key(session, source_lang)
    origin = path.name[:255]  # Concept.origin
    report = GlossaryImportReport(str(path))
    for key, entry in keys.items():
        concept = known.get(key)
        if concept is None:
            session.add(_new_concept(entry, origin))
            report.added += 1
        elif _entry(concept) == entry and concept.origin == origin:
            report.unchanged += 1
        else:
            _update(session, concept, entry, origin=origin)
            report.updated += 1
    for key, concept in known.items():
        if concept.origin == origin and key not in keys:
            session.delete(concept)
            report.removed += 1
    record(session, user, "glossary-import", detail=f"{origin}: {report.summary}")
    return report


def import_glossary_files(session: Session, paths: Sequence[Path], source_lang: str = "en",
                          user: str = "translator") -> GlossaryImportReport:
    """Import several glossary files in the caller's transaction; one report adding up theirs."""
    total = GlossaryImportReport(", ".join(str(p) for p in paths))
    for path in paths:
        report = import_glossary(session, path, source_lang, user)
        total.added += report.added
        total.updated += report.updated
        total.unchanged += report.unchanged
        total.removed += report.removed
    return total


def export_glossary(session: Session, path: Path, source_lang: str, languages: Sequence[str] | None = None) -> int:
    """Write the stored glossary as CSV or TBX; ``languages`` (default: all stored) besides the source."""
    entries = load_entries(session)
    if not entries:
        raise TranslatorError("the glossary is empty: nothing to export")
    present = list(dict.fromkeys(lang for entry in entries for lang in entry.languages()))
    chosen = [source_lang, *(lang for lang in (languages or present) if lang != source_lang)]
    return write_glossary(path, entries, chosen)


def load_entries(session: Session, languages: Iterable[str] | None = None,
                 kind: ConceptKind | str | None = None) -> list[GlossaryEntry]:
    """The stored concepts in the order they were added, with the terms of ``languages`` (default: all)."""
    query = select(Concept).options(selectinload(Concept.terms)).order_by(Concept.id)
    if kind is not None:
        query = query.where(Concept.kind == ConceptKind(kind))
    wanted = set(languages) if languages is not None else None
    entries = []
    for concept in session.scalars(query):
        entry = _entry(concept, wanted)
        if entry.terms or entry.forbidden:
            entries.append(entry)
    return entries


def list_concepts(session: Session, language: str | None = None, kind: ConceptKind | str | None = None,
                  text: str | None = None) -> list[GlossaryEntry]:
    """The stored concepts having terms in ``language``, of ``kind``, with a form containing ``text``."""
    entries = load_entries(session, kind=kind)
    if language:
        entries = [e for e in entries if _forms_in(e.terms, language) or _forms_in(e.forbidden, language)]
    if text:
        needle = text.casefold()
        entries = [e for e in entries
                   if any(needle in form.casefold() for forms in [*e.terms.values(), *e.forbidden.values()]
                          for form in forms)]
    return entries


def add_concept(session: Session, entry: GlossaryEntry, source_lang: str, user: str) -> tuple[GlossaryEntry, bool]:
    """Add a concept, or merge ``entry`` into the one with the same kind and source form.

    Merging replaces the forms of the languages ``entry`` has and keeps the others; a note,
    a case rule or a whole-segment mark is only ever set, never cleared. Returns the stored
    entry and whether it is new.
    """
    check_entry(entry)
    key = _key(entry, source_lang, "")
    concept = _concepts_by_key(session, source_lang).get(key)
    if concept is None:
        concept = _new_concept(entry, origin=None)
        session.add(concept)
        session.flush()
        record(session, user, "glossary-add", detail=f"{key[1]} ({key[0].value})")
        return _entry(concept), True
    stored = _entry(concept)
    terms = {lang: forms for lang, forms in stored.terms.items() if lang not in entry.languages()}
    forbidden = {lang: forms for lang, forms in stored.forbidden.items() if lang not in entry.languages()}
    merged = GlossaryEntry(
        entry.kind,
        {**terms, **{lang: list(forms) for lang, forms in entry.terms.items() if forms}},
        {**forbidden, **{lang: list(forms) for lang, forms in entry.forbidden.items() if forms}},
        note=entry.note or stored.note,
        case_sensitive=stored.case_sensitive if entry.case_sensitive is None else entry.case_sensitive,
        whole_segment=stored.whole_segment or entry.whole_segment,
    )
    check_entry(merged)
    _update(session, concept, merged, origin=concept.origin)
    record(session, user, "glossary-add", detail=f"{key[1]} ({key[0].value}): updated")
    return _entry(concept), False


def remove_concept(session: Session, ref: str, source_lang: str, user: str) -> GlossaryEntry:
    """Remove the concept with id ``ref``, or the one with a form ``ref`` (source language first)."""
    concept = _find_concept(session, ref.strip(), source_lang)
    entry = _entry(concept)
    session.delete(concept)
    record(session, user, "glossary-remove", detail=f"{entry.label(source_lang)} ({entry.kind.value}, id {concept.id})")
    return entry


def _format(path: Path) -> tuple[Callable[[Path], list[GlossaryEntry]], Callable[..., int]]:
    """The reader and writer for a file, chosen by its extension."""
    # imported here: the format modules import GlossaryEntry from this one
    from .formats import glossary_csv, tbx

    adapters = {
        ".csv": (glossary_csv.read_glossary_csv, glossary_csv.write_glossary_csv),
        ".tbx": (tbx.read_tbx, tbx.write_tbx),
    }
    suffix = Path(path).suffix.lower()
    if suffix not in adapters:
        raise TranslatorError(f"{path}: unknown glossary format {suffix or '(no extension)'}; use .csv or .tbx")
    return adapters[suffix]


def _key(entry: GlossaryEntry, source_lang: str, where: str) -> tuple[ConceptKind, str]:
    forms = _forms_in(entry.terms, source_lang) or _forms_in(entry.forbidden, source_lang)
    if not forms:
        prefix = f"{where}: " if where else ""
        raise TranslatorError(
            f"{prefix}{entry.label(source_lang)!r} has no {source_lang} term;"
            " every concept needs one in the source language"
        )
    return entry.kind, forms[0]


def _concepts_by_key(session: Session, source_lang: str) -> dict[tuple[ConceptKind, str], Concept]:
    query = (
        select(Concept)
        .join(Term, Term.concept_id == Concept.id)
        .where(Term.language.in_({source_lang, base_language(source_lang)}), Term.position == 0)
        .options(selectinload(Concept.terms))
    )
    known: dict[tuple[ConceptKind, str], Concept] = {}
    for concept in session.scalars(query).unique():
        entry = _entry(concept)
        known.setdefault(_key(entry, source_lang, ""), concept)
    return known


def _find_concept(session: Session, ref: str, source_lang: str) -> Concept:
    if ref.isdigit():
        concept = session.get(Concept, int(ref))
        if concept is None:
            raise TranslatorError(f"no glossary concept with id {ref}")
        return concept
    rows = session.execute(select(Term.concept_id, Term.language).where(Term.text == ref)).all()
    ids = sorted({cid for cid, lang in rows if lang == source_lang}) or sorted({cid for cid, _ in rows})
    if not ids:
        raise TranslatorError(f"no glossary concept has the form {ref!r}; 'translator glossary list' shows them")
    if len(ids) > 1:
        listed = ", ".join(map(str, ids))
        raise TranslatorError(f"{len(ids)} concepts have the form {ref!r} (ids {listed}); give the id")
    concept = session.get(Concept, ids[0])
    assert concept is not None
    return concept


def _entry(concept: Concept, languages: set[str] | None = None) -> GlossaryEntry:
    terms: dict[str, list[str]] = {}
    forbidden: dict[str, list[str]] = {}
    # languages in the order they were stored (a file's column order), forms in their position
    first_id: dict[str, int] = {}
    for term in concept.terms:
        first_id[term.language] = min(first_id.get(term.language, term.id or 0), term.id or 0)
    for term in sorted(concept.terms, key=lambda t: (first_id[t.language], t.language, t.position)):
        if languages is None or term.language in languages:
            target = forbidden if term.status is TermStatus.FORBIDDEN else terms
            target.setdefault(term.language, []).append(term.text)
    rules = {t.case_sensitive for t in concept.terms if not _is_acronym(t.text)}
    return GlossaryEntry(
        concept.kind, terms, forbidden, concept.note or "",
        case_sensitive=rules.pop() if len(rules) == 1 else None,
        whole_segment=concept.whole_segment, id=concept.id,
    )


def _new_concept(entry: GlossaryEntry, origin: str | None) -> Concept:
    concept = Concept(kind=entry.kind, note=entry.note or None, origin=origin, whole_segment=entry.whole_segment)
    concept.terms = _terms(entry)
    return concept


def _update(session: Session, concept: Concept, entry: GlossaryEntry, origin: str | None) -> None:
    concept.kind = entry.kind
    concept.note = entry.note or None
    concept.origin = origin
    concept.whole_segment = entry.whole_segment
    concept.updated_at = utcnow()
    concept.terms.clear()
    session.flush()  # the old rows go before the new ones, which may repeat their (language, text)
    concept.terms.extend(_terms(entry))


def _terms(entry: GlossaryEntry) -> list[Term]:
    rows = []
    for lang in entry.languages():
        allowed = entry.terms.get(lang, [])
        for position, form in enumerate([*allowed, *entry.forbidden.get(lang, [])]):
            if position >= len(allowed):
                status = TermStatus.FORBIDDEN
            else:
                status = TermStatus.PREFERRED if position == 0 else TermStatus.ADMITTED
            rows.append(Term(language=lang, text=form, status=status, position=position,
                             case_sensitive=entry.is_case_sensitive(form)))
    return rows

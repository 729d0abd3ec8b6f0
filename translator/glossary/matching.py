"""Finding glossary terms: ``Glossary`` is the glossary of one language pair, compiled once and asked per
segment: ``find`` the terms in a source text, check a translation with ``missing`` and ``forbidden_used``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from ..languages import base_language
from ..models import ConceptKind
from .entries import GlossaryEntry, _forms_in
from .forms import Forms, alternatives, fold, one_form

_TOKEN = re.compile(r"\w+|[^\w\s]")
_WORD = re.compile(r"\w+")
#: answers a Glossary keeps per question (find, missing) before it starts afresh
_REMEMBERED = 4096


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

    def __init__(self, forms: Iterable[tuple[str, bool, P]], genitive: bool = False) -> None:
        by_key: dict[str, list[tuple[str, bool, P]]] = {}
        for form, case_sensitive, payload in forms:
            key = _TOKEN.search(form).group().casefold()  # type: ignore[union-attr]
            by_key.setdefault(key, []).append((form, case_sensitive, payload))
        for candidates in by_key.values():
            candidates.sort(key=lambda c: -len(c[0]))  # stable: on equal length the first listed wins
        self._by_key = by_key
        self._genitive = genitive

    def find(self, text: str) -> Iterator[tuple[int, int, P]]:
        """Leftmost-longest, non-overlapping matches."""
        keys = [token.casefold() for token in _TOKEN.findall(text)]
        if self._by_key.keys().isdisjoint(keys):
            return  # most texts have no forbidden form, and many no target form
        starts = [token.start() for token in _TOKEN.finditer(text)]
        end, folded = 0, fold(text)
        for start, key in zip(starts, keys):
            if start < end or key not in self._by_key:
                continue
            for text_form, case_sensitive, payload in self._by_key[key]:
                # prepared on first use (and cached), so a large glossary costs only what a text asks for
                stop = one_form(text_form, case_sensitive, self._genitive).end_at(text, folded, start)
                if stop is not None:
                    end = stop
                    yield start, end, payload
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
        targets: list[tuple[str, bool, tuple[ConceptKind, str]]] = []
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
            targets += [(form, entry.is_case_sensitive(form), (entry.kind, entry.label(source_lang)))
                        for form in preferred]
            for form in _forms_in(entry.forbidden, target_lang):
                use = ForbiddenUse(0, 0, form, entry.label(source_lang), entry.id, preferred[0] if preferred else None)
                bad.append((form, entry.is_case_sensitive(form), use))
        self._sources = _FormIndex(sources)
        self._whole = whole
        self._forbidden = _FormIndex(bad, genitive=True)
        self._targets = _FormIndex(targets, genitive=True)
        # MT enforcement and then QA ask about the same texts: each answer is kept for the next asker
        self._found: dict[str, tuple[TermMatch, ...]] = {}
        self._missing: dict[tuple[str, tuple[TermMatch, ...]], tuple[TermMatch, ...]] = {}
        self._spans: dict[str, tuple[tuple[int, int, tuple[ConceptKind, str]], ...]] = {}

    @classmethod
    def load(cls, session: Session, source_lang: str, target_lang: str) -> Glossary:
        """The stored glossary for translating ``source_lang`` into ``target_lang``."""
        languages = {source_lang, target_lang, base_language(source_lang), base_language(target_lang)}
        from .service import load_entries  # the stored entries; the service imports this module

        return cls(load_entries(session, languages=languages), source_lang, target_lang)

    def __len__(self) -> int:
        """How many concepts can be found in a source text of this pair."""
        return self._matchable

    def find(self, text: str) -> list[TermMatch]:
        """The glossary terms in a source text, left to right, longest first, never overlapping."""
        found = self._found.get(text)
        if found is None:
            if len(self._found) >= _REMEMBERED:
                self._found.clear()
            found = self._found[text] = tuple(self._find(text))
        return list(found)

    def _find(self, text: str) -> list[TermMatch]:
        stripped = text.strip()
        for whole, case, hit in self._whole:
            if stripped and one_form(whole, case).end_at(stripped, fold(stripped), 0) == len(stripped):
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

    def target_spans(self, target_text: str) -> list[tuple[int, int, tuple[ConceptKind, str]]]:
        """Where a translation has target-language forms of the glossary: leftmost-longest, with their concept."""
        spans = self._spans.get(target_text)
        if spans is None:
            if len(self._spans) >= _REMEMBERED:
                self._spans.clear()
            spans = self._spans[target_text] = tuple(self._targets.find(target_text))
        return list(spans)

    def kept_spans(self, target_text: str, match: TermMatch,
                   spans: list[tuple[int, int, tuple[ConceptKind, str]]] | None = None) -> list[tuple[int, int]]:
        """Where a translation has the required form of ``match`` (or a variant), leaving out a form found only
        inside a longer glossary term of another concept: "ministro" in "primeiro-ministro" is not the
        Minister, "presidente" in "vicepresidente" not the President."""
        spans = self.target_spans(target_text) if spans is None else spans
        own = (match.kind, match.concept)
        found = []
        for start, end in _target_forms(match).spans(target_text):
            if not any(s <= start and end <= e and e - s > end - start and concept != own for s, e, concept in spans):
                found.append((start, end))
        return found

    def missing(self, target_text: str, matches: Iterable[TermMatch]) -> list[TermMatch]:
        """The occurrences whose required form a translation lacks: a term twice in the source must be
        there twice, and a form inside a longer glossary term does not count (see ``kept_spans``)."""
        key = (target_text, tuple(matches))
        lacking = self._missing.get(key)
        if lacking is None:
            if len(self._missing) >= _REMEMBERED:
                self._missing.clear()
            lacking = self._missing[key] = tuple(self._lacking(target_text, key[1]))
        return list(lacking)

    def _lacking(self, target_text: str, matches: Iterable[TermMatch]) -> list[TermMatch]:
        spans = self.target_spans(target_text)
        counts: dict[tuple, int] = {}
        lost, seen = [], Counter[tuple]()
        for match in matches:
            key = (match.target, match.variants, match.case_sensitive, match.kind, match.concept)
            if key not in counts:
                counts[key] = len(self.kept_spans(target_text, match, spans))
            seen[key] += 1
            if counts[key] < seen[key]:
                lost.append(match)
        return lost

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
    return bool(_target_forms(match).spans(target_text))


def term_occurrences(target_text: str, match: TermMatch) -> int:
    """How often ``target_text`` has ``match.target`` or a variant (a term twice in the source must be there twice)."""
    return len(_target_forms(match).spans(target_text))


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


def _target_forms(match: TermMatch) -> Forms:
    return alternatives((match.target, *match.variants), match.case_sensitive, compound=match.kind is ConceptKind.TITLE)


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
    return [w.casefold() for w in _WORD.findall(text)]


def _term_match(text: str, start: int, end: int, hit: _Hit) -> TermMatch:
    return TermMatch(start, end, text[start:end], hit.concept, hit.kind, hit.source, hit.target, hit.variants,
                     hit.forbidden, hit.case_sensitive, hit.concept_id)


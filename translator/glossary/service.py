"""The stored glossary: importing and exporting files, listing, adding and removing concepts.

Every change runs the QA checks again on the stored translations it may concern, so their glossary
flags follow the glossary.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..db import storable
from ..errors import TranslatorError
from ..history import record
from ..languages import base_language
from ..models import Concept, ConceptKind, Segment, SegmentState, Term, TermStatus, Translation, utcnow
from .entries import GlossaryEntry, _forms_in, _is_acronym, check_entry

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


def import_glossary(session: Session, path: Path, source_lang: str, user: str,
                    disabled: Iterable[str] = ()) -> GlossaryImportReport:
    """Store the concepts of a glossary file, all or nothing.

    A concept is known by its kind and its first form in the source language: importing a file
    again updates its concepts, and removes those it brought earlier and no longer lists. The
    translations that mention a concept added, changed or removed are checked again (``disabled``:
    the check ids switched off in the workspace).
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
    touched: list[GlossaryEntry] = []  # before and after: a form dropped matters as much as one added
    for key, entry in keys.items():
        concept = known.get(key)
        if concept is None:
            session.add(_new_concept(entry, origin))
            touched.append(entry)
            report.added += 1
        elif _entry(concept) == entry and concept.origin == origin:
            report.unchanged += 1
        else:
            touched += [_entry(concept), entry]
            _update(session, concept, entry, origin=origin)
            report.updated += 1
    for key, concept in known.items():
        if concept.origin == origin and key not in keys:
            touched.append(_entry(concept))
            session.delete(concept)
            report.removed += 1
    record(session, user, "glossary-import", detail=f"{origin}: {report.summary}")
    _recheck(session, touched, disabled)
    return report


def import_glossary_files(session: Session, paths: Sequence[Path], source_lang: str = "en",
                          user: str = "translator", disabled: Iterable[str] = ()) -> GlossaryImportReport:
    """Import several glossary files in the caller's transaction; one report adding up theirs."""
    total = GlossaryImportReport(", ".join(str(p) for p in paths))
    for path in paths:
        report = import_glossary(session, path, source_lang, user, disabled)
        total.added += report.added
        total.updated += report.updated
        total.unchanged += report.unchanged
        total.removed += report.removed
    return total


def export_glossary(session: Session, path: Path, source_lang: str, languages: Sequence[str] | None = None,
                    targets: Sequence[str] = ()) -> int:
    """Write the stored glossary as CSV or TBX; ``languages`` (default: all stored) besides the source.

    A named language must be stored or one of ``targets`` (an empty column to fill in)."""
    entries = load_entries(session)
    if not entries:
        raise TranslatorError("the glossary is empty: nothing to export")
    present = list(dict.fromkeys(lang for entry in entries for lang in entry.languages()))
    known = [source_lang, *dict.fromkeys(lang for lang in (*targets, *present) if lang != source_lang)]
    unknown = [lang for lang in languages or () if lang not in known]
    if unknown:
        raise TranslatorError(f"the glossary has no terms in {', '.join(unknown)} and it is not a target language "
                              f"(languages: {', '.join(known)})")
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


def add_concept(session: Session, entry: GlossaryEntry, source_lang: str, user: str,
                disabled: Iterable[str] = ()) -> tuple[GlossaryEntry, bool]:
    """Add a concept, or merge ``entry`` into the one with the same kind and source form.

    Merging replaces the forms of the languages ``entry`` has and keeps the others; a note,
    a case rule or a whole-segment mark is only ever set, never cleared. Returns the stored
    entry and whether it is new. The translations that mention the concept are checked again.
    """
    check_entry(entry)
    key = _key(entry, source_lang, "")
    concept = _concepts_by_key(session, source_lang).get(key)
    if concept is None:
        concept = _new_concept(entry, origin=None)
        session.add(concept)
        session.flush()
        record(session, user, "glossary-add", detail=f"{key[1]} ({key[0].value})")
        _recheck(session, [entry], disabled)
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
    if merged != stored:
        _recheck(session, [stored, merged], disabled)
    return _entry(concept), False


def remove_concept(session: Session, ref: str, source_lang: str, user: str,
                   disabled: Iterable[str] = ()) -> GlossaryEntry:
    """Remove the concept with id ``ref``, or the one with a form ``ref`` (source language first);
    the translations that mention it are checked again, so its flags go."""
    concept = _find_concept(session, ref.strip(), source_lang)
    entry = _entry(concept)
    session.delete(concept)
    record(session, user, "glossary-remove", detail=f"{entry.label(source_lang)} ({entry.kind.value}, id {concept.id})")
    _recheck(session, [entry], disabled)
    return entry


def _concerned_translations(session: Session, entries: Iterable[GlossaryEntry]) -> list[int]:
    """The translations (with text, on active segments) whose source or text has a form, in any
    language, of one of ``entries``: those whose glossary findings may change with them.

    A loose, case-blind substring test, so it never misses one the glossary matching would find
    (a genitive s, a compound title, another apostrophe or hyphen); the checks decide the rest.
    """
    needles = {_fold(form) for entry in entries
               for forms in [*entry.terms.values(), *entry.forbidden.values()] for form in forms}
    needles.discard("")
    if not needles:
        return []
    pattern = re.compile("|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True)))
    rows = session.execute(
        select(Translation.id, Segment.source, Translation.text).join(Segment, Translation.segment_id == Segment.id)
        .where(Translation.text.is_not(None), Segment.state == SegmentState.ACTIVE))
    return [tr_id for tr_id, source, text in rows if pattern.search(_fold(source)) or pattern.search(_fold(text))]


_SPACES = re.compile(r"\s+")
_FOLD = str.maketrans({"’": "'", "‐": "-", "‑": "-"})


def _fold(text: str) -> str:
    """Text as the glossary matching compares it, roughly: any case, one space, one apostrophe, one hyphen."""
    return _SPACES.sub(" ", text.translate(_FOLD)).casefold().strip()


def _recheck(session: Session, entries: list[GlossaryEntry], disabled: Iterable[str]) -> None:
    """Run the QA checks again on the translations the changed concepts may concern."""
    if not entries:
        return
    from .. import qa  # imported here: qa's checks import the glossary package

    session.flush()  # the changed concepts are what the checks' glossary loads
    qa.recheck(session, _concerned_translations(session, entries), disabled)


def _format(path: Path) -> tuple[Callable[[Path], list[GlossaryEntry]], Callable[..., int]]:
    """The reader and writer for a file, chosen by its extension."""
    # imported here: the format modules import GlossaryEntry from this one
    from ..formats import glossary_csv, tbx

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
    if ref.isascii() and ref.isdigit():  # str.isdigit() takes "²", which int() refuses
        concept = session.get(Concept, int(ref)) if storable(int(ref)) else None
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

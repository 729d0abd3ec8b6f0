"""Glossary enforcement around an MT engine: candidates per segment, and the one that keeps most terms
while changing the engine's own sentence least.

Per segment with glossary terms, the plain translation of the source comes first. Where it lacks a
required form, more candidates are built from what the engine declares it can do:

- **substitution**: the engine's own rendering of each term (the term translated alone, cached per
  engine and term) is found in the output and replaced by the required form; the rest of the
  sentence stays as the engine wrote it;
- **placeholders** (engines that keep opaque tokens): names and do-not-translate terms carried as
  tokens, put back in their required form;
- **names**: those terms written into the source in their target form (models copy such words),
  then translated;
- **n-best** and **forced prefix** repairs (engines that have them).

A repair that changed case or spacing beside the terms gets them back from the plain translation. The
winner keeps the most required forms; among equals, one that does not repeat a name's words, then the
one closest to the plain translation. A candidate that loses a form the plain translation had never
wins. On an engine whose every call costs a start-up, what the repairs may need is sent with the
first call. Where the winner differs from
the plain translation outside the term spans, the plain one stays as an alternative in a
``glossary-rewrite`` warning; a term still missing is flagged ``glossary-missing``, never dropped.
"""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections import Counter
from collections.abc import Iterator, Sequence
from difflib import SequenceMatcher
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from sqlalchemy.orm import Session

from ..glossary.forms import GENITIVE, fold, is_word_char, word_end
from ..models import ConceptKind
from .engine import Capabilities, Engine, capabilities_of
from .term_record import TermRecord

if TYPE_CHECKING:
    from ..glossary import Glossary, TermMatch

#: hypotheses asked for when the best one lacks a required term
NBEST = 8
#: a word sequence this similar to the required form (or the source term) is where the term belongs
ANCHOR_SIMILARITY = 60
#: a word run of a term's rendering this similar to one of its forms stands for the term in a sentence
PART_SIMILARITY = 70
#: kinds written into the source (or carried as placeholders): they are copied, not inflected
COPIED_KINDS = (ConceptKind.NAME, ConceptKind.DO_NOT_TRANSLATE)
REWRITE = "glossary-rewrite"
_EDGE_PUNCTUATION = ".,;:!?\"'«»„“”()[]¿¡"
_WORD = re.compile(r"\w+")
_WORDS_AND_MARKS = re.compile(r"\w+|[^\w\s]")
_WORDS_SPACES_MARKS = re.compile(r"^\s+|(?:\w+|[^\w\s])\s*")
_CLOSING = " \t\n\"'»”’)]"

# per loaded engine, what it was seen to do with each term (see term_record)
_records: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass
class Draft:
    """A machine translation with its glossary bookkeeping."""

    text: str
    plain: str = ""  # the engine's translation of the unmodified source
    candidate: str = "plain"  # which candidate won: plain, substitution, names, placeholders, n-best, prefix
    terms: int = 0  # glossary occurrences in the source
    terms_kept: int = 0  # of those, present in the required target form
    flags: list[dict[str, str]] = field(default_factory=list)


@dataclass
class _Candidate:
    name: str
    text: str
    lost: frozenset[int]  # indexes of the segment's matches without their required form
    echoes: int = 0  # words of the required forms written more often than the terms ask ("Trump de Donald")


def load_glossary(session: Session, source_lang: str, target_lang: str) -> Glossary | None:
    from ..glossary import Glossary

    glossary = Glossary.load(session, source_lang, target_lang)
    return glossary if len(glossary) else None


class Enforcer:
    """Enforcement of one pair's glossary around one engine. ``records``: the folder that keeps what the
    engine was seen to do with each term between runs (``TermRecord``); None keeps it in this process."""

    def __init__(self, engine: Engine, glossary: Glossary | None, source_lang: str, target_lang: str,
                 records: Path | None = None) -> None:
        self.engine, self.glossary = engine, glossary
        self.source_lang, self.target_lang = source_lang, target_lang
        self.capabilities: Capabilities = capabilities_of(engine)
        self._memo: dict[str, str] = {}  # plain translations asked for during one ``translate``
        try:
            record = _records.get(engine)
            if record is None:
                record = _records[engine] = TermRecord.load(records, engine.id)
        except TypeError:  # an engine that cannot be weakly referenced: a record for this enforcer only
            record = TermRecord.load(records, engine.id)
        self._record = record
        self._renderings_of, self._unkept = record.renderings, record.unkept

    def length(self, text: str) -> int:
        """Source length in model tokens (words where the engine has no tokenizer of its own)."""
        encode = getattr(self.engine, "encode", None)
        return len(encode(text)) if encode else len(text.split()) + 1

    def translate(self, sources: Sequence[str], *, beam_size: int = 4) -> list[Draft]:
        if not self.glossary:
            return [Draft(text, text) for text in self._mt(list(sources), beam_size)]
        self._memo = {}
        matches = [self.glossary.find(s) for s in sources]
        if self.capabilities.call_overhead:
            # a second call would cost more than these texts: what the repairs may need goes with the first.
            # The terms come first: an Apertium pair may carry a rule's state from one text of a batch to
            # the next, and a term after the sentences was rendered otherwise than alone (1 of 136 in en -> fr)
            self._mt(self._unrendered(matches) + list(sources) + self._carried(sources, matches, True), beam_size)
            self._renderings([m for ms in matches for m in ms])  # translated already: kept for later chunks
        elif self.capabilities.cheap_texts:  # what the repairs will probably ask for goes along
            terms = self._unrendered(matches)
            self._mt(terms + list(sources) + self._carried(sources, matches, False), beam_size)
            self._renderings([m for ms in matches for m in ms] if terms else [])  # translated already
        plain = self._mt(list(sources), beam_size)
        candidates = [[self._candidate("plain", plain[i], matches[i])] for i in range(len(sources))]
        todo = [i for i in range(len(sources)) if candidates[i][0].lost]
        if todo:
            # each term alone only where a segment lacks it: most terms come through as they are
            self._renderings([matches[i][j] for i in todo for j in candidates[i][0].lost])
            for i in todo:
                self._add(candidates[i], "substitution", self._substitute(plain[i], matches[i]), matches[i])
        self._learn(matches, candidates)
        if todo:
            self._from_placeholders(sources, matches, candidates, beam_size)
            self._from_names(sources, matches, candidates, beam_size)
            self._from_nbest(sources, matches, candidates, beam_size)
            self._from_prefix(sources, matches, candidates, beam_size)
        self._memo = {}
        self._record.save()
        return [self._draft(plain[i], matches[i], self._choose(candidates[i])) for i in range(len(sources))]

    def _learn(self, matches: list[list[TermMatch]], candidates: list[list[_Candidate]]) -> None:
        """Remember, per copied term, whether plain MT and substitution together ever failed to keep it."""
        for ms, pool in zip(matches, candidates):
            for j, m in enumerate(ms):
                if m.kind in COPIED_KINDS:
                    self._unkept[m.text] = self._unkept.get(m.text, False) or all(
                        j in c.lost or c.echoes > pool[0].echoes for c in pool)

    def _carried(self, sources: Sequence[str], matches: list[list[TermMatch]], unknown: bool) -> list[str]:
        """The segments with names carried as placeholders (the repair that wins most often where the engine
        has it), unless plain MT or substitution kept each of their names every time so far; ``unknown``:
        whether a name not seen yet counts as lost."""
        if not self.capabilities.placeholders:
            return []
        return [self._carry(source, ms)[0] for source, ms in zip(sources, matches)
                if any(m.kind in COPIED_KINDS and self._unkept.get(m.text, unknown) for m in ms)]

    def _unrendered(self, matches: list[list[TermMatch]]) -> list[str]:
        return list(dict.fromkeys(m.text for ms in matches for m in ms if m.text not in self._renderings_of))

    # -- candidates ---------------------------------------------------------------------------------

    def _mt(self, texts: list[str], beam_size: int, **options) -> list[str]:  # type: ignore[no-untyped-def]
        """The engine's best translation of each text; plain calls are remembered for one ``translate``."""
        if not texts:
            return []
        if options:
            return [hyps[0].text for hyps in self.engine.translate(texts, beam_size=beam_size, **options)]
        todo = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if todo:
            for text, hyps in zip(todo, self.engine.translate(todo, beam_size=beam_size)):
                self._memo[text] = hyps[0].text
        return [self._memo[t] for t in texts]

    def _candidate(self, name: str, text: str, matches: list[TermMatch]) -> _Candidate:
        assert self.glossary is not None
        # by value: a segment's matches differ in offset, and the glossary may answer with equal ones
        lost = set(self.glossary.missing(text, matches))
        return _Candidate(name, text, frozenset(i for i, m in enumerate(matches) if m in lost), _echoes(text, matches))

    def _add(self, pool: list[_Candidate], name: str, text: str | None, matches: list[TermMatch]) -> None:
        """A candidate, its substituted form where it still lacks terms, and of each the plain translation
        with only the changes that bring a term (see ``_merge``)."""
        if not text or not text.strip():
            return
        texts = [text]
        if self.glossary is not None and self.glossary.missing(text, matches):
            texts.append(self._substitute(text, matches))
        if name != "substitution":  # a substitution changes nothing but terms already
            texts += [self._merge(pool[0].text, t, matches) for t in list(texts)]
        for option in dict.fromkeys(texts):
            if option.strip() and not any(c.text == option for c in pool):
                pool.append(self._candidate(name, option, matches))

    def _merge(self, plain: str, text: str, matches: list[TermMatch]) -> str:
        """``text`` with the case and spacing of ``plain`` wherever it has the same words outside the
        required forms: a repair may re-case a word or double a space ("Putin Aceptó", "Putin  portavoz"),
        and that is not its job. A text with other words than plain MT's outside the terms is left as it is
        (and flagged as a rewrite): mixing two sentences built differently makes a third that neither
        engine wrote ("en la Tire le bande de Gaza")."""
        assert self.glossary is not None
        spans = self.glossary.target_spans(text)
        held = [span for m in matches for span in self.glossary.kept_spans(text, m, spans)]
        a, b = _tokens(plain), _tokens(text)
        starts = [0]
        for token in b:
            starts.append(starts[-1] + len(token))
        out = []
        # compared without case or spaces; an equal run is taken as plain MT wrote it
        keys_a, keys_b = ([t.strip().casefold() for t in ts] for ts in (a, b))
        for op, i1, i2, j1, j2 in SequenceMatcher(None, keys_a, keys_b, autojunk=False).get_opcodes():
            if op == "equal":
                out += a[i1:i2]
                continue
            start, end = starts[j1], starts[j2]
            if any(s < end and start < e for s, e in held) or (j1 == j2 and any(start in (s, e) for s, e in held)):
                # a required form, or what the repair removed beside one ("Tsushima Strait" -> "Détroit de Tsushima")
                out += b[j1:j2]
            else:  # the two sentences are built differently here: the repair's stands, and is flagged
                return text
        merged = "".join(out)
        return merged if len(self.glossary.missing(merged, matches)) <= len(self.glossary.missing(text, matches)) \
            else text

    def _still_missing(self, candidates: list[list[_Candidate]]) -> list[int]:
        """The segments that lack a term in plain MT and have no candidate yet with every term, cleanly."""
        return [i for i, pool in enumerate(candidates)
                if pool[0].lost and not any(not c.lost and c.echoes <= pool[0].echoes for c in pool)]

    def _from_names(self, sources, matches, candidates, beam_size) -> None:  # type: ignore[no-untyped-def]
        order = [i for i in self._still_missing(candidates)
                 if any(m.kind in COPIED_KINDS and j in candidates[i][0].lost for j, m in enumerate(matches[i]))]
        prepared = [_write_names(sources[i], matches[i]) for i in order]
        for i, text in zip(order, self._mt(prepared, beam_size)):
            self._add(candidates[i], "names", text, matches[i])

    def _from_placeholders(self, sources, matches, candidates, beam_size) -> None:  # type: ignore[no-untyped-def]
        if not self.capabilities.placeholders:
            return
        order = [i for i in self._still_missing(candidates) if any(m.kind in COPIED_KINDS for m in matches[i])]
        carried = [self._carry(sources[i], matches[i]) for i in order]
        for i, (text, tokens), output in zip(order, carried, self._mt([c[0] for c in carried], beam_size)):
            for token, form in tokens:
                # engines drop a possessive after a token and leave its space ("XTERM0X  portavoz")
                output = _alone(token).sub(lambda m: re.sub(" +", " ", m.group()), output)
                output = output.replace(token, form, 1) if output.count(token) == 1 else output
            if not any(token in output for token, _ in tokens):  # a token lost or doubled: no candidate
                self._add(candidates[i], "placeholders", output, matches[i])

    def _carry(self, source: str, matches: list[TermMatch]) -> tuple[str, list[tuple[str, str]]]:
        out, at, tokens = [], 0, []
        for m in sorted(matches, key=lambda m: m.start):
            if m.kind in COPIED_KINDS:
                token = self.engine.placeholder(len(tokens))  # type: ignore[attr-defined]
                out += [source[at:m.start], token]
                tokens.append((token, m.target))
                at = m.end
        return "".join(out) + source[at:], tokens

    def _from_nbest(self, sources, matches, candidates, beam_size) -> None:  # type: ignore[no-untyped-def]
        if not self.capabilities.nbest:
            return
        order = self._still_missing(candidates)
        if not order:
            return
        n = max(NBEST, beam_size)
        inputs = [_write_names(sources[i], matches[i]) for i in order]
        for i, hypotheses in zip(order, self.engine.translate(inputs, beam_size=n, num_hypotheses=n)):
            # best score first: the first hypothesis with the fewest missing terms
            best = min((self._candidate("n-best", h.text, matches[i]) for h in hypotheses[1:]),
                       key=lambda c: len(c.lost), default=None)
            if best is not None:
                self._add(candidates[i], "n-best", best.text, matches[i])

    def _from_prefix(self, sources, matches, candidates, beam_size) -> None:  # type: ignore[no-untyped-def]
        if not self.capabilities.prefix:
            return
        # one term per round: each forced prefix builds on the best candidate so far
        for _ in range(max((len(m) for m in matches), default=0)):
            order = self._still_missing(candidates)
            if not order:
                return
            bests = {i: self._choose(candidates[i]) for i in order}
            order = [i for i in order if bests[i].lost]
            prefixes = [_prefix(bests[i].text, sources[i], matches[i][min(bests[i].lost)]) for i in order]
            inputs = [_write_names(sources[i], matches[i]) for i in order]
            outputs = self._mt(inputs, beam_size, prefixes=prefixes)
            progressed = False
            for i, text in zip(order, outputs):
                before = len(candidates[i])
                self._add(candidates[i], "prefix", text, matches[i])
                progressed |= len(candidates[i]) > before and len(candidates[i][-1].lost) < len(bests[i].lost)
            if not progressed:
                return

    # -- term substitution --------------------------------------------------------------------------

    def _renderings(self, matches: list[TermMatch]) -> None:
        """Translate each term alone once per engine: how the engine writes it inside a sentence."""
        todo = sorted({m.text for m in matches if m.text not in self._renderings_of})
        for text, rendering in zip(todo, self._mt(todo, 4)):
            trimmed = rendering.strip().strip(_EDGE_PUNCTUATION).strip()
            if (text.endswith(".") or "." in trimmed) and rendering.rstrip().endswith(trimmed + "."):
                trimmed += "."  # an abbreviation ("U.S." -> "EE.UU."): its full stop is part of it
            self._renderings_of[text] = trimmed

    def _substitute(self, text: str, matches: list[TermMatch]) -> str:
        """``text`` with the engine's rendering of each missing term replaced by its required form."""
        assert self.glossary is not None
        lost = self.glossary.missing(text, matches)
        for match in lost:
            span = self._find_rendering(text, match)
            if span is None:
                continue
            start, end = span
            form = _cased(match.target, text[start:end])
            if text[start:end].endswith(".") and not form.endswith(".") and not text[end:].strip(_CLOSING):
                form += "."  # the abbreviation's full stop also ended the sentence
            candidate = text[:start] + form + text[end:]
            if len(self.glossary.missing(candidate, matches)) < len(self.glossary.missing(text, matches)):
                text = candidate
        return text

    def _find_rendering(self, text: str, match: TermMatch) -> tuple[int, int] | None:
        """Where the engine wrote ``match`` in ``text``: its rendering of the term, the source form itself
        (copied), or a forbidden form; never inside a longer glossary term, never over a kept term."""
        assert self.glossary is not None
        spans = self.glossary.target_spans(text)
        rendering = self._renderings_of.get(match.text, "")
        options = [rendering, match.text, *match.forbidden, *_parts(rendering, match)]
        for option in dict.fromkeys(o for o in options if o):
            exact = match.kind in COPIED_KINDS and option == match.text
            for start, end in _word_spans(option, text, ignore_case=not exact):
                if not any(s < end and start < e for s, e, _ in spans if (s, e) != (start, end) and e - s > end - start):
                    return start, end
        return None

    def _outside_terms(self, text: str, matches: list[TermMatch]) -> list[str]:
        """The words and punctuation of ``text`` outside the spans of the segment's terms (any of their target
        forms, the source forms, the engine's renderings and their parts), each run of spans one mark: what a
        repair must leave as the engine wrote it, to the case and the full stop."""
        for start, end in sorted(self._territory(text, matches), reverse=True):
            text = text[:start] + " \x00 " + text[end:]
        tokens = _WORDS_AND_MARKS.findall(text)
        return [t for i, t in enumerate(tokens) if t != "\x00" or i == 0 or tokens[i - 1] != "\x00"]

    def _territory(self, text: str, matches: list[TermMatch]) -> list[tuple[int, int]]:
        """The spans of ``text`` that stand for the segment's terms: any of their target forms, the source
        forms, the engine's renderings and their parts; longer forms first, never overlapping."""
        forms = {f for m in matches for f in (m.target, *m.variants, *m.forbidden, m.text)}
        for m in matches:
            rendering = self._renderings_of.get(m.text, "")
            forms |= {rendering, *_parts(rendering, m)}
        taken: list[tuple[int, int]] = []
        for form in sorted((f for f in forms if f.strip()), key=len, reverse=True):
            for start, end in _word_spans(form, text, ignore_case=True, genitive=True):
                if not any(s < end and start < e for s, e in taken):
                    taken.append((start, end))
        return taken

    # -- choosing -------------------------------------------------------------------------------------

    def _choose(self, pool: list[_Candidate]) -> _Candidate:
        plain = pool[0]
        eligible = [c for c in pool if c.lost <= plain.lost]  # never lose a term plain MT had
        return min(eligible, key=lambda c: (len(c.lost), max(c.echoes - plain.echoes, 0),
                                            _distance(c.text, plain.text)))

    def _draft(self, plain: str, matches: list[TermMatch], chosen: _Candidate) -> Draft:
        assert self.glossary is not None
        flags: list[dict[str, str]] = [
            {"check": "glossary-missing", "source": matches[j].text, "required": matches[j].target}
            for j in sorted(chosen.lost)]
        flags += [{"check": "glossary-forbidden", "source": use.text, "required": use.use_instead or ""}
                  for use in self.glossary.forbidden_used(chosen.text)]
        if chosen.text != plain and self._outside_terms(chosen.text, matches) != self._outside_terms(plain, matches):
            flags.append({"check": REWRITE, "severity": "warning", "alternative": plain,
                          "message": "enforcing the glossary changed the sentence beyond its terms; "
                                     f"plain machine translation: {plain}"})
        return Draft(chosen.text, plain, chosen.name, len(matches), len(matches) - len(chosen.lost), flags)


def _parts(rendering: str, match: TermMatch) -> tuple[str, ...]:
    """Word runs of a term's rendering that resemble its target or source forms, longest first: a term
    translated alone often comes with words the sentence does not have ("da índia", "Channel News Ásia
    (em inglês)"), so the engine's "índia" or "Channel News Ásia" is what to look for."""
    return _runs_like(rendering, (match.target, *match.variants, match.text))


@lru_cache(maxsize=4096)  # asked for each repair and each rewrite check of a term
def _runs_like(rendering: str, forms: tuple[str, ...]) -> tuple[str, ...]:
    words = rendering.split()
    folded = [f.casefold() for f in forms]
    runs = []
    for length in range(len(words) - 1, 0, -1):
        for start in range(len(words) - length + 1):
            run = " ".join(words[start:start + length]).strip(_EDGE_PUNCTUATION)
            if run and max(fuzz.ratio(run.casefold(), f) for f in folded) >= PART_SIMILARITY:
                runs.append(run)
    return tuple(runs)


def _tokens(text: str) -> list[str]:
    """Words and single punctuation marks, each with the spaces after it (and the text's leading spaces
    alone): ``"".join(_tokens(t)) == t``."""
    return _WORDS_SPACES_MARKS.findall(text)


def _word_spans(form: str, text: str, ignore_case: bool, genitive: bool = False) -> Iterator[tuple[int, int]]:
    r"""Where ``form`` stands in ``text`` as words of its own, left to right, never overlapping: what the
    pattern ``(?<!\w)FORM(?:e?s)?(?!\w)`` finds (the ``(?:e?s)?`` where ``genitive``). A string search on
    the case-folded text where folding keeps every character one character, as it nearly always does: a
    segment asks for dozens of forms, and compiling a pattern for each cost more than its enforcement."""
    original = text
    if ignore_case:
        folded_text, folded_form = fold(text), fold(form)
        if folded_text is None or folded_form is None:  # "ß" -> "ss": offsets would move
            pattern = re.compile(r"(?<!\w)" + re.escape(form) + (GENITIVE if genitive else "") + r"(?!\w)",
                                 re.IGNORECASE)
            yield from (hit.span() for hit in pattern.finditer(text))
            return
        text, form = folded_text, folded_form
    at = 0
    while (start := text.find(form, at)) >= 0:
        at = start + 1
        if start and is_word_char(text[start - 1]):
            continue
        end = word_end(original, text, start + len(form), genitive)
        if end is not None:
            yield start, end
            at = end


@lru_cache(maxsize=64)
def _alone(token: str) -> re.Pattern[str]:
    return re.compile(rf" *(?<!\S){re.escape(token)}(?!\S) *")


def _echoes(text: str, matches: list[TermMatch]) -> int:
    """How many more times ``text`` has the words of the required forms than the terms ask for: what a
    substitution into part of the engine's rendering leaves ("Donald Trump de Donald", "Ali de Irán Alí
    Jamenei")."""
    # the words that make a name (capitalised), not "de" or "of" that any sentence has several of
    # with and without accents: "Ali de Irán Alí Jamenei"
    asked = _name_words(tuple(m.target for m in matches))
    if not asked:
        return 0
    found = Counter(w for w in map(_folded, _WORD.findall(text)) if w in asked)
    return sum(max(n - asked[w], 0) for w, n in found.items())


@lru_cache(maxsize=4096)  # each candidate of a segment is asked about the same terms
def _name_words(targets: tuple[str, ...]) -> Counter[str]:
    return Counter(_folded(w) for target in targets for w in _WORD.findall(target) if w[:1].isupper() and len(w) > 2)


@lru_cache(maxsize=16384)
def _folded(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(c))


def _distance(a: str, b: str) -> int:
    return Levenshtein.distance(a.split(), b.split())


def _cased(form: str, replaced: str) -> str:
    """The required form, capitalised where the engine's word was (sentence start, a title before a name)."""
    if form[:1].islower() and replaced[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


def _write_names(source: str, matches: list[TermMatch]) -> str:
    """Names and do-not-translate terms in their target form: the models copy such words."""
    out, at = [], 0
    for m in sorted(matches, key=lambda m: m.start):
        if m.kind in COPIED_KINDS:
            out += [source[at:m.start], m.target]
            at = m.end
    return "".join(out) + source[at:]


def _prefix(text: str, source: str, term: TermMatch) -> str:
    """The output up to where ``term`` should start, plus its required form."""
    words = text.split()
    best_k, best_score = None, ANCHOR_SIMILARITY
    span = len(term.target.split())
    for k in range(len(words)):
        for length in range(1, span + 2):
            candidate = " ".join(words[k:k + length]).strip(".,;:!?\"'«»„“”()")
            if term.target.lower() in candidate.lower():
                continue  # an occurrence that is already right
            score = max(fuzz.ratio(candidate.lower(), term.target.lower()),
                        fuzz.ratio(candidate.lower(), term.text.lower()))
            if score > best_score:
                best_k, best_score = k, score
    if best_k is None:  # nothing resembles the term: put it where it stands in the source
        best_k = round(len(words) * term.start / max(len(source), 1))
    form = term.target
    if best_k == 0 and form[:1].islower():
        form = form[:1].upper() + form[1:]
    return " ".join([*words[:best_k], form])

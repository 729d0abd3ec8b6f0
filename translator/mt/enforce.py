"""Glossary enforcement around an MT engine: candidates per segment, and the one that keeps most terms
while changing the engine's own sentence least.

Per segment with glossary terms, the plain translation of the source comes first. Where it lacks a
required form, more candidates are built from what the engine declares it can do:

- **substitution**: the engine's own rendering of each term (the term translated alone, cached per
  engine and term) is found in the output and replaced by the required form; the rest of the
  sentence stays as the engine wrote it;
- **names**: names and do-not-translate terms written into the source in their target form (models
  copy such words), then translated;
- **placeholders** (engines that keep opaque tokens): those terms carried as tokens, put back in
  their required form;
- **n-best** and **forced prefix** repairs (engines that have them).

The winner keeps the most required forms; among equals, the one closest to the plain translation.
A candidate that loses a form the plain translation had never wins. Where the winner differs from
the plain translation outside the term spans, the plain one stays as an alternative in a
``glossary-rewrite`` warning; a term still missing is flagged ``glossary-missing``, never dropped.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from sqlalchemy.orm import Session

from ..models import ConceptKind
from .engine import Capabilities, Engine, capabilities_of

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

# the engine's rendering of a term alone, per loaded engine: (engine id, term text) -> text
_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


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


def load_glossary(session: Session, source_lang: str, target_lang: str) -> Glossary | None:
    from ..glossary import Glossary

    glossary = Glossary.load(session, source_lang, target_lang)
    return glossary if len(glossary) else None


class Enforcer:
    def __init__(self, engine: Engine, glossary: Glossary | None, source_lang: str, target_lang: str) -> None:
        self.engine, self.glossary = engine, glossary
        self.source_lang, self.target_lang = source_lang, target_lang
        self.capabilities: Capabilities = capabilities_of(engine)
        try:
            self._renderings_of: dict[tuple[str, str], str] = _cache.setdefault(engine, {})
        except TypeError:  # an engine that cannot be weakly referenced: cached for this enforcer only
            self._renderings_of = {}

    def length(self, text: str) -> int:
        """Source length in model tokens (words where the engine has no tokenizer of its own)."""
        encode = getattr(self.engine, "encode", None)
        return len(encode(text)) if encode else len(text.split()) + 1

    def translate(self, sources: Sequence[str], *, beam_size: int = 4) -> list[Draft]:
        plain = self._mt(list(sources), beam_size)
        if not self.glossary:
            return [Draft(text, text) for text in plain]
        matches = [self.glossary.find(s) for s in sources]
        candidates = [[self._candidate("plain", plain[i], matches[i])] for i in range(len(sources))]
        todo = [i for i in range(len(sources)) if candidates[i][0].lost]
        if todo:
            self._renderings([m for i in todo for m in matches[i]])
            for i in todo:
                self._add(candidates[i], "substitution", self._substitute(plain[i], matches[i]), matches[i])
            self._from_names(sources, matches, candidates, beam_size)
            self._from_placeholders(sources, matches, candidates, beam_size)
            self._from_nbest(sources, matches, candidates, beam_size)
            self._from_prefix(sources, matches, candidates, beam_size)
        return [self._draft(plain[i], matches[i], self._choose(candidates[i])) for i in range(len(sources))]

    # -- candidates ---------------------------------------------------------------------------------

    def _mt(self, texts: list[str], beam_size: int, **options) -> list[str]:  # type: ignore[no-untyped-def]
        if not texts:
            return []
        return [hyps[0].text for hyps in self.engine.translate(texts, beam_size=beam_size, **options)]

    def _candidate(self, name: str, text: str, matches: list[TermMatch]) -> _Candidate:
        assert self.glossary is not None
        lost = self.glossary.missing(text, matches)
        return _Candidate(name, text, frozenset(i for i, m in enumerate(matches) if any(m is x for x in lost)))

    def _add(self, pool: list[_Candidate], name: str, text: str | None, matches: list[TermMatch]) -> None:
        """A candidate, and its substituted form where it still lacks terms."""
        if not text or not text.strip() or any(c.text == text for c in pool):
            return
        pool.append(self._candidate(name, text, matches))
        if pool[-1].lost:
            substituted = self._substitute(text, matches)
            if substituted != text and not any(c.text == substituted for c in pool):
                pool.append(self._candidate(name, substituted, matches))

    def _still_missing(self, candidates: list[list[_Candidate]]) -> list[int]:
        return [i for i, pool in enumerate(candidates) if pool[0].lost and not any(not c.lost for c in pool)]

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
        todo = sorted({m.text for m in matches if (self.engine.id, m.text) not in self._renderings_of})
        for text, rendering in zip(todo, self._mt(todo, 4)):
            self._renderings_of[self.engine.id, text] = rendering.strip().strip(_EDGE_PUNCTUATION).strip()

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
            candidate = text[:start] + form + text[end:]
            if len(self.glossary.missing(candidate, matches)) < len(self.glossary.missing(text, matches)):
                text = candidate
        return text

    def _find_rendering(self, text: str, match: TermMatch) -> tuple[int, int] | None:
        """Where the engine wrote ``match`` in ``text``: its rendering of the term, the source form itself
        (copied), or a forbidden form; never inside a longer glossary term, never over a kept term."""
        assert self.glossary is not None
        spans = self.glossary.target_spans(text)
        rendering = self._renderings_of.get((self.engine.id, match.text), "")
        options = [rendering, match.text, *match.forbidden, *_parts(rendering, match)]
        for option in dict.fromkeys(o for o in options if o):
            flags = 0 if match.kind in COPIED_KINDS and option == match.text else re.IGNORECASE
            for hit in re.finditer(r"(?<!\w)" + re.escape(option) + r"(?!\w)", text, flags):
                start, end = hit.span()
                if not any(s < end and start < e for s, e, _ in spans if (s, e) != (start, end) and e - s > end - start):
                    return start, end
        return None

    # -- choosing -------------------------------------------------------------------------------------

    def _choose(self, pool: list[_Candidate]) -> _Candidate:
        plain = pool[0]
        eligible = [c for c in pool if c.lost <= plain.lost]  # never lose a term plain MT had
        return min(eligible, key=lambda c: (len(c.lost), _distance(c.text, plain.text)))

    def _draft(self, plain: str, matches: list[TermMatch], chosen: _Candidate) -> Draft:
        assert self.glossary is not None
        flags: list[dict[str, str]] = [
            {"check": "glossary-missing", "source": matches[j].text, "required": matches[j].target}
            for j in sorted(chosen.lost)]
        flags += [{"check": "glossary-forbidden", "source": use.text, "required": use.use_instead or ""}
                  for use in self.glossary.forbidden_used(chosen.text)]
        if chosen.text != plain and (_outside_terms(chosen.text, matches, self._renderings_of, self.engine.id)
                                     != _outside_terms(plain, matches, self._renderings_of, self.engine.id)):
            flags.append({"check": REWRITE, "severity": "warning", "alternative": plain,
                          "message": "enforcing the glossary changed the sentence beyond its terms; "
                                     f"plain machine translation: {plain}"})
        return Draft(chosen.text, plain, chosen.name, len(matches), len(matches) - len(chosen.lost), flags)


def _parts(rendering: str, match: TermMatch) -> list[str]:
    """Word runs of a term's rendering that resemble its target or source forms, longest first: a term
    translated alone often comes with words the sentence does not have ("da índia", "Channel News Ásia
    (em inglês)"), so the engine's "índia" or "Channel News Ásia" is what to look for."""
    words = rendering.split()
    forms = [f.casefold() for f in (match.target, *match.variants, match.text)]
    runs = []
    for length in range(len(words) - 1, 0, -1):
        for start in range(len(words) - length + 1):
            run = " ".join(words[start:start + length]).strip(_EDGE_PUNCTUATION)
            if run and max(fuzz.ratio(run.casefold(), f) for f in forms) >= PART_SIMILARITY:
                runs.append(run)
    return runs


def _distance(a: str, b: str) -> int:
    return Levenshtein.distance(a.split(), b.split())


def _outside_terms(text: str, matches: list[TermMatch], renderings: dict[tuple[str, str], str],
                   engine_id: str) -> list[str]:
    """The words of ``text`` outside the spans of the segment's terms (any of their target forms, the source
    forms, and the engine's renderings): what term substitution must leave unchanged."""
    forms = {f for m in matches for f in (m.target, *m.variants, *m.forbidden, m.text)}
    forms |= {renderings[engine_id, m.text] for m in matches if (engine_id, m.text) in renderings}
    for form in sorted((f for f in forms if f), key=len, reverse=True):
        text = re.sub(r"(?<!\w)" + re.escape(form) + r"(?:e?s)?(?!\w)", " \x00 ", text, flags=re.IGNORECASE)
    return [w.strip(_EDGE_PUNCTUATION).casefold() for w in text.split() if w.strip(_EDGE_PUNCTUATION)]


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

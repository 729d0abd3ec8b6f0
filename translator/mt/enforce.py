"""Glossary enforcement around an MT engine, designed from what stock Argos models do.

They were not trained with placeholders (tokens like ``###T01###`` or ``<span>`` come back
mangled), but they copy unknown capitalised names. So:

1. names and do-not-translate terms are written into the source in their target form;
2. a translation missing a required form is re-decoded as n-best, and the best hypothesis that
   has every required form wins;
3. failing that, CTranslate2 decodes again from a forced prefix: the output up to where the term
   should start, plus the term;
4. a term still missing is never dropped silently: the draft carries a ``glossary-missing`` flag.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rapidfuzz import fuzz
from sqlalchemy.orm import Session

from .engine import Engine

if TYPE_CHECKING:
    from ..glossary import Glossary, TermMatch

#: hypotheses asked for when the best one lacks a required term
NBEST = 8
#: a word sequence this similar to the required form (or the source term) is where the term belongs
ANCHOR_SIMILARITY = 60


@dataclass
class Draft:
    """A machine translation with its glossary bookkeeping."""

    text: str
    terms: int = 0  # glossary occurrences in the source
    terms_kept: int = 0  # of those, present in the required target form
    flags: list[dict[str, str]] = field(default_factory=list)


def load_glossary(session: Session, source_lang: str, target_lang: str) -> Glossary | None:
    from ..glossary import Glossary

    glossary = Glossary.load(session, source_lang, target_lang)
    return glossary if len(glossary) else None


class Enforcer:
    def __init__(self, engine: Engine, glossary: Glossary | None, source_lang: str, target_lang: str) -> None:
        self.engine, self.glossary = engine, glossary
        self.source_lang, self.target_lang = source_lang, target_lang

    def length(self, text: str) -> int:
        """Source length in model tokens (words where the engine has no tokenizer of its own)."""
        encode = getattr(self.engine, "encode", None)
        return len(encode(text)) if encode else len(text.split()) + 1

    def translate(self, sources: Sequence[str], *, beam_size: int = 4) -> list[Draft]:
        matches = [self.glossary.find(s) if self.glossary else [] for s in sources]
        prepared = [_write_names(s, m) for s, m in zip(sources, matches)]
        texts = [h[0].text for h in self.engine.translate(prepared, beam_size=beam_size)]
        missing = {i: self._missing(texts[i], matches[i]) for i in range(len(sources)) if matches[i]}
        self._from_nbest(prepared, texts, matches, {i: m for i, m in missing.items() if m}, beam_size)
        missing = {i: self._missing(texts[i], matches[i]) for i in missing}
        self._from_prefix(sources, prepared, texts, matches, {i: m for i, m in missing.items() if m}, beam_size)
        drafts = []
        for i, text in enumerate(texts):
            lost = self._missing(text, matches[i]) if matches[i] else []
            flags = [{"check": "glossary-missing", "source": m.text, "required": m.target} for m in lost]
            if self.glossary:
                flags += [{"check": "glossary-forbidden", "source": use.text, "required": use.use_instead or ""}
                          for use in self.glossary.forbidden_used(text)]
            drafts.append(Draft(text, terms=len(matches[i]), terms_kept=len(matches[i]) - len(lost), flags=flags))
        return drafts

    def _missing(self, text: str, matches: list[TermMatch]) -> list[TermMatch]:
        """The occurrences without their required form: a term twice in the source must be there twice."""
        from ..glossary import term_occurrences

        missing, seen = [], Counter[tuple]()
        for m in matches:
            key = (m.target, m.variants, m.case_sensitive)
            seen[key] += 1
            if term_occurrences(text, m) < seen[key]:
                missing.append(m)
        return missing

    def _from_nbest(self, prepared: list[str], texts: list[str], matches: list[list[TermMatch]],
                    missing: dict[int, list[TermMatch]], beam_size: int) -> None:
        if not missing:
            return
        order = list(missing)
        n = max(NBEST, beam_size)
        nbest = self.engine.translate([prepared[i] for i in order], beam_size=n, num_hypotheses=n)
        for i, hypotheses in zip(order, nbest):
            # best score first, so the first hypothesis with the fewest missing terms wins
            best = min(hypotheses, key=lambda h: len(self._missing(h.text, matches[i])))
            if len(self._missing(best.text, matches[i])) < len(missing[i]):
                texts[i] = best.text

    def _from_prefix(self, sources: Sequence[str], prepared: list[str], texts: list[str],
                     matches: list[list[TermMatch]], missing: dict[int, list[TermMatch]], beam_size: int) -> None:
        # one term per round: each forced prefix builds on the previous round's output
        for _ in range(max((len(m) for m in missing.values()), default=0)):
            todo = {i: m for i, m in missing.items() if m}
            if not todo:
                return
            order = list(todo)
            prefixes = [_prefix(texts[i], sources[i], todo[i][0]) for i in order]
            outputs = self.engine.translate([prepared[i] for i in order], beam_size=beam_size, prefixes=prefixes)
            for i, hypotheses in zip(order, outputs):
                candidate = hypotheses[0].text
                lost = self._missing(candidate, matches[i])
                if len(lost) < len(self._missing(texts[i], matches[i])):  # better overall, not just for this term
                    # terms given up on in earlier rounds stay given up
                    texts[i], missing[i] = candidate, [m for m in lost if m in todo[i]]
                else:
                    missing[i] = todo[i][1:]  # this term cannot be forced; try the next one


def _write_names(source: str, matches: list[TermMatch]) -> str:
    """Names and do-not-translate terms in their target form: the models copy such words."""
    out, at = [], 0
    for m in sorted(matches, key=lambda m: m.start):
        if m.kind in ("name", "do-not-translate"):
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

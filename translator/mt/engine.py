"""What a machine-translation engine is: one loaded model (or chain) for one language pair, with the
capabilities it declares, and the errors that say an engine or a model is not there.

Callers ask ``engine.capabilities`` before using n-best lists, forced prefixes or placeholders;
an engine never fakes one. Engine modules (``argos``, ``bergamot``, ``apertium``) import this one
only; ``registry`` knows them by name, ``routing`` chooses one per language pair.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ..errors import TranslatorError


@dataclass(frozen=True)
class Hypothesis:
    text: str
    score: float | None = None  # the engine's log-probability score (higher is better); None if it has none


@dataclass(frozen=True)
class Capabilities:
    """What an engine can do; enforcement and the benchmarks use only what is declared here."""

    batch: bool = False  # translates many texts in one call (else the caller's texts go one by one inside it)
    nbest: bool = False  # returns several hypotheses with scores (``num_hypotheses`` > 1)
    prefix: bool = False  # continues a translation from a forced target prefix
    placeholders: bool = False  # copies an opaque token (``Engine.placeholder(i)``) through unchanged
    max_batch: int | None = None  # texts per call the engine handles at once (None: any number)
    threads: int = 1  # texts translated in parallel inside one call
    # each call costs much more than its texts (a process to start, dictionaries to load): a caller sends
    # what it may need in one call rather than in several
    call_overhead: bool = False
    # a text costs only its length, with no search per text (a rule-based engine): a caller may add the texts
    # it will probably need (each glossary term alone, a sentence with placeholders) to a call at little cost
    cheap_texts: bool = False

    def describe(self) -> str:
        """``batch, n-best, prefix, placeholders, call overhead, 2 threads``: what ``translator engines`` prints."""
        names = [name for name, on in (("batch", self.batch), ("n-best", self.nbest), ("prefix", self.prefix),
                                       ("placeholders", self.placeholders),
                                       ("call overhead", self.call_overhead),
                                       ("cheap texts", self.cheap_texts)) if on]
        return ", ".join([*names, f"{self.threads} thread{'s' if self.threads != 1 else ''}"])


class Engine(Protocol):
    """One loaded model (or chain of models) for one language pair."""

    #: what produced a translation, stored with it: name, pair and model version (a chain joins them with " > ")
    id: str
    capabilities: Capabilities

    def translate(
        self,
        texts: Sequence[str],
        *,
        beam_size: int = 4,
        num_hypotheses: int = 1,
        prefixes: Sequence[str | None] | None = None,
    ) -> list[list[Hypothesis]]:
        """The best translations of each text, best first: ``num_hypotheses`` of them where the engine
        declares ``nbest``, else one. ``prefixes`` may only be given where it declares ``prefix``."""
        ...


class PlaceholderEngine(Protocol):
    """An engine that declares ``placeholders`` also says which token it copies through."""

    def placeholder(self, index: int) -> str:
        """The ``index``-th opaque token: copied into the output unchanged, never translated or split."""
        ...


def capabilities_of(engine: Engine) -> Capabilities:
    """What ``engine`` declares; an engine written before capabilities existed (a plug-in) can batch, as the
    interface always asked, and nothing more."""
    return getattr(engine, "capabilities", None) or Capabilities(batch=True)


class MissingModel(TranslatorError):
    """No model for a language pair; the message says how to install one."""


class EngineUnavailable(MissingModel):
    """An engine that cannot run on this machine (not installed); the message says how to get it."""


class EngineFailed(TranslatorError):
    """An engine that is there failed on some input (a crashed process, a refused request)."""

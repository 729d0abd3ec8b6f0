"""The machine-translation engine interface, the engine registry, and pivoting through a third language.

An engine translates a batch of texts for one language pair and can return n-best lists with
scores and continue from a forced target prefix (used to enforce glossary terms). ``argos`` is
built in; other engines register a factory in the entry-point group ``translator.engines``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Protocol

from ..errors import TranslatorError
from ..workspace import Workspace

ENTRY_POINT_GROUP = "translator.engines"
PIVOT_LANGUAGE = "en"


@dataclass(frozen=True)
class Hypothesis:
    text: str
    score: float  # the engine's log-probability score; higher is better


class Engine(Protocol):
    """One loaded model (or chain of models) for one language pair."""

    #: what produced a translation, stored with it: name, pair and model version
    id: str

    def translate(
        self,
        texts: Sequence[str],
        *,
        beam_size: int = 4,
        num_hypotheses: int = 1,
        prefixes: Sequence[str | None] | None = None,
    ) -> list[list[Hypothesis]]:
        """``num_hypotheses`` best translations of each text, best first.

        A prefix forces the start of that text's translation; the engine continues after it.
        """
        ...


class MissingModel(TranslatorError):
    """No model for a language pair; the message says how to install one."""


EngineFactory = Callable[[Workspace, str, str], Engine]


def _argos_factory(workspace: Workspace, source: str, target: str) -> Engine:
    from .argos import ArgosEngine

    return ArgosEngine.for_pair(workspace.models_path, source, target)


def engine_factory(name: str) -> EngineFactory:
    """The factory registered under ``name``: built in, or from an installed plugin."""
    if name == "argos":
        return _argos_factory
    found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
    if not found:
        known = ["argos", *sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP))]
        raise TranslatorError(f"unknown MT engine {name!r} in translator.toml [mt]; installed: {', '.join(known)}")
    return found[0].load()


def load_engine(workspace: Workspace, source: str, target: str, factory: EngineFactory | None = None) -> Engine:
    """The engine for ``source -> target``, pivoting through English when there is no direct model."""
    factory = factory or engine_factory(workspace.engine)
    try:
        return factory(workspace, source, target)
    except MissingModel as direct:
        if PIVOT_LANGUAGE in (_base(source), _base(target)):
            raise
        try:
            first = factory(workspace, source, PIVOT_LANGUAGE)
            second = factory(workspace, PIVOT_LANGUAGE, target)
        except MissingModel:
            raise direct from None
        return PivotEngine(first, second)


class PivotEngine:
    """Two engines in a row (e.g. nl -> en -> pt); the chain is recorded in the engine id."""

    def __init__(self, first: Engine, second: Engine) -> None:
        self.first, self.second = first, second
        self.id = f"{first.id} > {second.id}"

    def translate(self, texts, *, beam_size=4, num_hypotheses=1, prefixes=None):  # type: ignore[no-untyped-def]
        middle = [hyps[0].text for hyps in self.first.translate(texts, beam_size=beam_size)]
        return self.second.translate(middle, beam_size=beam_size, num_hypotheses=num_hypotheses, prefixes=prefixes)


def _base(code: str) -> str:
    return code.split("-")[0].lower()

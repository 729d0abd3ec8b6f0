"""Which engine translates each language pair: the first in the workspace's order of preference that
serves it, else a chain of two through a third language, which may cross engines (en -> es on apertium,
then es -> fr on apertium; nl -> en on argos, then en -> pt on bergamot).

``plan`` works from the pairs each engine declares, without loading a model (``translator engines``);
``load_engine`` loads the first route of the plan that loads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..workspace import Workspace
from .engine import Capabilities, Engine, Hypothesis, MissingModel, capabilities_of
from .packages import missing_model_error
from .registry import Backend, EngineFactory, FactoryBackend, backend, serves

#: the third language tried first for a chain when an engine does not list its pairs (plug-in factories)
PIVOT_LANGUAGE = "en"


@dataclass(frozen=True)
class Hop:
    engine: str
    source: str  # as the engine names the language (``pt-BR``)
    target: str

    def __str__(self) -> str:
        return f"{self.engine} {self.source}->{self.target}"


@dataclass(frozen=True)
class Route:
    hops: tuple[Hop, ...]

    def __str__(self) -> str:
        return " > ".join(map(str, self.hops))


@dataclass(frozen=True)
class Plan:
    """The routes for one pair, best first, and for each engine that cannot serve it, why not."""

    source: str
    target: str
    routes: tuple[Route, ...]
    unavailable: dict[str, str]  # engine -> why it cannot run here, and how to get it
    engines: tuple[str, ...] = ()  # the engines asked, in order of preference


def plan(workspace: Workspace, source: str, target: str, engines: Sequence[str] | None = None,
         factory: EngineFactory | None = None) -> Plan:
    """Every route from ``source`` to ``target``, in the order ``load_engine`` tries them."""
    backends = _backends(workspace, target, engines, factory)
    unavailable: dict[str, str] = {}
    offered: list[tuple[int, Backend, set[tuple[str, str]] | None]] = []
    for rank, b in enumerate(backends):
        status = b.status(workspace)
        if not status.available:
            unavailable[b.name] = status.detail
            continue
        offered.append((rank, b, None if isinstance(b, FactoryBackend) else b.pairs(workspace)))
    direct = [Route((Hop(b.name, *pair),)) for _, b, pairs in offered for pair in _serving(pairs, source, target)]
    chains: list[tuple[tuple[int, int, int], Route]] = []
    for rank1, first, pairs1 in offered:
        for s, middle in _from(pairs1, source):
            if _base(middle) in (_base(source), _base(target)):
                continue
            for rank2, second, pairs2 in offered:
                for m2, t in _serving(pairs2, middle, target):
                    # the same engine twice first, then the better-ranked engines; English as the middle first
                    key = (rank1 + rank2 + (first is not second), middle != PIVOT_LANGUAGE, len(chains))
                    chains.append((key, Route((Hop(first.name, s, middle), Hop(second.name, m2, t)))))
    routes = list(dict.fromkeys([*direct, *(r for _, r in sorted(chains, key=lambda c: c[0]))]))
    return Plan(source, target, tuple(routes), unavailable, tuple(b.name for b in backends))


def load_engine(workspace: Workspace, source: str, target: str, factory: EngineFactory | None = None,
                engines: Sequence[str] | None = None) -> Engine:
    """The engine (or chain) for ``source -> target``; MissingModel saying how to get one if none serves it.

    ``engines`` replaces the workspace's order of preference; ``factory`` (tests, scripts) is used as the
    only engine, asked for every pair.
    """
    found = plan(workspace, source, target, engines, factory)
    backends = {b.name: b for b in _backends(workspace, target, engines, factory)}
    refusals: list[str] = []
    for route in found.routes:
        try:
            loaded = [backends[h.engine].load(workspace, h.source, h.target) for h in route.hops]
        except MissingModel as exc:
            refusals.append(str(exc))
            continue
        if len(loaded) == 1:
            return loaded[0]
        # an engine may run a following one of its kind as one (two Apertium pairs: one pipeline)
        joined = getattr(loaded[0], "chain", lambda _: None)(loaded[1])
        return joined if joined is not None else PivotEngine(*loaded)
    raise _nothing_serves(found, refusals)


class PivotEngine:
    """Two engines in a row (e.g. en -> es -> fr); the chain is recorded in the engine id.

    The second engine's capabilities apply to the output (n-best, prefix); placeholders only where both
    engines keep the same token.
    """

    def __init__(self, first: Engine, second: Engine) -> None:
        self.first, self.second = first, second
        self.id = f"{first.id} > {second.id}"
        a, b = capabilities_of(first), capabilities_of(second)
        same_token = (a.placeholders and b.placeholders
                      and first.placeholder(0) == second.placeholder(0))  # type: ignore[attr-defined]
        self.capabilities = Capabilities(
            batch=a.batch and b.batch, nbest=b.nbest, prefix=b.prefix, placeholders=same_token,
            max_batch=min((m for m in (a.max_batch, b.max_batch) if m), default=None),
            threads=min(a.threads, b.threads), call_overhead=a.call_overhead or b.call_overhead,
            cheap_texts=a.cheap_texts and b.cheap_texts)

    def placeholder(self, index: int) -> str:
        return self.first.placeholder(index)  # type: ignore[attr-defined]

    def close(self) -> None:
        """Stop what both engines keep running (an Apertium pipeline), where they keep anything."""
        for engine in (self.first, self.second):
            getattr(engine, "close", lambda: None)()

    def translate(self, texts: Sequence[str], *, beam_size: int = 4, num_hypotheses: int = 1,
                  prefixes: Sequence[str | None] | None = None) -> list[list[Hypothesis]]:
        middle = [hyps[0].text for hyps in self.first.translate(texts, beam_size=beam_size)]
        return self.second.translate(middle, beam_size=beam_size, num_hypotheses=num_hypotheses, prefixes=prefixes)


def _backends(workspace: Workspace, target: str, engines: Sequence[str] | None,
              factory: EngineFactory | None) -> list[Backend]:
    if factory is not None:
        return [FactoryBackend("factory", factory)]
    names = list(engines) if engines else workspace.engine_preference(target)
    return [backend(name) for name in dict.fromkeys(names)]


def _serving(pairs: set[tuple[str, str]] | None, source: str, target: str) -> list[tuple[str, str]]:
    """The offered pairs that serve ``source -> target``, exact codes first; a factory is asked as is."""
    if pairs is None:
        return [(source, target)]
    found = [p for p in pairs if serves(p, (source, target))]
    return sorted(found, key=lambda p: (p != (source, target), p))


def _from(pairs: set[tuple[str, str]] | None, source: str) -> list[tuple[str, str]]:
    if pairs is None:
        return [(source, PIVOT_LANGUAGE)]
    return sorted({(s, t) for s, t in pairs if serves((s, s), (source, source))}, key=lambda p: (p[1] != PIVOT_LANGUAGE, p))


def _base(code: str) -> str:
    return code.split("-")[0].lower()


def _nothing_serves(found: Plan, refusals: list[str]) -> MissingModel:
    if len(refusals) == 1 and not found.unavailable:
        return MissingModel(refusals[0])  # the one engine asked says best what is missing
    return MissingModel(no_route_hint(found))


def no_route_hint(found: Plan) -> str:
    """What to do about a pair no engine serves: an Argos model exists for most pairs, if argos is among
    the engines asked; and which of them cannot run here, and why."""
    if "argos" in found.engines or not found.engines:
        hint = str(missing_model_error(found.source, found.target))
    else:
        hint = (f"no engine in [mt] engines ({', '.join(found.engines)}) serves {found.source} -> {found.target}; "
                f"'translator engines' lists the pairs each serves; an Argos model exists for most pairs: add "
                f"\"argos\" to [mt] engines, then 'translator models install {found.source} {found.target}'")
    notes = [f"{name}: {why}" for name, why in found.unavailable.items()]
    return hint + (f" (not available here: {'; '.join(notes)})" if notes else "")


__all__ = ["Hop", "PivotEngine", "Plan", "Route", "load_engine", "no_route_hint", "plan"]

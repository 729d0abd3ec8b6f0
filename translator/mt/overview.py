"""What ``translator engines`` shows: each engine, whether it runs here (and if not, how to get it), the
pairs it serves, and which engine (or chain) serves each language pair of the workspace."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..workspace import Workspace
from .registry import backend, engine_names
from .routing import no_route_hint, plan


@dataclass
class EngineRow:
    name: str
    available: bool
    detail: str  # version, or why not and how to get it
    pairs: list[str] = field(default_factory=list)  # "en->pt-BR"
    preferred: int | None = None  # its place in the workspace's [mt] engines (from 1), None if not listed


@dataclass
class PairRow:
    source: str
    target: str
    route: str | None  # "apertium en->es > apertium es->fr", None when nothing serves it
    why_not: str | None = None


def engine_rows(workspace: Workspace) -> list[EngineRow]:
    order = workspace.engine_preference("")
    rows = []
    for name in dict.fromkeys([*order, *engine_names()]):
        b = backend(name)
        status = b.status(workspace)
        pairs = sorted(f"{s}->{t}" for s, t in b.pairs(workspace)) if status.available else []
        rows.append(EngineRow(name, status.available, status.detail, pairs,
                              order.index(name) + 1 if name in order else None))
    return rows


def pair_rows(workspace: Workspace) -> list[PairRow]:
    rows = []
    for target in workspace.targets:
        found = plan(workspace, workspace.source, target)
        if found.routes:
            rows.append(PairRow(workspace.source, target, str(found.routes[0])))
        else:
            rows.append(PairRow(workspace.source, target, None, no_route_hint(found)))
    return rows

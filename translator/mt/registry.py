"""The engines by name: the built-in ones (argos, bergamot, apertium) and plug-ins from the entry-point
group ``translator.engines``, each a ``Backend`` that says whether it can run here, which language pairs
it serves, and loads an ``Engine`` for one pair.

Engine modules are imported only when their engine is asked for: argos imports torch, which takes seconds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from importlib.metadata import entry_points
from typing import Protocol, runtime_checkable

from ..errors import TranslatorError
from ..workspace import Workspace
from .engine import Engine, MissingModel

ENTRY_POINT_GROUP = "translator.engines"
#: built-in engines, in the default order of preference: module and attribute of their Backend
BUILT_IN = {
    "argos": "translator.mt.argos:BACKEND",
    "bergamot": "translator.mt.bergamot:BACKEND",
    "apertium": "translator.mt.apertium:BACKEND",
}
DEFAULT_ENGINES = list(BUILT_IN)


@dataclass(frozen=True)
class EngineStatus:
    """Whether an engine can run on this machine: ``detail`` is its version, or why not and how to get it."""

    available: bool
    detail: str


@runtime_checkable
class Backend(Protocol):
    name: str

    def status(self, workspace: Workspace) -> EngineStatus:
        """Whether the engine is installed here (cheap: no model is loaded)."""
        ...

    def pairs(self, workspace: Workspace) -> set[tuple[str, str]]:
        """The (source, target) pairs it serves here, in normalized codes (``en``, ``pt-BR``); empty if unavailable."""
        ...

    def load(self, workspace: Workspace, source: str, target: str) -> Engine:
        """The engine for one of ``pairs()``; MissingModel (with how to get one) for any other pair."""
        ...


EngineFactory = Callable[[Workspace, str, str], Engine]


class FactoryBackend:
    """A plug-in that registers a plain factory ``(workspace, source, target) -> Engine``: it knows no
    pair list, so it is asked for every pair and may refuse with MissingModel."""

    def __init__(self, name: str, factory: EngineFactory) -> None:
        self.name, self.factory = name, factory

    def status(self, workspace: Workspace) -> EngineStatus:
        return EngineStatus(True, "plug-in")

    def pairs(self, workspace: Workspace) -> set[tuple[str, str]]:
        return set()  # unknown: routing asks load() directly

    def load(self, workspace: Workspace, source: str, target: str) -> Engine:
        return self.factory(workspace, source, target)


def engine_names() -> list[str]:
    """Every engine that can be named in translator.toml: built in, then plug-ins."""
    plugins = sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name not in BUILT_IN)
    return [*BUILT_IN, *plugins]


def backend(name: str) -> Backend:
    """The backend registered under ``name``; TranslatorError naming the known ones otherwise."""
    if name in BUILT_IN:
        module, attribute = BUILT_IN[name].split(":")
        return getattr(import_module(module), attribute)
    found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
    if not found:
        raise TranslatorError(f"unknown MT engine {name!r} in translator.toml [mt]; known: {', '.join(engine_names())}")
    loaded = found[0].load()
    if isinstance(loaded, Backend):
        return loaded
    if callable(loaded):
        return FactoryBackend(name, loaded)
    raise TranslatorError(f"the MT engine plug-in {name!r} registers neither a backend nor a factory")


def serves(offered: tuple[str, str], wanted: tuple[str, str]) -> bool:
    """Whether a pair an engine offers serves a wanted one: same codes, or the same base language where
    the workspace names none (an engine's ``pt-BR`` serves a workspace's ``pt``, not its ``pt-PT``)."""
    return all(_serves(o, w) for o, w in zip(offered, wanted))


def _serves(offered: str, wanted: str) -> bool:
    if offered.lower() == wanted.lower():
        return True
    return "-" not in wanted and offered.split("-")[0].lower() == wanted.lower()


__all__ = ["BUILT_IN", "DEFAULT_ENGINES", "Backend", "EngineFactory", "EngineStatus", "MissingModel", "backend",
           "engine_names", "serves"]

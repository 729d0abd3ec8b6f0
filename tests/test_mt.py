"""Machine translation with real (tiny) Argos packages: same output as argos, batched, resumable, safe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from conftest import ARTICLE
from modelkit import build_copy_package, copy_translation
from translator.articles import import_files
from translator.db import transaction
from translator.errors import TranslatorError
from translator.models import Event, TMUnit, Translation
from translator.mt import pretranslate as pretranslate_module
from translator.mt.argos import ArgosEngine
from translator.mt.engine import MissingModel
from translator.mt.routing import load_engine
from translator.mt.packages import install_file
from translator.mt.pretranslate import pretranslate
from translator.overview import article_segments
from translator.status import Origin, Status
from translator.workspace import init_workspace

LEXICON_DE = {"President": "Präsident", "Chancellor": "Kanzler", "leaders": "Staatschefs", "talks": "Gespräche"}
LEXICON_FR = {"President": "président", "leaders": "dirigeants"}
LEXICON_NL_EN = {"Premier": "Prime", "leiders": "leaders"}
LEXICON_EN_PT = {"leaders": "líderes", "President": "Presidente"}


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("packages")
    return {
        "en-de": build_copy_package(out, "en", "de", LEXICON_DE, extra_words=["Bundeskanzler", "Wladimir"]),
        "en-fr": build_copy_package(out, "en", "fr", LEXICON_FR),
        "nl-en": build_copy_package(out, "nl", "en", LEXICON_NL_EN),
        "en-pt": build_copy_package(out, "en", "pt", LEXICON_EN_PT),
    }


@pytest.fixture
def models(tmp_path: Path, packages: dict[str, Path], monkeypatch: pytest.MonkeyPatch):
    """A models folder with en->de and en->fr installed, used by every workspace in the test."""
    folder = tmp_path / "models"

    def install(*pairs: str) -> Path:
        for pair in pairs:
            install_file(folder, packages[pair])
        return folder

    install("en-de", "en-fr")
    monkeypatch.setenv("TRANSLATOR_MODELS_DIR", str(folder))
    return install


def _import(ws, path=ARTICLE):
    with transaction(ws.database_url) as session:
        return import_files(session, ws, [path], "editor")


def _german(ws, slug="putin-xi-call"):
    with transaction(ws.database_url, write=False) as session:
        return article_segments(session, slug, ["de"])


def test_engine_output_equals_argos_reference(models, packages, tmp_path):
    """Our batched path gives, segment by segment, what argos's own per-segment path gives."""
    sentences = [
        "Russian President Vladimir Putin and Chinese President Xi Jinping held talks on Thursday.",
        "The leaders discussed trade.",
        "Bilateral trade reached $234 billion in 2025, making China Russia's largest trading partner.",
        "Chancellor Friedrich Merz will visit Beijing later this month.",
    ]
    engine = ArgosEngine.for_pair(models(), "en", "de")
    ours = [h[0].text for h in engine.translate(sentences, beam_size=4)]
    assert ours == [copy_translation(packages["en-de"], s) for s in sentences]
    assert ours[1] == "The Staatschefs discussed trade."
    # argos imports torch and fixes its folders at import time: ask it in a fresh process
    script = f"""
import json, sys
from translator.mt.packages import use_models_dir
use_models_dir({str(models())!r})
import ctranslate2
from argostranslate import package, translate
pkg = next(p for p in package.get_installed_packages() if (p.from_code, p.to_code) == ("en", "de"))
translator = ctranslate2.Translator(str(pkg.package_path / "model"), device="cpu")
class OneSentence:
    def split_sentences(self, text):
        return [text]
out = [translate.apply_packaged_translation(pkg, s, translator, OneSentence(), 1)[0].value
       for s in json.loads(sys.argv[1])]
print(json.dumps(out))
"""
    env = {**os.environ, "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", script, json.dumps(sentences)], capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == ours


def test_translate_fills_machine_drafts_with_engine_and_tm(workspace, models):
    _import(workspace)
    [de] = pretranslate(workspace, "mt-bot", languages="de")
    assert (de.rows, de.translated, de.error) == (32, 32, None)
    assert de.engine == "argos en-de 1.0"
    rows = _german(workspace)
    assert all(r.translations["de"]["status"] == "machine" for r in rows)
    titled = next(r for r in rows if r.source.startswith("Russian President"))
    assert titled.translations["de"]["text"].startswith("Russian Präsident")
    assert titled.translations["de"]["origin"] == "mt"
    with transaction(workspace.database_url, write=False) as session:
        units = session.scalars(select(TMUnit).where(TMUnit.target_lang == "de")).all()
        assert len(units) == 32 and {u.origin for u in units} == {Origin.MT} and not any(u.approved for u in units)
        assert session.scalar(select(func.count()).select_from(Event).where(Event.action == "machine-translation")) == 32
        other = session.scalars(select(Translation).where(Translation.language == "fr")).all()
        assert {t.status for t in other} == {Status.UNTRANSLATED}  # only the language asked for
    # a second run finds nothing to do and writes nothing
    [again] = pretranslate(workspace, "mt-bot", languages="de")
    assert (again.rows, again.translated) == (0, 0)


def test_identical_sources_are_translated_once_and_tm_hits_skip_mt(workspace, models, tmp_path):
    brief = tmp_path / "brief.txt"
    brief.write_text("Markets rose.\nMarkets rose.\nThe leaders met.\n", encoding="utf-8")
    _import(workspace, brief)
    [de] = pretranslate(workspace, "mt-bot", ["brief"], "de")
    assert (de.rows, de.sources, de.translated) == (3, 2, 3)
    # the same sentence in a new article comes from the TM, not from the engine
    other = tmp_path / "other.txt"
    other.write_text("The leaders met.\nShares fell.\n", encoding="utf-8")
    _import(workspace, other)
    with transaction(workspace.database_url, write=False) as session:
        rows = article_segments(session, "other", ["de"])
    assert rows[0].translations["de"]["origin"] == "tm-exact"  # filled on import from the MT unit
    [de] = pretranslate(workspace, "mt-bot", ["other"], "de")
    assert (de.rows, de.sources) == (1, 1)


def test_stale_segments_are_translated_again(workspace, models, tmp_path):
    _import(workspace)
    pretranslate(workspace, "mt-bot", languages="de")
    edited = tmp_path / "putin-xi-call.txt"
    edited.write_text(ARTICLE.read_text(encoding="utf-8").replace("$234 billion", "$245 billion"), encoding="utf-8")
    _import(workspace, edited)
    [de] = pretranslate(workspace, "mt-bot", languages="de")
    assert de.rows == 1
    changed = next(r for r in _german(workspace) if "$245 billion" in r.source)
    assert changed.translations["de"]["status"] == "machine" and "$245 billion" in changed.translations["de"]["text"]


def test_pivot_through_english_records_the_chain(tmp_path, database_url, models):
    models("nl-en", "en-pt")
    ws = init_workspace(tmp_path / "nl-ws", "nl", ["pt"], database=database_url)
    article = tmp_path / "nieuws.txt"
    article.write_text("De leiders spraken met Premier Carney.\n", encoding="utf-8")
    _import(ws, article)
    [pt] = pretranslate(ws, "mt-bot", languages="pt")
    assert pt.engine == "argos nl-en 1.0 > argos en-pt 1.0"
    with transaction(ws.database_url, write=False) as session:
        [row] = article_segments(session, "nieuws", ["pt"])
    # nl -> en turns "leiders" into "leaders", en -> pt turns that into "líderes"
    assert row.translations["pt"]["text"] == "De líderes spraken met Prime Carney."
    assert row.translations["pt"]["engine"] == "argos nl-en 1.0 > argos en-pt 1.0"


def test_a_missing_model_is_reported_while_the_other_languages_run(workspace, models):
    _import(workspace)
    with pytest.raises(MissingModel, match="translator models install en es"):
        pretranslate(workspace, "mt-bot", languages="de,es", keep_going=False)
    assert all(r.translations["de"]["status"] == "untranslated" for r in _german(workspace))  # nothing done
    runs = pretranslate(workspace, "mt-bot", languages="de,es")
    assert [(r.language, r.translated, bool(r.error)) for r in runs] == [("de", 32, False), ("es", 0, True)]
    assert "translator models install en es" in runs[1].error and runs[1].rows == runs[0].rows  # what waits


def test_translate_exit_codes_say_whether_all_some_or_no_languages_ran(cli, models):
    assert cli("import", str(ARTICLE)).exit_code == 0
    partial = cli("translate", "--all", "--lang", "de,es")
    assert partial.exit_code == 1, partial.output  # German done and saved, Spanish has no model
    assert "es: " in partial.output and "translator models install en es" in partial.output
    assert cli("translate", "--all", "--lang", "es").exit_code == 2
    assert cli("translate", "--all", "--lang", "de,es", "--fail-fast").exit_code == 2
    refused = cli("translate", "--all", "--lang", "it")
    assert refused.exit_code == 2 and "not a target language" in refused.output
    assert cli("translate", "--all", "--lang", "de", "--beam", "100000").exit_code == 2


def test_interrupted_run_keeps_finished_batches_and_resumes(workspace, models, monkeypatch):
    _import(workspace)
    for name in ("FIRST_CHUNK_TOKENS", "MAX_CHUNK_TOKENS"):  # several batches for one article
        monkeypatch.setattr(pretranslate_module, name, 100)
    calls = []

    def failing_second_batch(ws, source, target):
        engine = load_engine(ws, source, target)

        class Interrupted:
            id = engine.id

            def translate(self, texts, **options):
                calls.append(len(texts))
                if len(calls) == 2:
                    raise KeyboardInterrupt
                return engine.translate(texts, **options)

            def encode(self, text):
                return engine.encode(text)

        return Interrupted()

    with pytest.raises(KeyboardInterrupt):
        pretranslate(workspace, "mt-bot", languages="de", factory=failing_second_batch)
    done = [r for r in _german(workspace) if r.translations["de"]["status"] == "machine"]
    assert 0 < len(done) == calls[0] < 32
    [de] = pretranslate(workspace, "mt-bot", languages="de")
    assert de.rows == 32 - len(done)
    with transaction(workspace.database_url, write=False) as session:
        assert session.scalar(select(func.count()).select_from(TMUnit).where(TMUnit.target_lang == "de")) == 32
        assert session.scalar(select(func.count()).select_from(Event).where(Event.action == "machine-translation")) == 32


def test_a_translation_edited_during_the_run_is_not_overwritten(workspace, models):
    _import(workspace)
    target = _german(workspace)[5]

    def editing_meanwhile(ws, source, target_lang):
        engine = load_engine(ws, source, target_lang)

        class Racing:
            id = engine.id

            def translate(self, texts, **options):
                with transaction(ws.database_url) as session:  # a translator saves while MT runs
                    tr = session.scalars(select(Translation).where(
                        Translation.segment_id == target.segment_id, Translation.language == "de")).one()
                    tr.text, tr.status, tr.origin = "Von Hand.", Status.TRANSLATED, Origin.HUMAN
                return engine.translate(texts, **options)

            def encode(self, text):
                return engine.encode(text)

        return Racing()

    [de] = pretranslate(workspace, "mt-bot", languages="de", factory=editing_meanwhile)
    assert (de.translated, de.changed_meanwhile) == (31, 1)
    kept = next(r for r in _german(workspace) if r.segment_id == target.segment_id).translations["de"]
    assert (kept["text"], kept["status"]) == ("Von Hand.", "translated")


def test_cli_translate_reports_per_language_and_fails_on_missing_models(cli, models):
    assert cli("import", str(ARTICLE)).exit_code == 0
    result = cli("translate", "putin-xi-call", "--lang", "de,fr", "--json")
    assert result.exit_code == 0, result.output
    report = {r["language"]: r for r in json.loads(result.output)}
    assert report["de"]["translated"] == report["fr"]["translated"] == 32
    result = cli("translate", "--all")
    assert result.exit_code == 1  # de and fr are done; nl, es and pt have no model
    assert "nl: no model" in result.output or "translator models install en nl" in result.output
    assert cli("translate").exit_code == 2  # neither slugs nor --all


def test_unknown_article_is_an_error(workspace, models):
    with pytest.raises(TranslatorError, match="no article 'nope'"):
        pretranslate(workspace, "mt-bot", ["nope"], "de")


def test_an_unknown_engine_in_the_config_is_a_clear_error(workspace, models, monkeypatch):
    _import(workspace)
    monkeypatch.delenv("TRANSLATOR_ENGINES")
    workspace.engines = ["deepl-offline"]
    with pytest.raises(TranslatorError, match="unknown MT engine 'deepl-offline'.*known: argos, bergamot, apertium"):
        pretranslate(workspace, "mt-bot", languages="de")


def test_an_engine_that_fails_stops_its_language_only_and_keeps_finished_chunks(workspace, models, monkeypatch):
    from translator.mt.engine import EngineFailed

    _import(workspace)
    for name in ("FIRST_CHUNK_TOKENS", "MAX_CHUNK_TOKENS"):
        monkeypatch.setattr(pretranslate_module, name, 100)

    def failing_german(ws, source, target):
        engine = load_engine(ws, source, target)
        if target != "de":
            return engine

        class Failing:
            id, capabilities, calls = engine.id, engine.capabilities, []

            def translate(self, texts, **options):
                self.calls.append(len(texts))
                if len(self.calls) == 2:
                    raise EngineFailed("apertium eng-deu: the process exited with code 1")
                return engine.translate(texts, **options)

            def encode(self, text):
                return engine.encode(text)

        return Failing()

    de, fr = pretranslate(workspace, "mt-bot", languages="de,fr", factory=failing_german)
    assert de.error == "apertium eng-deu: the process exited with code 1" and 0 < de.translated < 32
    assert (fr.error, fr.translated) == (None, 32)  # the other language still ran

"""The README's main job: ``translator demo`` runs the whole pipeline on the example article."""

from __future__ import annotations

import json

from click.testing import CliRunner

from modelkit import build_copy_package
from translator.cli import main
from translator.mt.packages import install_file


def test_demo_without_models_names_them_and_runs_the_rest(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRANSLATOR_MODELS_DIR", str(tmp_path / "no-models"))
    result = CliRunner().invoke(main, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "101 concepts" in result.output and "32 segments in 22 blocks" in result.output
    for lang in ("nl", "de", "fr", "es", "pt"):
        assert f"models install en {lang}" in result.output
    listing = json.loads(CliRunner().invoke(main, ["-w", "demo-workspace", "articles", "--json"]).output)
    assert listing[0]["statuses"]["de"] == {"approved": 1, "machine": 1, "untranslated": 30}  # from the example TM
    # running it again needs --replace, and then starts afresh
    assert CliRunner().invoke(main, ["demo"]).exit_code == 2
    assert CliRunner().invoke(main, ["demo", "--replace"]).exit_code == 0


def test_demo_translates_every_language_with_a_model(tmp_path, monkeypatch):
    models = tmp_path / "models"
    install_file(models, build_copy_package(tmp_path, "en", "de", {"President": "Präsident"},
                                            extra_words=["Wladimir", "Bundeskanzler"]))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["demo", "--models-dir", str(models), "--targets", "de,fr"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "models install en fr" in result.output and "models install en de" not in result.output
    shown = json.loads(CliRunner().invoke(main, ["-w", "demo-workspace", "show", "putin-xi-call", "--lang", "de",
                                                 "--json"]).output)
    first = shown[1]["translations"]["de"]
    assert (first["status"], first["engine"]) == ("machine", "argos en-de 1.0")
    assert first["text"].startswith("Russian Präsident Wladimir Putin and Chinese Präsident Xi Jinping")

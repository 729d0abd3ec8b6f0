"""A newcomer's first ten minutes (issue 12, section 5): the demo as printed, the review loop, show."""

from __future__ import annotations

import builtins
import json
import shlex
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from conftest import ARTICLE, EXAMPLES
from modelkit import build_copy_package
from translator.cli import main
from translator.mt.packages import install_file

GLOSSARY = EXAMPLES.parent / "glossary" / "world-news.csv"
BIN = Path(sys.executable).parent / "translator"
SLUG = "putin-xi-call"


def test_demo_says_each_step_and_its_hints_run_as_printed(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "TRANSLATOR_LOCALE": "en", "TRANSLATOR_ENGINES": "argos",
           "TRANSLATOR_MODELS_DIR": str(tmp_path / "no-models"), "HOME": str(tmp_path)}
    ran = subprocess.run([str(BIN), "demo", "--no-show"], cwd=tmp_path, env=env, capture_output=True, text=True,
                         timeout=120)
    assert ran.returncode == 0, ran.stderr
    lines = ran.stdout.splitlines()
    steps = [next(i for i, line in enumerate(lines) if line.startswith(word))
             for word in ("workspace", "translation memory", "glossary", "article", "engines")]
    assert steps == sorted(steps)  # one line per step, in the order they run
    hints = [line.strip() for line in lines[lines.index("next:") + 1:] if line.strip()]
    assert len(hints) == 3 and all(h.startswith(str(BIN)) or h.startswith("translator") for h in hints)
    for hint in hints:  # with no venv active, each works when typed as printed
        assert subprocess.run(shlex.split(hint), cwd=tmp_path, env=env, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=60).returncode in (0,), hint


def test_demo_replace_keeps_the_models_installed_into_the_workspace(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRANSLATOR_MODELS_DIR", raising=False)
    assert CliRunner().invoke(main, ["demo", "--targets", "de", "--no-show"]).exit_code == 0
    models = tmp_path / "demo-workspace" / ".translator" / "models"
    install_file(models, build_copy_package(tmp_path, "en", "de", {"President": "Präsident"}))
    (tmp_path / "demo-workspace" / "notes.txt").write_text("scratch", encoding="utf-8")
    result = CliRunner().invoke(main, ["demo", "--targets", "de", "--no-show", "--replace"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "models install en de" not in result.output and any(models.iterdir())
    assert not (tmp_path / "demo-workspace" / "notes.txt").exists()  # the rest starts afresh
    shown = json.loads(CliRunner().invoke(main, ["-w", "demo-workspace", "show", SLUG, "--lang", "de",
                                                 "--json"]).output)
    assert shown[1]["translations"]["de"]["status"] == "machine"


def _desk(cli):
    assert cli("import", str(ARTICLE)).exit_code == 0
    assert cli("glossary", "import", str(GLOSSARY)).exit_code == 0
    assert cli("tm", "import", str(EXAMPLES / "newsroom-memory.tmx")).exit_code == 0


def test_review_shows_terms_once_with_variants_comments_and_reasons(cli):
    _desk(cli)
    cli("edit", SLUG, "2", "Präsident Putin und Präsident Xi sprachen.", "--lang", "de")
    cli("comment", SLUG, "2", "Check the <b>title</b> [/bold]", "--lang", "de")
    out = cli("review", SLUG, "--lang", "de", "--status", "translated", input="q").output
    terms = [line for line in out.splitlines() if "glossary" in line]
    assert sum("Xi Jinping ->" in line for line in terms) == 1  # "President Xi Jinping ... Xi": one line
    assert "Check the <b>title</b> [/bold]" in out  # the comment, as text
    assert cli("reject", SLUG, "2", "--lang", "de", "--reason", "names wrong").exit_code == 0
    out = cli("review", SLUG, "--lang", "de", "--status", "rejected", input="q").output
    assert "rejected: names wrong" in out


def test_review_takes_the_source_or_a_suggestion_and_keeps_text_on_enter(cli):
    _desk(cli)
    cli("edit", SLUG, "5", "Entwurf fünf.", "--lang", "de")
    cli("edit", SLUG, "6", "Entwurf sechs.", "--lang", "de")
    # Enter on the edit line keeps the current text: nothing saved, still on #5; then "o" + Enter copies the source
    result = cli("review", SLUG, "--lang", "de", "--status", "translated", input="e\no\nq")
    assert result.exit_code == 0, result.output
    assert "1 changes saved" in result.output
    shown = json.loads(cli("show", SLUG, "--lang", "de", "--json").output)
    assert shown[4]["translations"]["de"]["text"] == shown[4]["source"]
    assert shown[5]["translations"]["de"]["text"] == "Entwurf sechs."


def test_ctrl_c_at_the_edit_line_interrupts_with_130(cli, monkeypatch):
    _desk(cli)
    cli("edit", SLUG, "5", "Entwurf fünf.", "--lang", "de")

    def interrupted(prompt=""):
        raise KeyboardInterrupt

    monkeypatch.setattr(builtins, "input", interrupted)
    result = CliRunner().invoke(main, ["review", SLUG, "--lang", "de", "--status", "translated"], input="e")
    assert result.exit_code == 130
    assert json.loads(cli("show", SLUG, "--lang", "de", "--json").output)[4]["translations"]["de"]["text"] \
        == "Entwurf fünf."


def test_review_of_a_stale_segment_shows_the_source_change(cli, tmp_path):
    _desk(cli)
    cli("edit", SLUG, "3", "Der Anruf dauerte 1 Stunde 25 Minuten.", "--lang", "de")
    changed = tmp_path / "putin-xi-call.txt"
    changed.write_text(ARTICLE.read_text(encoding="utf-8").replace("1 hour 25 minute", "2 hour 10 minute"),
                       encoding="utf-8")
    assert cli("import", str(changed)).exit_code == 0  # same slug: an update
    out = cli("review", SLUG, "--lang", "de", "--status", "stale", input="q").output
    assert "source changed:" in out and "-1" in out and "+2" in out


def test_review_and_show_refuse_a_language_that_is_not_a_target(cli):
    _desk(cli)
    for command in (("review", SLUG, "--lang", "it"), ("show", SLUG, "--lang", "de,it")):
        result = cli(*command)
        assert result.exit_code == 2 and "not a target language of this workspace: it" in result.output


def test_show_filters_by_status_and_says_what_each_flag_means(cli):
    _desk(cli)
    cli("edit", SLUG, "11", "Der Handel erreichte 2025 243 Milliarden Dollar.", "--lang", "de")
    rows = json.loads(cli("show", SLUG, "--lang", "de", "--json").output)
    out = cli("show", SLUG, "--lang", "de", "--status", "translated").output
    numbers = [line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")]
    assert [n for n in numbers if n] == ["11"]  # only the translated segment
    assert [r["position"] + 1 for r in rows if r["translations"]["de"]["status"] == "translated"] == [11]
    flat = "".join(out.replace("│", " ").split())
    assert "numbers:missing" in flat  # the QA finding says what it found, not only its check
    assert cli("show", SLUG, "--status", "finished").exit_code == 2

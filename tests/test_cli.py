"""The command line as a person and a script use it: help everywhere, JSON listings, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from conftest import ARTICLE
from translator.cli import main


def _all_commands(group: click.Group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _all_commands(command, (*prefix, name))


@pytest.mark.parametrize("path", list(_all_commands(main)), ids=" ".join)
def test_every_command_has_help(path):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage: " in result.output and len(result.output.splitlines()) > 3


def test_init_import_list_and_show(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRANSLATOR_WORKSPACE", raising=False)
    monkeypatch.delenv("TRANSLATOR_DATABASE_URL", raising=False)
    runner = CliRunner()
    result = runner.invoke(main, ["init", "desk", "--source", "en", "--targets", "nl,de,fr,es,pt_BR"])
    assert result.exit_code == 0, result.output
    assert "targets nl, de, fr, es, pt-BR" in result.output
    monkeypatch.chdir(tmp_path / "desk")
    assert runner.invoke(main, ["import", str(ARTICLE)]).exit_code == 0
    listing = json.loads(runner.invoke(main, ["articles", "--json"]).output)
    assert [(a["slug"], a["segments"]) for a in listing] == [("putin-xi-call", 32)]
    assert listing[0]["statuses"]["pt-BR"] == {"untranslated": 32}
    table = runner.invoke(main, ["articles"]).output
    assert "putin-xi-call" in table and "0/32" in table
    shown = json.loads(runner.invoke(main, ["show", "putin-xi-call", "--lang", "de", "--json"]).output)
    assert shown[1]["source"].startswith("Russian President Vladimir Putin and Chinese President Xi Jinping")
    assert shown[1]["translations"]["de"]["status"] == "untranslated"
    text = runner.invoke(main, ["show", "putin-xi-call", "--lang", "de"]).output
    assert "Tsushima" in text and "untranslated" in text
    missing = runner.invoke(main, ["show", "no-such-article"])
    assert missing.exit_code == 2 and "no article 'no-such-article'" in missing.output


def test_outside_a_workspace_commands_say_how_to_start(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRANSLATOR_WORKSPACE", raising=False)
    result = CliRunner().invoke(main, ["articles"])
    assert result.exit_code == 2
    assert "translator init" in result.output


def test_usage_errors_exit_2(cli):
    assert cli("import").exit_code == 2
    assert cli("tm", "search", "x").exit_code == 2  # --lang is required


def test_python_dash_m_runs_the_cli_without_loading_torch(tmp_path):
    env = {**os.environ, "TRANSLATOR_WORKSPACE": ""}
    code = ("import sys, runpy; sys.argv=['translator', '--version'];\n"
            "try: runpy.run_module('translator', run_name='__main__')\n"
            "except SystemExit: pass\n"
            "print('torch' in sys.modules, 'argostranslate' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert out.stdout.splitlines() == ["translator, version 0.1.0", "False False"]

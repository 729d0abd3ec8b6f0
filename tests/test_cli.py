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


def test_init_that_fails_leaves_no_folder_behind(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRANSLATOR_DATABASE_URL", raising=False)
    garbage = CliRunner().invoke(main, ["init", "a/newdesk", "-s", "en", "-t", "de", "--database", "garbage"])
    assert garbage.exit_code == 2 and "--database 'garbage' is not a database URL" in garbage.output
    refused = CliRunner().invoke(main, ["init", "a/newdesk", "-s", "en", "-t", "de", "--database",
                                        "postgresql+psycopg://postgres@127.0.0.1:9/newsroom"])
    assert refused.exit_code == 2 and "Traceback" not in refused.output
    assert list(tmp_path.iterdir()) == []
    ok = CliRunner().invoke(main, ["init", "a/newdesk", "-s", "en", "-t", "de"])
    assert ok.exit_code == 0 and (tmp_path / "a" / "newdesk" / ".translator" / "translator.db").is_file()


def test_user_text_with_brackets_is_printed_as_written_never_as_markup(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # rich wraps at 80 columns otherwise, splitting the texts looked for
    story = tmp_path / "wire.txt"
    story.write_text("Agency Copy [/bold] Arrived\n\nThe agency sent [/bold] in its [red]copy[/red].\n",
                     encoding="utf-8")
    assert cli("import", str(story)).exit_code == 0
    assert cli("edit", "wire", "2", "Die Agentur schickte [/bold] mit.", "--lang", "de").exit_code == 0
    assert cli("comment", "wire", "2", "--lang", "de", "Check the [b]bold[/b] here").exit_code == 0
    assert "Agency Copy [/bold] Arrived" in cli("articles").output
    history = cli("history", "wire")
    assert history.exit_code == 0 and "[/bold]" in history.output
    comments = cli("comment", "wire", "2", "--lang", "de")
    assert comments.exit_code == 0 and "Check the [b]bold[/b] here" in comments.output
    assert "[red]copy[/red]" in cli("show", "wire", "--lang", "de").output


def test_numbers_no_database_can_store_name_nothing(cli):
    assert cli("import", str(ARTICLE)).exit_code == 0
    huge = "99999999999999999999999"
    approve = cli("approve", "putin-xi-call", huge, "--lang", "de")
    assert approve.exit_code == 2 and f"has no segment {huge}" in approve.output
    revert = cli("revert", "putin-xi-call", "2", "--lang", "de", "--to", huge)
    assert revert.exit_code == 2 and f"event {huge} wrote no text" in revert.output
    reply = cli("comment", "putin-xi-call", "2", "Agreed.", "--lang", "de", "--reply-to", huge)
    assert reply.exit_code == 2 and f"comment {huge} is not on" in reply.output
    assert cli("history", "putin-xi-call", huge).exit_code == 2
    for ref in (huge, "²"):
        removed = cli("glossary", "remove", ref)
        assert removed.exit_code == 2 and "no glossary concept" in removed.output


@pytest.mark.parametrize("value", ["nan", "inf", "-1", "101"])
def test_tm_search_refuses_a_threshold_that_is_not_a_percentage(cli, value):
    result = cli("tm", "search", "The talks went well.", "--lang", "de", "--threshold", value)
    assert result.exit_code == 2 and "--threshold" in result.output and "Traceback" not in result.output


def test_review_names_the_known_checks_for_an_unknown_one(cli):
    assert cli("import", str(ARTICLE)).exit_code == 0
    result = cli("review", "putin-xi-call", "--lang", "de", "--check", "no-such-check")
    assert result.exit_code == 2
    assert "unknown check 'no-such-check'" in result.output and "glossary-missing" in result.output


def test_a_misspelt_config_key_is_a_warning_and_the_command_runs(cli, workspace):
    config = workspace.config_path
    config.write_text(config.read_text(encoding="utf-8") + '\n[user]\nnaem = "bob"\n', encoding="utf-8")
    result = cli("articles", "--json")
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    assert "unknown key naem in [user] is ignored; did you mean name?" in result.stderr


def test_db_status_does_not_send_a_newer_database_to_db_upgrade(cli, workspace):
    from sqlalchemy import text

    from translator.db import get_engine

    with get_engine(workspace.database_url).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
    status = cli("db", "status")
    assert status.exit_code == 0 and "newer translator" in status.output and "db upgrade" not in status.output
    upgrade = cli("db", "upgrade")
    assert upgrade.exit_code == 2 and "newer version of translator" in upgrade.output
    assert "Can't locate revision" not in upgrade.output

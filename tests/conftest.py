"""Shared fixtures: a database URL per backend (SQLite always, PostgreSQL when configured), and workspaces."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from translator.db import get_engine
from translator.workspace import Workspace, init_workspace

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ARTICLE = EXAMPLES / "putin-xi-call.txt"
TARGETS = ["nl", "de", "fr", "es", "pt"]
POSTGRES_URL = os.environ.get("TRANSLATOR_TEST_POSTGRES_URL")
CHROMIUM = Path("/usr/bin/chromium")
# the tests read the CLI's English messages whatever the machine's LANG (test_i18n sets its own)
os.environ["TRANSLATOR_LOCALE"] = "en"
# the tiny built models give exact assertions; tests of the real engines (test_engines*.py) choose theirs
os.environ["TRANSLATOR_ENGINES"] = "argos"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path):
    """A fresh, empty database: a SQLite file, or a private schema on the test PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        get_engine.cache_clear()
        return
    if not POSTGRES_URL:
        pytest.skip("TRANSLATOR_TEST_POSTGRES_URL is not set")
    schema = "t_" + uuid.uuid4().hex[:12]
    admin = get_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    yield url
    get_engine(url).dispose()
    get_engine.cache_clear()
    with get_engine(POSTGRES_URL).begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def workspace(tmp_path: Path, database_url: str) -> Workspace:
    """An initialized workspace en -> nl, de, fr, es, pt on the backend under test."""
    return init_workspace(tmp_path / "ws", "en", TARGETS, database=database_url)


@pytest.fixture
def cli(workspace: Workspace, monkeypatch: pytest.MonkeyPatch):
    """Run ``translator`` commands in the workspace; returns the click Result."""
    from translator.cli import main

    monkeypatch.chdir(workspace.root)
    monkeypatch.delenv("TRANSLATOR_WORKSPACE", raising=False)
    monkeypatch.delenv("TRANSLATOR_DATABASE_URL", raising=False)
    monkeypatch.setenv("TRANSLATOR_USER", "tester")
    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(main, list(args), input=input, catch_exceptions=False)

    return run


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium through Playwright (which downloads nothing). Without /usr/bin/chromium
    the browser tests fail rather than skip: CI installs it (.ci/run)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (CI does), for the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield chromium
        chromium.close()

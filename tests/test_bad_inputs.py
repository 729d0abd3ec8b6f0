"""The bad-input corpus as one table-driven test (issue 12, section 6): every row is run as a user runs it.

Each row (``tests/bad_inputs_data.py``) runs ``translator`` in a real subprocess, in a fresh copy of one
template workspace, on SQLite and (with ``TRANSLATOR_TEST_POSTGRES_URL``) on PostgreSQL, and must end
with its exit code, one line on stderr (or click's usage form), no traceback, the database and every
file as they were, within 5 s after start-up.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import statistics
import stat
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Column, MetaData, String, Table, create_engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bad_inputs_data import ARTICLE_SLUG, ROWS, SECOND_ARTICLE, Corpus, Row, RowEnv
from conftest import ARTICLE, EXAMPLES, POSTGRES_URL
from modelkit import build_copy_package
from translator.models import Base

LIMIT_S = 5.0  # what a row may take beyond the interpreter's start-up
MEMORY_CAP = 3 * 1024**3  # address space per run: a blow-up fails its row instead of the shared machine
GLOSSARY = EXAMPLES.parent / "glossary" / "world-news.csv"
BIN = Path(sys.executable).parent / "translator"
COMMAND = [str(BIN)] if BIN.exists() else [sys.executable, "-m", "translator"]
ALEMBIC_VERSION = Table("alembic_version", MetaData(), Column("version_num", String(32)))
TARGETS = "nl,de,fr,es,pt"


@dataclass
class Run:
    code: int | None  # None: killed at the time limit
    stdout: str
    stderr: str
    seconds: float


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _env(extra: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("TRANSLATOR_WORKSPACE", "TRANSLATOR_DATABASE_URL", "TRANSLATOR_MODELS_DIR")}
    # English messages and the argos engine only (the tiny model), as conftest sets for every test
    env.update(TRANSLATOR_LOCALE="en", TRANSLATOR_ENGINES="argos", TRANSLATOR_USER="tester")
    env.update(extra)
    return env


def run(args: list[str] | tuple[str, ...], cwd: Path, timeout: float, env: dict[str, str] | None = None) -> Run:
    start = time.monotonic()
    proc = subprocess.Popen([*COMMAND, *args], cwd=cwd, env=env or _env(), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=_cap_memory)
    try:
        out, err = proc.communicate(timeout=timeout)
        code: int | None = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        code = None
    return Run(code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), time.monotonic() - start)


def must(args: list[str] | tuple[str, ...], cwd: Path) -> Run:
    result = run(args, cwd, timeout=300)
    assert result.code == 0, f"translator {' '.join(args)} failed ({result.code}):\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="session")
def startup() -> float:
    """Seconds the interpreter and the CLI take to start, measured as ``translator --version``."""
    times = [run(["--version"], Path.cwd(), timeout=60).seconds for _ in range(3)]
    return statistics.median(times)


@pytest.fixture(scope="session")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_copy_package(tmp_path_factory.mktemp("bad-inputs-model"), "en", "de",
                              {"President": "Präsident", "leaders": "Staatschefs"})


@dataclass
class Template:
    """One initialized workspace per backend, copied for every row."""

    backend: str
    folder: Path  # holds ws/
    corpus: Corpus
    database_url: str  # the template's own database (PostgreSQL: the template database)

    def database_for(self, name: str) -> str:
        return make_url(self.database_url).set(database=name).render_as_string(hide_password=False)


def _pg_admin():  # type: ignore[no-untyped-def]
    assert POSTGRES_URL
    return create_engine(POSTGRES_URL, poolclass=NullPool, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def template(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, package: Path):
    backend = request.param
    if backend == "postgresql" and not POSTGRES_URL:
        pytest.skip("TRANSLATOR_TEST_POSTGRES_URL is not set")
    folder = tmp_path_factory.mktemp(f"bad-inputs-{backend}")
    ws = folder / "ws"
    init = ["init", str(ws), "-s", "en", "-t", TARGETS]
    database = f"sqlite:///{ws / '.translator' / 'translator.db'}"
    if backend == "postgresql":
        name = f"bad_inputs_{uuid.uuid4().hex[:10]}"
        admin = _pg_admin()
        with admin.connect() as conn:
            conn.exec_driver_sql(f"CREATE DATABASE {name}")
        admin.dispose()
        database = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        init += ["--database", database]
    must(init, folder)
    (folder / "second-article.txt").write_text(SECOND_ARTICLE, encoding="utf-8")
    exchange = folder / "exchange"
    for args in (
        ["tm", "import", str(EXAMPLES / "newsroom-memory.tmx")],
        ["glossary", "import", str(GLOSSARY)],
        ["import", str(ARTICLE)],
        ["models", "install", str(package)],
        ["translate", "--all", "--lang", "de"],  # machine drafts to review
        ["edit", ARTICLE_SLUG, "1", "Strategische Partnerschaft vertieft sich", "--lang", "de"],
        ["approve", ARTICLE_SLUG, "1", "--lang", "de"],
        ["comment", ARTICLE_SLUG, "1", "--lang", "de", "Title checked with the desk."],
        ["import", str(folder / "second-article.txt")],  # untranslated: work for translate rows
        ["export", ARTICLE_SLUG, "--lang", "de", "--format", "po,xliff", "--out", str(exchange)],
        ["glossary", "export", "--out", str(exchange / "glossary.tbx")],
    ):
        must(args, ws)
    corpus = Corpus(
        po=(exchange / "de" / "LC_MESSAGES" / f"{ARTICLE_SLUG}.po").read_text(encoding="utf-8"),
        xliff=(exchange / "de" / f"{ARTICLE_SLUG}.xlf").read_text(encoding="utf-8"),
        tbx=(exchange / "glossary.tbx").read_text(encoding="utf-8"),
        package=package.read_bytes(),
        pg_server=POSTGRES_URL,
    )
    yield Template(backend, folder, corpus, database)
    if backend == "postgresql":
        admin = _pg_admin()
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {make_url(database).database} WITH (FORCE)")
        admin.dispose()


@pytest.fixture
def row_env(template: Template, tmp_path: Path):
    """A copy of the template workspace with its own database, and an empty ``in/`` beside it."""
    root = tmp_path / "row"
    root.mkdir()
    shutil.copytree(template.folder / "ws", root / "ws", symlinks=True)
    (root / "in").mkdir()
    if template.backend == "sqlite":
        url = f"sqlite:///{root / 'ws' / '.translator' / 'translator.db'}"
        yield RowEnv(root, template.corpus, url, "sqlite")
        return
    name = f"bad_inputs_row_{uuid.uuid4().hex[:10]}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE {make_url(template.database_url).database}")
    url = template.database_for(name)
    config = root / "ws" / "translator.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(template.database_url, url), encoding="utf-8")
    yield RowEnv(root, template.corpus, url, "postgresql")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


# -- what "nothing changed" means -------------------------------------------------------------------


def dump_database(url: str) -> dict[str, list[str]]:
    """Every row of every table of the schema (translator.models) and the schema revision."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return {table.name: sorted(repr(tuple(row)) for row in conn.execute(select(table)))
                    for table in [*Base.metadata.sorted_tables, ALEMBIC_VERSION]}
    finally:
        engine.dispose()


def snapshot_files(root: Path) -> dict[str, str]:
    """Every folder and file under ``root`` with its hash; SQLite's -wal and -shm files come and go."""
    found: dict[str, str] = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            found[os.path.relpath(os.path.join(folder, name), root)] = "folder"
        for name in files:
            path = os.path.join(folder, name)
            if name.endswith((".db-wal", ".db-shm")):
                continue
            mode = os.lstat(path).st_mode
            if stat.S_ISREG(mode):
                found[os.path.relpath(path, root)] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            else:  # a named pipe must not be opened here
                found[os.path.relpath(path, root)] = f"special {stat.S_IFMT(mode):o}"
    return found


def _changes(before: dict[str, object], after: dict[str, object]) -> list[str]:
    names = sorted(set(before) | set(after))
    out = []
    for name in names:
        if name not in before:
            out.append(f"+{name}")
        elif name not in after:
            out.append(f"-{name}")
        elif before[name] != after[name]:
            out.append(f"~{name}")
    return out


def _table_changes(before: dict[str, list[str]], after: dict[str, list[str]]) -> list[str]:
    out = []
    for table in before:
        old, new = set(before[table]), set(after.get(table, []))
        if old != new:
            out.append(f"{table} (+{len(new - old)} -{len(old - new)})")
    return out


# -- what the user sees -----------------------------------------------------------------------------


def stderr_problem(stderr: str, where: str | None) -> str | None:
    """Why ``stderr`` is not one error line (or click's usage form), or None."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    if not lines:
        return "stderr is empty"
    if lines[0].startswith("Usage: "):
        # click's usage error: Usage, an optional Try line, then one Error line
        if not (lines[-1].startswith("Error: ") and len(lines) <= 3
                and all(line.startswith(("Usage: ", "Try ", "Error: ")) for line in lines)):
            return f"usage error not in click's form ({len(lines)} lines)"
        message = lines[-1]
    else:
        if len(lines) != 1:
            return f"stderr has {len(lines)} lines, first {lines[0][:120]!r}"
        if not lines[0].startswith("error: "):
            return f"stderr is not an error line: {lines[0][:120]!r}"
        message = lines[0]
    if where and where not in message:
        return f"error does not say {where!r}: {message[:160]!r}"
    return None


def _traceback_summary(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    last = next((line for line in reversed(lines) if not line.startswith(" ")), lines[-1] if lines else "")
    return f"Traceback: {last.strip()[:160]}"


def _args(row: Row, env: RowEnv) -> list[str]:
    return [arg.replace("{root}", str(env.root)) for arg in row.args]


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_bad_input(row: Row, row_env: RowEnv, startup: float) -> None:
    if row_env.backend not in row.backends:
        pytest.skip(f"{row.id} sets its own database; it runs on sqlite only")
    if row.needs_pg_server and not row_env.corpus.pg_server:
        pytest.skip("needs the PostgreSQL test server (TRANSLATOR_TEST_POSTGRES_URL)")
    where = row.files(row_env) if row.files else None
    where = row.where or where
    cwd = row_env.root / row.cwd
    for args in row.setup:
        must(args, cwd)
    db_before = dump_database(row_env.database_url) if row.dump else None
    files_before = snapshot_files(row_env.root)

    result = run(_args(row, row_env), cwd, timeout=LIMIT_S + startup, env=_env(row.env))

    files_after = snapshot_files(row_env.root)
    db_after = dump_database(row_env.database_url) if row.dump else None
    expected = row.exit if isinstance(row.exit, tuple) else (row.exit,)
    if row.heavy:
        expected = (0, 2)
    problems: list[str] = []
    output = result.stdout + result.stderr
    if result.code is None:
        problems.append(f"still running after {LIMIT_S:.0f} s + {startup:.1f} s start-up (killed)")
    else:
        if result.code not in expected:
            said = next((line for line in result.stderr.splitlines() if line.strip()), "")
            problems.append(f"exit {result.code}, expected {'/'.join(map(str, expected))}"
                            + (f" ({said.strip()[:160]!r})" if said and "Traceback" not in said else ""))
        if result.seconds - startup > LIMIT_S:
            problems.append(f"took {result.seconds:.1f} s ({startup:.1f} s start-up)")
    if "Traceback" in output:
        problems.append(_traceback_summary(result.stderr or result.stdout))
    refused = result.code is None or result.code != 0
    if refused:
        if result.code == 2 and "Traceback" not in output:
            problem = stderr_problem(result.stderr, where)
            if problem:
                problems.append(problem)
        if db_before is not None and db_after != db_before:
            problems.append("database changed: " + ", ".join(_table_changes(db_before, db_after)))
        changed = _changes(files_before, files_after)
        if changed:
            problems.append("files changed: " + " ".join(changed[:6]) + (" ..." if len(changed) > 6 else ""))
    else:
        if row.stdout_has and row.stdout_has not in result.stdout:
            problems.append(f"stdout lacks {row.stdout_has!r}")
        if row.stderr_has and row.stderr_has not in result.stderr:
            problems.append(f"stderr lacks {row.stderr_has!r}: {result.stderr.strip()[:160]!r}")
        for name in row.expect_files:
            if not (row_env.root / name).is_file():
                problems.append(f"{name} not written")
    print(f"\nROW {row.id} code={result.code} t={result.seconds - startup:.2f} err={result.stderr.strip()[-300:]!r}")
    assert not problems, f"{row.id} [{row_env.backend}]: " + "; ".join(problems)

"""Engines, sessions and schema upgrades for SQLite and PostgreSQL.

SQLite gets WAL, foreign keys and a busy timeout on every connection; every command runs in
one transaction (``transaction``), so a failed command leaves the database as it was.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .errors import TranslatorError

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 30_000


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            _tune_sqlite(engine)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise TranslatorError(f"bad database URL {url!r}: {exc}") from None
    return engine


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        # we issue BEGIN ourselves: pysqlite's implicit transactions start too late for SAVEPOINT and locks
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # a 64 MB page cache (default 2 MB) keeps large imports from spilling B-tree pages mid-transaction
        cursor.execute("PRAGMA cache_size=-65536")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn):  # type: ignore[no-untyped-def]
        # a writer takes the lock up front, so it waits (busy timeout) instead of failing mid-way
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("write") else "BEGIN")


@contextmanager
def transaction(url: str, write: bool = True) -> Iterator[Session]:
    """One session in one transaction: committed on success, rolled back on any error."""
    engine = get_engine(url)
    if write:
        engine = engine.execution_options(write=True)
    session = sessionmaker(engine, expire_on_commit=False)()
    try:
        with session.begin():
            yield session
    except OperationalError as exc:
        raise TranslatorError(f"database error: {exc.orig}") from None
    finally:
        session.close()


def alembic_config(url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Apply the migrations up to ``revision`` (creating the SQLite file if needed)."""
    from alembic import command

    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        Path(url[len("sqlite:///"):]).parent.mkdir(parents=True, exist_ok=True)
    engine = get_engine(url)
    config = alembic_config(url)
    try:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)
    except OperationalError as exc:
        raise TranslatorError(f"cannot reach the database: {exc.orig}") from None


def current_revision(url: str) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with get_engine(url).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() or ""


def check_schema(url: str) -> None:
    """Refuse to work on a database whose schema is older or newer than this code."""
    current, head = current_revision(url), head_revision()
    if current != head:
        raise TranslatorError(
            f"the database schema is at {current or 'nothing'}, this translator needs {head}: run 'translator db upgrade'"
        )

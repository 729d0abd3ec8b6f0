"""Engines, sessions and schema upgrades for SQLite and PostgreSQL.

SQLite gets WAL, foreign keys and a busy timeout on every connection; every command runs in
one transaction (``transaction``), so a failed command leaves the database as it was.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from .errors import TranslatorError

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_TIMEOUT_MS = 30_000
#: the largest integer SQLite and PostgreSQL (BIGINT) store: a larger id names no row, and drivers overflow on it
MAX_INTEGER = 2**63 - 1
#: where a user fixes the URL, named in every error about reaching the database
URL_SOURCE = "[database] url in translator.toml (or TRANSLATOR_DATABASE_URL)"
# init names where its URL came from instead (--database, the environment): see url_named_by
_url_source: ContextVar[str] = ContextVar("url_source", default=URL_SOURCE)
#: the package to install for a database driver module SQLAlchemy could not import
DRIVER_PACKAGES = {
    "MySQLdb": "mysqlclient", "pymysql": "PyMySQL", "mysql": "mysql-connector-python", "psycopg": "psycopg[binary]",
    "psycopg2": "psycopg2-binary", "asyncpg": "asyncpg", "pg8000": "pg8000", "oracledb": "oracledb",
    "cx_Oracle": "oracledb", "pyodbc": "pyodbc", "pymssql": "pymssql",
}
#: PostgreSQL's connection failures (psycopg's text), each with what to do about it
_SERVER_PROBLEMS = (
    (r'database "(?P<name>[^"]+)" does not exist',
     "the database {name} does not exist on {server}: create it (createdb {name}) or fix {source}"),
    (r'role "(?P<name>[^"]+)" does not exist',
     "the database user {name} does not exist on {server}: create it (createuser {name}) or fix {source}"),
    (r'password authentication failed for user "(?P<name>[^"]+)"',
     "{server} refused the password of {name}: fix {source}"),
    (r"Connection refused",
     "cannot connect to the database server at {server} (connection refused): start it, or fix {source}"),
    (r"failed to resolve host '(?P<name>[^']+)'",
     "unknown database host {name}: fix {source}"),
    (r"timeout expired|timed out",
     "the database server at {server} did not answer in time: check it is up, or fix {source}"),
)


@contextmanager
def url_named_by(source: str) -> Iterator[None]:
    """Within the block, errors about reaching the database say to fix ``source`` (e.g. "--database")."""
    token = _url_source.set(source)
    try:
        yield
    finally:
        _url_source.reset(token)


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    try:
        if url.startswith("sqlite"):
            engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
            _tune_sqlite(engine)
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (ArgumentError, NoSuchModuleError) as exc:
        raise TranslatorError(f"bad database URL {shown_url(url)!r}: {_first_line(exc)}; fix {_url_source.get()}") from None
    except ImportError as exc:  # the dialect is known, its driver is not installed
        module = (exc.name or "").split(".")[0]
        package = DRIVER_PACKAGES.get(module, module)
        raise TranslatorError(f"the database URL {shown_url(url)!r} needs the Python package {package} "
                              f"(module {module}), which is not installed: pip install '{package}'") from None
    return engine


def storable(number: int) -> bool:
    """Whether ``number`` can name a row: ids and positions from users are checked before any query."""
    return -MAX_INTEGER <= number <= MAX_INTEGER


def shown_url(url: str) -> str:
    """``url`` fit for a message: the password hidden."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names (None for other databases and in-memory ones)."""
    if not url.startswith("sqlite"):
        return None
    try:
        database = make_url(url).database
    except ArgumentError:
        return None
    return Path(database) if database and database != ":memory:" and not database.startswith("file:") else None


@contextmanager
def reaching(url: str) -> Iterator[None]:
    """Turns a failure to open or reach the database into one line saying what to do."""
    try:
        yield
    except DBAPIError as exc:
        problem = _connection_problem(url, exc)
        if problem is None:
            raise
        raise TranslatorError(problem) from None


def _connection_problem(url: str, exc: DBAPIError) -> str | None:
    """What ``exc`` means for a user, or None where it is not about reaching the database (a bug)."""
    path = sqlite_file(url)
    code = getattr(exc.orig, "sqlite_errorname", None)
    if code == "SQLITE_NOTADB":
        return (f"{path or shown_url(url)} is not a SQLite database (a damaged or foreign file): restore it from a "
                f"backup, or fix {_url_source.get()}")
    if code == "SQLITE_CANTOPEN":
        if path is not None and not path.parent.is_dir():
            return (f"cannot open the database {path}: the folder {path.parent} does not exist; fix {_url_source.get()}, "
                    "or run 'translator db upgrade' to create it")
        return f"cannot open the database {path or shown_url(url)}: check that it can be read and written"
    if not isinstance(exc, OperationalError):
        return None
    message = _first_line(exc.orig)
    for pattern, explained in _SERVER_PROBLEMS:
        found = re.search(pattern, message)
        if found:
            return explained.format(server=_server(url), source=_url_source.get(), **found.groupdict())
    return f"database error ({shown_url(url)}): {message}"


def _server(url: str) -> str:
    parsed = make_url(url)
    return f"{parsed.host or 'localhost'}:{parsed.port}" if parsed.port else (parsed.host or "localhost")


def _first_line(exc: BaseException | None) -> str:
    """A driver's message without its hints and wrapping ("connection failed: ..." on several lines)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return re.sub(r"^connection failed: ", "", text).replace("FATAL:  ", "")


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
        with reaching(url), session.begin():
            yield session
    finally:
        session.close()


def alembic_config(url: str):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> tuple[str | None, str | None]:
    """Apply the migrations up to ``revision`` (creating the SQLite file if needed): the revisions before and after."""
    from alembic import command

    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = get_engine(url)
    config = alembic_config(url)
    with reaching(url), engine.begin() as connection:
        before = _revision_of(connection)
        refuse_newer(before)  # alembic would say "Can't locate revision" and leave the user guessing
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        return before, _revision_of(connection)


def current_revision(url: str) -> str | None:
    """The schema revision of the database; a SQLite file that does not exist is an error, never created."""
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        missing = f" (the folder {path.parent} does not exist)" if not path.parent.is_dir() else ""
        raise TranslatorError(f"no database at {path}{missing}: fix {_url_source.get()}, "
                              "or run 'translator db upgrade' to create it")
    with reaching(url), get_engine(url).connect() as connection:
        return _revision_of(connection)


def _revision_of(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    return _scripts().get_current_head() or ""


@lru_cache(maxsize=1)
def _scripts():  # type: ignore[no-untyped-def]
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://"))


def is_newer(revision: str | None) -> bool:
    """Whether ``revision`` comes from a newer translator: one this code's migrations do not know."""
    return revision is not None and revision not in {script.revision for script in _scripts().walk_revisions()}


def refuse_newer(revision: str | None) -> None:
    if is_newer(revision):
        raise TranslatorError(f"the database schema is at {revision}, which this translator does not know: a newer "
                              "version of translator upgraded it; work on it with that version (or newer)")


def check_schema(url: str) -> None:
    """Refuse to work on a database whose schema is older or newer than this code."""
    current, head = current_revision(url), head_revision()
    if current != head:
        refuse_newer(current)
        raise TranslatorError(
            f"the database schema is at {current or 'nothing'}, this translator needs {head}: run 'translator db upgrade'"
        )

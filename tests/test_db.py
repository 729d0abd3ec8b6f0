"""The database under the workspace: pragmas on SQLite, the same migrated schema everywhere."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect
from sqlalchemy.orm.exc import StaleDataError

from translator.db import get_engine, transaction
from translator.models import Article, Base, Segment, Translation


def test_schema_from_migrations_matches_the_models(workspace):
    tables = set(inspect(get_engine(workspace.database_url)).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(workspace):
    if not workspace.database_url.startswith("sqlite"):
        pytest.skip("SQLite pragmas")
    with get_engine(workspace.database_url).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000


def test_a_failed_command_rolls_everything_back(workspace):
    with pytest.raises(RuntimeError):
        with transaction(workspace.database_url) as session:
            session.add(Article(slug="a", title="A", source_lang="en", source_format="text", checksum="x"))
            session.flush()
            raise RuntimeError("boom")
    with transaction(workspace.database_url, write=False) as session:
        assert session.query(Article).count() == 0


def test_concurrent_edits_of_one_translation_cannot_both_win(workspace):
    with transaction(workspace.database_url) as session:
        article = Article(slug="a", title="A", source_lang="en", source_format="text", checksum="x")
        segment = Segment(article=article, position=0, block_index=0, kind="paragraph", source="Hi.",
                          source_hash="h", separator="")
        session.add(Translation(segment=segment, language="de"))
    with transaction(workspace.database_url) as first:
        mine = first.query(Translation).one()
        with transaction(workspace.database_url, write=False) as second:
            theirs = second.query(Translation).one()
        mine.text = "Hallo."
    with pytest.raises(StaleDataError):
        with transaction(workspace.database_url) as second:
            theirs = second.merge(theirs, load=False)
            theirs.text = "Servus."
    with transaction(workspace.database_url, write=False) as session:
        row = session.query(Translation).one()
        assert (row.text, row.version) == ("Hallo.", 2)

"""The database under the workspace: pragmas on SQLite, the same migrated schema everywhere."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm.exc import StaleDataError

from conftest import POSTGRES_URL
from translator.db import check_schema, current_revision, get_engine, head_revision, storable, transaction, upgrade
from translator.errors import TranslatorError
from translator.models import Article, Base, Segment, Translation


def test_schema_from_migrations_matches_the_models(workspace):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    tables = set(inspect(get_engine(workspace.database_url)).get_table_names())
    assert set(Base.metadata.tables) <= tables
    assert "alembic_version" in tables
    # every column, type, index and constraint the models declare is what the migrations built
    with get_engine(workspace.database_url).connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


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


def test_a_sqlite_path_in_a_missing_folder_is_one_line_and_creates_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'missing' / 'folder' / 'translator.db'}"
    with pytest.raises(TranslatorError, match=r"no database at .*the folder .*missing/folder does not exist"):
        check_schema(url)
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_sqlite_is_named_with_what_to_do(tmp_path):
    path = tmp_path / "translator.db"
    path.write_bytes(random.Random(12).randbytes(64 * 1024))
    for attempt in (lambda: check_schema(f"sqlite:///{path}"), lambda: upgrade(f"sqlite:///{path}")):
        with pytest.raises(TranslatorError, match=f"{path} is not a SQLite database.*restore it from a backup"):
            attempt()


def test_a_refused_server_is_one_line_without_the_password():
    url = "postgresql+psycopg://editor:secret@127.0.0.1:9/newsroom"
    with pytest.raises(TranslatorError) as caught:
        check_schema(url)
    message = str(caught.value)
    assert "cannot connect to the database server at 127.0.0.1:9 (connection refused)" in message
    assert "\n" not in message and "secret" not in message


@pytest.mark.skipif(not POSTGRES_URL, reason="TRANSLATOR_TEST_POSTGRES_URL is not set")
@pytest.mark.parametrize("part, said", [({"database": "no_such_newsroom_db"}, "createdb no_such_newsroom_db"),
                                        ({"username": "no_such_editor"}, "createuser no_such_editor")])
def test_an_unknown_database_or_role_says_how_to_create_it(part, said):
    url = make_url(POSTGRES_URL).set(**part).render_as_string(hide_password=False)
    with pytest.raises(TranslatorError, match=said):
        check_schema(url)


def test_a_missing_driver_names_the_package_to_install():
    with pytest.raises(TranslatorError, match=r"needs the Python package mysqlclient \(module MySQLdb\)"):
        get_engine("mysql://editor@127.0.0.1/newsroom")


def test_a_schema_from_a_newer_translator_is_refused_not_upgraded(workspace):
    with get_engine(workspace.database_url).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
    for attempt in (lambda: check_schema(workspace.database_url), lambda: upgrade(workspace.database_url)):
        with pytest.raises(TranslatorError, match="newer version of translator"):
            attempt()
    assert current_revision(workspace.database_url) == "ffffffffffff"


def test_upgrade_reports_the_revisions_before_and_after(database_url):
    assert upgrade(database_url, "0001") == (None, "0001")
    assert upgrade(database_url) == ("0001", head_revision())


def test_upgrade_gives_earlier_events_the_slug_of_their_article(database_url):
    upgrade(database_url, "0004")
    with get_engine(database_url).begin() as conn:
        conn.execute(text("INSERT INTO article (id, slug, title, source_lang, source_format, checksum, lead, created_at, "
                          "updated_at) VALUES (7, 'call', 'Call', 'en', 'text', 'x', '', :t, :t)"),
                     {"t": "2026-12-01 10:00:00"})
        for article_id, action, old in ((7, "article-imported", None), (None, "article-removed", "gone")):
            conn.execute(text("INSERT INTO event (at, \"user\", action, article_id, old_value) "
                              "VALUES (:t, 'anna', :action, :article, :old)"),
                         {"t": "2026-12-01 10:00:00", "action": action, "article": article_id, "old": old})
    upgrade(database_url)
    with get_engine(database_url).connect() as conn:
        rows = conn.execute(text("SELECT action, article_slug FROM event ORDER BY id")).all()
    assert [tuple(r) for r in rows] == [("article-imported", "call"), ("article-removed", "gone")]


def test_only_numbers_a_database_stores_can_name_a_row():
    assert storable(2**63 - 1) and storable(-(2**63 - 1)) and not storable(2**63) and not storable(10**23)

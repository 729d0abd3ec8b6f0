"""coverage: PostgreSQL counts an INSERT's translations once per statement, not once per row

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 20:00:00.000000

A row trigger updates the same few ``coverage`` rows once per inserted translation; PostgreSQL
keeps every version of such a row until the transaction ends, so importing a 13,000-sentence
article into five languages cost 7 s there (SQLite updates in place and is unaffected). Inserts
now add their counts from a transition table, one grouped upsert per statement; updates and
deletes stay per row. SQLite keeps the triggers of 0004.
"""
from importlib import import_module

from alembic import op

# the upsert and the finding counts the triggers of 0004 use
report_figures = import_module("translator.migrations.versions.0004_report_figures")


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def _inserted_rows() -> str:
    flags = "(n.flags)::text"
    return report_figures._upsert(
        f"SELECT s.article_id, n.language, n.status, count(*), sum(s.words), "
        f"sum({report_figures._findings(flags, report_figures.CHECK)}), "
        f"sum({report_figures._findings(flags, report_figures.GLOSSARY_MISS)}) "
        "FROM inserted n JOIN segment s ON s.id = n.segment_id WHERE s.state = 'active' "
        "GROUP BY s.article_id, n.language, n.status"
    )


def create_triggers(connection) -> None:  # type: ignore[no-untyped-def]
    """Replace 0004's insert-per-row counting (its triggers must exist) by the per-statement one."""
    if connection.dialect.name != 'postgresql':
        return
    for statement in (
        "DROP TRIGGER coverage_translation ON translation",
        # the function of 0004 still serves updates and deletes (its INSERT branch no longer runs)
        "CREATE TRIGGER coverage_translation AFTER UPDATE OF segment_id, language, status, flags "
        "OR DELETE ON translation FOR EACH ROW EXECUTE FUNCTION coverage_translation()",
        f"""CREATE FUNCTION coverage_translation_inserted() RETURNS trigger LANGUAGE plpgsql
        SET search_path FROM CURRENT AS $$
        BEGIN
          {_inserted_rows()};
          RETURN NULL;
        END $$""",
        "CREATE TRIGGER coverage_translation_inserted AFTER INSERT ON translation "
        "REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION coverage_translation_inserted()",
    ):
        connection.exec_driver_sql(statement)


def drop_triggers(connection) -> None:  # type: ignore[no-untyped-def]
    """Drop the per-statement counting only (a bulk load drops 0004's triggers as well)."""
    if connection.dialect.name != 'postgresql':
        return
    connection.exec_driver_sql("DROP TRIGGER IF EXISTS coverage_translation_inserted ON translation")
    connection.exec_driver_sql("DROP FUNCTION IF EXISTS coverage_translation_inserted()")


def upgrade() -> None:
    create_triggers(op.get_bind())


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != 'postgresql':
        return
    drop_triggers(connection)
    connection.exec_driver_sql("DROP TRIGGER coverage_translation ON translation")
    connection.exec_driver_sql(
        "CREATE TRIGGER coverage_translation AFTER INSERT OR UPDATE OF segment_id, language, status, flags "
        "OR DELETE ON translation FOR EACH ROW EXECUTE FUNCTION coverage_translation()")

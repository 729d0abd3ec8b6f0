"""report figures: source words per segment; coverage kept by triggers; indexes for the report

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 16:00:00.000000

``coverage`` holds, per article, language and status, the active segments, their source words and
the QA findings on them. Triggers on ``translation`` and ``segment`` keep it exact whoever writes
(ORM, Core, another tool), so the report sums a few hundred thousand rows instead of joining
millions. A later migration that recreates either table (SQLite batch mode) must call
``create_triggers`` again.
"""
from alembic import op
import sqlalchemy as sa

from translator.words import count_words


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

BATCH = 5000
CHECK = '"check"'  # one per QA finding in a translation's flags (JSON)
GLOSSARY_MISS = '"glossary-missing"'


def _findings(flags: str, needle: str) -> str:
    """How often ``needle`` occurs in a flags JSON text (0 for NULL)."""
    return f"coalesce((length({flags}) - length(replace({flags}, '{needle}', ''))) / {len(needle)}, 0)"


def _upsert(select: str) -> str:
    return (
        "INSERT INTO coverage (article_id, language, status, segments, words, findings, glossary_misses) "
        f"{select} ON CONFLICT (language, status, article_id) DO UPDATE SET "
        "segments = coverage.segments + excluded.segments, words = coverage.words + excluded.words, "
        "findings = coverage.findings + excluded.findings, "
        "glossary_misses = coverage.glossary_misses + excluded.glossary_misses"
    )


def _translation_row(sign: str, row: str, text_flags: str) -> str:
    """Add (+) or take away (-) one translation row's share, if its segment is active."""
    flags = text_flags.format(f"{row}.flags")
    return _upsert(
        f"SELECT s.article_id, {row}.language, {row}.status, {sign}1, {sign}s.words, "
        f"{sign}{_findings(flags, CHECK)}, {sign}{_findings(flags, GLOSSARY_MISS)} "
        f"FROM segment s WHERE s.id = {row}.segment_id AND s.state = 'active'"
    )


def _segment_row(sign: str, row: str, text_flags: str) -> str:
    """Add (+) or take away (-) the shares of one segment's translations, if it is active."""
    flags = text_flags.format("t.flags")
    return _upsert(
        f"SELECT {row}.article_id, t.language, t.status, {sign}1, {sign}{row}.words, "
        f"{sign}{_findings(flags, CHECK)}, {sign}{_findings(flags, GLOSSARY_MISS)} "
        f"FROM translation t WHERE t.segment_id = {row}.id AND {row}.state = 'active'"
    )


def create_triggers(connection) -> None:  # type: ignore[no-untyped-def]
    if connection.dialect.name == 'postgresql':
        text = "({})::text"
        statements = [
            # the tables of the schema it is created in, whatever the search_path of the writer
            f"""CREATE OR REPLACE FUNCTION coverage_translation() RETURNS trigger LANGUAGE plpgsql
            SET search_path FROM CURRENT AS $$
            BEGIN
              IF TG_OP = 'INSERT' THEN
                {_translation_row('+', 'NEW', text)};
              ELSIF TG_OP = 'DELETE' THEN
                {_translation_row('-', 'OLD', text)};
              ELSIF OLD.status <= NEW.status THEN  -- one lock order for two rows, so no deadlock
                {_translation_row('-', 'OLD', text)};
                {_translation_row('+', 'NEW', text)};
              ELSE
                {_translation_row('+', 'NEW', text)};
                {_translation_row('-', 'OLD', text)};
              END IF;
              RETURN NULL;
            END $$""",
            f"""CREATE OR REPLACE FUNCTION coverage_segment() RETURNS trigger LANGUAGE plpgsql
            SET search_path FROM CURRENT AS $$
            BEGIN
              {_segment_row('-', 'OLD', text)};
              IF TG_OP = 'UPDATE' THEN
                {_segment_row('+', 'NEW', text)};
                RETURN NULL;
              END IF;
              RETURN OLD;
            END $$""",
            "CREATE TRIGGER coverage_translation AFTER INSERT OR UPDATE OF segment_id, language, status, flags "
            "OR DELETE ON translation FOR EACH ROW EXECUTE FUNCTION coverage_translation()",
            "CREATE TRIGGER coverage_segment_update AFTER UPDATE OF article_id, state, words ON segment "
            "FOR EACH ROW EXECUTE FUNCTION coverage_segment()",
            # before: the cascade deletes the translations once the segment is gone
            "CREATE TRIGGER coverage_segment_delete BEFORE DELETE ON segment "
            "FOR EACH ROW EXECUTE FUNCTION coverage_segment()",
        ]
    else:
        text = "{}"
        statements = [
            f"CREATE TRIGGER coverage_translation_insert AFTER INSERT ON translation BEGIN "
            f"{_translation_row('+', 'NEW', text)}; END",
            f"CREATE TRIGGER coverage_translation_update AFTER UPDATE OF segment_id, language, status, flags "
            f"ON translation BEGIN {_translation_row('-', 'OLD', text)}; {_translation_row('+', 'NEW', text)}; END",
            f"CREATE TRIGGER coverage_translation_delete AFTER DELETE ON translation BEGIN "
            f"{_translation_row('-', 'OLD', text)}; END",
            f"CREATE TRIGGER coverage_segment_update AFTER UPDATE OF article_id, state, words ON segment BEGIN "
            f"{_segment_row('-', 'OLD', text)}; {_segment_row('+', 'NEW', text)}; END",
            f"CREATE TRIGGER coverage_segment_delete BEFORE DELETE ON segment BEGIN "
            f"{_segment_row('-', 'OLD', text)}; END",
        ]
    for statement in statements:
        connection.exec_driver_sql(statement)


def drop_triggers(connection) -> None:  # type: ignore[no-untyped-def]
    if connection.dialect.name == 'postgresql':
        for trigger, table in (('coverage_translation', 'translation'), ('coverage_segment_update', 'segment'),
                               ('coverage_segment_delete', 'segment')):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS coverage_translation()")
        connection.exec_driver_sql("DROP FUNCTION IF EXISTS coverage_segment()")
    else:
        for trigger in ('coverage_translation_insert', 'coverage_translation_update', 'coverage_translation_delete',
                        'coverage_segment_update', 'coverage_segment_delete'):
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")


def fill(connection) -> None:  # type: ignore[no-untyped-def]
    """Recount ``coverage`` from the translations (after a bulk load without triggers, too)."""
    text = "({})::text" if connection.dialect.name == 'postgresql' else "{}"
    flags = text.format("t.flags")
    connection.exec_driver_sql("DELETE FROM coverage")
    connection.exec_driver_sql(
        "INSERT INTO coverage (article_id, language, status, segments, words, findings, glossary_misses) "
        f"SELECT s.article_id, t.language, t.status, count(*), sum(s.words), sum({_findings(flags, CHECK)}), "
        f"sum({_findings(flags, GLOSSARY_MISS)}) "
        "FROM translation t JOIN segment s ON s.id = t.segment_id WHERE s.state = 'active' "
        "GROUP BY s.article_id, t.language, t.status"
    )


def upgrade() -> None:
    with op.batch_alter_table('segment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('words', sa.Integer(), server_default='0', nullable=False))
    # existing segments get their counts by the same rule as new imports
    segment = sa.table('segment', sa.column('id', sa.Integer()), sa.column('source', sa.Text()),
                       sa.column('words', sa.Integer()))
    connection = op.get_bind()
    rows = connection.execute(sa.select(segment.c.id, segment.c.source).order_by(segment.c.id)).all()
    update = sa.update(segment).where(segment.c.id == sa.bindparam('sid')).values(words=sa.bindparam('n'))
    for start in range(0, len(rows), BATCH):
        connection.execute(update, [{'sid': sid, 'n': count_words(source)}
                                    for sid, source in rows[start:start + BATCH]])
    with op.batch_alter_table('segment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_segment_article_id_state_words'), ['article_id', 'state', 'words'],
                              unique=False)
    op.create_table('coverage',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('segments', sa.Integer(), server_default='0', nullable=False),
    sa.Column('words', sa.Integer(), server_default='0', nullable=False),
    sa.Column('findings', sa.Integer(), server_default='0', nullable=False),
    sa.Column('glossary_misses', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('language', 'status', 'article_id', name=op.f('pk_coverage')),
    sqlite_with_rowid=False,  # the rows stored in key order: a language's figures are read in one run
    )
    with op.batch_alter_table('coverage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coverage_article_id'), ['article_id'], unique=False)
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_language_at_action'), ['language', 'at', 'action'], unique=False)
    fill(connection)
    create_triggers(connection)


def downgrade() -> None:
    connection = op.get_bind()
    drop_triggers(connection)
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_language_at_action'))
    op.drop_table('coverage')
    with op.batch_alter_table('segment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_segment_article_id_state_words'))
        batch_op.drop_column('words')

"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-28 06:01:16.817142
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('article',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=200), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('source_lang', sa.String(length=35), nullable=False),
    sa.Column('source_format', sa.String(length=16), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('lead', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_article')),
    sa.UniqueConstraint('slug', name=op.f('uq_article_slug'))
    )
    op.create_table('segment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('block_index', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('source_hash', sa.String(length=40), nullable=False),
    sa.Column('separator', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('active', 'removed', name='segmentstate', native_enum=False, length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_segment_article_id_article'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_segment'))
    )
    with op.batch_alter_table('segment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_segment_article_id_position'), ['article_id', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_segment_source_hash'), ['source_hash'], unique=False)

    op.create_table('tm_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_lang', sa.String(length=35), nullable=False),
    sa.Column('target_lang', sa.String(length=35), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('source_hash', sa.String(length=40), nullable=False),
    sa.Column('target', sa.Text(), nullable=False),
    sa.Column('target_hash', sa.String(length=40), nullable=False),
    sa.Column('origin', sa.Enum('tm-exact', 'mt', 'human', 'import', name='origin', native_enum=False, length=16), nullable=False),
    sa.Column('approved', sa.Boolean(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_tm_unit_article_id_article'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tm_unit')),
    sa.UniqueConstraint('source_lang', 'target_lang', 'source_hash', 'target_hash', name=op.f('uq_tm_unit_source_lang_target_lang_source_hash_target_hash'))
    )
    with op.batch_alter_table('tm_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tm_unit_source_lang_target_lang_source_hash'), ['source_lang', 'target_lang', 'source_hash'], unique=False)

    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('segment_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=35), nullable=True),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('old_status', sa.String(length=16), nullable=True),
    sa.Column('new_status', sa.String(length=16), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['article.id'], name=op.f('fk_event_article_id_article'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['segment_id'], ['segment.id'], name=op.f('fk_event_segment_id_segment'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_segment_id_language'), ['segment_id', 'language'], unique=False)

    op.create_table('suggestion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('segment_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('tm_unit_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['segment_id'], ['segment.id'], name=op.f('fk_suggestion_segment_id_segment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['tm_unit_id'], ['tm_unit.id'], name=op.f('fk_suggestion_tm_unit_id_tm_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggestion')),
    sa.UniqueConstraint('segment_id', 'language', 'tm_unit_id', name=op.f('uq_suggestion_segment_id_language_tm_unit_id'))
    )
    op.create_table('translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('segment_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('status', sa.Enum('untranslated', 'machine', 'fuzzy', 'translated', 'approved', 'rejected', 'stale', name='status', native_enum=False, length=16), nullable=False),
    sa.Column('origin', sa.Enum('tm-exact', 'mt', 'human', 'import', name='origin', native_enum=False, length=16), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('engine', sa.String(length=200), nullable=True),
    sa.Column('previous_source', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=200), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['segment_id'], ['segment.id'], name=op.f('fk_translation_segment_id_segment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translation')),
    sa.UniqueConstraint('segment_id', 'language', name=op.f('uq_translation_segment_id_language'))
    )
    with op.batch_alter_table('translation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_translation_language_status'), ['language', 'status'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('translation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_translation_language_status'))

    op.drop_table('translation')
    op.drop_table('suggestion')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_segment_id_language'))
        batch_op.drop_index(batch_op.f('ix_event_article_id'))

    op.drop_table('event')
    with op.batch_alter_table('tm_unit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tm_unit_source_lang_target_lang_source_hash'))

    op.drop_table('tm_unit')
    with op.batch_alter_table('segment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_segment_source_hash'))
        batch_op.drop_index(batch_op.f('ix_segment_article_id_position'))

    op.drop_table('segment')
    op.drop_table('article')


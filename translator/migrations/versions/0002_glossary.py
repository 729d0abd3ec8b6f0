"""glossary: concepts and terms; flags on translations

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 11:20:00.000000
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('concept',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('name', 'title', 'do-not-translate', 'forbidden', name='conceptkind', native_enum=False, length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('origin', sa.String(length=255), nullable=True),
    sa.Column('whole_segment', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concept'))
    )
    with op.batch_alter_table('concept', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concept_origin'), ['origin'], unique=False)

    op.create_table('term',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('concept_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=35), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('preferred', 'admitted', 'forbidden', name='termstatus', native_enum=False, length=16), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('case_sensitive', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['concept_id'], ['concept.id'], name=op.f('fk_term_concept_id_concept'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_term')),
    sa.UniqueConstraint('concept_id', 'language', 'text', name=op.f('uq_term_concept_id_language_text'))
    )
    with op.batch_alter_table('term', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_term_language_text'), ['language', 'text'], unique=False)

    # SQLite adds a nullable column in place (ALTER TABLE ADD COLUMN); batch mode keeps it that way
    with op.batch_alter_table('translation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('flags', sa.JSON(), nullable=True))


def downgrade() -> None:

    with op.batch_alter_table('translation', schema=None) as batch_op:
        batch_op.drop_column('flags')

    with op.batch_alter_table('term', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_term_language_text'))

    op.drop_table('term')
    with op.batch_alter_table('concept', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_concept_origin'))

    op.drop_table('concept')

"""events keep the slug of their article, so an article's history outlives its removal

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 14:00:00.000000

``article_id`` is set to NULL when an article is removed; ``article_slug`` still names it. Events
recorded before this revision get the article's slug of today (a renamed article's older events
its new slug), and an ``article-removed`` event the slug it removed.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('event', sa.Column('article_slug', sa.String(length=200), nullable=True))
    op.create_index(op.f('ix_event_article_slug'), 'event', ['article_slug'], unique=False)
    op.execute("UPDATE event SET article_slug = (SELECT slug FROM article WHERE article.id = event.article_id) "
               "WHERE article_id IS NOT NULL")
    op.execute("UPDATE event SET article_slug = old_value WHERE action = 'article-removed'")


def downgrade() -> None:
    op.drop_index(op.f('ix_event_article_slug'), table_name='event')
    op.drop_column('event', 'article_slug')

"""The database schema as SQLAlchemy 2 typed ORM classes.

Articles hold segments; segments hold one translation per target language; TM units and
events stand apart so history and memory outlive the articles they came from. The glossary
is concepts (a person, an office, a place) holding their terms per language.
"""

from __future__ import annotations

import enum
from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    JSON,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from .permissions import Role
from .status import Origin, Status


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps go in and come out timezone-aware in UTC, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is not None and value.tzinfo is None:  # SQLite keeps no zone
            value = value.replace(tzinfo=timezone.utc)
        return value


def _values(enum_cls: type[enum.Enum]) -> Enum:
    # store the readable values ("tm-exact"), not the Python names
    return Enum(
        enum_cls,
        native_enum=False,
        length=16,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class SegmentState(str, enum.Enum):
    ACTIVE = "active"
    REMOVED = "removed"


class ConceptKind(str, enum.Enum):
    """What a glossary concept names; it decides how its terms are matched and enforced."""

    NAME = "name"  # a person, institution or place: matched case-sensitively, written as listed
    TITLE = "title"  # an office ("President"): matched regardless of case, may inflect
    DO_NOT_TRANSLATE = "do-not-translate"  # stays as in the source
    FORBIDDEN = "forbidden"  # forms never to use, in any language listed


class TermStatus(str, enum.Enum):
    """A term's standing in its language, as TBX's administrativeStatus has it."""

    PREFERRED = "preferred"
    ADMITTED = "admitted"  # an allowed variant: a short form, a spelling, an inflected form
    FORBIDDEN = "forbidden"


class TokenScope(str, enum.Enum):
    READ = "read"
    WRITE = "write"


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
        }
    )


class Article(Base):
    __tablename__ = "article"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(Text)
    source_lang: Mapped[str] = mapped_column(String(35))
    source_format: Mapped[str] = mapped_column(String(16))
    checksum: Mapped[str] = mapped_column(String(64))
    # text before the first segment, so lead + (source + separator)* rebuilds the file
    lead: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    segments: Mapped[list[Segment]] = relationship(
        back_populates="article", order_by="Segment.position", cascade="all, delete-orphan"
    )


class Segment(Base):
    __tablename__ = "segment"
    __table_args__ = (Index(None, "article_id", "position"), Index(None, "source_hash"),
                      Index(None, "article_id", "state", "words"))

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    block_index: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(Text)
    source_hash: Mapped[str] = mapped_column(String(40))
    separator: Mapped[str] = mapped_column(Text, default="")
    # the source's words by translator.words.count_words, summed by the reports
    words: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    state: Mapped[SegmentState] = mapped_column(_values(SegmentState), default=SegmentState.ACTIVE)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    article: Mapped[Article] = relationship(back_populates="segments")
    translations: Mapped[list[Translation]] = relationship(
        back_populates="segment", cascade="all, delete-orphan"
    )


class Translation(Base):
    __tablename__ = "translation"
    __table_args__ = (UniqueConstraint("segment_id", "language"), Index(None, "language", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segment.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(35))
    text: Mapped[str | None] = mapped_column(Text)
    status: Mapped[Status] = mapped_column(_values(Status), default=Status.UNTRANSLATED)
    origin: Mapped[Origin | None] = mapped_column(_values(Origin))
    score: Mapped[float | None] = mapped_column(Float)
    engine: Mapped[str | None] = mapped_column(String(200))
    # the source this text was made for, kept when the source changes (status stale)
    previous_source: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[str | None] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    # what checks found, e.g. [{"check": "glossary-missing", "source": "Chancellor", "required": "Bundeskanzler"}]
    flags: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)

    segment: Mapped[Segment] = relationship(back_populates="translations")

    # SQLAlchemy adds "AND version = :old" to every UPDATE and raises StaleDataError on a lost race
    __mapper_args__ = {"version_id_col": version}


class Suggestion(Base):
    """A fuzzy TM match offered to the translator; never the translation itself."""

    __tablename__ = "suggestion"
    __table_args__ = (UniqueConstraint("segment_id", "language", "tm_unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segment.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(35))
    tm_unit_id: Mapped[int] = mapped_column(ForeignKey("tm_unit.id", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    tm_unit: Mapped[TMUnit] = relationship()


class TMUnit(Base):
    __tablename__ = "tm_unit"
    __table_args__ = (
        # target_hash rather than target: PostgreSQL btree keys cannot hold long texts
        UniqueConstraint("source_lang", "target_lang", "source_hash", "target_hash"),
        Index(None, "source_lang", "target_lang", "source_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source_lang: Mapped[str] = mapped_column(String(35))
    target_lang: Mapped[str] = mapped_column(String(35))
    source: Mapped[str] = mapped_column(Text)
    source_hash: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(Text)
    target_hash: Mapped[str] = mapped_column(String(40))
    origin: Mapped[Origin] = mapped_column(_values(Origin))
    approved: Mapped[bool] = mapped_column(Boolean, default=False)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("article.id", ondelete="SET NULL"))
    created_by: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Event(Base):
    """Append-only history: who did what, when, from which old value to which new one."""

    __tablename__ = "event"
    __table_args__ = (Index(None, "segment_id", "language"), Index(None, "article_id"), Index(None, "article_slug"),
                      Index(None, "language", "at", "action"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("article.id", ondelete="SET NULL"))
    # the article's slug when the event was recorded: names it after its removal unlinks article_id
    article_slug: Mapped[str | None] = mapped_column(String(200))
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("segment.id", ondelete="SET NULL"))
    language: Mapped[str | None] = mapped_column(String(35))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    old_status: Mapped[str | None] = mapped_column(String(16))
    new_status: Mapped[str | None] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(Text)


class Coverage(Base):
    """Per article, language and status: the active segments, their source words and QA findings.

    Database triggers on ``translation`` and ``segment`` keep it exact, whoever writes them (ORM,
    Core, another tool); nothing in Python writes it. The report sums it instead of joining every
    translation to its segment (see migration 0004, which also holds the triggers).
    """

    __tablename__ = "coverage"
    __table_args__ = (Index(None, "article_id"), {"sqlite_with_rowid": False})

    language: Mapped[str] = mapped_column(String(35), primary_key=True)
    status: Mapped[str] = mapped_column(String(16), primary_key=True)
    article_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    segments: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    words: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    findings: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # "check" entries in flags
    glossary_misses: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Concept(Base):
    """One glossary entry: a person, an office, an institution or a place, with its terms per language."""

    __tablename__ = "concept"
    __table_args__ = (Index(None, "origin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ConceptKind] = mapped_column(_values(ConceptKind))
    note: Mapped[str | None] = mapped_column(Text)
    # the name of the file it was imported from (re-importing that file updates it); None if added by hand
    origin: Mapped[str | None] = mapped_column(String(255))
    # matched only when a segment is the term alone, like "English" in a site's language switcher
    whole_segment: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    terms: Mapped[list[Term]] = relationship(
        back_populates="concept", order_by="(Term.language, Term.position)", cascade="all, delete-orphan"
    )


class Term(Base):
    """One form of a concept in one language; a concept has at most one preferred term per language.

    Allowed forms come first in ``position`` order (0 is the preferred one; a name's short forms keep
    the index of the source-language short form they translate), then the forbidden ones.
    """

    __tablename__ = "term"
    __table_args__ = (UniqueConstraint("concept_id", "language", "text"), Index(None, "language", "text"))

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[int] = mapped_column(ForeignKey("concept.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(35))
    text: Mapped[str] = mapped_column(String(300))
    status: Mapped[TermStatus] = mapped_column(_values(TermStatus))
    position: Mapped[int] = mapped_column(Integer, default=0)
    # the concept's rule for its kind (names yes, titles no), or its own; acronyms (UN, PM) always
    case_sensitive: Mapped[bool] = mapped_column(Boolean, default=True)

    concept: Mapped[Concept] = relationship(back_populates="terms")


class Comment(Base):
    """A remark on one segment in one language, or a reply to another comment."""

    __tablename__ = "comment"
    __table_args__ = (Index(None, "segment_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    segment_id: Mapped[int] = mapped_column(ForeignKey("segment.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(35))
    reply_to: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="CASCADE"))
    user: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class User(Base):
    """A person who signs in to the web workspace or calls its API, with a role and languages."""

    __tablename__ = "app_user"  # "user" is a reserved word in PostgreSQL

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[Role] = mapped_column(_values(Role))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: every target language
    password_hash: Mapped[str | None] = mapped_column(Text)  # argon2; None: API tokens only
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    tokens: Mapped[list[ApiToken]] = relationship(back_populates="user", cascade="all, delete-orphan",
                                                  passive_deletes=True)


class ApiToken(Base):
    """A bearer token for the API: only its SHA-256 is kept, shown once when it is made."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[TokenScope] = mapped_column(_values(TokenScope))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship(back_populates="tokens")

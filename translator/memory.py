"""The translation memory: TM units, exact and fuzzy lookup, and their ranking.

Exact lookup compares normalized sources (``normalize.source_hash``) across all articles; fuzzy
lookup uses ``fuzzy.FuzzyIndex``, built once per language pair and command from the database.
Units rank approved > human > import > tm-exact > mt, then by recency. Writing a unit is an upsert
(``INSERT ... ON CONFLICT``), so two people saving the same pair at once both succeed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, case, literal, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .errors import TranslatorError
from .fuzzy import FuzzyIndex
from .models import TMUnit, utcnow
from .normalize import source_hash
from .status import Origin

DEFAULT_THRESHOLD = 75.0
ORIGIN_RANK = {Origin.HUMAN: 4, Origin.IMPORT: 3, Origin.TM_EXACT: 2, Origin.MT: 1}
UNIT_KEY = ("source_lang", "target_lang", "source_hash", "target_hash")  # tm_unit's unique constraint
_BATCH = 500


@dataclass(frozen=True)
class Match:
    unit: TMUnit
    score: float

    @property
    def exact(self) -> bool:
        return self.score >= 100.0


def rank(unit: TMUnit) -> tuple[bool, int, float]:
    """Tie-break key, larger is better: approved, then origin, then recency."""
    return (bool(unit.approved), ORIGIN_RANK[Origin(unit.origin)], unit.updated_at.timestamp())


def target_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class TranslationMemory:
    """TM operations inside one session (one command, one transaction)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._indexes: dict[tuple[str, str], FuzzyIndex] = {}

    def add(
        self,
        source_lang: str,
        target_lang: str,
        source: str,
        target: str,
        origin: Origin,
        approved: bool = False,
        article_id: int | None = None,
        user: str | None = None,
    ) -> tuple[TMUnit, bool]:
        """Store a pair, or raise the rank of the identical unit; returns (unit, created)."""
        source, target = source.strip(), target.strip()
        key, target_key = source_hash(source), target_hash(target)
        now = utcnow()
        unit: TMUnit | None = None
        created = False
        # insert, or else raise the rank of the unit already there: ON CONFLICT waits for a transaction
        # inserting the same pair at the same moment, where a plain INSERT would fail on the unique key
        for _attempt in range(3):
            unit = self.session.scalar(
                self._insert().values(source_lang=source_lang, target_lang=target_lang, source=source,
                                      source_hash=key, target=target, target_hash=target_key, origin=origin,
                                      approved=approved, article_id=article_id, created_by=user, created_at=now,
                                      updated_at=now)
                .on_conflict_do_nothing(index_elements=UNIT_KEY).returning(TMUnit))
            if unit is not None:
                created = True
                break
            unit = self.session.scalar(
                update(TMUnit).where(*self._pair(source_lang, target_lang), TMUnit.source_hash == key,
                                     TMUnit.target_hash == target_key)
                .values(self._merged(origin, now, approved)).returning(TMUnit),
                execution_options={"populate_existing": True, "synchronize_session": False})
            if unit is not None:
                break
        if unit is None:  # removed each time between our insert and our update
            raise TranslatorError(f"the translation memory changed while saving {source[:40]!r}; try again")
        index = self._indexes.get((source_lang, target_lang))
        if index is not None:
            index.add(unit.id, unit.source, rank(unit))
        return unit, created

    def add_many(self, source_lang: str, target_lang: str, pairs: Iterable[tuple[str, str]], origin: Origin,
                 user: str | None = None, approved: bool = False) -> int:
        """``add`` for many (source, target) pairs of one language pair, a few statements per 500 pairs (a
        batch of machine translations, a TMX file's units); returns how many units were created."""
        wanted: dict[tuple[str, str], tuple[str, str]] = {}
        for source, target in pairs:
            source, target = source.strip(), target.strip()
            wanted.setdefault((source_hash(source), target_hash(target)), (source, target))
        # one order for every writer: two batches sharing new pairs never wait on each other crosswise
        keys = sorted(wanted)
        now = utcnow()
        created = 0
        index = self._indexes.get((source_lang, target_lang))
        # one statement, compiled once, for every batch (a VALUES list of each batch's length is not)
        insert = self._insert().on_conflict_do_nothing(index_elements=UNIT_KEY).returning(TMUnit.id)
        for start in range(0, len(keys), _BATCH):
            chunk = keys[start:start + _BATCH]
            created += len(self.session.execute(insert, [
                {"source_lang": source_lang, "target_lang": target_lang, "source": wanted[k][0],
                 "source_hash": k[0], "target": wanted[k][1], "target_hash": k[1], "origin": origin,
                 "approved": approved, "created_by": user, "created_at": now, "updated_at": now}
                for k in chunk]).all())
            # the units that were there already (and, unchanged, the ones just inserted)
            merge = (update(TMUnit).where(*self._pair(source_lang, target_lang),
                                          tuple_(TMUnit.source_hash, TMUnit.target_hash).in_(chunk))
                     .values(self._merged(origin, now, approved)))
            options = {"synchronize_session": False}
            if index is None:
                self.session.execute(merge, execution_options=options)
                continue
            for unit in self.session.scalars(merge.returning(TMUnit),
                                             execution_options={**options, "populate_existing": True}):
                index.add(unit.id, unit.source, rank(unit))
        return created

    def _insert(self) -> postgresql.Insert | sqlite.Insert:
        """INSERT into tm_unit in the session's dialect, the one that knows ON CONFLICT."""
        dialect = self.session.get_bind().dialect.name
        return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(TMUnit)

    @staticmethod
    def _pair(source_lang: str, target_lang: str) -> tuple[ColumnElement[bool], ...]:
        return (TMUnit.source_lang == source_lang, TMUnit.target_lang == target_lang)

    @staticmethod
    def _merged(origin: Origin, now: datetime, approved: bool = False) -> dict:
        """The SET of an existing unit stored again: the better origin of the two, approved if either is."""
        origin_type = TMUnit.__table__.c.origin.type
        stored_rank = case({o: r for o, r in ORIGIN_RANK.items()}, value=TMUnit.origin, else_=0)
        values: dict = {
            TMUnit.origin: case((stored_rank < ORIGIN_RANK[origin], literal(origin, origin_type)),
                                else_=TMUnit.origin),
            TMUnit.updated_at: now,
        }
        if approved:
            values[TMUnit.approved] = True
        return values

    def exact(self, source_lang: str, target_lang: str, text: str) -> list[TMUnit]:
        """Units whose normalized source equals ``text``'s, best first."""
        units = self.session.scalars(
            select(TMUnit).where(
                TMUnit.source_lang == source_lang,
                TMUnit.target_lang == target_lang,
                TMUnit.source_hash == source_hash(text),
            )
        ).all()
        return sorted(units, key=rank, reverse=True)

    def best_exact(self, source_lang: str, target_lang: str, hashes: Iterable[str]) -> dict[str, TMUnit]:
        """The best unit for each of many source hashes, in few queries."""
        wanted = list(dict.fromkeys(hashes))
        best: dict[str, TMUnit] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            for unit in self.session.scalars(
                select(TMUnit).where(
                    TMUnit.source_lang == source_lang,
                    TMUnit.target_lang == target_lang,
                    TMUnit.source_hash.in_(chunk),
                )
            ):
                current = best.get(unit.source_hash)
                if current is None or rank(unit) > rank(current):
                    best[unit.source_hash] = unit
        return best

    def fuzzy(
        self,
        source_lang: str,
        target_lang: str,
        text: str,
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = 5,
    ) -> list[Match]:
        """Units scoring at least ``threshold`` (0-100, see ``fuzzy.score``), best first."""
        index = self.index(source_lang, target_lang)
        if not len(index):
            return []
        hits = index.search(text, threshold=threshold, limit=limit)
        units = {u.id: u for u in self.session.scalars(select(TMUnit).where(TMUnit.id.in_([h.key for h in hits])))}
        return [Match(units[h.key], h.score) for h in hits if h.key in units]

    def search(
        self,
        source_lang: str,
        target_lang: str,
        text: str,
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = 5,
    ) -> list[Match]:
        """Exact matches (score 100, even where punctuation differs in quote style) then fuzzy ones."""
        exact = [Match(u, 100.0) for u in self.exact(source_lang, target_lang, text)]
        seen = {m.unit.id for m in exact}
        fuzzy = [m for m in self.fuzzy(source_lang, target_lang, text, threshold, limit + len(exact)) if m.unit.id not in seen]
        return (exact + fuzzy)[:limit]

    def index(self, source_lang: str, target_lang: str) -> FuzzyIndex:
        """The pair's fuzzy index, loaded from the database on first use in this command."""
        pair = (source_lang, target_lang)
        if pair not in self._indexes:
            index = FuzzyIndex()
            rows = self.session.execute(
                select(TMUnit.id, TMUnit.source, TMUnit.approved, TMUnit.origin, TMUnit.updated_at).where(
                    TMUnit.source_lang == source_lang, TMUnit.target_lang == target_lang
                )
            )
            for unit_id, source, approved, origin, updated_at in rows:
                index.add(unit_id, source, (bool(approved), ORIGIN_RANK[Origin(origin)], updated_at.timestamp()))
            self._indexes[pair] = index
        return self._indexes[pair]

    def units(self, source_lang: str | None = None, target_lang: str | None = None, approved_only: bool = False) -> list[TMUnit]:
        query = select(TMUnit).order_by(TMUnit.id)
        if source_lang:
            query = query.where(TMUnit.source_lang == source_lang)
        if target_lang:
            query = query.where(TMUnit.target_lang == target_lang)
        if approved_only:
            query = query.where(TMUnit.approved.is_(True))
        return list(self.session.scalars(query))

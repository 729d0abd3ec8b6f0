"""The coverage report on a large workspace: 10,000 articles x 5 languages, SQLite and PostgreSQL.

Run: python benchmarks/bench_report.py [--articles 10000] [--database URL] [--repeat 3] [--verify]

The workspace is generated with bulk Core inserts: 20-50 segments per article, a realistic mix of
statuses per language (older articles further along, German ahead of Portuguese), QA flags on some
drafts, 1% of segments removed, and a history of edits and approvals over the year the articles
came in. On SQLite it is cached in .bench-cache/ (gitignored; --regenerate rebuilds it); a
PostgreSQL database (--database, or TRANSLATOR_BENCH_POSTGRES_URL) must be empty or hold this
benchmark's data from an earlier run. Then ``build_report`` (every figure of ``translator report``)
is timed against the target of 1 s, for the workspace and for one article, and the renderers after
it. --verify also recounts the figures the slow way, joining every translation to its segment, and
checks that the trigger-kept ``coverage`` table equals that count.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import random
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select, text  # noqa: E402

from translator.db import get_engine, transaction, upgrade  # noqa: E402
from translator.models import Article, Event, Segment, Translation  # noqa: E402
from translator.report import build_report, render  # noqa: E402
from translator.report.figures import recount, stored  # noqa: E402

LANGUAGES = ["nl", "de", "fr", "es", "pt"]
# how far each language is, on average: the share of an old article's segments approved
PROGRESS = {"de": 0.9, "fr": 0.75, "es": 0.6, "nl": 0.5, "pt": 0.25}
TARGET_SECONDS = 1.0
CACHE = ROOT / ".bench-cache"
MARK = "bench-report-v3"
VOCABULARY = ("the president said on Monday that talks with Beijing and Moscow would continue despite "
              "sanctions trade reached billion dollars in while ministers met in Brussels to discuss energy "
              "security and defence spending across Europe").split()
CHUNK = 50_000


def generate(url: str, articles: int, seed: int = 7) -> None:
    """Fill an empty, migrated database with ``articles`` articles in LANGUAGES, published over a year."""
    rng = random.Random(seed)
    now = datetime.now(timezone.utc).replace(microsecond=0)
    engine = get_engine(url)
    counting, per_statement = _coverage_migrations()
    segment_id = translation_id = event_id = 0
    with engine.begin() as conn:
        per_statement.drop_triggers(conn)  # one recount after the load beats 1.75M trigger runs
        counting.drop_triggers(conn)
        for first in range(0, articles, 1000):
            article_rows, segment_rows, translation_rows, event_rows = [], [], [], []
            for a in range(first, min(first + 1000, articles)):
                age = a / max(articles - 1, 1)  # 0: the oldest article, 1: the newest
                created = now - timedelta(days=365 * (1 - age))
                article_rows.append({"id": a + 1, "slug": f"story-{a:05d}", "title": f"Story {a}",
                                     "source_lang": "en", "source_format": "text", "checksum": MARK, "lead": "",
                                     "created_at": created, "updated_at": created})
                for position in range(rng.randint(20, 50)):
                    segment_id += 1
                    words = rng.randint(4, 40)
                    source = " ".join(rng.choice(VOCABULARY) for _ in range(words)).capitalize() + "."
                    segment_rows.append({"id": segment_id, "article_id": a + 1, "position": position,
                                         "block_index": position, "kind": "paragraph", "source": source,
                                         "source_hash": f"{segment_id:040x}", "separator": "\n", "words": words,
                                         "state": "removed" if rng.random() < 0.01 else "active"})
                    for lang in LANGUAGES:
                        translation_id += 1
                        row, events = _translation(rng, translation_id, segment_id, a + 1, lang,
                                                   PROGRESS[lang] * (0.35 + 0.65 * (1 - age)), created, now)
                        translation_rows.append(row)
                        for event in events:
                            event_id += 1
                            event_rows.append({"id": event_id, **event})
            for table, rows in ((Article, article_rows), (Segment, segment_rows), (Translation, translation_rows),
                                (Event, event_rows)):
                for start in range(0, len(rows), CHUNK):
                    conn.execute(insert(table.__table__), rows[start:start + CHUNK])
            print(f"  generated {min(first + 1000, articles)} articles", end="\r", flush=True)
        if engine.dialect.name == "postgresql":  # explicit ids: move the sequences past them
            for table in ("article", "segment", "translation", "event"):
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                     f"(SELECT max(id) FROM {table}))")
        counting.fill(conn)
        counting.create_triggers(conn)
        per_statement.create_triggers(conn)
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    print()


def _coverage_migrations():  # type: ignore[no-untyped-def]
    """Migrations 0004 (the coverage triggers and the recount) and 0006 (PostgreSQL's per-statement inserts)."""
    return tuple(_migration(number) for number in ("0004", "0006"))


def _migration(number: str):  # type: ignore[no-untyped-def]
    path = next((ROOT / "translator" / "migrations" / "versions").glob(f"{number}_*.py"))
    spec = importlib.util.spec_from_file_location(f"migration_{number}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _translation(rng: random.Random, tid: int, sid: int, aid: int, lang: str, progress: float,
                 created: datetime, now: datetime) -> tuple[dict, list[dict]]:
    roll = rng.random()
    if roll < progress:
        status = "approved"
    else:
        status = rng.choices(["untranslated", "machine", "fuzzy", "translated", "rejected", "stale"],
                             [40, 30, 5, 12, 3, 10])[0]
    row = {"id": tid, "segment_id": sid, "language": lang, "status": status, "version": 1, "flags": None,
           "text": None if status == "untranslated" else "Lorem ipsum dolor sit amet.",
           "origin": {"untranslated": None, "machine": "mt", "fuzzy": "tm-exact"}.get(status, "human")}
    if status in ("machine", "translated", "stale") and rng.random() < 0.2:
        flags = [{"check": "numbers", "severity": "error", "message": "missing number 234"}]
        if rng.random() < 0.5:
            flags.append({"check": "glossary-missing", "source": "President", "required": "Präsident"})
        row["flags"] = flags
    events = []
    if status in ("approved", "translated"):
        # most work on an article happens in the days after it comes in
        at = created + timedelta(days=rng.expovariate(1 / 4), seconds=rng.randint(0, 86_399))
        if at > now:  # a recent article: its work so far, spread over its days
            at = created + (now - created) * rng.random()
        base = {"user": rng.choice(["anna", "ben", "chloe"]), "article_id": aid, "segment_id": sid,
                "language": lang, "at": at}
        events.append({**base, "action": "edit", "new_status": "translated"})
        if status == "approved":
            events.append({**base, "action": "approve", "new_status": "approved",
                           "at": min(at + timedelta(hours=rng.randint(1, 48)), now - timedelta(seconds=1))})
    return row, events


def prepare(url: str, articles: int, regenerate: bool) -> None:
    if regenerate and url.startswith("sqlite:///"):
        Path(url[len("sqlite:///"):]).unlink(missing_ok=True)
    upgrade(url)
    with transaction(url, write=False) as session:
        have = session.scalar(select(func.count()).select_from(Article))
        marked = session.scalar(select(func.count()).select_from(Article).where(Article.checksum == MARK))
    if have and (have != articles or marked != have):
        raise SystemExit(f"{url} holds other data ({have} articles): give an empty database, or --regenerate "
                         "for the SQLite cache")
    if not have:
        start = time.perf_counter()
        generate(url, articles)
        print(f"  generated in {time.perf_counter() - start:.0f} s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--database", default=os.environ.get("TRANSLATOR_BENCH_POSTGRES_URL"),
                        help="a PostgreSQL (or other) URL; default: SQLite cached in .bench-cache/")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--regenerate", action="store_true", help="rebuild the cached SQLite database")
    parser.add_argument("--verify", action="store_true", help="recount the slow way and compare")
    args = parser.parse_args(argv)
    CACHE.mkdir(exist_ok=True)
    url = args.database or f"sqlite:///{CACHE / f'report-{args.articles}x{len(LANGUAGES)}-{MARK}.db'}"
    backend = url.split(":")[0].split("+")[0]
    print(f"{backend}: {args.articles:,} articles x {len(LANGUAGES)} languages")
    prepare(url, args.articles, args.regenerate)
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        with transaction(url, write=False) as session:
            report = build_report(session, LANGUAGES)
        timings.append(time.perf_counter() - start)
    best = min(timings)
    print(f"  {report.segments:,} active segments ({report.segments * len(LANGUAGES):,} translations), "
          f"{report.words:,} source words; coverage "
          + ", ".join(f"{f.language} {f.coverage:.1f}%" for f in report.languages))
    print(f"  build_report, workspace: best {best:.3f} s of {args.repeat} "
          f"(all: {', '.join(f'{t:.3f}' for t in timings)}); {best / TARGET_SECONDS:.2f} x the "
          f"{TARGET_SECONDS:.0f} s target" + ("" if best < TARGET_SECONDS else "  <-- OVER TARGET"))
    slug = report.matrix[len(report.matrix) // 2].slug
    start = time.perf_counter()
    with transaction(url, write=False) as session:
        build_report(session, LANGUAGES, article=slug)
    print(f"  build_report, one article ({slug}): {time.perf_counter() - start:.3f} s")
    for fmt in ("table", "json", "csv", "html"):
        start = time.perf_counter()
        out = render(report, fmt, "de")
        print(f"  render {fmt:<5} {time.perf_counter() - start:.3f} s, {len(out.encode()) / 1e6:.1f} MB")
    if args.verify:
        with transaction(url, write=False) as session:
            start = time.perf_counter()
            counted = recount(session)
            elapsed = time.perf_counter() - start
            same = counted == stored(session)
        print(f"  recount joining every translation to its segment: {elapsed:.3f} s; coverage table "
              + ("equal" if same else "DIFFERENT  <-- FAILED"))

if __name__ == "__main__":
    main()

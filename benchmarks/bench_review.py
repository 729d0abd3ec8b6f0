"""Review under concurrency: two processes approving and editing the same translations at once.

Run: python benchmarks/bench_review.py [--translations 1000] [--database URL]

Each process reads a translation's version, then approves (process A) or edits (process B) it
naming that version, one transaction per change, as two reviewers would. Afterwards every
translation's version must equal 1 + the number of changes that succeeded (no lost update), every
refused change must have been reported as a conflict, and no "database is locked" may occur.
Also prints the time per approve through the service, one process (target < 5 ms on SQLite).
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, update  # noqa: E402

from translator import review  # noqa: E402
from translator.articles import import_files  # noqa: E402
from translator.db import get_engine, transaction  # noqa: E402
from translator.errors import TranslatorError  # noqa: E402
from translator.models import Article, Event, Segment, Translation  # noqa: E402
from translator.status import Origin, Status  # noqa: E402
from translator.workspace import init_workspace  # noqa: E402


def setup(url: str, work: Path, count: int) -> list[review.Target]:
    workspace = init_workspace(work / "ws", "en", ["de"], database=url)
    per_article = 50
    paths = []
    for a in range(count // per_article):
        path = work / f"story-{a:04d}.txt"
        path.write_text("\n".join(f"Sentence {i} of story {a} is here." for i in range(per_article)) + "\n",
                        encoding="utf-8")
        paths.append(path)
    with transaction(workspace.database_url) as session:
        import_files(session, workspace, paths, "bench")
        session.execute(update(Translation).values(text="Maschinell.", status=Status.MACHINE, origin=Origin.MT))
    return [review.Target(p.stem, i + 1, "de") for p in paths for i in range(per_article)]


def worker(url: str, targets: list[review.Target], action: str, queue: multiprocessing.Queue) -> None:
    get_engine.cache_clear()  # a fresh connection pool in this process
    done = conflicts = locked = 0
    for number, target in enumerate(targets):
        with transaction(url, write=False) as session:
            version = review.load(session, target)[2].version
        try:
            with transaction(url) as session:
                if action == "approve":
                    review.approve(session, target, "A", expected_version=version)
                else:
                    story = int(target.slug.rsplit("-", 1)[1])  # the numbers of the source, or QA blocks approval
                    review.edit(session, target, f"Satz {target.segment - 1} aus Geschichte {story}.", "B",
                                expected_version=version)
            done += 1
        except review.Conflict:
            conflicts += 1
        except TranslatorError as exc:
            if "locked" in str(exc):
                locked += 1
            else:
                raise
    queue.put((action, done, conflicts, locked))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--translations", type=int, default=1000)
    parser.add_argument("--database", help="an empty database's URL (default: SQLite in a temp dir)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = args.database or f"sqlite:///{work / 'review.db'}"
        everything = setup(url, work, 2 * args.translations)
        timed, shared = everything[:args.translations], everything[args.translations:]
        print(f"{url.split(':')[0]}: {len(timed)} translations approved by one process, "
              f"then {len(shared)} approved and edited by two at once")

        start = time.perf_counter()
        for target in timed:
            with transaction(url) as session:
                review.approve(session, target, "A")
        print(f"  one process: {1000 * (time.perf_counter() - start) / len(timed):.2f} ms per approve "
              "(a transaction each; target < 5 ms on SQLite)")

        context = multiprocessing.get_context("spawn")
        queue = context.Queue()
        processes = [context.Process(target=worker, args=(url, shared, action, queue)) for action in ("approve", "edit")]
        start = time.perf_counter()
        for process in processes:
            process.start()
        results = [queue.get() for _ in processes]
        for process in processes:
            process.join()
        elapsed = time.perf_counter() - start
        ids = {(t.slug, t.segment) for t in shared}
        with transaction(url, write=False) as session:
            rows = session.execute(select(Translation.version, Segment.position, Segment.article_id)
                                   .join(Segment)).all()
            slugs = dict(session.execute(select(Article.id, Article.slug)).all())
            versions = [v for v, pos, art in rows if (slugs[art], pos + 1) in ids]
            writes = session.scalar(select(func.count()).select_from(Event)
                                    .where(Event.action.in_(["approve", "edit"]), Event.user.in_(["A", "B"])))
        succeeded = sum(r[1] for r in results)
        added = sum(v - 1 for v in versions)
        for action, done, conflicts, locked in results:
            print(f"  {action:<8} {done} saved, {conflicts} refused as conflicts, {locked} 'database is locked'")
        lost = added - succeeded
        print(f"  two processes: {elapsed:.1f} s; versions added {added}, saved changes {succeeded}, "
              f"change events {writes - len(timed)} -> lost updates: {lost}"
              + ("" if lost == 0 and writes - len(timed) == succeeded else "  <-- FAILED"))


if __name__ == "__main__":
    main()

"""The web desk under load, end to end: a live ``translator serve`` on 10,000 generated articles.

Run: python benchmarks/bench_web.py [--articles 10000] [--database URL] [--requests 300] [--clients 50]
     [--seconds 60] [--workers 2]

The workspace is bench_report's (20-50 segments per article, 5 languages; SQLite cached in
.bench-cache/ and copied, so edits never reach the cache; a PostgreSQL database must be empty or hold
that benchmark's data). ``translator serve`` runs as a user starts it, in its own process; clients
speak HTTP to 127.0.0.1 only.

1. A signed-in browser's requests, one after another: opening a segment's editor, and save-and-next
   (the save, then the next segment's editor as htmx fetches it). p50/p95 against the targets
   (p95 < 100 ms on SQLite, < 150 ms on PostgreSQL).
2. ``--clients`` API clients at once for ``--seconds`` editing and approving the same 200 translations
   (ETag / If-Match, so most of them meet conflicts): requests/s, answers by status, and the check
   that nothing was lost: versions added = changes the server accepted = history events. PostgreSQL
   only (``--concurrency-on-sqlite`` runs it on SQLite too, where writers queue for the file).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import httpx  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bench_report import CACHE, LANGUAGES, MARK, prepare  # noqa: E402
from translator import users  # noqa: E402
from translator.db import get_engine, transaction  # noqa: E402
from translator.models import Article, Event, Segment, SegmentState, TokenScope, Translation  # noqa: E402
from translator.permissions import Role  # noqa: E402
from translator.workspace import init_workspace  # noqa: E402

TARGETS_MS = {"sqlite": 100.0, "postgresql": 150.0}
PASSWORD = "bench password"
HOT = 200  # translations the concurrent clients fight over


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(root: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    translator = Path(sys.executable).with_name("translator")
    process = subprocess.Popen([str(translator), "-w", str(root), "serve", "--port", str(port), "--workers",
                                str(workers)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            raise SystemExit(f"translator serve ended with {process.returncode}")
        time.sleep(0.2)
    process.kill()
    raise SystemExit("translator serve did not answer /healthz within 60 s")


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def browse(base: str, requests: int, segments: list[tuple[str, int, int]]) -> dict[str, list[float]]:
    """One reviewer, one request after another: open an editor; save and go to the next segment."""
    rng = random.Random(3)
    timings: dict[str, list[float]] = {"open a segment": [], "save and next": []}
    with httpx.Client(base_url=base, timeout=30) as browser:
        page = browser.get("/signin")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        browser.post("/signin", data={"name": "rita", "password": PASSWORD, "next": "/", "csrf_token": token})
        for _ in range(requests):
            slug, number, count = rng.choice(segments)
            lang = rng.choice(LANGUAGES)
            start = time.perf_counter()
            page = browser.get(f"/articles/{slug}/{lang}/{number}")
            timings["open a segment"].append((time.perf_counter() - start) * 1000)
            assert page.status_code == 200, page.text[:300]
            version = re.search(r'name="version" value="(\d+)"', page.text).group(1)
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # the signed-in session's
            start = time.perf_counter()
            saved = browser.post(f"/articles/{slug}/{lang}/{number}/save",
                                 data={"text": f"Bench text {rng.random():.6f}.", "version": version, "then": "next"},
                                 headers={"X-CSRF-Token": token, "HX-Request": "true"})
            assert saved.status_code in (200, 204), (saved.status_code, re.findall(r"class=\"problem\"[^>]*>([^<]*)", saved.text))
            if saved.status_code == 204:  # htmx then fetches the next editor
                following = re.search(r'"path": "([^"]+)"', saved.headers["hx-location"]).group(1)
                assert browser.get(following, headers={"HX-Request": "true"}).status_code == 200
            timings["save and next"].append((time.perf_counter() - start) * 1000)
    return timings


def hammer(base: str, tokens: list[str], hot: list[int], seconds: float) -> tuple[Counter[str], int, float]:
    """Clients editing and approving ``hot`` translations at once; (answers by kind, changes accepted, s)."""
    answers: Counter[str] = Counter()
    accepted = [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(secret: str, seed: int) -> None:
        rng = random.Random(seed)
        with httpx.Client(base_url=base, timeout=30, headers={"Authorization": f"Bearer {secret}"}) as api:
            while time.monotonic() < stop:
                tid = rng.choice(hot)
                got = api.get(f"/api/v1/translations/{tid}")
                kinds = [f"GET {got.status_code}"]
                if got.status_code == 200:
                    changed = api.patch(f"/api/v1/translations/{tid}", json={"text": f"Text {rng.random():.6f}."},
                                        headers={"If-Match": got.headers["etag"]})
                    kinds.append(f"PATCH {changed.status_code}")
                    done = int(changed.status_code == 200)
                    if changed.status_code == 200 and rng.random() < 0.3:
                        approved = api.post(f"/api/v1/translations/{tid}/approve",
                                            headers={"If-Match": changed.headers["etag"]})
                        kinds.append(f"approve {approved.status_code}")
                        done += approved.status_code == 200
                    with lock:
                        accepted[0] += done
                with lock:
                    answers.update(kinds)

    threads = [threading.Thread(target=client, args=(tokens[i % len(tokens)], i)) for i in range(len(tokens))]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, accepted[0], time.monotonic() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--database", default=os.environ.get("TRANSLATOR_BENCH_POSTGRES_URL"),
                        help="a PostgreSQL URL; default: SQLite (a copy of the cached workspace)")
    parser.add_argument("--requests", type=int, default=300, help="editor openings and saves timed")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2, help="translator serve --workers")
    parser.add_argument("--concurrency-on-sqlite", action="store_true")
    args = parser.parse_args(argv)
    print("$ " + " ".join(["python", *sys.argv]))
    with tempfile.TemporaryDirectory() as tmp:
        if args.database:
            url = args.database
            prepare(url, args.articles, regenerate=False)
        else:
            CACHE.mkdir(exist_ok=True)
            cached = CACHE / f"report-{args.articles}x{len(LANGUAGES)}-{MARK}.db"
            prepare(f"sqlite:///{cached}", args.articles, regenerate=False)
            shutil.copy(cached, Path(tmp) / "bench.db")
            url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        backend = get_engine(url).dialect.name
        workspace = init_workspace(Path(tmp) / "desk", "en", LANGUAGES, database=url)
        with transaction(url) as session:
            existing = {u.name for u in users.list_users(session)}  # a PostgreSQL database from an earlier run
            if "rita" not in existing:
                users.add_user(session, "rita", Role.REVIEWER, [], workspace.targets, PASSWORD)
            for i in range(args.clients):
                if f"client{i}" not in existing:
                    users.add_user(session, f"client{i}", Role.REVIEWER, [], workspace.targets, None)
            tokens = [users.make_token(session, f"client{i}", TokenScope.WRITE, None).secret for i in range(args.clients)]
            segments = _segments(session)
        port = free_port()
        process = serve(workspace.root, port, args.workers)
        base = f"http://127.0.0.1:{port}"
        try:
            print(f"{backend}: {args.articles:,} articles x {len(LANGUAGES)} languages; translator serve --workers "
                  f"{args.workers} on 127.0.0.1:{port}")
            timings = browse(base, args.requests, segments)
            target = TARGETS_MS[backend]
            for what, samples in timings.items():
                p50, p95 = percentiles(samples)
                print(f"  {what:<15} {len(samples)} requests: p50 {p50:6.1f} ms, p95 {p95:6.1f} ms "
                      f"({p95 / target:.2f}x the {target:.0f} ms target)" + ("" if p95 < target else "  <-- OVER"))
            if backend == "postgresql" or args.concurrency_on_sqlite:
                concurrent(url, base, tokens, args.seconds)
        finally:
            process.terminate()
            process.wait(timeout=30)


def _segments(session) -> list[tuple[str, int, int]]:  # type: ignore[no-untyped-def]
    """Segments to open, spread over the workspace: (slug, number, the article's segments). Articles with
    a removed segment are left out: the generator removes segments without renumbering the others, which
    an import never leaves (its active segments are numbered 1..n)."""
    rows = session.execute(select(Article.slug, func.count()).join(Segment, Segment.article_id == Article.id)
                           .where(Segment.state == SegmentState.ACTIVE).group_by(Article.slug)
                           .having(func.count() == func.max(Segment.position) + 1)
                           .order_by(func.random()).limit(500)).all()
    rng = random.Random(5)
    return [(slug, rng.randint(1, count - 1), count) for slug, count in rows]


def concurrent(url: str, base: str, tokens: list[str], seconds: float) -> None:
    with transaction(url, write=False) as session:
        hot = list(session.scalars(select(Translation.id).join(Segment).where(Segment.state == SegmentState.ACTIVE)
                                   .order_by(Translation.id).limit(HOT)))
        before_versions = session.scalar(select(func.sum(Translation.version)).where(Translation.id.in_(hot)))
        before_events = session.scalar(select(func.count()).select_from(Event).where(Event.user.like("client%")))
    answers, accepted, elapsed = hammer(base, tokens, hot, seconds)
    with transaction(url, write=False) as session:
        after_versions = session.scalar(select(func.sum(Translation.version)).where(Translation.id.in_(hot)))
        after_events = session.scalar(select(func.count()).select_from(Event).where(
            Event.user.like("client%"), Event.action.in_(("edit", "approve"))))
    total = sum(answers.values())
    errors = sum(n for kind, n in answers.items() if kind.split()[1].startswith("5"))
    print(f"  {len(tokens)} API clients for {elapsed:.0f} s on {HOT} translations: {total / elapsed:.0f} requests/s; "
          + ", ".join(f"{kind} {n}" for kind, n in sorted(answers.items())))
    added = after_versions - before_versions
    events = after_events - before_events
    print(f"  changes accepted {accepted}, versions added {added}, history events {events}: "
          + ("nothing lost" if accepted == added == events else "MISMATCH  <-- LOST UPDATES")
          + f"; server errors {errors}")


if __name__ == "__main__":
    main()

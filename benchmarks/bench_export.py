"""Export of many articles in every language and every format: seconds and files per second.

Run: python benchmarks/bench_export.py [--articles 1000] [--database URL] [--seed 1]

Generated articles (as in bench_memory.py) are imported once into a cached SQLite workspace under
.bench-cache/ (or into --database), their translations filled with a realistic status mix by SQL, then
``export --all --all-languages --format all --mo`` is timed, whole and per format. The baseline is the
least any export has to do: write the same bytes to the same number of files with plain write_bytes.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_memory import synthetic_articles  # noqa: E402

from translator.articles import import_files  # noqa: E402
from translator.db import transaction  # noqa: E402
from translator.export import FORMATS, export  # noqa: E402
from translator.localize import Policy  # noqa: E402
from translator.workspace import Workspace, init_workspace, load_workspace  # noqa: E402

TARGETS = "nl,de,fr,es,pt"
# of every ten translations: 4 approved, 2 translated, 3 machine drafts, 1 untranslated
FILL = """
UPDATE translation SET
  text = CASE WHEN id % 10 = 9 THEN NULL
              ELSE (SELECT source FROM segment WHERE segment.id = translation.segment_id) || ' [' || language || ']' END,
  status = CASE WHEN id % 10 < 4 THEN 'approved' WHEN id % 10 < 6 THEN 'translated'
                WHEN id % 10 < 9 THEN 'machine' ELSE 'untranslated' END,
  origin = CASE WHEN id % 10 < 6 THEN 'human' WHEN id % 10 < 9 THEN 'mt' ELSE NULL END,
  updated_by = 'bench'
"""


def workspace_for(args: argparse.Namespace) -> Workspace:
    """The generated workspace: cached under .bench-cache/ for SQLite, rebuilt for another --database."""
    cache = ROOT / ".bench-cache" / f"export-{args.articles}-{args.seed}"
    if args.database is None and (cache / "translator.toml").exists():
        return load_workspace(cache)
    if cache.exists():
        shutil.rmtree(cache)
    cache.mkdir(parents=True)
    workspace = init_workspace(cache / "ws" if args.database else cache, "en", TARGETS, database=args.database)
    paths = []
    for number, text in enumerate(synthetic_articles(args.articles, args.seed), start=1):
        path = cache / "articles" / f"article-{number:05d}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    print(f"importing {len(paths):,} generated articles (once; cached for SQLite)...", flush=True)
    with transaction(workspace.database_url) as session:
        import_files(session, workspace, paths, "bench")
        session.connection().exec_driver_sql(FILL)
    return workspace


def run_export(workspace: Workspace, out: Path, formats: list[str]) -> tuple[float, list[Path]]:
    start = time.perf_counter()
    with transaction(workspace.database_url, write=False) as session:
        report = export(session, out, slugs=None, languages=workspace.targets, formats=formats,
                        targets=workspace.targets, policy=Policy(), mo="po" in formats)
    return time.perf_counter() - start, report.files


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--database", help="database URL (default: a cached SQLite workspace)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    workspace = workspace_for(args)
    with tempfile.TemporaryDirectory() as tmp:
        seconds, files = run_export(workspace, Path(tmp) / "all", list(FORMATS))
        payload = [(p.relative_to(Path(tmp) / "all"), p.read_bytes()) for p in files]
        start = time.perf_counter()
        for relative, data in payload:
            target = Path(tmp) / "plain" / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        plain = time.perf_counter() - start
        per_format = {fmt: run_export(workspace, Path(tmp) / fmt, [fmt]) for fmt in FORMATS}

    kinds = Counter(p.suffix for p, _ in payload)
    megabytes = sum(len(d) for _, d in payload) / 1e6
    print(f"\nexport, {args.articles:,} articles x {len(workspace.targets)} languages, all formats "
          f"({workspace.database_url.split(':')[0]})")
    print(f"  files: {len(files):,} ({', '.join(f'{n:,} {k}' for k, n in sorted(kinds.items()))}), {megabytes:.1f} MB")
    print(f"  translator export: {seconds:.2f} s, {len(files) / seconds:,.0f} files/s, "
          f"{args.articles * len(workspace.targets) / seconds:,.0f} article-languages/s")
    print(f"  baseline, the same bytes written with write_bytes: {plain:.2f} s -> ratio {seconds / plain:.1f}x")
    for fmt, (fmt_seconds, fmt_files) in per_format.items():
        print(f"    {fmt:<8} {fmt_seconds:6.2f} s  {len(fmt_files):7,} files  {len(fmt_files) / fmt_seconds:8,.0f} files/s")


if __name__ == "__main__":
    main()

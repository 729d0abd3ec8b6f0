"""Glossary adherence on the example article: the share of glossary occurrences in the source whose
required target form is in the machine translation, without and with enforcement.

Run: python benchmarks/bench_adherence.py [--models-dir DIR] [--lang de,fr]

With --models-dir, the installed Argos packages there are used (real models, where you have them).
Without it, offline, two kinds of built models stand in: the tiny word-copy model of the tests
(it copies what it does not know, as real models do with names) and a Transformer-base-sized
model with random weights (garbage output: the worst case for enforcement).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from translator.db import transaction  # noqa: E402
from translator.glossary import Glossary, import_glossary  # noqa: E402
from translator.mt.argos import ArgosEngine  # noqa: E402
from translator.mt.enforce import Enforcer  # noqa: E402
from translator.mt.packages import find_model, install_file  # noqa: E402
from translator.segment import segment_article  # noqa: E402
from translator.workspace import init_workspace  # noqa: E402

ARTICLE = ROOT / "examples" / "putin-xi-call.txt"
GLOSSARY = ROOT / "glossary" / "world-news.csv"


def measure(models_dir: Path, label: str, languages: list[str], work: Path) -> None:
    workspace = init_workspace(work / f"ws-{label}", "en", languages)
    with transaction(workspace.database_url) as session:
        import_glossary(session, GLOSSARY, "en", "bench")
    sources = [s.source for s in segment_article(ARTICLE.read_text(encoding="utf-8"), "text", "en").segments]
    for lang in languages:
        if find_model(models_dir, "en", lang) is None:
            print(f"  {label:<22} {lang}: no model")
            continue
        with transaction(workspace.database_url, write=False) as session:
            glossary = Glossary.load(session, "en", lang)
        engine = ArgosEngine.for_pair(models_dir, "en", lang)
        plain = [h[0].text for h in engine.translate(sources)]
        matches = [glossary.find(s) for s in sources]
        total = sum(len(m) for m in matches)
        kept_plain = sum(len(glossary.adherence(t, m)[0]) for t, m in zip(plain, matches))
        start = time.perf_counter()
        drafts = Enforcer(engine, glossary, "en", lang).translate(sources)
        seconds = time.perf_counter() - start
        kept = sum(d.terms_kept for d in drafts)
        flagged = sum(len(d.flags) for d in drafts)
        print(f"  {label:<22} {lang}: {total} occurrences; without enforcement {kept_plain} kept "
              f"({100 * kept_plain / total:.0f}%); with enforcement {kept} kept ({100 * kept / total:.0f}%), "
              f"{flagged} flagged; {seconds:.1f} s")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models-dir", type=Path)
    parser.add_argument("--lang", default="nl,de,fr,es,pt")
    args = parser.parse_args(argv)
    languages = args.lang.split(",")
    print(f"glossary adherence on {ARTICLE.name}, glossary {GLOSSARY.name}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if args.models_dir:
            measure(args.models_dir, "installed models", languages, work)
            return
        from modelkit import build_copy_package, build_random_package

        copies, randoms = work / "copy-models", work / "random-models"
        for lang in languages:
            install_file(copies, build_copy_package(work, "en", lang))
        install_file(randoms, build_random_package(ROOT / ".bench-cache", "en", "de"))
        measure(copies, "word-copy model", languages, work)
        measure(randoms, "random-weights model", ["de"], work)


if __name__ == "__main__":
    main()

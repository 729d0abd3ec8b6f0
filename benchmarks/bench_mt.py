"""Machine-translation throughput on a Transformer-base-sized Argos package (random weights).

Run: python benchmarks/bench_mt.py [--sentences 500] [--beam 4] [--cache DIR]

Translates the same news-like sentences three ways and prints segments/s and the ratios:
  (a) ours: ``translator translate`` (the pre-translation service, database writes included),
      and the engine alone (length-sorted chunks through ArgosEngine, as the service runs them);
  (b) argos's per-segment path: ``apply_packaged_translation`` per segment, with argos's own
      CTranslate2 settings, as LibreTranslate serves requests;
  (c) raw ``Translator.translate_batch`` on pre-tokenised input, 1024-token batches, same beam.
Targets: a/b >= 3x; our overhead over raw CTranslate2 (c/a - 1) <= 15%.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from modelkit import build_random_package, news_corpus  # noqa: E402

from translator.mt.packages import install_file, use_models_dir  # noqa: E402


def sentences_for(count: int, seed: int) -> list[str]:
    # a different seed from the SentencePiece corpus, so these are unseen sentences
    pool = list(dict.fromkeys(news_corpus(count * 2, seed=seed + 100)))
    random.Random(seed).shuffle(pool)
    return pool[:count]


def ours_service(models_dir: Path, sentences: list[str], beam: int, work: Path) -> float:
    from translator.articles import import_files
    from translator.db import transaction
    from translator.mt.pretranslate import pretranslate
    from translator.workspace import init_workspace

    os.environ["TRANSLATOR_MODELS_DIR"] = str(models_dir)
    workspace = init_workspace(work / "ws", "en", ["de"])
    article = work / "wire.txt"
    article.write_text("\n".join(sentences) + "\n", encoding="utf-8")
    with transaction(workspace.database_url) as session:
        [report] = import_files(session, workspace, [article], "bench")
    start = time.perf_counter()
    [run] = pretranslate(workspace, "bench", languages="de", beam_size=beam)
    elapsed = time.perf_counter() - start
    assert run.translated == report.segments, (run.translated, report.segments)
    return report.segments / elapsed


def ours_engine(models_dir: Path, sentences: list[str], beam: int) -> float:
    from translator.mt import pretranslate as service
    from translator.mt.argos import ArgosEngine
    from translator.mt.enforce import Enforcer

    engine = ArgosEngine.for_pair(models_dir, "en", "de")
    enforcer = Enforcer(engine, None, "en", "de")
    work = [service._Work(s) for s in sentences]
    start = time.perf_counter()
    chunks = service._Chunks(work, enforcer)  # sized as pretranslate sizes them
    chunk = chunks.take(service.FIRST_CHUNK_TOKENS)
    while chunk:
        began = time.perf_counter()
        enforcer.translate([w.source for w in chunk], beam_size=beam)
        chunk = chunks.take(chunks.size_for(time.perf_counter() - began, chunk))
    return len(sentences) / (time.perf_counter() - start)


def argos_per_segment(models_dir: Path, sentences: list[str], beam: int) -> float:
    settings = use_models_dir(models_dir)
    settings.beam_size = beam
    import ctranslate2
    from argostranslate import package, translate

    pkg = next(p for p in package.get_installed_packages() if (p.from_code, p.to_code) == ("en", "de"))
    translator = ctranslate2.Translator(str(pkg.package_path / "model"), device=settings.device,
                                        inter_threads=settings.inter_threads, intra_threads=settings.intra_threads,
                                        compute_type=settings.compute_type)

    class OneSentence:  # our segments are sentences; argos's own splitter downloads models
        def split_sentences(self, text: str) -> list[str]:
            return [text]

    start = time.perf_counter()
    for sentence in sentences:
        translate.apply_packaged_translation(pkg, sentence, translator, OneSentence(), 1)
    return len(sentences) / (time.perf_counter() - start)


def raw_ctranslate2(models_dir: Path, sentences: list[str], beam: int) -> float:
    import ctranslate2
    import sentencepiece

    from translator.mt.argos import BATCH_TOKENS, INTER_THREADS, INTRA_THREADS, LENGTH_PENALTY
    from translator.mt.packages import find_model

    model = find_model(models_dir, "en", "de")
    sp = sentencepiece.SentencePieceProcessor(model_file=str(model.tokenizer_path))
    tokens = [sp.encode(s, out_type=str) for s in sentences]
    translator = ctranslate2.Translator(str(model.model_dir), device="cpu", compute_type="auto",
                                        inter_threads=INTER_THREADS, intra_threads=INTRA_THREADS)
    start = time.perf_counter()
    translator.translate_batch(tokens, max_batch_size=BATCH_TOKENS, batch_type="tokens", beam_size=beam,
                               length_penalty=LENGTH_PENALTY, replace_unknowns=True)
    return len(sentences) / (time.perf_counter() - start)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=500)
    parser.add_argument("--beam", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=ROOT / ".bench-cache",
                        help="where the built model package is kept between runs")
    args = parser.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    package = build_random_package(args.cache, "en", "de")
    print(f"model: {package.name} ({package.stat().st_size / 1e6:.0f} MB, 6+6 layers, d_model 512, 8 heads, "
          f"FFN 2048, 8k vocabulary, int8), ready in {time.perf_counter() - start:.1f} s")
    sentences = sentences_for(args.sentences, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        models_dir = work / "models"
        install_file(models_dir, package)
        print(f"{len(sentences)} sentences, beam {args.beam}, {os.cpu_count()} cores\n")
        results = {}
        for label, run in (
            ("(c) raw CTranslate2 translate_batch", lambda: raw_ctranslate2(models_dir, sentences, args.beam)),
            ("(a) ours, engine", lambda: ours_engine(models_dir, sentences, args.beam)),
            ("(a) ours, translator translate", lambda: ours_service(models_dir, sentences, args.beam, work)),
            ("(b) argos per segment", lambda: argos_per_segment(models_dir, sentences, args.beam)),
        ):
            results[label] = run()
            print(f"  {label:<38} {results[label]:6.2f} segments/s", flush=True)
    ours = results["(a) ours, translator translate"]
    engine = results["(a) ours, engine"]
    argos = results["(b) argos per segment"]
    raw = results["(c) raw CTranslate2 translate_batch"]
    print(f"\n  a/b: {ours / argos:.2f}x argos (target >= 3x)")
    print(f"  a/c: {ours / raw:.2f} of raw CTranslate2: overhead {100 * (raw / ours - 1):.1f}% (target <= 15%); "
          f"engine alone {100 * (raw / engine - 1):.1f}%")


if __name__ == "__main__":
    main()

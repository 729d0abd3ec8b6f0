"""Benchmarks of the translation memory on a large synthetic memory of news sentences.

Run: python benchmarks/bench_memory.py [--units 200000] [--queries 1000] [--brute-queries N] [--articles 1000]
                                      [--database URL] [--only fuzzy|import] [--seed 1]

Two sections, each printing its ratio against the baseline the issue names:
- fuzzy lookups: FuzzyIndex against brute-force rapidfuzz over every unit of the pair;
- article import: ``translator import`` of generated articles in one transaction, against
  pysbd's own time to split the same blocks (the least any import has to do).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from translator.fuzzy import BruteForceIndex, FuzzyHit, FuzzyIndex, words  # noqa: E402

FIRST_NAMES = """James Maria Ahmed Olga Chen Fatima Pierre Anna Luis Yuki Omar Sofia Ivan Grace Rahul Elena Kwame
Ingrid Diego Aisha Tom Hannah Mohammed Laura Wei Nadia Carlos Emma Sergei Amara Jonas Lucia Kenji Zainab Peter Clara
Mateo Leila David Irina Samuel Priya Hugo Mei Daniel Rosa Ali Julia Viktor Esther""".split()
LAST_NAMES = """Smith Garcia Khan Petrova Wang Haddad Dubois Novak Fernandez Tanaka Rahman Rossi Volkov Mensah Sharma
Ivanova Lopez Hassan Berg Okafor Schmidt Moreau Kim Nguyen Silva Kowalski Jensen Muller Costa Ali Brown Suzuki Ortega
Adeyemi Larsen Popescu Demir Cohen Mwangi Santos Kaplan Fischer Romero Yilmaz Walker Chowdhury Bianchi Osei Lindqvist
Horvat Mendes""".split()
PLACES = """Paris Berlin Moscow Beijing Kyiv London Madrid Rome Warsaw Cairo Nairobi Lagos Delhi Tokyo Seoul Jakarta
Manila Sydney Toronto Chicago Brussels Geneva Vienna Prague Budapest Athens Istanbul Tehran Baghdad Riyadh Dubai
Karachi Dhaka Bangkok Hanoi Lima Bogota Caracas Santiago Mexico Havana Kinshasa Khartoum Addis Johannesburg Lisbon Oslo
Stockholm Helsinki Copenhagen Dublin Edinburgh Minsk Tbilisi Yerevan Baku Almaty Kabul Gaza Beirut Amman Damascus Tripoli
Tunis Algiers Rabat Dakar Accra Kampala Kigali Harare Lusaka Luanda Maputo Quito Montevideo Asuncion""".split()
ORGS = """the European Union|NATO|the United Nations|the World Bank|the International Monetary Fund|the central bank|
the health ministry|the finance ministry|the foreign ministry|the defence ministry|the Red Cross|Amnesty International|
the World Health Organization|the Kremlin|the White House|parliament|the opposition party|the ruling coalition|
the electoral commission|the supreme court|the police|the army|the coast guard|the fire service|the city council|
the teachers' union|the railway company|the national airline|the energy regulator|the statistics office|
the chamber of commerce|the football federation|the Olympic committee|the refugee agency|the weather service|
the stock exchange|the oil company|the carmaker|the mining group|the airport authority""".replace("\n", "").split("|")
TITLES = """president|prime minister|spokesperson|chief executive|minister|governor|mayor|chairman|director|
head|ambassador|commander|secretary general|chief economist|police chief|lead negotiator""".replace("\n", "").split("|")
NOUNS = """government economy budget deal agreement election vote inflation growth plan reform law bill strike protest
ceasefire talks summit crisis war conflict report inquiry investigation trial verdict sanctions tariffs exports imports
prices wages pensions taxes debt deficit loan aid vaccine outbreak hospital school university airport railway bridge
pipeline border harbour factory mine farm harvest drought flood storm fire earthquake heatwave market currency index
shares profits losses jobs unemployment housing rents energy gas oil electricity coal wind solar emissions climate
target budget campaign coalition government opposition court ruling appeal sentence prison journalist newspaper
broadcaster website platform network data privacy security attack cyberattack missile drone troops soldiers civilians
refugees migrants visa passport license contract tender project scheme programme fund grant subsidy""".split()
ADJECTIVES = """new major key final first second last annual national regional local federal foreign domestic public
private military economic political financial social environmental controversial disputed historic record fragile
temporary permanent proposed revised emergency long-term short-term senior former interim joint bilateral""".split()
VERBS = """approve reject delay cut raise extend suspend review sign cancel announce launch expand reduce boost
freeze lift impose overturn support oppose finance build close reopen investigate criticise defend replace""".split()
PAST = """approved rejected delayed cut raised extended suspended reviewed signed cancelled announced launched expanded
reduced boosted froze lifted imposed overturned supported opposed financed built closed reopened investigated
criticised defended replaced""".split()
SAY = """said|told reporters|announced|warned|confirmed|stressed|insisted|claimed|added|noted|argued|denied""".split("|")
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
MONTHS = "January February March April May June July August September October November December".split()
UNITS = """people|jobs|homes|tonnes|barrels|euros|dollars|vehicles|flights|patients|students|soldiers|votes|
households|companies|cases""".replace("\n", "").split("|")
CONNECTORS = """but|while|as|after|although|because|even though|just days after|only hours before""".split("|")


def _zipf(items: list[str], rng: random.Random) -> str:
    """A pick where the first items of a list are far more common than the last, as in real text."""
    weights = _zipf.cache.get(len(items))
    if weights is None:
        weights = _zipf.cache[len(items)] = [1 / (r + 1) for r in range(len(items))]
    return rng.choices(items, weights)[0]


_zipf.cache: dict[int, list[float]] = {}


def synthetic_sentences(n: int, seed: int) -> list[str]:
    """``n`` news-like English sentences of roughly 8 to 40 tokens, the same for the same seed."""
    rng = random.Random(seed)

    def pick(items: list[str]) -> str:
        return _zipf(items, rng)

    def article(word: str) -> str:
        return f"an {word}" if word[0] in "aeiou" else f"a {word}"

    def person() -> str:
        return f"{pick(FIRST_NAMES)} {pick(LAST_NAMES)}"

    def number() -> str:
        kind = rng.random()
        if kind < 0.4:
            return str(rng.randint(2, 99))
        if kind < 0.7:
            return f"{rng.randint(1, 999)},{rng.randint(0, 999):03d}"
        if kind < 0.85:
            return f"{rng.randint(1, 99)}.{rng.randint(1, 9)} million"
        return f"{rng.randint(1, 40)} per cent"

    def when() -> str:
        kind = rng.random()
        if kind < 0.4:
            return f"on {pick(DAYS)}"
        if kind < 0.7:
            return f"on {rng.randint(1, 28)} {pick(MONTHS)}"
        if kind < 0.85:
            return f"in {pick(MONTHS)} {rng.randint(1990, 2025)}"
        return rng.choice(["last week", "this year", "next month", "earlier this week", "overnight"])

    def subject() -> str:
        return rng.choice([
            person,
            lambda: f"the {pick(TITLES)} of {pick(ORGS)}",
            lambda: f"{person()}, the {pick(TITLES)} of {pick(ORGS)},",
            lambda: pick(ORGS),
            lambda: f"a spokesperson for {pick(ORGS)}",
            lambda: f"officials in {pick(PLACES)}",
        ])()

    def claim() -> str:
        return rng.choice([
            lambda: f"the {pick(NOUNS)} would {pick(VERBS)} {number()} {pick(UNITS)} {when()}",
            lambda: f"{pick(ORGS)} had {pick(PAST)} the {pick(ADJECTIVES)} {pick(NOUNS)} in {pick(PLACES)}",
            lambda: f"the {pick(ADJECTIVES)} {pick(NOUNS)} was not {pick(PAST)}",
            lambda: f"{number()} {pick(UNITS)} had been affected by the {pick(NOUNS)}",
            lambda: f"the government would {pick(VERBS)} the {pick(NOUNS)} {when()}",
        ])()

    def extra() -> str:
        return rng.choice([
            lambda: f"according to {pick(ORGS)}",
            lambda: f"{pick(CONNECTORS)} the {pick(NOUNS)} in {pick(PLACES)} continued",
            lambda: f"amid growing concern over the {pick(ADJECTIVES)} {pick(NOUNS)}",
            lambda: f"despite {article(pick(ADJECTIVES))} {pick(NOUNS)} {when()}",
            lambda: f"{pick(CONNECTORS)} {number()} {pick(UNITS)} were affected in {pick(PLACES)}",
        ])()

    def sentence() -> str:
        kind = rng.random()
        if kind < 0.5:
            text = f"{subject()} {pick(SAY)} {when()} that {claim()}"
        elif kind < 0.65:
            text = f"\"We will {pick(VERBS)} the {pick(NOUNS)},\" {person()} {pick(SAY)} in {pick(PLACES)}"
        elif kind < 0.8:
            text = (f"The {pick(NOUNS)} in {pick(PLACES)} rose by {number()} to {number()} {pick(UNITS)} "
                    f"{when()}, {pick(ORGS)} said")
        elif kind < 0.9:
            text = f"{number()} {pick(UNITS)} were affected when the {pick(NOUNS)} hit {pick(PLACES)} {when()}"
        else:
            text = f"{subject()} {pick(PAST)} the {pick(ADJECTIVES)} {pick(NOUNS)} {when()}"
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3])):
            text += f", {extra()}"
        words = text.split()[:36]
        return " ".join(words).rstrip(",") + "."

    out = []
    for _ in range(n):
        text = sentence()
        out.append(text[0].upper() + text[1:])
    return out


def mutate(sentence: str, rng: random.Random, vocabulary: list[str]) -> str:
    """``sentence`` with 1 to 4 words substituted, inserted or deleted, as an editor would rewrite it."""
    words = sentence.split()
    for _ in range(rng.randint(1, 4)):
        op = rng.choice(["substitute", "insert", "delete"])
        at = rng.randrange(len(words))
        if op == "substitute":
            words[at] = rng.choice(vocabulary)
        elif op == "insert":
            words.insert(at, rng.choice(vocabulary))
        elif len(words) > 2:
            del words[at]
    return " ".join(words)


def queries_for(sentences: list[str], count: int, seed: int) -> list[str]:
    """Mostly rewritten TM sentences (85%), the rest new sentences."""
    rng = random.Random(seed + 1)
    vocabulary = NOUNS + ADJECTIVES + VERBS + PLACES + LAST_NAMES + DAYS + ["the", "a", "of", "in", "new", "2024"]
    fresh = iter(synthetic_sentences(count, seed + 2))
    return [mutate(rng.choice(sentences), rng, vocabulary) if rng.random() < 0.85 else next(fresh) for _ in range(count)]


def timed(search: Callable[[str], list[FuzzyHit]], queries: list[str]) -> tuple[list[list[FuzzyHit]], list[float]]:
    """Results of ``search`` for each query, and milliseconds per query."""
    results, times = [], []
    for query in queries:
        start = time.perf_counter()
        results.append(search(query))
        times.append((time.perf_counter() - start) * 1000)
    return results, times


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def bench_fuzzy_lookup(args: argparse.Namespace) -> None:
    """FuzzyIndex.search against brute force over every unit: speed and top-1 agreement."""
    threshold, limit = 75, 5
    start = time.perf_counter()
    sentences = synthetic_sentences(args.units, args.seed)
    queries = queries_for(sentences, args.queries, args.seed)
    print(f"generated {len(sentences):,} units and {len(queries):,} queries in {time.perf_counter() - start:.1f} s")
    lengths = sorted(len(words(s)) for s in sentences)
    print(f"unit length in tokens: min {lengths[0]}, p5 {percentile(lengths, 5)}, median {percentile(lengths, 50)}, "
          f"p95 {percentile(lengths, 95)}, max {lengths[-1]}")
    # ranks as the TM service passes them: (approved, origin rank, timestamp)
    rng = random.Random(args.seed + 3)
    units = [(key, text, (rng.random() < 0.3, rng.randint(0, 4), rng.randint(0, 10**9)))
             for key, text in enumerate(sentences, start=1)]

    start = time.perf_counter()
    index = FuzzyIndex()
    for key, text, rank in units:
        index.add(key, text, rank)
    print(f"FuzzyIndex build: {time.perf_counter() - start:.1f} s for {len(index):,} units")
    start = time.perf_counter()
    brute = BruteForceIndex(units)
    print(f"brute force: encoding the units once took {time.perf_counter() - start:.1f} s (not in the lookup times)")

    ours, our_ms = timed(lambda q: index.search(q, threshold, limit), queries)
    sample = random.Random(args.seed + 4).sample(range(len(queries)), min(args.brute_queries, len(queries)))
    sample.sort()
    reference, brute_ms = timed(lambda q: brute.search(q, threshold, limit), [queries[i] for i in sample])
    compared = [ours[i] for i in sample]
    our_sampled_ms = [our_ms[i] for i in sample]

    def top1(hits: list[FuzzyHit]) -> tuple[int, float] | None:
        return (hits[0].key, hits[0].score) if hits else None

    agree = sum(top1(a) == top1(b) for a, b in zip(compared, reference))
    exact = sum(a == b for a, b in zip(compared, reference))
    with_hit = sum(bool(b) for b in reference)
    print(f"\nfuzzy lookups, threshold {threshold}, limit {limit}, {len(units):,} units")
    print(f"  FuzzyIndex.search: {len(queries):,} queries, median {statistics.median(our_ms):.3f} ms, "
          f"p95 {percentile(our_ms, 95):.3f} ms, total {sum(our_ms) / 1000:.2f} s")
    print(f"  brute force:       {len(sample):,} queries, median {statistics.median(brute_ms):.3f} ms, "
          f"p95 {percentile(brute_ms, 95):.3f} ms, total {sum(brute_ms) / 1000:.2f} s")
    print(f"  compared on the {len(sample):,} queries run both ways ({with_hit:,} of them have a hit):")
    print(f"    speed-up: median {statistics.median(brute_ms) / statistics.median(our_sampled_ms):.1f}x, "
          f"total time {sum(brute_ms) / sum(our_sampled_ms):.1f}x")
    print(f"    top-1 agreement: {100 * agree / len(sample):.2f}% ({agree}/{len(sample)}); "
          f"identical hit lists: {100 * exact / len(sample):.2f}%")


def synthetic_articles(count: int, seed: int) -> list[str]:
    """Plain-text articles shaped like the example: a title, headings, paragraphs of 1-4 sentences."""
    rng = random.Random(seed + 5)
    sentences = synthetic_sentences(count * 30, seed + 6)
    articles = []
    for _ in range(count):
        lines = [rng.choice(sentences).rstrip(".")]
        for block in range(rng.randint(12, 24)):
            if block and block % 6 == 0:
                lines.append(" ".join(rng.choice(sentences).split()[:5]).rstrip(",."))
            lines.append(" ".join(rng.choice(sentences) for _ in range(rng.randint(1, 4))))
        articles.append("\n".join(lines) + "\n")
    return articles


def bench_import(args: argparse.Namespace) -> None:
    """``import_files`` over generated articles (one transaction) against pysbd alone on the same blocks."""
    import pysbd

    from translator.articles import import_files
    from translator.db import transaction
    from translator.formats import text as text_format
    from translator.workspace import init_workspace

    texts = synthetic_articles(args.articles, args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = []
        for number, text in enumerate(texts, start=1):
            path = root / "articles" / f"article-{number:05d}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        blocks = [b.text for t in texts for b in text_format.parse(t) if b.text.strip()]

        segmenter = pysbd.Segmenter(language="en", clean=False)
        start = time.perf_counter()
        sentences = sum(len(segmenter.segment(block)) for block in blocks)
        pysbd_s = time.perf_counter() - start

        workspace = init_workspace(root / "ws", "en", "nl,de,fr,es,pt", database=args.database)
        start = time.perf_counter()
        with transaction(workspace.database_url) as session:
            reports = import_files(session, workspace, paths, "bench")
        import_s = time.perf_counter() - start
        start = time.perf_counter()
        with transaction(workspace.database_url) as session:
            again = import_files(session, workspace, paths, "bench")
        reimport_s = time.perf_counter() - start

    segments = sum(r.segments for r in reports)
    assert all(r.summary == "unchanged" for r in again)
    print(f"\narticle import, {len(paths):,} articles, {len(blocks):,} blocks, {segments:,} segments "
          f"(pysbd: {sentences:,} sentences), {len(workspace.targets)} target languages, "
          f"{workspace.database_url.split(':')[0]}")
    print(f"  pysbd alone on the same blocks: {pysbd_s:.2f} s")
    print(f"  translator import (one transaction): {import_s:.2f} s, {len(paths) / import_s:.0f} articles/s, "
          f"{segments / import_s:,.0f} segments/s")
    print(f"    ratio to pysbd: {import_s / pysbd_s:.2f}x (target <= 2x)")
    print(f"  re-import of the unchanged files: {reimport_s:.2f} s ({reimport_s / pysbd_s:.2f}x pysbd)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=200_000, help="TM units in the synthetic memory")
    parser.add_argument("--queries", type=int, default=1000, help="fuzzy lookups to time")
    parser.add_argument("--brute-queries", type=int, default=1000,
                        help="of those, how many to also run by brute force (the slow part)")
    parser.add_argument("--articles", type=int, default=1000, help="generated articles to import")
    parser.add_argument("--database", help="database URL for the import section (default: SQLite in a temp dir)")
    parser.add_argument("--only", choices=("fuzzy", "import"), help="run one section")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    # import first: the fuzzy section leaves a large heap behind that slows everything after it
    if args.only != "fuzzy":
        bench_import(args)
    if args.only != "import":
        bench_fuzzy_lookup(args)


if __name__ == "__main__":
    main()

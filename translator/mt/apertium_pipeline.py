"""A long-lived Apertium pipeline: one mode's programs started once, fed one document per request.

``apertium -f html MODE`` starts a dozen programs that load the pair's transducers for every batch
(about 0.2 s, as long as 15 KB of text takes to translate). Here the mode's programs run in null-flush
mode, as Apertium's own wrapper builds them (``apertium-wblank-mode -z``): each request is a document in
Apertium's stream format (``apertium_stream``) followed by NUL, and every program answers it with its
own NUL, so the processes and their loaded dictionaries serve request after request.

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

from . import apertium_stream

#: the programs besides the mode's own that a live pipeline needs (apertium-wblank-mode is in Debian's apertium)
TOOLS = ("apertium-wblank-mode", "bash")
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
    ``translate`` is thread-safe."""

    def __init__(self, *mode_files: Path) -> None:
        self.mode_files = mode_files
        self.name = " > ".join(f.stem for f in mode_files)
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._stderr: tempfile._TemporaryFileWrapper[bytes] | None = None  # a file: a full pipe would block it
        self._finalizer: weakref.finalize | None = None

    def translate(self, stream: str, timeout: float) -> str:
        """A document in Apertium's stream format translated: the stream the mode's last program writes."""
        with self._lock:
            if self._process is not None and self._process.poll() is not None:
                self.close()  # it ended since the last request (killed, say): a new one, not an error
            if self._process is None:
                self._start()
            try:
                answer = self._exchange(stream.encode("utf-8"), timeout)
            except PipelineFailed:
                self.close()
                raise
        try:
            return answer.decode("utf-8")
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

    def _start(self) -> None:
        scripts = []
        for mode_file in self.mode_files:
            try:
                scripts.append(subprocess.run(["apertium-wblank-mode", "-z", str(mode_file)], capture_output=True,
                                              timeout=START_TIMEOUT, check=True).stdout.decode("utf-8").strip())
            except (OSError, subprocess.SubprocessError, UnicodeDecodeError) as exc:
                raise PipelineUnusable(f"cannot read {mode_file}: {exc}") from None
        # a second mode reads the first's output as it comes, in the stream format it expects
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
            # a document, as every request is: a bare word without the end of block mark waits for more
            # input in some stages
            self._exchange(apertium_stream.write(["a"]).encode("utf-8"), START_TIMEOUT)
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


def _stop(process: subprocess.Popen[bytes], stderr: typing.IO[bytes]) -> None:
    """Every program of the pipeline stopped (they share a process group), its pipes and error file closed."""
    with suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    with suppress(OSError, subprocess.TimeoutExpired):
        process.wait(timeout=5)
    for stream in (process.stdin, process.stdout):
        with suppress(OSError):
            if stream is not None:
                stream.close()
    stderr.close()

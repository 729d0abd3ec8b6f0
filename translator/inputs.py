"""Reading input files: the one bounded way every reader gets its bytes (articles, PO, XLIFF, TMX, TBX, CSV).

read_input refuses what is not a regular file and never holds more than a size limit in memory;
decode_text turns an article's bytes into text, a byte order mark first, then the encoding asked for.
"""

from __future__ import annotations

import codecs
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import TranslatorError

LIMIT_VARIABLE = "TRANSLATOR_MAX_FILE_MB"
MEGABYTE = 1024 * 1024


@dataclass(frozen=True)
class Limit:
    """The most a reader takes of one file; ``TRANSLATOR_MAX_FILE_MB`` sets every limit at once."""

    what: str  # "an article", for the error message
    megabytes: int

    @property
    def bytes(self) -> int:
        return self.effective_megabytes() * MEGABYTE

    def effective_megabytes(self) -> int:
        value = os.environ.get(LIMIT_VARIABLE, "").strip()
        if not value:
            return self.megabytes
        if not value.isascii() or not value.isdigit() or int(value) < 1:
            raise TranslatorError(f"{LIMIT_VARIABLE}={value!r}: expected a whole number of megabytes, e.g. 20")
        return int(value)


# an article is split sentence by sentence (seconds per megabyte); the others are only parsed
ARTICLE = Limit("an article", 2)
TRANSLATIONS = Limit("a translation file", 50)
GLOSSARY = Limit("a glossary file", 50)
MEMORY = Limit("a TMX file", 500)

_NOT_FILES = (
    (stat.S_ISDIR, "is a directory; pass the files in it"),
    (stat.S_ISFIFO, "is a named pipe, not a file; save what it carries to a file and pass that"),
    (stat.S_ISSOCK, "is a socket, not a file"),
    (stat.S_ISCHR, "is a device, not a file"),
    (stat.S_ISBLK, "is a device, not a file"),
)
# UTF-32 first: its little-endian mark begins with UTF-16's
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def read_input(path: Path, limit: Limit) -> bytes:
    """The bytes of the regular file ``path``; anything else, or more than ``limit``, is a TranslatorError.

    >>> read_input(Path("/dev/zero"), ARTICLE)
    Traceback (most recent call last):
    translator.errors.TranslatorError: /dev/zero: is a device, not a file
    """
    allowed = limit.bytes
    try:
        # stat before open: opening a named pipe waits for a writer, opening some devices acts
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise TranslatorError(f"{path}: cannot read: no such file") from None
    except OSError as exc:
        raise TranslatorError(f"{path}: cannot read: {exc.strerror}") from None
    _check_regular(path, mode)
    try:
        # non-blocking, so a file swapped for a pipe since the stat cannot hang us; fstat tells
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise TranslatorError(f"{path}: cannot read: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        _check_regular(path, info.st_mode)
        if info.st_size > allowed:
            raise _too_large(path, limit)
        try:
            data = handle.read(allowed + 1)  # the file may have grown since the fstat
        except OSError as exc:
            raise TranslatorError(f"{path}: cannot read: {exc.strerror}") from None
    if len(data) > allowed:
        raise _too_large(path, limit)
    return data


def decode_text(path: Path, data: bytes, encoding: str = "utf-8",
                advice: str = "pass --encoding if it is text in another encoding (e.g. utf-16, cp1252)") -> str:
    """``data`` as text: a byte order mark (UTF-8, -16, -32) decides, else ``encoding``; binary data is refused.

    >>> decode_text(Path("a.txt"), "Grüße".encode("utf-16"))
    'Grüße'
    """
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise TranslatorError(f"unknown encoding {encoding!r}; use e.g. utf-8, utf-16, cp1252 or latin-1") from None
    chosen = next((name for mark, name in _BOMS if data.startswith(mark)), encoding)
    try:
        text = data.decode(chosen)
    except UnicodeDecodeError as exc:
        nul = data.find(b"\x00")
        if nul >= 0 and chosen == encoding:
            raise _binary(path, data.count(b"\n", 0, nul) + 1, encoding, advice) from None
        line = data.count(b"\n", 0, exc.start) + 1
        label = chosen.removesuffix("-sig")
        raise TranslatorError(f"{path}:{line}: not valid {label} text (byte {exc.start}); {advice}") from None
    nul = text.find("\x00")
    if nul >= 0:
        raise _binary(path, text.count("\n", 0, nul) + 1, encoding, advice)
    return text.removeprefix("\ufeff")


def _check_regular(path: Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        message = next((text for test, text in _NOT_FILES if test(mode)), "is not a regular file")
        raise TranslatorError(f"{path}: {message}")


def _too_large(path: Path, limit: Limit) -> TranslatorError:
    return TranslatorError(
        f"{path}: larger than {limit.effective_megabytes()} MB, the limit for {limit.what}; split it, or raise "
        f"the limit with {LIMIT_VARIABLE}=N (megabytes)"
    )


def _binary(path: Path, line: int, encoding: str, advice: str) -> TranslatorError:
    return TranslatorError(f"{path}:{line}: binary data (a NUL byte), not {encoding} text; {advice}")

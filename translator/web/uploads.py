"""An uploaded article as a file on disk for the import service: under its own name (never a path), in
a private temporary folder, and no larger than an article may be."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi import UploadFile

from .. import inputs
from ..errors import TranslatorError


@contextmanager
def uploaded(file: UploadFile) -> Iterator[Path]:
    # the file's own name gives the slug and the format, as on the command line
    name = Path((file.filename or "").replace("\\", "/")).name or "article.txt"
    limit = inputs.ARTICLE.bytes
    with tempfile.TemporaryDirectory(prefix="translator-upload-") as folder:
        path = Path(folder) / name
        written = 0
        with path.open("wb") as out:
            while chunk := file.file.read(1 << 16):
                written += len(chunk)
                if written > limit:
                    raise TranslatorError(f"{name}: more than {limit // inputs.MEGABYTE} MB, the limit for "
                                          f"{inputs.ARTICLE.what} ({inputs.LIMIT_VARIABLE} sets it)")
                out.write(chunk)
        yield path

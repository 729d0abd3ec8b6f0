"""File format adapters, one module per format, and the one way they replace a file on disk.

They read their files through translator.inputs.read_input, which bounds what a file may hold.
"""

from __future__ import annotations

import os
from pathlib import Path

from translator.errors import TranslatorError


def replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file: a failed write leaves the old file as it was."""
    temp = path.with_name(f".{path.name}.tmp")
    try:
        temp.write_bytes(data)
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise TranslatorError(f"{path}: cannot write: {exc.strerror}") from exc

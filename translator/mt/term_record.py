"""What an engine was seen to do with each glossary term, kept between runs in the workspace.

Per engine (its id names the model or pair version): its rendering of each term translated alone, and
for each name whether plain MT and term substitution ever both failed to keep it in a sentence.
Enforcement translates a term alone once per engine version, and on engines with a call overhead sends
placeholder variants only for segments whose names needed them before. It is a cache: a missing,
unreadable or foreign file starts an empty record, and a lost write only costs a later run some time.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

#: the record's format; a file of another version is not read
VERSION = 1


@dataclass
class TermRecord:
    engine_id: str
    path: Path | None = None
    renderings: dict[str, str] = field(default_factory=dict)  # term as written in a source -> engine's text
    unkept: dict[str, bool] = field(default_factory=dict)  # name -> ever lost by plain MT and substitution
    _saved: tuple[dict, dict] = field(default_factory=lambda: ({}, {}))  # what the file holds

    @classmethod
    def load(cls, directory: Path | None, engine_id: str) -> TermRecord:
        """The record of ``engine_id`` kept in ``directory`` (none: one for this process only)."""
        if directory is None:
            return cls(engine_id)
        path = directory / f"terms-{hashlib.sha1(engine_id.encode('utf-8')).hexdigest()[:16]}.json"
        record = cls(engine_id, path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return record
        if not isinstance(data, dict) or data.get("version") != VERSION or data.get("engine") != engine_id:
            return record
        renderings, unkept = data.get("renderings"), data.get("unkept")
        if isinstance(renderings, dict):
            record.renderings = {k: v for k, v in renderings.items() if isinstance(k, str) and isinstance(v, str)}
        if isinstance(unkept, dict):
            record.unkept = {k: v for k, v in unkept.items() if isinstance(k, str) and isinstance(v, bool)}
        record._saved = (dict(record.renderings), dict(record.unkept))
        return record

    def save(self) -> None:
        """Write the record if it learnt something, atomically; a workspace that cannot be written to
        keeps its record in memory only."""
        if self.path is None or (self.renderings, self.unkept) == self._saved:
            return
        data = {"version": VERSION, "engine": self.engine_id, "renderings": self.renderings, "unkept": self.unkept}
        with suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".terms-", suffix=".tmp")
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump(data, out, ensure_ascii=False, sort_keys=True)
                os.replace(temporary, self.path)
            finally:
                with suppress(FileNotFoundError):
                    os.unlink(temporary)
            self._saved = (dict(self.renderings), dict(self.unkept))

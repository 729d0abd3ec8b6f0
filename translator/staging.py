"""Files written together: staged in a hidden folder beside their targets, moved into place all at once.

A command that writes many files (``export``) writes them through a :class:`StagedFiles`; if it fails
before :meth:`StagedFiles.commit`, or the commit itself fails, no target file or folder has changed.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from .errors import TranslatorError

STAGE_PREFIX = ".translator-staged-"


class StagedFiles:
    """Files under ``root`` written to a hidden stage first; ``commit`` moves them all into place or none.

    Use as a context manager: on leaving, the stage is removed, and on an error so are the folders
    this object created (``root`` and its missing parents), so a failed command leaves nothing behind.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._files: dict[Path, Path] = {}  # target -> staged copy
        self._made: list[Path] = []  # folders created, outermost first
        self._stage: Path | None = None

    def __enter__(self) -> StagedFiles:
        self._made = _make_dirs(self.root, what="the output folder")
        try:
            self._stage = Path(tempfile.mkdtemp(prefix=STAGE_PREFIX, dir=self.root))
        except OSError as exc:
            _remove_dirs(self._made)
            raise TranslatorError(f"{self.root}: cannot write in the output folder: {exc.strerror}") from None
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._stage is not None:
            shutil.rmtree(self._stage, ignore_errors=True)
        if kind is not None:
            _remove_dirs(self._made)

    def path(self, target: Path) -> Path:
        """Where to write the file that goes to ``target`` (inside ``root``) when the whole set is committed."""
        if self._stage is None:
            raise RuntimeError("StagedFiles.path() outside its with block")
        staged = self._stage / "files" / Path(target).relative_to(self.root)
        staged.parent.mkdir(parents=True, exist_ok=True)
        self._files[Path(target)] = staged
        return staged

    def commit(self) -> list[Path]:
        """Move every staged file to its target; on any failure the targets are restored as they were."""
        assert self._stage is not None
        for target in self._files:
            if target.is_dir() and not target.is_symlink():
                raise TranslatorError(f"{target}: a folder is in the way of this file; move it away or choose "
                                      "another --out (nothing was written)")
        backups = self._stage / "replaced"
        backups.mkdir()
        moved: list[tuple[Path, Path | None]] = []  # target, its old file parked in the stage
        made: list[Path] = []
        target = self.root
        try:
            for number, (target, staged) in enumerate(self._files.items()):
                made += _make_dirs(target.parent, what="a folder")
                old = backups / str(number) if target.exists() or target.is_symlink() else None
                if old is not None:
                    os.replace(target, old)
                moved.append((target, old))
                os.replace(staged, target)
        except (OSError, TranslatorError) as exc:
            _restore(moved)
            _remove_dirs(made)
            if isinstance(exc, TranslatorError):
                raise
            raise TranslatorError(f"{target}: cannot write: {exc.strerror} (nothing was written)") from None
        return list(self._files)


def _make_dirs(folder: Path, what: str) -> list[Path]:
    """Create ``folder`` and its missing parents; return those created, outermost first."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()][::-1]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _remove_dirs([p for p in missing if p.exists()])
        raise TranslatorError(f"{folder}: cannot create {what}: {exc.strerror}") from None
    return missing


def _remove_dirs(made: list[Path]) -> None:
    for folder in reversed(made):
        try:
            folder.rmdir()  # only when empty: a folder someone filled meanwhile stays
        except OSError:
            pass


def _restore(moved: list[tuple[Path, Path | None]]) -> None:
    for target, old in reversed(moved):
        try:
            if old is not None:
                os.replace(old, target)
            else:
                target.unlink(missing_ok=True)
        except OSError:
            pass

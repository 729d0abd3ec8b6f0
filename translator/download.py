"""An article's export as one file to download: a language in a format, or a zip of several, made by the
export service in a private temporary folder (so a download can only ever be a file that export wrote)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from .errors import TranslatorError
from .export import FORMATS, export
from .localize import Fallback, Policy
from .permissions import Action, Actor, require
from .workspace import Workspace

MEDIA_TYPES = {
    ".txt": "text/plain; charset=utf-8", ".md": "text/markdown; charset=utf-8", ".html": "text/html; charset=utf-8",
    ".po": "text/x-gettext-translation; charset=utf-8", ".xlf": "application/xliff+xml",
    ".tmx": "application/x-tmx+xml", ".zip": "application/zip",
}


@dataclass(frozen=True)
class Download:
    filename: str
    media_type: str
    content: bytes


def requested(session: Session, workspace: Workspace, actor: Actor, slug: str, lang: str | None, fmt: str,
              only_approved: bool = False, fallback: str = Fallback.SOURCE.value) -> Download:
    """What ``actor`` asked for: ``lang`` (none: every language they export) in ``fmt`` ("all": every format,
    zipped); Forbidden for a language they may not export."""
    languages = workspace.require_targets(lang) if lang else \
        [code for code in workspace.targets if actor.may(Action.EXPORT, code)]
    for code in languages or [None]:  # type: ignore[list-item]
        require(actor, Action.EXPORT, code)
    try:
        policy = Policy.choose(only_approved=only_approved, fallback=Fallback(fallback))
    except ValueError:
        raise TranslatorError(f"fallback {fallback!r}: one of {', '.join(f.value for f in Fallback)}") from None
    return article_download(session, workspace, slug, languages, list(FORMATS) if fmt == "all" else [fmt], policy)


def article_download(session: Session, workspace: Workspace, slug: str, languages: list[str], formats: list[str],
                     policy: Policy) -> Download:
    """``slug`` exported into ``languages`` in ``formats``: the file itself when that is one file, else a
    zip of ``LANG/FILE`` entries."""
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise TranslatorError(f"unknown format {', '.join(unknown) or '(none)'}: one of {', '.join(FORMATS)}")
    with tempfile.TemporaryDirectory(prefix="translator-download-") as folder:
        out = Path(folder).resolve()
        report = export(session, out, slugs=[slug], languages=languages, formats=formats,
                        targets=workspace.targets, policy=policy)
        files = sorted(f.resolve() for f in report.files)
        if not files or not all(f.is_relative_to(out) and f.is_file() for f in files):
            raise TranslatorError(f"the export of {slug} wrote nothing to download")
        if len(files) == 1:
            [only] = files
            language = only.relative_to(out).parts[0]
            return Download(f"{slug}.{language}{only.suffix}", MEDIA_TYPES.get(only.suffix, "application/octet-stream"),
                            only.read_bytes())
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in files:
                # a fixed date, as the export's files have theirs from the data: the same data, the same zip
                info = zipfile.ZipInfo(path.relative_to(out).as_posix(), date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
        name = f"{slug}-{languages[0]}.zip" if len(languages) == 1 else f"{slug}.zip"
        return Download(name, MEDIA_TYPES[".zip"], buffer.getvalue())

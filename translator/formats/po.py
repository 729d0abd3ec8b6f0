"""Gettext PO catalogs of one article in one language (polib), and their compiled MO form (babel).

msgctxt is the segment's stable id (``slug/segment-id``); anything not approved is ``#, fuzzy``;
``#.`` lines carry the exported version and status, ``#`` lines the QA findings and glossary hints.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polib

from . import read_file, replace_file
from ..errors import TranslatorError
from ..exchange import ExchangeFile, ExchangeUnit, unit_key
from ..status import Status

_KEY = re.compile(r"(?P<slug>[^/\s]+)/(?P<segment>\d+)")
_EXPORTED = re.compile(r"^exported version (?P<version>\d+)(?:, status (?P<status>[a-z]+))?", re.M)
_LINE = re.compile(r"\(line (\d+)\)")


@dataclass(frozen=True)
class PoHeader:
    project: str  # Project-Id-Version
    source_lang: str
    language: str
    created: datetime  # POT-Creation-Date: when the article was last imported
    revised: datetime  # PO-Revision-Date: the latest change to a translation in the file
    last_translator: str
    language_team: str
    plural_forms: str
    generator: str


def po_language(code: str) -> str:
    """Gettext writes region subtags with an underscore: ``pt-BR`` -> ``pt_BR``."""
    return code.replace("-", "_")


def write_po(path: Path, header: PoHeader, slug: str, units: list[ExchangeUnit]) -> None:
    # unwrapped: a one-word change stays a one-line diff, and wrapping was half the export time
    catalog = polib.POFile(wrapwidth=0)
    catalog.header = f"{header.project} in {header.language}, exported by {header.generator}."
    catalog.metadata = {
        "Project-Id-Version": header.project,
        "Report-Msgid-Bugs-To": "",
        "POT-Creation-Date": _po_date(header.created),
        "PO-Revision-Date": _po_date(header.revised),
        "Last-Translator": header.last_translator,
        "Language-Team": header.language_team,
        "Language": po_language(header.language),
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": header.plural_forms,
        "X-Generator": header.generator,
        "X-Source-Language": po_language(header.source_lang),
    }
    for unit in units:
        target = _same_edges(unit.source, unit.target or "")
        entry = polib.POEntry(
            msgctxt=unit_key(slug, unit.segment_id),
            msgid=unit.source,
            msgstr=target,
            occurrences=[(slug, str(unit.number))],
            comment=f"exported version {unit.version}, status {unit.status.value if unit.status else 'none'}"
                    f"\n{unit.kind}, segment {unit.number}",
            tcomment="\n".join(unit.notes + unit.hints),
            flags=["fuzzy"] if target and unit.status is not Status.APPROVED else [],
        )
        if unit.previous_source and unit.status is Status.STALE:
            entry.previous_msgctxt = entry.msgctxt
            entry.previous_msgid = unit.previous_source
        catalog.append(entry)
    replace_file(path, str(catalog).encode("utf-8") + b"\n")


def read_po(path: Path) -> ExchangeFile:
    """A PO file as exchange units; a malformed file or an entry without our msgctxt is an error."""
    data = read_file(path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TranslatorError(f"{path}: not UTF-8 (byte {exc.start})") from None
    try:
        catalog = polib.pofile(text)
    except (OSError, ValueError) as exc:
        line = _LINE.search(str(exc))
        where = f"{path}:{line.group(1)}" if line else str(path)
        raise TranslatorError(f"{where}: not a valid PO file ({_LINE.sub('', str(exc)).strip()})") from None
    language = (catalog.metadata.get("Language") or "").strip()
    if not language:
        raise TranslatorError(f"{path}: the header names no Language")
    units: list[ExchangeUnit] = []
    slugs: set[str] = set()
    for entry in catalog:
        if entry.obsolete:
            continue
        key = _KEY.fullmatch(entry.msgctxt or "")
        if key is None:
            raise TranslatorError(f"{path}:{entry.linenum}: entry {entry.msgid[:40]!r} has no segment id "
                                  "(msgctxt slug/number); was this file exported by translator?")
        if entry.msgid_plural:
            raise TranslatorError(f"{path}:{entry.linenum}: plural entries are not segments")
        slugs.add(key["slug"])
        exported = _EXPORTED.search(entry.comment or "")
        status = exported["status"] if exported and exported["status"] in Status._value2member_map_ else None
        units.append(ExchangeUnit(
            segment_id=int(key["segment"]),
            number=int(entry.occurrences[0][1]) if entry.occurrences and entry.occurrences[0][1].isdigit() else 0,
            source=entry.msgid,
            target=entry.msgstr or None,
            status=Status(status) if status else None,
            version=int(exported["version"]) if exported else None,
            finished=bool(entry.msgstr) and not entry.fuzzy,
        ))
    if len(slugs) > 1:
        raise TranslatorError(f"{path}: entries of several articles ({', '.join(sorted(slugs))}); one file is one article")
    source_lang = (catalog.metadata.get("X-Source-Language") or "").strip()
    return ExchangeFile(slugs.pop() if slugs else "", source_lang.replace("_", "-"), language.replace("_", "-"), units)


def write_mo(path: Path, language: str, slug: str, units: list[ExchangeUnit]) -> None:
    """The compiled catalog (babel): approved translations only, as gettext leaves fuzzy ones out."""
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo as babel_write_mo

    catalog = Catalog(locale=po_language(language), domain=slug, charset="utf-8")
    for unit in units:
        if unit.target and unit.status is Status.APPROVED:
            catalog.add(unit.source, _same_edges(unit.source, unit.target), context=unit_key(slug, unit.segment_id))
    out = io.BytesIO()
    babel_write_mo(out, catalog, use_fuzzy=False)
    replace_file(path, out.getvalue())


def _po_date(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M%z")


def _same_edges(source: str, target: str) -> str:
    # msgfmt --check refuses a msgstr that starts or ends with a newline unless the msgid does too
    if target:
        target = target.strip("\n")
        if source.startswith("\n"):
            target = "\n" + target
        if source.endswith("\n"):
            target += "\n"
    return target

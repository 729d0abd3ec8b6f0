"""TMX 1.4b import and export for the translation memory.

read_tmx turns each source/target pair of a TMX file into a TmxUnit; write_tmx writes them back.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
import xml.parsers.expat
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from translator.errors import TranslatorError
from translator.inputs import MEMORY, read_input

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DOCTYPE = '<!DOCTYPE tmx SYSTEM "tmx14.dtd">'
ALL_LANGUAGES = "*all*"
ORIGIN_PROP = "x-origin"
APPROVED_PROP = "x-approved"

_TMX_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z")
# The XML 1.0 Char production: anything outside it cannot be written, not even as a reference.
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LXML_POSITION = re.compile(r", line \d+, column \d+$")


@dataclass
class TmxUnit:
    """One source segment and its translation, as a TMX file carries it."""

    source_lang: str
    target_lang: str
    source: str
    target: str
    created: datetime | None = None  # timezone-aware UTC
    changed: datetime | None = None  # timezone-aware UTC
    creator: str | None = None
    origin: str | None = None  # <prop type="x-origin">
    approved: bool = False  # <prop type="x-approved">yes|no</prop>
    note: str | None = None


def read_tmx(path: Path) -> list[TmxUnit]:
    """Read every source/target pair of a TMX file; a tu with n target languages gives n units.

    Language tags are returned as written and matched case-insensitively. Inline codes keep
    their text: `<ph>&lt;br/&gt;</ph>` reads as `<br/>`, `<hi>` and `<sub>` as their content.
    Any problem raises TranslatorError("file:line: what is wrong") and nothing is returned.

    >>> units = read_tmx(Path("memory.tmx"))
    >>> units[0].source_lang, units[0].target_lang, units[0].target
    ('en', 'de', 'Guten Morgen')
    """
    path = Path(path)
    data = read_input(path, MEMORY)
    root = _parse(path, data)
    if root.tag != "tmx":
        raise _error(path, root, f"the root element is <{root.tag}>, expected <tmx>")
    header = root.find("header")
    if header is None:
        raise _error(path, root, "<tmx> has no <header>")
    body = root.find("body")
    if body is None:
        raise _error(path, root, "<tmx> has no <body>")
    units: list[TmxUnit] = []
    for tu in body.iterfind("tu"):
        units.extend(_read_tu(path, tu, header.get("srclang")))
    return units


def write_tmx(
    path: Path,
    units: Iterable[TmxUnit],
    source_lang: str,
    tool_version: str,
    *,
    created: datetime | None = None,
) -> int:
    """Write units as TMX 1.4b, one <tu> per unit in input order, and return how many were written.

    The file is replaced atomically: on any error the previous file (if any) is left untouched.
    `created` dates the header (default: now); pass it to get byte-identical output.

    >>> write_tmx(Path("memory.tmx"), units, source_lang="en", tool_version="0.1.0")
    2
    """
    path = Path(path)
    for name, value in (("source language", source_lang), ("tool version", tool_version)):
        if _NOT_XML_CHAR.search(value):
            raise TranslatorError(f"{path}: the {name} {value!r} has characters XML cannot carry")
    header = {
        "creationtool": "translator",
        "creationtoolversion": tool_version,
        "segtype": "sentence",
        "o-tmf": "translator",
        "adminlang": "en",
        "srclang": source_lang,
        "datatype": "plaintext",
        "creationdate": _format_date(created or datetime.now(timezone.utc)),
    }
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise TranslatorError(f"{path}: cannot write: {exc.strerror}") from exc
    try:
        with os.fdopen(fd, "wb") as out:
            count = _write_document(out, header, units, source_lang)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, _file_mode(path))
        os.replace(temp, path)
    except OSError as exc:
        _remove(temp)
        raise TranslatorError(f"{path}: cannot write: {exc.strerror}") from exc
    except BaseException:
        _remove(temp)
        raise
    return count


# --- reading -----------------------------------------------------------------------------


class _PrologDone(Exception):
    """Raised by the expat pre-scan once the root element starts."""


def _parse(path: Path, data: bytes) -> etree._Element:
    _reject_entity_declarations(path, data)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        message = _LXML_POSITION.sub("", exc.msg or "")
        raise TranslatorError(f"{path}:{exc.lineno}: not well-formed XML: {message}") from exc
    # Unexpanded references such as &nbsp; would otherwise end up as literal text in a segment.
    for entity in root.iter(etree.Entity):
        raise _error(
            path, entity, f"undefined entity {entity.text}; TMX knows only the five XML entities"
        )
    return root


def _reject_entity_declarations(path: Path, data: bytes) -> None:
    # Entity expansion is how "billion laughs" files exhaust memory and no TMX needs it, so any
    # <!ENTITY> is refused; expat reports its line, and the scan stops at the root element.
    scanner = xml.parsers.expat.ParserCreate()

    def on_entity(name: str, is_parameter: bool, *_: object) -> None:
        raise TranslatorError(
            f"{path}:{scanner.CurrentLineNumber}: the DOCTYPE declares entity "
            f"{'%' if is_parameter else ''}{name}; entity declarations are refused"
            " (they can expand into gigabytes)"
        )

    def on_root(*_: object) -> None:
        raise _PrologDone

    scanner.EntityDeclHandler = on_entity
    scanner.StartElementHandler = on_root
    try:
        scanner.Parse(data, True)
    except _PrologDone:
        pass
    except xml.parsers.expat.ExpatError:
        pass  # lxml parses next and reports syntax errors itself


def _read_tu(path: Path, tu: etree._Element, header_srclang: str | None) -> list[TmxUnit]:
    variants = tu.findall("tuv")
    if not variants:
        raise _error(path, tu, "<tu> has no <tuv>")
    langs = [_language(path, tuv) for tuv in variants]
    srclang = tu.get("srclang") or header_srclang
    if not srclang:
        raise _error(path, tu, "<tu> has no srclang and neither has <header>")
    if srclang.lower() == ALL_LANGUAGES:
        source_index: int | None = 0
    else:
        source_index = next(
            (i for i, lang in enumerate(langs) if lang.lower() == srclang.lower()), None
        )
    if source_index is None:
        raise _error(path, tu, f"<tu> has no <tuv> in its source language {srclang}")
    source_lang = langs[source_index]
    source = _segment_text(path, variants[source_index])
    tu_created = _date(path, tu, "creationdate")
    tu_changed = _date(path, tu, "changedate")
    tu_props = _props(tu)
    tu_notes = _notes(tu)

    units = []
    for tuv, lang in zip(variants, langs):
        if lang.lower() == source_lang.lower():
            continue  # the source itself, or a variant of it: not a translation
        props = {**tu_props, **_props(tuv)}  # a tuv's own props are more specific
        notes = tu_notes + _notes(tuv)
        units.append(
            TmxUnit(
                source_lang=source_lang,
                target_lang=lang,
                source=source,
                target=_segment_text(path, tuv),
                created=_date(path, tuv, "creationdate") or tu_created,
                changed=_date(path, tuv, "changedate") or tu_changed,
                creator=tuv.get("creationid") or tu.get("creationid"),
                origin=_prop_text(props.get(ORIGIN_PROP)),
                approved=_approved(path, props.get(APPROVED_PROP)),
                note="\n".join(notes) if notes else None,
            )
        )
    return units


def _language(path: Path, tuv: etree._Element) -> str:
    # `lang` is the TMX 1.1-1.3 spelling, still declared by the 1.4 DTD for older files.
    lang = tuv.get(XML_LANG) or tuv.get("lang")
    if not lang:
        raise _error(path, tuv, "<tuv> has no xml:lang")
    return lang


def _segment_text(path: Path, tuv: etree._Element) -> str:
    segs = tuv.findall("seg")
    if len(segs) != 1:
        raise _error(path, tuv, f"<tuv> must hold exactly one <seg>, found {len(segs)}")
    # itertext keeps the native code of bpt/ept/it/ph/ut and the content of hi/sub, so tags
    # and placeholders stay in the segment instead of vanishing; comments are skipped.
    return "".join(segs[0].itertext())


def _props(element: etree._Element) -> dict[str, etree._Element]:
    return {prop.get("type", ""): prop for prop in element.iterfind("prop")}


def _notes(element: etree._Element) -> list[str]:
    return [note.text or "" for note in element.iterfind("note")]


def _prop_text(prop: etree._Element | None) -> str | None:
    return None if prop is None else prop.text or ""


def _approved(path: Path, prop: etree._Element | None) -> bool:
    if prop is None:
        return False
    value = (prop.text or "").strip().lower()
    if value not in ("yes", "no"):
        raise _error(path, prop, f"{APPROVED_PROP} is {prop.text!r}, expected yes or no")
    return value == "yes"


def _date(path: Path, element: etree._Element, attribute: str) -> datetime | None:
    value = element.get(attribute)
    if value is None:
        return None
    match = _TMX_DATE.fullmatch(value)
    try:
        if match is None:
            raise ValueError
        return datetime(*map(int, match.groups()), tzinfo=timezone.utc)
    except ValueError:
        raise _error(
            path, element, f"{attribute} {value!r} is not a date of the form YYYYMMDDThhmmssZ"
        ) from None


def _error(path: Path, element: etree._Element, what: str) -> TranslatorError:
    return TranslatorError(f"{path}:{element.sourceline}: {what}")


# --- writing -----------------------------------------------------------------------------


def _write_document(
    out: BinaryIO, header: dict[str, str], units: Iterable[TmxUnit], source_lang: str
) -> int:
    # xmlfile streams, so a memory of a million units never sits in RAM as one tree.
    count = 0
    with etree.xmlfile(out, encoding="UTF-8") as xf:
        xf.write_declaration()
        xf.write_doctype(DOCTYPE)
        with xf.element("tmx", version="1.4"):
            xf.write("\n  ", etree.Element("header", header), "\n  ")
            with xf.element("body"):
                for count, unit in enumerate(units, 1):
                    tu = _tu_element(unit, count, source_lang)
                    etree.indent(tu, space="  ", level=2)
                    xf.write("\n    ", tu)
                xf.write("\n  ")
            xf.write("\n")
    out.write(b"\n")
    return count


def _tu_element(unit: TmxUnit, number: int, source_lang: str) -> etree._Element:
    _check_unit(unit, number)
    tu = etree.Element("tu")
    # The reader finds the source tuv by srclang, so state it when the header's does not fit.
    if unit.source_lang.lower() != source_lang.lower():
        tu.set("srclang", unit.source_lang)
    if unit.created is not None:
        tu.set("creationdate", _format_date(unit.created))
    if unit.creator is not None:
        tu.set("creationid", unit.creator)
    if unit.changed is not None:
        tu.set("changedate", _format_date(unit.changed))
    if unit.origin is not None:
        etree.SubElement(tu, "prop", type=ORIGIN_PROP).text = unit.origin
    etree.SubElement(tu, "prop", type=APPROVED_PROP).text = "yes" if unit.approved else "no"
    if unit.note is not None:
        etree.SubElement(tu, "note").text = unit.note
    for lang, text in ((unit.source_lang, unit.source), (unit.target_lang, unit.target)):
        tuv = etree.SubElement(tu, "tuv", {XML_LANG: lang})
        etree.SubElement(tuv, "seg").text = text
    return tu


def _check_unit(unit: TmxUnit, number: int) -> None:
    name = f"unit {number} ({unit.source[:40]!r})"
    for field in ("source_lang", "target_lang", "source", "target", "creator", "origin", "note"):
        value = getattr(unit, field)
        if value is not None and (bad := _NOT_XML_CHAR.search(value)):
            raise TranslatorError(
                f"{name}: {field} contains U+{ord(bad.group()):04X}, which XML 1.0 cannot carry"
            )
    if not unit.source_lang or not unit.target_lang:
        raise TranslatorError(f"{name}: source and target language are both required")
    if unit.source_lang.lower() == unit.target_lang.lower():
        raise TranslatorError(f"{name}: source and target language are both {unit.source_lang}")


def _format_date(moment: datetime) -> str:
    # Naive datetimes are taken as UTC: that is how SQLite hands back stored UTC times.
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc)
    return (
        f"{moment.year:04d}{moment.month:02d}{moment.day:02d}"
        f"T{moment.hour:02d}{moment.minute:02d}{moment.second:02d}Z"
    )


def _file_mode(path: Path) -> int:
    # mkstemp creates 0600 files; keep the mode of the file replaced, else a usual 0644.
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return 0o644


def _remove(temp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temp)

"""XLIFF 2.0 files of one article in one language: a <unit> with one <segment> per segment.

States map from our statuses (approved -> final, translated -> translated, drafts -> initial with a
``translator:<status>`` subState); the exported version rides in the Metadata module (mda), QA findings
and glossary hints in <notes>. Reading refuses DTDs, so no entity can expand or reach the network.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from . import replace_file
from ..errors import TranslatorError
from ..exchange import ExchangeFile, ExchangeUnit
from ..inputs import TRANSLATIONS, read_input
from ..status import Status

XLIFF_NS = "urn:oasis:names:tc:xliff:document:2.0"
MDA_NS = "urn:oasis:names:tc:xliff:metadata:2.0"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_X = f"{{{XLIFF_NS}}}"
_M = f"{{{MDA_NS}}}"
STATES = {Status.APPROVED: "final", Status.TRANSLATED: "translated"}
FINISHED_STATES = frozenset({"translated", "reviewed", "final"})
# ASCII digits only, and few enough for int(): "²" passes str.isdigit() but not int()
_NUMBER = re.compile(r"[0-9]{1,18}")


def write_xliff(path: Path, slug: str, source_lang: str, language: str, units: list[ExchangeUnit]) -> None:
    root = etree.Element(_X + "xliff", nsmap={None: XLIFF_NS, "mda": MDA_NS},
                         attrib={"version": "2.0", "srcLang": source_lang, "trgLang": language})
    file = etree.SubElement(root, _X + "file", {"id": "f1", "original": slug, XML_SPACE: "preserve"})
    for unit in units:
        element = etree.SubElement(file, _X + "unit", {"id": f"s{unit.segment_id}", "name": str(unit.number)})
        group = etree.SubElement(etree.SubElement(element, _M + "metadata"), _M + "metaGroup",
                                 {"category": "translator"})
        for kind, value in (("version", unit.version), ("status", unit.status.value if unit.status else None),
                            ("kind", unit.kind), ("previous-source", unit.previous_source)):
            if value is not None:
                etree.SubElement(group, _M + "meta", {"type": kind}).text = str(value)
        if unit.notes or unit.hints:
            notes = etree.SubElement(element, _X + "notes")
            for category, texts in (("qa", unit.notes), ("glossary", unit.hints)):
                for text in texts:
                    etree.SubElement(notes, _X + "note", {"category": category, "appliesTo": "target"}).text = text
        status = unit.status or Status.UNTRANSLATED
        segment = etree.SubElement(element, _X + "segment", {
            "state": STATES.get(status, "initial"), "subState": f"translator:{status.value}"})
        etree.SubElement(segment, _X + "source").text = unit.source
        if unit.target:
            etree.SubElement(segment, _X + "target").text = unit.target
    replace_file(path, etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def read_xliff(path: Path) -> ExchangeFile:
    root = _parse(path, read_input(path, TRANSLATIONS))
    if root.tag != _X + "xliff":
        raise TranslatorError(f"{path}: not an XLIFF 2 file (root element {etree.QName(root).localname!r}, "
                              f"namespace {etree.QName(root).namespace or 'none'})")
    language = root.get("trgLang")
    if not language:
        raise TranslatorError(f"{path}:{root.sourceline}: <xliff> has no trgLang")
    files = root.findall(_X + "file")
    if len(files) != 1:
        raise TranslatorError(f"{path}: {len(files)} <file> elements; one file is one article")
    units: list[ExchangeUnit] = []
    seen: dict[int, etree._Element] = {}
    for element in files[0].iter(_X + "unit"):
        unit = _read_unit(path, element)
        first = seen.setdefault(unit.segment_id, element)
        if first is not element:
            raise TranslatorError(f"{path}:{element.sourceline}: a second unit s{unit.segment_id} (the first is at "
                                  f"line {first.sourceline}); unit ids are unique in a file")
        units.append(unit)
    return ExchangeFile(files[0].get("original") or "", root.get("srcLang") or "", language, units)


def _read_unit(path: Path, unit: etree._Element) -> ExchangeUnit:
    ident = unit.get("id") or ""
    if not (ident.startswith("s") and _NUMBER.fullmatch(ident[1:])):
        raise TranslatorError(f"{path}:{unit.sourceline}: unit id {ident[:40]!r} is not a segment id (s<number>); "
                              "was this file exported by translator?")
    segments = unit.findall(_X + "segment")
    if len(segments) != 1:
        raise TranslatorError(f"{path}:{unit.sourceline}: unit {ident} has {len(segments)} segments; "
                              "translator exports one per unit and cannot take them merged or split")
    segment = segments[0]
    source = segment.find(_X + "source")
    if source is None:
        raise TranslatorError(f"{path}:{segment.sourceline}: unit {ident} has no <source>")
    target = segment.find(_X + "target")
    meta = {m.get("type"): m.text or "" for m in unit.iterfind(f"{_M}metadata/{_M}metaGroup/{_M}meta")}
    version = meta.get("version", "")
    status = meta.get("status")
    state = segment.get("state", "initial")
    target_text = "".join(target.itertext()) if target is not None else None
    name = unit.get("name") or ""
    return ExchangeUnit(
        segment_id=int(ident[1:]),
        number=int(name) if _NUMBER.fullmatch(name) else 0,
        source="".join(source.itertext()),
        target=target_text or None,
        status=Status(status) if status in Status._value2member_map_ else None,
        version=int(version) if _NUMBER.fullmatch(version.strip()) else None,
        finished=bool(target_text) and state in FINISHED_STATES,
    )


def _parse(path: Path, data: bytes) -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line = exc.lineno or 0
        raise TranslatorError(f"{path}:{line}: not well-formed XML ({exc.msg.split(', line')[0]})") from None
    if root.getroottree().docinfo.doctype:
        raise TranslatorError(f"{path}: a DOCTYPE in an XLIFF file is refused (entities could expand or reach out)")
    return root

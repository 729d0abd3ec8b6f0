"""TBX-Basic import and export for the glossary (TBX v3, ISO 30042:2019, DCA style).

read_tbx turns each <conceptEntry> into a GlossaryEntry; write_tbx writes them back. Each term's
<termNote type="administrativeStatus"> says preferred, admitted (a variant) or deprecated
(forbidden). What TBX-Basic has no category for goes into <note>s of the conceptEntry that
read_tbx reads back: ``kind: name``, ``case-sensitive: no``, ``whole segment: yes``.
TBX 2 files (<martif> with <termEntry>, <langSet>, <tig>) are read too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from defusedxml import DefusedXmlException, EntitiesForbidden
from defusedxml.ElementTree import DefusedXMLParser
from lxml import etree

from translator import __version__
from translator.errors import TranslatorError
from translator.formats import replace_file
from translator.inputs import GLOSSARY, read_input
from translator.glossary import CASE_SENSITIVE, GlossaryEntry, check_entry
from translator.languages import normalize_code
from translator.models import ConceptKind, TermStatus

NS = "urn:iso:std:iso:30042:ed-2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DIALECT = "TBX-Basic"
# the dialect's public schemas, named the way TBX v3 files name them; nothing here fetches them
SCHEMAS = [
    ("https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/"
     "TBXcoreStructV03_TBX-Basic_integrated.rng", "http://relaxng.org/ns/structure/1.0"),
    ("https://raw.githubusercontent.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBX-Basic_DCA.sch",
     "http://purl.oclc.org/dsdl/schematron"),
]
STATUS = {
    TermStatus.PREFERRED: "preferredTerm-admn-sts",
    TermStatus.ADMITTED: "admittedTerm-admn-sts",
    TermStatus.FORBIDDEN: "deprecatedTerm-admn-sts",
}
_READ_STATUS = {
    "preferredterm-admn-sts": TermStatus.PREFERRED,
    "admittedterm-admn-sts": TermStatus.ADMITTED,
    "deprecatedterm-admn-sts": TermStatus.FORBIDDEN,
    "supersededterm-admn-sts": TermStatus.FORBIDDEN,
    "notrecommendedterm-admn-sts": TermStatus.ADMITTED,  # TBX core: not recommended, still allowed
}
# the notes carrying what TBX-Basic has no category for; any other note is the concept's note
_SETTING = re.compile(r"kind: (?P<kind>name|title|do-not-translate|forbidden)|case-sensitive: (?P<case>yes|no)"
                      r"|whole segment: (?P<whole>yes|no)")
_LXML_POSITION = re.compile(r", line \d+, column \d+$")
_NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")



@dataclass(frozen=True)
class _Names:
    """Element names in TBX v3, or their TBX 2 (martif) counterparts."""

    entry: str
    lang: str
    sections: tuple[str, ...]
    term: str
    term_note: str
    note: str
    descrip: str

    @classmethod
    def of(cls, namespace: str | None, v3: bool) -> _Names:
        q = (lambda name: f"{{{namespace}}}{name}") if namespace else (lambda name: name)
        if v3:
            entry, lang, sections = q("conceptEntry"), q("langSec"), (q("termSec"),)
        else:
            entry, lang, sections = q("termEntry"), q("langSet"), (q("tig"), q("ntig"))
        return cls(entry, lang, sections, q("term"), q("termNote"), q("note"), q("descrip"))


def read_tbx(path: Path) -> list[GlossaryEntry]:
    """Read every concept of a TBX file.

    Entries without a ``kind`` note (from other tools) are titles, matched regardless of case,
    or forbidden when all their terms are deprecated. Any problem raises
    TranslatorError("file:line: what is wrong") and nothing is returned.

    >>> [e.terms["de"] for e in read_tbx(Path("glossary.tbx"))][:1]
    [['Wladimir Putin', 'Putin']]
    """
    path = Path(path)
    data = read_input(path, GLOSSARY)
    root = _parse(path, data)
    name = etree.QName(root)
    if root.tag == f"{{{NS}}}tbx":
        if root.get("style", "dca") != "dca":
            raise _error(path, root, f"style {root.get('style')!r} is not supported; export TBX in the DCA style")
        names = _Names.of(NS, v3=True)
    elif name.localname == "martif":
        names = _Names.of(name.namespace, v3=False)
    else:
        raise _error(path, root, f"the root element is <{name.localname}>, expected <tbx> (TBX v3) or <martif> (TBX 2)")
    prefix = f"{{{name.namespace}}}" if name.namespace else ""
    body = root.find(f"{prefix}text/{prefix}body")
    if body is None:
        raise _error(path, root, "no <text><body>")
    return [_read_entry(path, element, names) for element in body.iterfind(names.entry)]


def write_tbx(path: Path, entries: Sequence[GlossaryEntry], languages: Sequence[str]) -> int:
    """Write ``entries`` as TBX-Basic with a <langSec> per language in ``languages``; returns how many.

    ``languages[0]`` is the source language (the <tbx> element's xml:lang). The file is replaced
    only once it is complete.
    """
    path = Path(path)
    if not languages:
        raise TranslatorError(f"{path}: no languages to write")
    root = etree.Element(f"{{{NS}}}tbx", {"type": DIALECT, "style": "dca", XML_LANG: languages[0]}, nsmap={None: NS})
    header = etree.SubElement(etree.SubElement(root, _tag("tbxHeader")), _tag("fileDesc"))
    source = etree.SubElement(header, _tag("sourceDesc"))
    etree.SubElement(source, _tag("p")).text = f"translator {__version__}"
    body = etree.SubElement(etree.SubElement(root, _tag("text")), _tag("body"))
    count = 0
    for entry in entries:
        element = _entry_element(entry, languages, f"c{count + 1}")
        if element is not None:
            body.append(element)
            count += 1
    if not count:
        raise TranslatorError(f"{path}: no concept has terms in {', '.join(languages)}; nothing to write")
    etree.indent(root, space="  ")
    prolog = "".join(f'<?xml-model href="{href}" type="application/xml" schematypens="{schema}"?>\n'
                     for href, schema in SCHEMAS)
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n' + prolog.encode() + etree.tostring(
        root, encoding="UTF-8", xml_declaration=False)
    replace_file(path, data + b"\n")
    return count


# --- reading -----------------------------------------------------------------------------------


def _parse(path: Path, data: bytes) -> etree._Element:
    # defusedxml refuses entity declarations (billion laughs) and external entities first;
    # lxml then parses with line numbers, loading nothing from anywhere
    scanner = DefusedXMLParser()
    try:
        scanner.feed(data)
        scanner.close()
    except EntitiesForbidden as exc:
        raise TranslatorError(
            f"{path}:{scanner.parser.CurrentLineNumber}: the DOCTYPE declares entity {exc.name};"
            " entity declarations are refused (they can expand into gigabytes)"
        ) from None
    except DefusedXmlException as exc:
        raise TranslatorError(f"{path}:{scanner.parser.CurrentLineNumber}: refused: {exc}") from None
    except SyntaxError:
        pass  # lxml reports it with its line
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        message = _LXML_POSITION.sub("", exc.msg or "")
        raise TranslatorError(f"{path}:{exc.lineno}: not well-formed XML: {message}") from None
    for entity in root.iter(etree.Entity):
        raise _error(path, entity, f"undefined entity {entity.text}")
    return root


def _read_entry(path: Path, element: etree._Element, names: _Names) -> GlossaryEntry:
    notes: list[str] = []
    kind, case_sensitive, whole_segment = None, None, False
    for child in element:
        if child.tag == names.descrip and child.get("type") == "definition":
            notes.append(_text(child))
        elif child.tag != names.note:
            continue
        elif setting := _SETTING.fullmatch(_text(child)):
            if setting["kind"]:
                kind = ConceptKind(setting["kind"])
            elif setting["case"]:
                case_sensitive = setting["case"] == "yes"
            else:
                whole_segment = setting["whole"] == "yes"
        else:
            notes.append(_text(child))
    terms: dict[str, list[str]] = {}
    forbidden: dict[str, list[str]] = {}
    for lang_element in element.iterfind(names.lang):
        lang = _language(path, lang_element)
        preferred, admitted, bad = [], [], []
        for section in lang_element:
            if section.tag in names.sections:
                form, status = _read_term(path, section, names)
                if status is TermStatus.PREFERRED:
                    preferred.append(form)
                elif status is TermStatus.ADMITTED:
                    admitted.append(form)
                else:
                    bad.append(form)
        if preferred or admitted:
            terms.setdefault(lang, []).extend([*preferred, *admitted])
        if bad:
            forbidden.setdefault(lang, []).extend(bad)
    if kind is None:
        kind = ConceptKind.FORBIDDEN if forbidden and not terms else ConceptKind.TITLE
    if kind is ConceptKind.FORBIDDEN:  # every form of a forbidden concept is forbidden
        forbidden = {lang: [*terms.get(lang, []), *forbidden.get(lang, [])] for lang in [*terms, *forbidden]}
        terms = {}
    entry = GlossaryEntry(kind, terms, forbidden, "\n".join(n for n in notes if n), case_sensitive, whole_segment,
                          line=element.sourceline)
    try:
        check_entry(entry)
    except TranslatorError as exc:
        raise _error(path, element, str(exc)) from None
    return entry


def _language(path: Path, element: etree._Element) -> str:
    raw = element.get(XML_LANG)
    if not raw:
        raise _error(path, element, f"<{etree.QName(element).localname}> has no xml:lang")
    try:
        return normalize_code(raw)
    except TranslatorError as exc:
        raise _error(path, element, str(exc)) from None


def _read_term(path: Path, section: etree._Element, names: _Names) -> tuple[str, TermStatus]:
    term = next(section.iter(names.term), None)  # <tig><term>, <ntig><termGrp><term>
    if term is None:
        raise _error(path, section, f"<{etree.QName(section).localname}> has no <term>")
    form = " ".join(_text(term).split())
    if not form:
        raise _error(path, term, "empty <term>")
    status = TermStatus.ADMITTED
    for note in section.iter(names.term_note):
        if note.get("type") == "administrativeStatus":
            value = _text(note)
            if value.lower() not in _READ_STATUS:
                raise _error(path, note, f"administrativeStatus {value!r} is not one of {', '.join(STATUS.values())}")
            status = _READ_STATUS[value.lower()]
    return form, status


def _text(element: etree._Element) -> str:
    return "".join(element.itertext()).strip()


def _error(path: Path, element: etree._Element, what: str) -> TranslatorError:
    return TranslatorError(f"{path}:{element.sourceline}: {what}")


# --- writing -----------------------------------------------------------------------------------


def _tag(name: str) -> str:
    return f"{{{NS}}}{name}"


def _entry_element(entry: GlossaryEntry, languages: Sequence[str], ident: str) -> etree._Element | None:
    sections = []
    for lang in languages:
        allowed, bad = entry.terms.get(lang, []), entry.forbidden.get(lang, [])
        if not allowed and not bad:
            continue
        section = etree.Element(_tag("langSec"), {XML_LANG: lang})
        statuses = [TermStatus.PREFERRED if i == 0 else TermStatus.ADMITTED for i in range(len(allowed))]
        for form, status in [*zip(allowed, statuses), *((f, TermStatus.FORBIDDEN) for f in bad)]:
            term_section = etree.SubElement(section, _tag("termSec"))
            etree.SubElement(term_section, _tag("term")).text = _xml_text(form, entry)
            etree.SubElement(term_section, _tag("termNote"), type="administrativeStatus").text = STATUS[status]
        sections.append(section)
    if not sections:
        return None
    element = etree.Element(_tag("conceptEntry"), id=ident)
    settings = [f"kind: {entry.kind.value}"]
    if entry.case_sensitive is not None and entry.case_sensitive != CASE_SENSITIVE[entry.kind]:
        settings.append(f"case-sensitive: {'yes' if entry.case_sensitive else 'no'}")
    if entry.whole_segment:
        settings.append("whole segment: yes")
    for text in [*settings, *([entry.note] if entry.note else [])]:
        etree.SubElement(element, _tag("note")).text = _xml_text(text, entry)
    element.extend(sections)
    return element


def _xml_text(text: str, entry: GlossaryEntry) -> str:
    if bad := _NOT_XML_CHAR.search(text):
        raise TranslatorError(
            f"{entry.label(next(iter(entry.languages())))!r}: contains U+{ord(bad.group()):04X}, which XML cannot carry"
        )
    return text

"""Gettext PO catalogs of one article in one language (polib), and their compiled MO form (babel).

msgctxt is the segment's stable id (``slug/segment-id``); anything not approved is ``#, fuzzy``;
``#.`` lines carry the exported version and status, ``#`` lines the QA findings and glossary hints.
Reading is strict: a file gettext's ``msgfmt --check`` would refuse is refused whole, with its line.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import polib

from . import replace_file
from ..errors import TranslatorError
from ..exchange import ExchangeFile, ExchangeUnit, unit_key
from ..inputs import TRANSLATIONS, read_input
from ..status import Status

# ASCII digits only, and few enough for int(): "²" passes str.isdigit() but not int()
_KEY = re.compile(r"(?P<slug>[^/\s]+)/(?P<segment>[0-9]{1,18})")
_EXPORTED = re.compile(r"^exported version (?P<version>[0-9]{1,18})(?:, status (?P<status>[a-z]+))?", re.M)
_NUMBER = re.compile(r"[0-9]{1,18}")
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
    data = read_input(path, TRANSLATIONS)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TranslatorError(f"{path}:{line}: not UTF-8 (byte {exc.start}); save the file as UTF-8") from None
    try:
        # a byte order mark is no text: gettext refuses it, editors on Windows write it
        catalog = polib.pofile(_StrictPo().read(text.removeprefix("\ufeff")), encoding="utf-8")
    except _Malformed as exc:
        raise TranslatorError(f"{path}:{exc.line}: not a valid PO file: {exc}") from None
    except (OSError, ValueError) as exc:
        line = _LINE.search(str(exc))
        where = f"{path}:{line.group(1)}" if line else str(path)
        raise TranslatorError(f"{where}: not a valid PO file: {_LINE.sub('', str(exc)).strip()}") from None
    language = (catalog.metadata.get("Language") or "").strip()
    if not language:
        raise TranslatorError(f"{path}: the header names no Language")
    units: list[ExchangeUnit] = []
    slugs: set[str] = set()
    lines: dict[int, int] = {}  # segment id -> the line of its entry
    for entry in catalog:
        if entry.obsolete:
            continue
        key = _KEY.fullmatch(entry.msgctxt or "")
        if key is None:
            raise TranslatorError(f"{path}:{entry.linenum}: entry {entry.msgid[:40]!r} has no segment id "
                                  "(msgctxt slug/number); was this file exported by translator?")
        if entry.msgid_plural:
            raise TranslatorError(f"{path}:{entry.linenum}: plural entries are not segments")
        segment_id = int(key["segment"])
        first = lines.setdefault(segment_id, entry.linenum)
        if first != entry.linenum:
            raise TranslatorError(f"{path}:{entry.linenum}: a second entry for segment {entry.msgctxt} (the first is "
                                  f"at line {first}); one entry per segment")
        slugs.add(key["slug"])
        exported = _EXPORTED.search(entry.comment or "")
        status = exported["status"] if exported and exported["status"] in Status._value2member_map_ else None
        number = entry.occurrences[0][1] if entry.occurrences else ""
        units.append(ExchangeUnit(
            segment_id=segment_id,
            number=int(number) if _NUMBER.fullmatch(number) else 0,
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


# --- strict reading -------------------------------------------------------------------------------
# polib reads what it can: a msgstr whose quotes were lost becomes its text minus the first and last
# character, a msgid without msgstr or a duplicate entry passes, "\101" stays four characters. A full
# parser of our own would duplicate polib's model (comments, flags, references, previous, obsolete);
# instead one pass checks every line against gettext's grammar and refuses what msgfmt --check refuses,
# then hands polib the same lines in a plain form (one literal, escapes polib knows) to build the catalog.

_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[([^\]]*)\])?(?=[ \t\"]|$)")
_LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)(")?')
_ESCAPES = re.compile(r"((?:\\x[0-9A-Fa-f]{1,2}|\\[0-7]{1,3})+)|\\(.)")
_BYTE_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{1,2}|[0-7]{1,3})")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_PLURAL_INDEX = re.compile(r"[ \t]*([0-9]+)[ \t]*", re.ASCII)
_CHARSET = re.compile(r"^Content-Type:.*?charset=([^\s;]+)", re.I | re.M)
_READABLE_CHARSETS = {"utf-8", "utf8", "ascii", "us-ascii", "charset"}  # CHARSET: a template's placeholder
_PREVIOUS_ORDER = ("msgctxt", "msgid", "msgid_plural")


class _Malformed(Exception):
    def __init__(self, line: int, what: str) -> None:
        super().__init__(what)
        self.line = line


class _PoLines(str):
    """PO text that polib splits at "\\n" only, as gettext does: ``str.splitlines`` would also split a
    msgstr at a U+2028 or U+0085 that pasted text carries."""

    def splitlines(self, keepends: bool = False) -> list[str]:  # type: ignore[override]
        return self.split("\n")


@dataclass
class _Entry:
    line: int
    obsolete: bool
    fuzzy: bool
    values: dict[str, str]  # keyword ("msgid", "msgstr[1]") -> decoded text
    plural_forms: int = 0


class _StrictPo:
    """gettext's PO grammar, one line at a time; ``lines`` is what polib is given, line for line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.state = "start"  # start, previous, msgctxt, msgid, msgid_plural, msgstr, msgstr[]
        self.entry: _Entry | None = None
        self.last: str | None = None  # the keyword a continuation string extends
        self.previous: list[str] = []  # the #| keywords of the coming entry
        self.previous_obsolete = False
        self.fuzzy = False  # a "#, fuzzy" line for the coming entry
        self.seen: dict[tuple[str | None, str], int] = {}
        self.header: _Entry | None = None

    def read(self, text: str) -> str:
        if "\x00" in text:
            raise _Malformed(text.count("\n", 0, text.index("\x00")) + 1, "a NUL character")
        for number, raw in enumerate(text.split("\n"), start=1):
            self.lines.append(self._line(number, raw.strip(" \t\r\f\v")))
        self._end_entry()
        if self.state == "previous":
            raise _Malformed(len(self.lines), "#| lines with no entry after them")
        self._check_charset()
        return _PoLines("\n".join(self.lines))

    def _line(self, number: int, line: str) -> str:
        obsolete = previous = False
        if line.startswith("#~"):
            obsolete, line = True, line[2:]
            if line.startswith("|"):
                previous, line = True, line[1:]
            line = line.strip(" \t")
        elif line.startswith("#|"):
            previous, line = True, line[2:].strip(" \t")
        elif line.startswith("#"):
            return self._comment(number, line)
        if not line:
            return ""
        keyword, index, value = self._tokens(number, line)
        if previous:
            self._previous(number, keyword, obsolete)
            self.last = None
        elif keyword is None:
            self._continue(number, obsolete, value)
        else:
            self._keyword(number, keyword, index, obsolete, value)
            self.last = self._key(keyword, index)
        prefix = ("#~| " if previous else "#~ ") if obsolete else ("#| " if previous else "")
        named = f"{self._key(keyword, index)} " if keyword else ""
        return f'{prefix}{named}"{polib.escape(value)}"'

    def _continue(self, number: int, obsolete: bool, value: str) -> None:
        if self.last is None or self.entry is None:
            raise _Malformed(number, "a quoted string that continues nothing (was its keyword lost?)")
        if self.entry.obsolete != obsolete:
            raise _Malformed(number, "inconsistent use of #~: an entry is obsolete in all its lines or in none")
        self.entry.values[self.last] += value

    def _comment(self, number: int, line: str) -> str:
        if self.state == "previous":
            raise _Malformed(number, "a comment after #| lines: those come last, just before msgctxt or msgid")
        self._end_entry()
        self.last = None
        mark, rest = line[1:2], line[2:]
        if mark == ",":
            self.fuzzy = self.fuzzy or "fuzzy" in (flag.strip() for flag in rest.split(","))
        # gettext reads "#,fuzzy" and "#%note" as comments; polib only with a space after the mark
        if mark in (".", ":", ","):
            return f"#{mark} {rest.lstrip()}" if rest.strip() else ""
        return line if mark in ("", " ", "#") else f"# {line[1:]}"

    def _tokens(self, number: int, line: str) -> tuple[str | None, str | None, str]:
        keyword = index = None
        rest = line
        if not line.startswith('"'):
            match = _KEYWORD.match(line)
            if match is None:
                word = re.split(r'[\s"]', line, maxsplit=1)[0] or line[:20]
                raise _Malformed(number, f"{word!r} is not a PO keyword (lines start with msgctxt, msgid, msgstr, "
                                         "a quote or #)")
            keyword, index = match[1], match[2]
            if index is not None:
                digits = _PLURAL_INDEX.fullmatch(index)
                if keyword != "msgstr" or digits is None:
                    raise _Malformed(number, f"{keyword}[{index}]: a plural form is msgstr[0], msgstr[1], ...")
                index = digits[1].lstrip("0") or "0"  # as text: int() refuses 5,000 digits
            rest = line[match.end():].lstrip(" \t")
            if not rest.startswith('"'):
                raise _Malformed(number, f"{keyword} is not followed by a quoted string (were its quotes lost?)")
        parts = []
        while rest:
            literal = _LITERAL.match(rest)
            if literal is None:
                raise _Malformed(number, f"text after the closing quote: {rest[:40]!r}")
            if literal[2] is None:
                raise _Malformed(number, "the string has no closing quote")
            parts.append(self._decode(number, literal[1]))
            rest = rest[literal.end():].lstrip(" \t")
        return keyword, index, "".join(parts)

    def _decode(self, number: int, body: str) -> str:
        if "\\" not in body:
            return body

        def one(match: re.Match[str]) -> str:
            if match[1]:  # octal and hex escapes are bytes, in the file's encoding (UTF-8)
                codes = [int(e[1:], 16) if e[0] == "x" else int(e, 8) for e in _BYTE_ESCAPE.findall(match[1])]
                try:
                    return bytes(codes).decode("utf-8")
                except (ValueError, UnicodeDecodeError):
                    raise _Malformed(number, f"the escapes {match[1]} are not UTF-8 text") from None
            if match[2] not in _SIMPLE_ESCAPES:
                raise _Malformed(number, f"an unknown escape \\{match[2]} (write \\\\ for a backslash)")
            return _SIMPLE_ESCAPES[match[2]]

        value = _ESCAPES.sub(one, body)
        if "\x00" in value:
            raise _Malformed(number, "a NUL character")
        return value

    def _previous(self, number: int, keyword: str | None, obsolete: bool) -> None:
        if self.state in ("msgctxt", "msgid", "msgid_plural"):
            self._incomplete()
        if keyword is None:
            if not self.previous:
                raise _Malformed(number, "a #| string that continues nothing")
            return
        if keyword not in _PREVIOUS_ORDER:
            raise _Malformed(number, f"#| {keyword}: #| lines hold msgctxt, msgid or msgid_plural")
        self._end_entry()
        if self.previous and _PREVIOUS_ORDER.index(self.previous[-1]) >= _PREVIOUS_ORDER.index(keyword):
            raise _Malformed(number, f"#| {keyword} after #| {self.previous[-1]}")
        self.previous.append(keyword)
        self.previous_obsolete = obsolete
        self.state = "previous"

    def _keyword(self, number: int, keyword: str, index: str | None, obsolete: bool, value: str) -> None:
        state = self.state
        if keyword == "msgctxt" or (keyword == "msgid" and state != "msgctxt"):
            if state in ("msgctxt", "msgid", "msgid_plural"):
                self._incomplete()
            if self.previous and self.previous_obsolete != obsolete:
                raise _Malformed(number, "inconsistent use of #~: an entry is obsolete in all its lines or in none")
            self._end_entry()
            self.entry = _Entry(number, obsolete, self.fuzzy, {})
            self.fuzzy, self.previous, self.state = False, [], "start"
        elif self.entry is None or state in ("start", "previous") or (state == "msgctxt" and keyword != "msgid"):
            raise _Malformed(number, f"{self._key(keyword, index)} without msgid")
        elif keyword == "msgid_plural" and state != "msgid":
            raise _Malformed(number, f"msgid_plural after {state}")
        elif keyword == "msgstr" and index is None and state != "msgid":
            raise _Malformed(number, "msgstr after msgid_plural; plural forms are msgstr[0], msgstr[1], ..."
                             if state == "msgid_plural" else "a second msgstr in one entry")
        elif index is not None:
            if state not in ("msgid_plural", "msgstr[]"):
                raise _Malformed(number, f"msgstr[{index}] without msgid_plural")
            if index != str(self.entry.plural_forms):
                raise _Malformed(number, f"msgstr[{index}] where msgstr[{self.entry.plural_forms}] belongs (plural "
                                         "forms are numbered 0, 1, 2, ...)")
            self.entry.plural_forms += 1
        assert self.entry is not None
        if self.entry.obsolete != obsolete:
            raise _Malformed(number, "inconsistent use of #~: an entry is obsolete in all its lines or in none")
        self.entry.values[self._key(keyword, index)] = value
        if keyword == "msgid":
            self.entry.line = number  # msgfmt names an entry by its msgid line
        self.state = "msgstr[]" if index is not None else keyword

    @staticmethod
    def _key(keyword: str, index: str | None) -> str:
        return keyword if index is None else f"{keyword}[{index}]"

    def _incomplete(self) -> None:
        assert self.entry is not None
        missing = {"msgctxt": "msgid", "msgid": "msgstr", "msgid_plural": "msgstr[0]"}[self.state]
        raise _Malformed(self.entry.line, f"{self.state} without {missing}")

    def _end_entry(self) -> None:
        """The entry being read is over (a comment, a new entry or the end came): check it as a whole."""
        if self.state in ("msgctxt", "msgid", "msgid_plural"):
            self._incomplete()
        entry, self.entry = self.entry, None
        if self.state != "previous":
            self.state = "start"
        if entry is None:
            return
        msgid, context = entry.values["msgid"], entry.values.get("msgctxt")
        first = self.seen.setdefault((context, msgid), entry.line)
        if first != entry.line:
            what = f"msgid {msgid[:40]!r}" if context is None else f"msgctxt {context!r}, msgid {msgid[:40]!r}"
            raise _Malformed(entry.line, f"a second entry for {what} (the first is at line {first})")
        if msgid == "" and context is None and not entry.obsolete:
            self.header = self.header or entry
            return
        if entry.fuzzy or entry.obsolete:
            return
        for key, text in entry.values.items():
            # msgfmt --check's rule, so a translation keeps the line breaks its source has at its edges
            if key.startswith("msgstr") and text:
                for edge, test in (("begin", str.startswith), ("end", str.endswith)):
                    if test(msgid, "\n") != test(text, "\n"):
                        raise _Malformed(entry.line, f"msgid and {key} do not both {edge} with a line break")

    def _check_charset(self) -> None:
        if self.header is None:
            return
        charset = _CHARSET.search(self.header.values.get("msgstr", ""))
        if charset and charset[1].lower() not in _READABLE_CHARSETS:
            raise _Malformed(self.header.line, f"the header says charset {charset[1]}; translator reads UTF-8 PO "
                                               "files (convert with 'msgconv --to-code=UTF-8')")

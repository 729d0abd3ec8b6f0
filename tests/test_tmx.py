"""A desk exports its translation memory as TMX 1.4b, reads it back, and imports TMX from other tools.

Bad files are refused with the file and line of the problem, and nothing half-read is returned.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from io import BytesIO
from pathlib import Path

import pytest
from lxml import etree

from translator.errors import TranslatorError
from translator.formats.tmx import TmxUnit, read_tmx, write_tmx

UTC = timezone.utc
CREATED = datetime(2024, 3, 1, 12, 0, 0, tzinfo=UTC)

# The element and attribute declarations of the TMX 1.4b DTD (tmx14.dtd), without its comments
# and its SGML-compatibility entities, so the written file can be validated offline.
TMX14_DTD = """
<!ENTITY % segtypes "block|paragraph|sentence|phrase">
<!ELEMENT tmx (header, body)>
<!ATTLIST tmx version CDATA #FIXED "1.4">
<!ELEMENT header (note|prop|ude)*>
<!ATTLIST header
   creationtool CDATA #REQUIRED  creationtoolversion CDATA #REQUIRED
   segtype (%segtypes;) #REQUIRED  o-tmf CDATA #REQUIRED  adminlang CDATA #REQUIRED
   srclang CDATA #REQUIRED  datatype CDATA #REQUIRED  o-encoding CDATA #IMPLIED
   creationdate CDATA #IMPLIED  creationid CDATA #IMPLIED
   changedate CDATA #IMPLIED  changeid CDATA #IMPLIED>
<!ELEMENT body (tu*)>
<!ELEMENT note (#PCDATA)>
<!ATTLIST note o-encoding CDATA #IMPLIED  xml:lang CDATA #IMPLIED  lang CDATA #IMPLIED>
<!ELEMENT ude (map+)>
<!ATTLIST ude name CDATA #REQUIRED  base CDATA #IMPLIED>
<!ELEMENT map EMPTY>
<!ATTLIST map unicode CDATA #REQUIRED  code CDATA #IMPLIED  ent CDATA #IMPLIED
   subst CDATA #IMPLIED>
<!ELEMENT prop (#PCDATA)>
<!ATTLIST prop type CDATA #REQUIRED  xml:lang CDATA #IMPLIED  o-encoding CDATA #IMPLIED
   lang CDATA #IMPLIED>
<!ELEMENT tu ((note|prop)*, tuv+)>
<!ATTLIST tu
   tuid CDATA #IMPLIED  o-encoding CDATA #IMPLIED  datatype CDATA #IMPLIED
   usagecount CDATA #IMPLIED  lastusagedate CDATA #IMPLIED  creationtool CDATA #IMPLIED
   creationtoolversion CDATA #IMPLIED  creationdate CDATA #IMPLIED  creationid CDATA #IMPLIED
   changedate CDATA #IMPLIED  segtype (%segtypes;) #IMPLIED  changeid CDATA #IMPLIED
   o-tmf CDATA #IMPLIED  srclang CDATA #IMPLIED>
<!ELEMENT tuv ((note|prop)*, seg)>
<!ATTLIST tuv
   xml:lang CDATA #REQUIRED  o-encoding CDATA #IMPLIED  datatype CDATA #IMPLIED
   usagecount CDATA #IMPLIED  lastusagedate CDATA #IMPLIED  creationtool CDATA #IMPLIED
   creationtoolversion CDATA #IMPLIED  creationdate CDATA #IMPLIED  creationid CDATA #IMPLIED
   changedate CDATA #IMPLIED  o-tmf CDATA #IMPLIED  changeid CDATA #IMPLIED
   lang CDATA #IMPLIED>
<!ELEMENT seg (#PCDATA|bpt|ept|ph|it|hi|ut)*>
<!ELEMENT bpt (#PCDATA|sub)*>
<!ATTLIST bpt i CDATA #REQUIRED  x CDATA #IMPLIED  type CDATA #IMPLIED>
<!ELEMENT ept (#PCDATA|sub)*>
<!ATTLIST ept i CDATA #REQUIRED>
<!ELEMENT sub (#PCDATA|bpt|ept|it|ph|hi|ut)*>
<!ATTLIST sub datatype CDATA #IMPLIED  type CDATA #IMPLIED>
<!ELEMENT it (#PCDATA|sub)*>
<!ATTLIST it pos (begin|end) #REQUIRED  x CDATA #IMPLIED  type CDATA #IMPLIED>
<!ELEMENT ph (#PCDATA|sub)*>
<!ATTLIST ph x CDATA #IMPLIED  assoc CDATA #IMPLIED  type CDATA #IMPLIED>
<!ELEMENT hi (#PCDATA|bpt|ept|it|ph|hi|ut)*>
<!ATTLIST hi x CDATA #IMPLIED  type CDATA #IMPLIED>
<!ELEMENT ut (#PCDATA|sub)*>
<!ATTLIST ut x CDATA #IMPLIED>
"""

# What another CAT tool might export: the header's srclang in upper case, a tu in three
# languages with the source in the middle, a tu with its own srclang, inline codes, a comment.
FOREIGN_TMX = """\
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE tmx SYSTEM "tmx14.dtd">
<tmx version="1.4">
  <header creationtool="OtherCAT" creationtoolversion="9.2" segtype="sentence"
          o-tmf="OtherCAT TM" adminlang="en-US" srclang="EN-US" datatype="html"
          creationdate="20240102T030405Z">
    <prop type="x-project">Elections 2024</prop>
  </header>
  <body>
    <tu tuid="1" creationdate="20240102T030405Z" creationid="anna">
      <prop type="x-origin">tm</prop>
      <prop type="x-approved">yes</prop>
      <note>Headline</note>
      <tuv xml:lang="de"><seg>Die Wahllokale schließen um <ph x="1">&lt;b&gt;</ph>20 Uhr<ph x="2">&lt;/b&gt;</ph>.</seg></tuv>
      <tuv xml:lang="en-us"><seg>Polls close at <ph x="1">&lt;b&gt;</ph>8 pm<ph x="2">&lt;/b&gt;</ph>.</seg></tuv>
      <tuv xml:lang="fr" changedate="20240105T101010Z" changeid="luc">
        <prop type="x-approved">no</prop>
        <note>checked by the desk</note>
        <seg>Les bureaux de vote ferment à <ph x="1">&lt;b&gt;</ph>20 h<ph x="2">&lt;/b&gt;</ph>.</seg>
      </tuv>
    </tu>
    <tu tuid="2" srclang="de">
      <tuv xml:lang="EN-US"><seg>The <hi type="b">vote</hi> is  <bpt i="1">&lt;i&gt;</bpt>open<ept i="1">&lt;/i&gt;</ept></seg></tuv>
      <tuv xml:lang="de"><seg>Die <hi type="b">Wahl</hi> ist  <bpt i="1">&lt;i&gt;</bpt>offen<ept i="1">&lt;/i&gt;</ept><!-- reviewer: ok --></seg></tuv>
    </tu>
    <tu tuid="3">
      <tuv xml:lang="en-US"><seg>Not yet translated</seg></tuv>
    </tu>
  </body>
</tmx>
"""


def _units() -> list[TmxUnit]:
    return [
        TmxUnit(
            "en", "de",
            'He said: "Rates rise <5% & fall >2%".',
            "Er sagte: „Zinsen steigen <5 % & fallen >2 %“.",
            created=CREATED, changed=CREATED + timedelta(days=1, seconds=7),
            creator="anna", origin="mt", approved=True, note="Quote\nkeep as is",
        ),
        TmxUnit("en", "ru", "  Two lines\nand a tab\there  ", "  Две строки\nи\tтаб  "),
        TmxUnit("en", "zh-Hant", "Moscow 🇷🇺 ↔ Beijing 🐼", "莫斯科 🇷🇺 ↔ 北京 🐼", approved=False),
        TmxUnit("EN", "ar", "Windows line\r\nend", "سطر\r\nنهاية", origin="", note=""),
        # A pair whose source is not the file's source language (a back-translation).
        TmxUnit("de", "en", "Guten Morgen", "Good morning", creator="luc"),
    ]


def test_round_trip_keeps_every_field(tmp_path: Path):
    path = tmp_path / "memory.tmx"
    units = _units()

    written = write_tmx(path, iter(units), source_lang="en", tool_version="0.1.0", created=CREATED)

    assert written == len(units)
    assert read_tmx(path) == units


def test_written_file_is_valid_tmx_14(tmp_path: Path):
    path = tmp_path / "memory.tmx"
    write_tmx(path, _units(), source_lang="en", tool_version="0.1.0", created=CREATED)

    raw = path.read_bytes()
    assert raw.startswith(b"<?xml version='1.0' encoding='UTF-8'?>\n")
    assert b'<!DOCTYPE tmx SYSTEM "tmx14.dtd">' in raw
    tree = etree.parse(BytesIO(raw), etree.XMLParser(load_dtd=False, no_network=True))
    dtd = etree.DTD(BytesIO(TMX14_DTD.encode()))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    header = tree.getroot().find("header")
    assert dict(header.attrib) == {
        "creationtool": "translator", "creationtoolversion": "0.1.0", "segtype": "sentence",
        "o-tmf": "translator", "adminlang": "en", "srclang": "en", "datatype": "plaintext",
        "creationdate": "20240301T120000Z",
    }
    first = tree.getroot().find("body/tu")
    assert first.get("creationdate") == "20240301T120000Z"
    assert first.get("changedate") == "20240302T120007Z"
    assert [prop.text for prop in first.iterfind("prop")] == ["mt", "yes"]


def test_same_units_give_the_same_bytes_in_input_order(tmp_path: Path):
    first, second = tmp_path / "a.tmx", tmp_path / "b.tmx"
    write_tmx(first, _units(), "en", "0.1.0", created=CREATED)
    write_tmx(second, _units(), "en", "0.1.0", created=CREATED)

    assert first.read_bytes() == second.read_bytes()
    assert [u.target_lang for u in read_tmx(first)] == ["de", "ru", "zh-Hant", "ar", "en"]


def test_reads_a_multilingual_tmx_from_another_tool(tmp_path: Path):
    path = tmp_path / "other.tmx"
    path.write_text(FOREIGN_TMX, encoding="utf-8")
    dtd = etree.DTD(BytesIO(TMX14_DTD.encode()))
    assert dtd.validate(etree.parse(str(path))), "the fixture itself must be valid TMX 1.4b"

    units = read_tmx(path)

    anna = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert units == [
        TmxUnit(
            "en-us", "de", "Polls close at <b>8 pm</b>.", "Die Wahllokale schließen um <b>20 Uhr</b>.",
            created=anna, creator="anna", origin="tm", approved=True, note="Headline",
        ),
        TmxUnit(
            "en-us", "fr", "Polls close at <b>8 pm</b>.", "Les bureaux de vote ferment à <b>20 h</b>.",
            created=anna, changed=datetime(2024, 1, 5, 10, 10, 10, tzinfo=UTC), creator="anna",
            origin="tm", approved=False, note="Headline\nchecked by the desk",
        ),
        TmxUnit("de", "EN-US", "Die Wahl ist  <i>offen</i>", "The vote is  <i>open</i>"),
    ]


def test_header_srclang_all_takes_the_first_tuv_as_source(tmp_path: Path):
    path = tmp_path / "all.tmx"
    path.write_text(
        FOREIGN_TMX.replace('srclang="EN-US"', 'srclang="*all*"'), encoding="utf-8"
    )

    pairs = [(u.source_lang, u.target_lang) for u in read_tmx(path)]

    assert pairs == [("de", "en-us"), ("de", "fr"), ("de", "EN-US")]


def _doc(body: str, header: str = 'srclang="en"') -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'  # line 1
        '<tmx version="1.4">\n'  # line 2
        '<header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t"'
        f' adminlang="en" datatype="plaintext" {header}/>\n'  # line 3
        "<body>\n"  # line 4
        f"{body}\n"  # line 5 onwards
        "</body>\n</tmx>\n"
    )


GOOD_TU = '<tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="de"><seg>b</seg></tuv></tu>'
# Each entity expands to ten of the previous one: lol9 would be a billion "lol"s.
BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE tmx [\n <!ENTITY lol0 "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
    + ']>\n<tmx version="1.4"><header/><body><tu><tuv xml:lang="en"><seg>&lol9;</seg>'
    "</tuv></tu></body></tmx>\n"
)


@pytest.mark.parametrize(
    ("content", "line", "complaint"),
    [
        pytest.param(_doc(GOOD_TU + "\n<tu>\n<tuv xml:lang='en'><seg>x</tuv></tu>"), 7,
                     "not well-formed", id="malformed-xml"),
        pytest.param(BILLION_LAUGHS, 3, "entity lol0", id="billion-laughs"),
        pytest.param(_doc(GOOD_TU + '\n<tu>\n<tuv xml:lang="de"><seg>b</seg></tuv></tu>'), 6,
                     "no <tuv> in its source language en", id="tu-without-source-tuv"),
        pytest.param(_doc(GOOD_TU + "\n<tu>\n<tuv><seg>b</seg></tuv></tu>"), 7,
                     "no xml:lang", id="missing-xml-lang"),
        pytest.param(_doc('<tu creationdate="2024-01-02">\n<tuv xml:lang="en"><seg>a</seg></tuv>'
                          '<tuv xml:lang="de"><seg>b</seg></tuv></tu>'), 5,
                     "'2024-01-02' is not a date", id="bad-date"),
        pytest.param(_doc('<tu><tuv xml:lang="en"><seg>a</seg></tuv>\n<tuv xml:lang="de"/></tu>'),
                     6, "exactly one <seg>", id="tuv-without-seg"),
        pytest.param(_doc(GOOD_TU, header=""), 5, "no srclang", id="no-srclang-anywhere"),
        pytest.param(_doc('<tu><tuv xml:lang="en"><seg>a&nbsp;b</seg></tuv></tu>').replace(
            "<tmx", '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n<tmx'), 6, "undefined entity &nbsp;",
            id="undefined-entity"),
        pytest.param('<?xml version="1.0"?>\n<xliff version="1.2"/>\n', 2, "expected <tmx>",
                     id="not-tmx"),
        pytest.param('<tmx version="1.4">\n<body/></tmx>', 1, "no <header>", id="no-header"),
    ],
)
def test_bad_files_are_refused_with_their_line(tmp_path: Path, content, line, complaint):
    path = tmp_path / "bad.tmx"
    path.write_text(content, encoding="utf-8")

    with pytest.raises(TranslatorError) as caught:
        read_tmx(path)

    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert complaint in message
    assert "\n" not in message


def test_a_missing_file_is_a_user_error(tmp_path: Path):
    with pytest.raises(TranslatorError, match="cannot read"):
        read_tmx(tmp_path / "nowhere.tmx")


@pytest.mark.parametrize(
    ("bad_unit", "complaint"),
    [
        (TmxUnit("en", "de", "Bell\x07", "Glocke"), "source contains U+0007"),
        (TmxUnit("en", "de", "Form feed", "ok", note="page\x0cbreak"), "note contains U+000C"),
        (TmxUnit("en", "EN", "Same", "Same"), "both"),
    ],
)
def test_a_unit_xml_cannot_carry_is_named_and_the_old_file_kept(tmp_path: Path, bad_unit, complaint):
    path = tmp_path / "memory.tmx"
    write_tmx(path, _units(), "en", "0.1.0", created=CREATED)
    before = path.read_bytes()

    with pytest.raises(TranslatorError) as caught:
        write_tmx(path, [*_units(), bad_unit], "en", "0.1.0", created=CREATED)

    assert str(caught.value).startswith("unit 6 (")
    assert complaint in str(caught.value)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["memory.tmx"]  # no temporary file left behind


def test_writing_into_a_missing_folder_is_a_user_error(tmp_path: Path):
    with pytest.raises(TranslatorError, match="cannot write"):
        write_tmx(tmp_path / "no" / "memory.tmx", _units(), "en", "0.1.0")

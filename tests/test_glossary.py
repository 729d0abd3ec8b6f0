"""A desk keeps a glossary of names, titles and places: imports the default one, exchanges it as
CSV and TBX-Basic, edits it from the command line, and finds its terms in the example article.

Bad files are refused with the file and line of the problem, and nothing of them is imported.
"""

from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
from lxml import etree
from sqlalchemy import func, select

from translator.db import get_engine, transaction, upgrade
from translator.errors import TranslatorError
from translator.formats.glossary_csv import read_glossary_csv, write_glossary_csv
from translator.formats.tbx import read_tbx, write_tbx
from translator.glossary import (
    ConceptKind,
    Glossary,
    GlossaryEntry,
    adherence,
    check_entry,
    export_glossary,
    import_glossary,
    load_entries,
)
from translator.models import Article, Concept, Segment, Term, TermStatus, Translation
from translator.workspace import render_config

from conftest import ARTICLE

DEFAULT = Path(__file__).resolve().parent.parent / "glossary" / "world-news.csv"
SENTENCES = ARTICLE.read_text(encoding="utf-8").splitlines()
PUTIN_XI = SENTENCES[1].split(" on February")[0] + "."  # "Russian President Vladimir Putin and ... held ..."
NS = {"t": "urn:iso:std:iso:30042:ed-2"}

# The structure of TBX-Basic in the DCA style (TBX v3, ISO 30042:2019) for what a glossary
# uses, with the dialect's picklists, written from the TBX-Basic definition so it runs offline.
TBX_BASIC_RNG = """
<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="urn:iso:std:iso:30042:ed-2"
         datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start>
    <element name="tbx">
      <attribute name="type"><value>TBX-Basic</value></attribute>
      <attribute name="style"><value>dca</value></attribute>
      <attribute name="xml:lang"><data type="language"/></attribute>
      <element name="tbxHeader">
        <element name="fileDesc">
          <optional><element name="titleStmt"><element name="title"><text/></element></element></optional>
          <oneOrMore>
            <element name="sourceDesc"><oneOrMore><element name="p"><text/></element></oneOrMore></element>
          </oneOrMore>
        </element>
      </element>
      <element name="text">
        <element name="body"><oneOrMore><ref name="conceptEntry"/></oneOrMore></element>
      </element>
    </element>
  </start>
  <define name="conceptEntry">
    <element name="conceptEntry">
      <attribute name="id"><data type="ID"/></attribute>
      <zeroOrMore><choice><ref name="note"/><ref name="descrip"/><ref name="admin"/></choice></zeroOrMore>
      <oneOrMore>
        <element name="langSec">
          <attribute name="xml:lang"><data type="language"/></attribute>
          <zeroOrMore><choice><ref name="note"/><ref name="descrip"/></choice></zeroOrMore>
          <oneOrMore>
            <element name="termSec">
              <element name="term"><text/></element>
              <zeroOrMore><ref name="termNote"/></zeroOrMore>
              <zeroOrMore><choice><ref name="note"/><ref name="descrip"/><ref name="admin"/></choice></zeroOrMore>
            </element>
          </oneOrMore>
        </element>
      </oneOrMore>
    </element>
  </define>
  <define name="termNote">
    <element name="termNote">
      <choice>
        <group>
          <attribute name="type"><value>administrativeStatus</value></attribute>
          <choice>
            <value>preferredTerm-admn-sts</value><value>admittedTerm-admn-sts</value>
            <value>deprecatedTerm-admn-sts</value><value>supersededTerm-admn-sts</value>
          </choice>
        </group>
        <group>
          <attribute name="type"><value>partOfSpeech</value></attribute>
          <choice>
            <value>noun</value><value>verb</value><value>adjective</value><value>adverb</value><value>other</value>
          </choice>
        </group>
        <group>
          <attribute name="type"><value>termType</value></attribute>
          <choice>
            <value>fullForm</value><value>acronym</value><value>abbreviation</value>
            <value>shortForm</value><value>variant</value><value>phrase</value>
          </choice>
        </group>
      </choice>
    </element>
  </define>
  <define name="note"><element name="note"><text/></element></define>
  <define name="descrip">
    <element name="descrip">
      <attribute name="type">
        <choice><value>definition</value><value>subjectField</value><value>context</value></choice>
      </attribute>
      <text/>
    </element>
  </define>
  <define name="admin">
    <element name="admin">
      <attribute name="type">
        <choice><value>source</value><value>customerSubset</value><value>projectSubset</value></choice>
      </attribute>
      <text/>
    </element>
  </define>
</grammar>
"""


@pytest.fixture(scope="module")
def default_entries() -> list[GlossaryEntry]:
    return read_glossary_csv(DEFAULT)


def _pairs(glossary: Glossary, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.target) for m in glossary.find(text)]


def _concepts(workspace) -> int:
    with transaction(workspace.database_url, write=False) as session:
        return session.scalar(select(func.count()).select_from(Concept))


# --- the default glossary and the files --------------------------------------------------------


def test_the_default_glossary_imports_once_and_updates_on_reimport(workspace):
    with transaction(workspace.database_url) as session:
        first = import_glossary(session, DEFAULT, "en", "anna")
    with transaction(workspace.database_url) as session:
        again = import_glossary(session, DEFAULT, "en", "anna")

    assert (first.added, first.updated, first.removed) == (101, 0, 0)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 101)
    assert _concepts(workspace) == 101
    with transaction(workspace.database_url, write=False) as session:
        putin = session.scalars(select(Term).where(Term.language == "de", Term.text == "Wladimir Putin")).one()
        assert (putin.status, putin.position, putin.case_sensitive) == (TermStatus.PREFERRED, 0, True)
        assert putin.concept.origin == "world-news.csv"
        forms = {(t.language, t.text): t.status for t in putin.concept.terms}
        assert forms[("de", "Vladimir Putin")] is TermStatus.FORBIDDEN
        assert forms[("fr", "Poutine")] is TermStatus.ADMITTED


def test_the_default_glossary_covers_the_example_article(default_entries):
    names = {e.terms["en"][0] for e in default_entries if "en" in e.terms}
    for name in ["Vladimir Putin", "Xi Jinping", "Keir Starmer", "Mark Carney", "Friedrich Merz", "Kim Jong-un",
                 "SWP Berlin", "Channel News Asia", "Council on Foreign Relations", "APEC", "Tsushima Strait",
                 "Kremlin", "Beijing", "Moscow", "Ukraine", "President", "Prime Minister", "Chancellor",
                 "Foreign Minister", "United Nations", "NATO", "European Union", "European Commission",
                 "Nederlands", "English", "Deutsch", "Français", "Español", "Português"]:
        assert name in names
    by_name = {e.terms["en"][0]: e for e in default_entries if "en" in e.terms}
    assert [by_name["Vladimir Putin"].terms[lang][0] for lang in ("nl", "de", "fr", "es", "pt")] == [
        "Vladimir Poetin", "Wladimir Putin", "Vladimir Poutine", "Vladímir Putin", "Vladimir Putin"]
    assert by_name["President"].terms["de"][:3] == ["Präsident", "Präsidenten", "Präsidentin"]
    assert by_name["English"].whole_segment and by_name["English"].kind is ConceptKind.DO_NOT_TRANSLATE


def test_editing_the_file_and_importing_it_again_updates_adds_and_removes(workspace, tmp_path: Path):
    path = tmp_path / "desk.csv"
    path.write_text("kind,note,en,de\nname,,Vladimir Putin|Putin,Wladimir Putin|Putin\n"
                    "name,,Beijing,Peking\ntitle,,President,Präsident\n", encoding="utf-8")
    with transaction(workspace.database_url) as session:
        import_glossary(session, path, "en", "anna")
    path.write_text("kind,note,en,de,fr\nname,Russia,Vladimir Putin|Putin,Wladimir Putin|Putin,Vladimir Poutine\n"
                    "title,,President,Präsident\nname,,Moscow,Moskau,Moscou\n", encoding="utf-8")

    with transaction(workspace.database_url) as session:
        report = import_glossary(session, path, "en", "anna")

    assert (report.added, report.updated, report.unchanged, report.removed) == (1, 1, 1, 1)
    with transaction(workspace.database_url, write=False) as session:
        entries = {e.terms["en"][0]: e for e in load_entries(session)}
    assert sorted(entries) == ["Moscow", "President", "Vladimir Putin"]
    assert entries["Vladimir Putin"].terms["fr"] == ["Vladimir Poutine"]
    assert entries["Vladimir Putin"].note == "Russia"


def test_tbx_round_trip_keeps_every_concept(tmp_path: Path, default_entries):
    path = tmp_path / "world-news.tbx"

    written = write_tbx(path, default_entries, ["en", "nl", "de", "fr", "es", "pt", "pt-BR"])

    assert written == len(default_entries)
    assert read_tbx(path) == default_entries


def test_export_from_one_desk_imports_unchanged_at_another(workspace, tmp_path: Path):
    with transaction(workspace.database_url) as session:
        import_glossary(session, DEFAULT, "en", "anna")
        export_glossary(session, tmp_path / "desk.tbx", "en")
        export_glossary(session, tmp_path / "desk.csv", "en")

    assert read_tbx(tmp_path / "desk.tbx") == read_glossary_csv(DEFAULT)
    assert read_glossary_csv(tmp_path / "desk.csv") == read_glossary_csv(DEFAULT)
    header = (tmp_path / "desk.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == "kind,note,case_sensitive,whole_segment,en,nl,de,fr,es,pt,pt-BR"  # the file's column order


def test_written_tbx_is_tbx_basic(tmp_path: Path, default_entries):
    path = tmp_path / "world-news.tbx"
    write_tbx(path, default_entries, ["en", "nl", "de", "fr", "es", "pt", "pt-BR"])
    raw = path.read_bytes()

    tree = etree.parse(BytesIO(raw), etree.XMLParser(no_network=True, load_dtd=False))
    schema = etree.RelaxNG(etree.fromstring(TBX_BASIC_RNG.encode()))
    assert schema.validate(tree), schema.error_log.filter_from_errors()
    root = tree.getroot()
    assert root.tag == "{urn:iso:std:iso:30042:ed-2}tbx"
    assert (root.get("type"), root.get("style"), root.get("{http://www.w3.org/XML/1998/namespace}lang")) == (
        "TBX-Basic", "dca", "en")
    assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<?xml-model href="https://raw.githubusercontent'
                          b'.com/LTAC-Global/TBX-Basic_dialect/master/DCA/TBXcoreStructV03_TBX-Basic_integrated.rng"')
    ids = root.xpath("//t:conceptEntry/@id", namespaces=NS)
    assert len(ids) == len(set(ids)) == len(default_entries)
    putin = root.xpath("//t:conceptEntry[t:langSec/t:termSec/t:term='Wladimir Putin']", namespaces=NS)[0]
    assert [n.text for n in putin.iterfind("t:note", NS)] == ["kind: name", "Russia; head of state"]
    statuses = putin.xpath("t:langSec[@xml:lang='de']/t:termSec/t:termNote[@type='administrativeStatus']/text()",
                           namespaces=NS)
    assert statuses == ["preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts"]


def test_reads_tbx_from_other_tools(tmp_path: Path):
    path = tmp_path / "other.tbx"
    path.write_text("""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">
<martif type="TBX" xml:lang="en-US">
  <martifHeader><fileDesc><sourceDesc><p>Other CAT tool</p></sourceDesc></fileDesc></martifHeader>
  <text><body>
    <termEntry id="t1">
      <descrip type="definition">A head of state</descrip>
      <langSet xml:lang="en"><tig><term>head of state</term></tig></langSet>
      <langSet xml:lang="de-DE">
        <tig><term>Staatsoberhaupt</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></tig>
        <ntig><termGrp><term>Staatschef</term></termGrp></ntig>
      </langSet>
    </termEntry>
    <termEntry id="t2">
      <langSet xml:lang="en">
        <tig><term>Red China</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></tig>
      </langSet>
    </termEntry>
  </body></text>
</martif>
""", encoding="utf-8")

    assert read_tbx(path) == [
        GlossaryEntry(ConceptKind.TITLE, {"en": ["head of state"], "de-DE": ["Staatsoberhaupt", "Staatschef"]},
                      note="A head of state"),
        GlossaryEntry(ConceptKind.FORBIDDEN, {}, {"en": ["Red China"]}),
    ]


def test_a_semicolon_csv_from_a_spreadsheet_with_a_bom_reads_the_same(tmp_path: Path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffkind;note;en;DE;pt_br\r\nname;\"Russia; head of state\";Vladimir Putin|Putin;"
                     "Wladimir Putin | Putin | !Vladimir Putin;Vladimir Putin\r\n".encode("utf-8"))

    assert read_glossary_csv(path) == [GlossaryEntry(
        ConceptKind.NAME, {"en": ["Vladimir Putin", "Putin"], "de": ["Wladimir Putin", "Putin"],
                           "pt-BR": ["Vladimir Putin"]},
        {"de": ["Vladimir Putin"]}, note="Russia; head of state")]


def test_csv_round_trip_writes_only_the_languages_asked_for(tmp_path: Path, default_entries):
    path = tmp_path / "de.csv"

    write_glossary_csv(path, default_entries, ["en", "de"])

    again = read_glossary_csv(path)
    assert len(again) == len(default_entries)
    assert again[0].terms == {"en": ["Vladimir Putin", "Putin"], "de": ["Wladimir Putin", "Putin"]}
    assert again[0].forbidden == {"de": ["Vladimir Putin"]}


# --- matching ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def de(default_entries) -> Glossary:
    return Glossary(default_entries, "en", "de")


def test_finds_titles_and_names_in_the_article(default_entries, de):
    assert _pairs(de, PUTIN_XI) == [
        ("President", "Präsident"), ("Vladimir Putin", "Wladimir Putin"),
        ("President", "Präsident"), ("Xi Jinping", "Xi Jinping"),
    ]
    expected = {"nl": "Vladimir Poetin", "fr": "Vladimir Poutine", "es": "Vladímir Putin", "pt": "Vladimir Putin"}
    for lang, putin in expected.items():
        assert _pairs(Glossary(default_entries, "en", lang), PUTIN_XI)[1] == ("Vladimir Putin", putin)
    chancellor = "with German Chancellor Friedrich Merz scheduled to visit Beijing later this month."
    assert _pairs(de, chancellor) == [("Chancellor", "Bundeskanzler"), ("Friedrich Merz", "Friedrich Merz"),
                                      ("Beijing", "Peking")]
    assert [_pairs(Glossary(default_entries, "en", lang), chancellor)[0][1] for lang in ("fr", "nl", "es", "pt")] == [
        "chancelier", "bondskanselier", "canciller", "chanceler"]


def test_finds_every_name_of_the_article(de):
    found = {m.concept for line in SENTENCES for m in de.find(line)}

    assert {"Keir Starmer", "Mark Carney", "Kim Jong-un", "SWP Berlin", "Channel News Asia", "APEC",
            "Council on Foreign Relations", "Tsushima Strait", "Prime Minister", "United States"} <= found
    assert _pairs(de, "where Putin was flanked by North Korean leader Kim Jong-un.") == [
        ("Putin", "Putin"), ("Kim Jong-un", "Kim Jong Un")]
    assert _pairs(de, "operations through the Tsushima Strait.") == [("Tsushima Strait", "Tsushimastraße")]


def test_a_surname_alone_asks_for_the_target_surname(default_entries, de):
    assert _pairs(de, "Putin stated during the call, addressing Xi as his friend.") == [
        ("Putin", "Putin"), ("Xi", "Xi")]
    assert _pairs(Glossary(default_entries, "en", "fr"), "President Putin met Zelenskyy.") == [
        ("President", "président"), ("Putin", "Poutine"), ("Zelenskyy", "Zelensky")]
    assert _pairs(de, "Zelenskyy met Volodymyr Zelenskyy's aides.") == [
        ("Zelenskyy", "Selenskyj"), ("Volodymyr Zelenskyy", "Wolodymyr Selenskyj")]


@pytest.mark.parametrize(("text", "expected"), [
    ("Putin's war", [("Putin", "Putin")]),
    ("Putin’s war", [("Putin", "Putin")]),
    ("the pro-Putin camp", [("Putin", "Putin")]),
    ("Putinism and Putinists", []),
    ("the president said", [("president", "Präsident")]),
    ("PRESIDENT", [("PRESIDENT", "Präsident")]),
    ("putin is not a name in lower case", []),
    ("the PM left at 8 pm", [("PM", "Premierminister")]),
    ("the Prime Minister and the minister", [("Prime Minister", "Premierminister"), ("minister", "Minister")]),
    ("Vice President Vance", [("Vice President", "Vizepräsident"), ("Vance", "Vance")]),
    ("the Chancellor of the Exchequer", [("Chancellor of the Exchequer", "Schatzkanzler")]),
    ("the UN Security Council and the UN", [("UN Security Council", "UN-Sicherheitsrat"), ("UN", "UN")]),
    ("the Security Council", [("Security Council", "Sicherheitsrat")]),
    ("Asia-Pacific Economic Cooperation", [("Asia-Pacific Economic Cooperation",
                                           "Asiatisch-Pazifische Wirtschaftskooperation")]),
    ("the Nato summit", [("Nato", "Nato")]),
    ("U.S. hegemony", [("U.S.", "USA")]),
    ("Kiev and Kyiv", [("Kiev", "Kiew"), ("Kyiv", "Kiew")]),
    ("Russia-China relationship", [("Russia", "Russland"), ("China", "China")]),
    ("South China Sea", [("South China Sea", "Südchinesisches Meer")]),
    ("English", [("English", "English")]),
    ("  Nederlands \n", [("Nederlands", "Nederlands")]),
    ("English-language media", []),
])
def test_matching_rules(de, text, expected):
    assert _pairs(de, text) == expected


def test_offsets_point_into_the_text(de):
    text = "Kim  Jong‑un met Putin."  # two spaces and a non-breaking hyphen

    matches = de.find(text)

    assert [(text[m.start:m.end], m.source) for m in matches] == [("Kim  Jong‑un", "Kim Jong-un"), ("Putin", "Putin")]


def test_adherence_accepts_variants_but_not_a_part_of_the_name(de):
    matches = de.find(PUTIN_XI)

    kept, missing = adherence("Der russische Präsident Vladimir Putin und Chinas Staatspräsident Xi Jinping", matches)

    assert [m.text for m in missing] == ["Vladimir Putin"]  # "Putin" alone does not stand in for "Wladimir Putin"
    assert [m.text for m in kept] == ["President", "President", "Xi Jinping"]
    assert [de.occurrences("Präsident Putin traf Präsidentin Xi", m) for m in matches] == [2, 0, 2, 0]
    assert [u.text for u in de.forbidden_used("Der russische Präsident Vladimir Putin")] == ["Vladimir Putin"]
    assert de.forbidden_used("Der russische Präsident Wladimir Putin") == []


def test_adherence_is_case_insensitive_for_titles_and_allows_a_genitive(default_entries, de):
    fr = Glossary(default_entries, "en", "fr")
    [president] = fr.find("President")
    assert fr.present("Président de la Russie", president)
    [kremlin] = de.find("the Kremlin's view")
    assert de.present("die Sicht des Kremls", kremlin)
    [minister] = de.find("the Health Minister")
    assert de.present("der Gesundheitsminister", minister)  # German titles end compounds
    [putin] = de.find("Putin")
    assert de.present("Putins Krieg", putin)
    assert not de.present("Putinismus", putin)
    assert not de.present("Wladimir Putin", de.find("Kim Jong-un")[0])


def test_forbidden_concepts_and_forms_are_flagged_in_translations(default_entries):
    fr = Glossary(default_entries, "en", "fr")

    used = fr.forbidden_used("Le président Putin parle du tiers-monde.")

    assert [(u.text, u.use_instead) for u in used] == [("Putin", "Vladimir Poutine"), ("tiers-monde", None)]
    assert fr.find("the Third World") == []  # nothing to require: only to flag in translations


def test_a_stored_glossary_matches_like_its_file(workspace, default_entries):
    with transaction(workspace.database_url) as session:
        import_glossary(session, DEFAULT, "en", "anna")
    with transaction(workspace.database_url, write=False) as session:
        stored = Glossary.load(session, "en", "pt-BR")  # falls back to the "pt" terms

    assert len(stored) == 100  # all but the forbidden concept
    matches = stored.find(PUTIN_XI)
    assert [(m.text, m.target) for m in matches] == _pairs(Glossary(default_entries, "en", "pt"), PUTIN_XI)
    assert all(m.concept_id for m in matches)


def test_ten_thousand_more_names_change_nothing_for_the_article(default_entries):
    # one pass over each segment whatever the glossary's size; patterns are compiled when first needed
    many = default_entries + [GlossaryEntry("name", {"en": [f"Person{i} Name{i}"], "de": [f"Person{i} Name{i}"]})
                              for i in range(10_000)]
    glossary = Glossary(many, "en", "de")
    segments = SENTENCES * 50

    found = sum(len(glossary.find(s)) for s in segments)

    assert found == 50 * sum(len(glossary.find(s)) for s in SENTENCES) > 0


# --- the command line --------------------------------------------------------------------------


def test_cli_imports_the_files_named_in_translator_toml(cli, workspace):
    workspace.glossary = [str(DEFAULT)]
    workspace.config_path.write_text(render_config(workspace), encoding="utf-8")

    result = cli("glossary", "import")

    assert result.exit_code == 0, result.output
    assert "101 added" in result.output
    assert _concepts(workspace) == 101


def test_cli_add_list_remove_export(cli, workspace, tmp_path: Path):
    macron = ("-t", "en=Emmanuel Macron|Macron")
    added = cli("glossary", "add", "--kind", "name", *macron, "-t", "de=Emmanuel Macron|Macron",
                "--note", "France; president")
    merged = cli("glossary", "add", "--kind", "name", *macron, "-t", "fr=Emmanuel Macron|Macron")
    forbidden = cli("glossary", "add", "-k", "forbidden", "-t", "en=Third World", "-t", "de=Dritte Welt")
    listed = cli("glossary", "list", "--json")

    assert added.exit_code == merged.exit_code == forbidden.exit_code == 0, added.output + merged.output
    assert added.output.startswith("added 'Emmanuel Macron' (name, id ")
    assert merged.output.startswith("updated 'Emmanuel Macron'")
    rows = json.loads(listed.output)
    assert [(r["kind"], r["terms"], r["forbidden"], r["note"]) for r in rows] == [
        ("name", {"en": ["Emmanuel Macron", "Macron"], "de": ["Emmanuel Macron", "Macron"],
                  "fr": ["Emmanuel Macron", "Macron"]}, {}, "France; president"),
        ("forbidden", {}, {"en": ["Third World"], "de": ["Dritte Welt"]}, ""),
    ]
    table = cli("glossary", "list", "--lang", "de", "--kind", "name")
    assert "Emmanuel Macron" in table.output and "Third World" not in table.output

    exported = cli("glossary", "export", "--out", str(tmp_path / "desk.csv"), "--lang", "de")
    assert exported.exit_code == 0
    assert (tmp_path / "desk.csv").read_text(encoding="utf-8").splitlines() == [
        "kind,note,en,de", "name,France; president,Emmanuel Macron|Macron,Emmanuel Macron|Macron",
        "forbidden,,Third World,Dritte Welt"]

    by_form = cli("glossary", "remove", "Macron")
    by_id = cli("glossary", "remove", str(rows[1]["id"]))
    assert by_form.output.startswith("removed 'Emmanuel Macron' (name, id")
    assert by_id.exit_code == 0
    assert json.loads(cli("glossary", "list", "--json").output) == []
    assert cli("glossary", "remove", "Macron").exit_code == 2


def test_cli_find_shows_what_a_translation_must_keep(cli, workspace):
    cli("glossary", "import", str(DEFAULT))

    result = cli("glossary", "find", PUTIN_XI, "--lang", "de", "--json",
                 "--translation", "Der russische Präsident Vladimir Putin und Chinas Präsident Xi Jinping")

    report = json.loads(result.output)
    assert [(m["text"], m["target"], m["present"]) for m in report["matches"]] == [
        ("President", "Präsident", True), ("Vladimir Putin", "Wladimir Putin", False),
        ("President", "Präsident", True), ("Xi Jinping", "Xi Jinping", True)]
    assert [(f["text"], f["use_instead"]) for f in report["forbidden"]] == [("Vladimir Putin", "Wladimir Putin")]


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE tbx [\n <!ENTITY lol0 "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
    + ']>\n<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en"><text><body>'
    '<conceptEntry id="c1"><langSec xml:lang="en"><termSec><term>&lol9;</term></termSec></langSec>'
    "</conceptEntry></body></text></tbx>\n"
)
GOOD_TBX_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'  # line 1
                 '<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">\n'  # line 2
                 "<text><body>\n")  # line 3


@pytest.mark.parametrize(("name", "content", "complaint"), [
    pytest.param("bad.tbx", GOOD_TBX_HEAD + '<conceptEntry id="c1">\n<langSec xml:lang="en"><termSec><term>Putin'
                 "</termSec></langSec></conceptEntry></body></text></tbx>", "bad.tbx:5: not well-formed XML",
                 id="malformed-xml"),
    pytest.param("laughs.tbx", BILLION_LAUGHS, "laughs.tbx:3: the DOCTYPE declares entity lol0", id="billion-laughs"),
    pytest.param("nolang.tbx", GOOD_TBX_HEAD + '<conceptEntry id="c1">\n<langSec><termSec><term>Putin</term>'
                 "</termSec></langSec></conceptEntry></body></text></tbx>", "nolang.tbx:5: <langSec> has no xml:lang",
                 id="tbx-without-language"),
    pytest.param("status.tbx", GOOD_TBX_HEAD + '<conceptEntry id="c1"><langSec xml:lang="en"><termSec>'
                 '<term>Putin</term>\n<termNote type="administrativeStatus">best</termNote></termSec></langSec>'
                 "</conceptEntry></body></text></tbx>", "status.tbx:5: administrativeStatus 'best'", id="tbx-status"),
    pytest.param("xliff.tbx", '<?xml version="1.0"?>\n<xliff version="1.2"/>\n', "expected <tbx>", id="not-tbx"),
    pytest.param("columns.csv", "kind,note,en,klingon\nname,,Putin,Putin\n",
                 "columns.csv:1: column 'klingon' is neither", id="unknown-language-column"),
    pytest.param("key.csv", "kind,note,en,de\nname,,Xi Jinping,Xi Jinping\nname,,,Wladimir Putin\n",
                 "key.csv:3: 'Wladimir Putin' has no en term", id="empty-source-cell"),
    pytest.param("kind.csv", "kind,en,de\nperson,Putin,Putin\n", "kind.csv:2: kind 'person' is not one of",
                 id="unknown-kind"),
    pytest.param("pipes.csv", "kind,en,de\nname,Putin||Vladimir Putin,Putin\n", "pipes.csv:2: en: an empty form",
                 id="empty-form"),
    pytest.param("twice.csv", "kind,en,de\nname,Putin,Putin\nname,Putin,Putin\n",
                 "twice.csv:3: 'Putin' (name) is already at line 2", id="same-concept-twice"),
    pytest.param("nokind.csv", "en,de\nPutin,Putin\n", "nokind.csv:1: no 'kind' column", id="no-kind-column"),
    pytest.param("latin1.csv", "kind,en,de\nname,Putin,Pütin\n".encode("latin-1"), "latin1.csv:2: not UTF-8",
                 id="not-utf8"),
    pytest.param("quote.csv", 'kind,en,de\nname,"Putin,Putin\n',
                 "quote.csv:2: not valid CSV: a quote opened here is never closed", id="open-quote"),
    pytest.param("glossary.xlsx", "kind,en\n", "unknown glossary format .xlsx", id="unknown-extension"),
])
def test_a_bad_file_is_refused_with_one_line_and_nothing_is_imported(cli, workspace, tmp_path: Path, name,
                                                                       content, complaint):
    bad = tmp_path / name
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        bad.write_text(content, encoding="utf-8")

    result = cli("glossary", "import", str(DEFAULT), str(bad))  # a good file first: it is not kept either

    assert result.exit_code == 2
    message = result.output.strip()
    assert message.startswith("error: ") and "\n" not in message, result.output
    assert complaint in message
    assert _concepts(workspace) == 0


def test_nothing_to_export_is_a_user_error(cli, workspace, tmp_path: Path):
    result = cli("glossary", "export", "--out", str(tmp_path / "empty.tbx"))

    assert result.exit_code == 2
    assert "the glossary is empty" in result.output


def test_export_of_a_language_neither_stored_nor_a_target_is_refused(cli, workspace, tmp_path: Path):
    added = cli("glossary", "add", "--kind", "name", "-t", "en=Olaf Scholz", "-t", "de=Olaf Scholz")
    assert added.exit_code == 0, added.output
    out = tmp_path / "desk.csv"

    result = cli("glossary", "export", "--out", str(out), "--lang", "de,it")

    assert result.exit_code == 2
    assert "no terms in it" in result.output and "\n" not in result.output.strip()
    assert not out.exists()
    # a target without terms yet is a column to fill in
    assert cli("glossary", "export", "--out", str(out), "--lang", "nl").exit_code == 0
    assert out.read_text(encoding="utf-8").splitlines()[0] == "kind,note,en,nl"


# --- the schema --------------------------------------------------------------------------------


def test_migration_0002_keeps_translations_and_adds_flags(database_url):
    upgrade(database_url, "0001")
    with get_engine(database_url).begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO article (id, slug, title, source_lang, source_format, checksum, lead, created_at, updated_at)"
            " VALUES (1, 'a', 'A', 'en', 'text', 'x', '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')")
        conn.exec_driver_sql(
            "INSERT INTO segment (id, article_id, position, block_index, kind, source, source_hash, separator, state,"
            " created_at, updated_at) VALUES (1, 1, 0, 0, 'paragraph', 'Hi.', 'h', '', 'active',"
            " '2026-01-01 00:00:00', '2026-01-01 00:00:00')")
        conn.exec_driver_sql(
            "INSERT INTO translation (id, segment_id, language, text, status, version, updated_at)"
            " VALUES (1, 1, 'de', 'Hallo.', 'machine', 1, '2026-01-01 00:00:00')")

    upgrade(database_url)

    flags = [{"check": "glossary-missing", "source": "Chancellor", "required": "Bundeskanzler"}]
    with transaction(database_url) as session:
        translation = session.get(Translation, 1)
        assert (translation.text, translation.flags) == ("Hallo.", None)
        translation.flags = flags
    with transaction(database_url, write=False) as session:
        assert session.get(Translation, 1).flags == flags
        assert session.scalar(select(func.count()).select_from(Article)) == 1
        assert session.scalar(select(func.count()).select_from(Segment)) == 1


def test_a_form_too_odd_to_store_is_refused():
    with pytest.raises(TranslatorError, match="control character"):
        check_entry(GlossaryEntry("name", {"en": ["Putin\x07"]}))


@pytest.mark.parametrize(("args", "complaint"), [
    (("-t", "en"), "expected LANG=FORMS"),
    (("-t", "klingon=Putin"), "unknown language code 'klingon'"),
    (("-t", "de=Wladimir Putin"), "'Wladimir Putin' has no en term"),
    (("-t", "en=Putin|Putin"), "'Putin' is listed twice"),
    (("-t", "en=Putin", "-t", "en=Vladimir Putin"), "en given twice"),
])
def test_cli_add_refuses_what_it_cannot_store(cli, workspace, args, complaint):
    result = cli("glossary", "add", "--kind", "name", *args)

    assert result.exit_code == 2
    assert complaint in result.output
    assert _concepts(workspace) == 0

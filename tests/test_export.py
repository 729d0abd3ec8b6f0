"""An editor exports the example article per language; an outside translator's PO or XLIFF comes back in."""

from __future__ import annotations

import gettext
import subprocess
from pathlib import Path

import polib
import pytest
from lxml import etree, html as lxml_html

from conftest import ARTICLE
from modelkit import build_copy_package
from translator import review
from translator.articles import import_files
from translator.db import transaction
from translator.errors import TranslatorError
from translator.export import WORKSPACE_TMX, export, output_path
from translator.formats.tmx import read_tmx
from translator.glossary import import_glossary
from translator.history import events
from translator.import_translations import import_translations
from translator.localize import ArticleText, Fallback, Policy, SegmentText, choose_texts, render
from translator.mt.packages import install_file
from translator.mt.pretranslate import pretranslate
from translator.overview import article_segments, get_article
from translator.status import Status

SCHEMA = Path(__file__).parent / "schemas" / "xliff_core_2.0.xsd"
GLOSSARY = Path(__file__).parent.parent / "glossary" / "world-news.csv"
SLUG = "putin-xi-call"
ALL = ("text", "markdown", "html", "po", "xliff", "tmx")


@pytest.fixture(scope="session")
def german_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_copy_package(tmp_path_factory.mktemp("export-models"), "en", "de", {"President": "Präsident"},
                              extra_words=["Wladimir"])


@pytest.fixture
def reviewed(workspace, german_model, monkeypatch, tmp_path):
    """The example article machine-translated into German, then: 2 approved, 3 edited, 4 rejected."""
    models = tmp_path / "models"
    install_file(models, german_model)
    monkeypatch.setenv("TRANSLATOR_MODELS_DIR", str(models))
    with transaction(workspace.database_url) as session:
        import_glossary(session, GLOSSARY, "en", "editor")
        import_files(session, workspace, [ARTICLE], "editor")
    pretranslate(workspace, "mt", [SLUG], ["de"])
    with transaction(workspace.database_url) as session:
        review.approve(session, review.Target(SLUG, 2, "de"), "anna", force=True, reason="checked")
        review.edit(session, review.Target(SLUG, 3, "de"), "Das Gespräch dauerte 1 Stunde 25 Minuten.", "anna")
        review.reject(session, review.Target(SLUG, 4, "de"), "wrong sense", "anna")
    return workspace


def _export(ws, out, formats=ALL, languages=("de",), slugs=(SLUG,), **policy):
    with transaction(ws.database_url, write=False) as session:
        return export(session, out, slugs=None if slugs is None else list(slugs), languages=list(languages),
                      formats=list(formats), targets=ws.targets, policy=Policy.choose(**policy), mo=True)


def _german(ws):
    with transaction(ws.database_url, write=False) as session:
        return {r.position + 1: r.translations["de"] for r in article_segments(session, SLUG, ["de"])}


def _import(ws, path, **options):
    with transaction(ws.database_url) as session:
        return import_translations(session, path, "outside", targets=ws.targets, **options)


# --- localized articles --------------------------------------------------------------------------


def test_untranslated_text_export_is_the_source_byte_for_byte(reviewed, tmp_path):
    _export(reviewed, tmp_path / "out", formats=["text"], languages=["nl"])
    assert (tmp_path / "out" / "nl" / f"{SLUG}.txt").read_bytes() == ARTICLE.read_bytes()


def test_text_export_puts_published_translations_in_the_source_layout(reviewed, tmp_path):
    report = _export(reviewed, tmp_path / "out", formats=["text"])
    german = _german(reviewed)
    text = (tmp_path / "out" / "de" / f"{SLUG}.txt").read_text()
    source = ARTICLE.read_text()
    assert german[2]["text"] in text and "Das Gespräch dauerte 1 Stunde 25 Minuten." in text
    # machine drafts and the rejected one are not published: their source stands in
    drafts = _drafts(reviewed)
    assert drafts and not any(german[n]["text"] in text for n in drafts)
    assert text.count("\n") == source.count("\n")
    tally = report.languages["de"].tally
    assert dict(tally.exported) == {"approved": 1, "translated": 1}
    assert tally.fallbacks["rejected"] == 1 and tally.fallbacks["machine"] == len(german) - 3


def test_fallbacks_omit_and_mark(reviewed, tmp_path):
    _export(reviewed, tmp_path / "omit", formats=["text", "html"], only_approved=True, fallback=Fallback.OMIT)
    omitted = (tmp_path / "omit" / "de" / f"{SLUG}.txt").read_text()
    assert omitted.rstrip("\n") == _german(reviewed)[2]["text"]  # the last separator: the file's end
    page = lxml_html.fromstring((tmp_path / "omit" / "de" / f"{SLUG}.html").read_bytes())
    assert [p.text_content() for p in page.iter("p")] == [_german(reviewed)[2]["text"]]

    _export(reviewed, tmp_path / "mark", formats=["text", "html", "markdown"], fallback=Fallback.MARK)
    marked = (tmp_path / "mark" / "de" / f"{SLUG}.txt").read_text()
    assert marked.startswith("[[Strategic Partnership Deepens Amid Global Tensions]]\n")
    page = lxml_html.fromstring((tmp_path / "mark" / "de" / f"{SLUG}.html").read_bytes())
    marks = page.xpath("//mark[@class='untranslated']")
    assert len(marks) == len(_german(reviewed)) - 2 and {m.get("lang") for m in marks} == {"en"}
    assert '<mark lang="en">' in (tmp_path / "mark" / "de" / f"{SLUG}.md").read_text()


def test_include_machine_publishes_drafts(reviewed, tmp_path):
    report = _export(reviewed, tmp_path / "out", formats=["text"], include_machine=True)
    assert dict(report.languages["de"].tally.fallbacks) == {"rejected": 1}
    text = (tmp_path / "out" / "de" / f"{SLUG}.txt").read_text()
    assert all(_german(reviewed)[n]["text"] in text for n in _drafts(reviewed))


def test_html_export_is_a_document_in_the_target_language(reviewed, tmp_path):
    _export(reviewed, tmp_path / "out", formats=["html", "markdown"])
    raw = (tmp_path / "out" / "de" / f"{SLUG}.html").read_text()
    assert raw.startswith("<!DOCTYPE html>\n")
    page = lxml_html.fromstring(raw.encode())
    assert (page.get("lang"), page.get("dir")) == ("de", "ltr")
    assert page.find(".//head/meta[@charset]").get("charset") == "utf-8"
    assert page.findtext(".//h1") == "Strategic Partnership Deepens Amid Global Tensions"
    assert [li.text for li in page.iter("li")][-6:] == ["Nederlands", "English", "Deutsch", "Français", "Español",
                                                        "Português"]
    assert _german(reviewed)[2]["text"] in page.findtext(".//p")
    markdown = (tmp_path / "out" / "de" / f"{SLUG}.md").read_text()
    assert markdown.startswith("# Strategic Partnership Deepens Amid Global Tensions\n\n")
    assert "\n- Nederlands\n- English\n" in markdown


def test_right_to_left_languages_get_dir_rtl():
    article = ArticleText("", "text", "en", "ar", "Title")
    pieces, _ = choose_texts([SegmentText(0, "title", "Title", "\n", "عنوان", Status.APPROVED)], Policy())
    page = lxml_html.fromstring(render(article, pieces, "html").encode())
    assert (page.get("lang"), page.get("dir"), page.findtext(".//title")) == ("ar", "rtl", "عنوان")


def test_markdown_and_html_sources_keep_their_markup(workspace, tmp_path):
    md = tmp_path / "brief.md"
    md.write_text("---\nauthor: desk\n---\n# Brief\n\nThe *talks* went well. Both sides **agreed**.\n\n"
                  "> A quote here.\n\n- one item\n- two item\n")
    page = tmp_path / "page.html"
    page.write_text('<!doctype html>\n<html lang="en"><head><title>T</title></head>\n<body><h1>Page</h1>\n'
                    '<p>It <em>rained</em> today. Then it &amp; snowed.</p>\n</body></html>\n')
    with transaction(workspace.database_url) as session:
        import_files(session, workspace, [md, page], "editor")
        review.edit(session, review.Target("brief", 2, "de"), "Die *Gespräche* liefen gut.", "anna")
        review.edit(session, review.Target("page", 2, "de"), "Es <em>regnete</em> heute.", "anna")
    out = tmp_path / "out"
    _export(workspace, out, formats=["text", "markdown", "html"], slugs=["brief", "page"])
    assert (out / "de" / "brief.md").read_text() == md.read_text().replace("The *talks* went well.",
                                                                           "Die *Gespräche* liefen gut.")
    brief = lxml_html.fromstring((out / "de" / "brief.html").read_bytes())
    assert brief.findtext(".//h1") == "Brief" and brief.find(".//em").text == "Gespräche"
    assert brief.find(".//blockquote/p").text == "A quote here."
    assert "author" not in (out / "de" / "brief.html").read_text()
    assert (out / "de" / "brief.txt").read_text() == ("Brief\n\nDie Gespräche liefen gut. Both sides agreed.\n\n"
                                                      "A quote here.\n\none item\ntwo item\n")
    html_doc = (out / "de" / "page.html").read_text()
    assert html_doc.startswith('<!doctype html>\n<html lang="de" dir="ltr"><head>')
    assert "<p>Es <em>regnete</em> heute. Then it &amp; snowed.</p>" in html_doc
    assert (out / "de" / "page.md").read_text() == "# Page\n\nEs *regnete* heute. Then it & snowed.\n"
    assert (out / "de" / "page.txt").read_text() == "Page\n\nEs regnete heute. Then it & snowed.\n"


def test_exports_are_deterministic(reviewed, tmp_path):
    first = _export(reviewed, tmp_path / "a", languages=["de", "fr"], slugs=None)
    _export(reviewed, tmp_path / "b", languages=["de", "fr"], slugs=None)
    files = sorted(p.relative_to(tmp_path / "a") for p in first.files)
    assert len(files) == 2 * 8  # txt md html po mo xlf tmx per language, and the workspace TMX
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


# --- exchange formats ----------------------------------------------------------------------------


def test_po_export_passes_msgfmt_and_carries_ids_status_and_hints(reviewed, tmp_path):
    _export(reviewed, tmp_path / "out", languages=["de", "fr", "nl", "es", "pt"], formats=["po"])
    for po_file in sorted((tmp_path / "out").glob("*/LC_MESSAGES/*.po")):
        subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_file)], check=True, capture_output=True)
    path = tmp_path / "out" / "de" / "LC_MESSAGES" / f"{SLUG}.po"
    catalog = polib.pofile(str(path))
    german = _german(reviewed)
    assert catalog.metadata["Language"] == "de" and catalog.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert catalog.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert len(catalog) == len(german)
    approved, edited, rejected, machine = catalog[1], catalog[2], catalog[3], catalog[4]
    assert approved.msgstr == german[2]["text"] and not approved.fuzzy
    assert edited.fuzzy and rejected.fuzzy and machine.fuzzy
    assert approved.occurrences == [(SLUG, "2")] and approved.msgctxt.startswith(f"{SLUG}/")
    assert "glossary: Vladimir Putin -> Wladimir Putin" in approved.tcomment
    assert catalog[0].msgstr == german[1]["text"] or german[1]["status"] == "untranslated"
    # a fr catalog of an untranslated article: empty msgstr, nothing fuzzy
    fr = polib.pofile(str(tmp_path / "out" / "fr" / "LC_MESSAGES" / f"{SLUG}.po"))
    assert all(e.msgstr == "" and not e.fuzzy for e in fr)


def test_mo_holds_the_approved_translations_only(reviewed, tmp_path):
    _export(reviewed, tmp_path / "out", formats=["po"])
    with open(tmp_path / "out" / "de" / "LC_MESSAGES" / f"{SLUG}.mo", "rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    german = _german(reviewed)
    source = {r.position + 1: r.source for r in _rows(reviewed)}
    assert catalog.pgettext(_ctxt(reviewed, 2), source[2]) == german[2]["text"]
    assert catalog.pgettext(_ctxt(reviewed, 3), source[3]) == source[3]  # translated but not approved: fuzzy


def test_xliff_export_is_valid_and_maps_states(reviewed, tmp_path):
    _export(reviewed, tmp_path / "out", formats=["xliff"], languages=["de", "nl"])
    schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    for lang in ("de", "nl"):
        doc = etree.parse(str(tmp_path / "out" / lang / f"{SLUG}.xlf"))
        assert schema.validate(doc), schema.error_log
    doc = etree.parse(str(tmp_path / "out" / "de" / f"{SLUG}.xlf"))
    states = [s.get("state") for s in doc.iterfind(".//x:segment", namespaces=ns)]
    assert states[1:4] == ["final", "translated", "initial"]
    assert doc.getroot().get("trgLang") == "de"
    assert "glossary: Vladimir Putin -> Wladimir Putin" in doc.xpath("string(//x:unit[2]/x:notes)", namespaces=ns)


def test_tmx_holds_approved_translations_of_the_article_and_the_workspace(reviewed, tmp_path):
    _export(reviewed, tmp_path / "out", formats=["tmx"], slugs=None)
    german = _german(reviewed)
    for name in (f"{SLUG}.tmx", WORKSPACE_TMX):
        units = read_tmx(tmp_path / "out" / "de" / name)
        assert [(u.target_lang, u.target, u.approved) for u in units] == [("de", german[2]["text"], True)]


# --- back in -------------------------------------------------------------------------------------


def test_po_round_trip_through_an_outside_tool(reviewed, tmp_path):
    _export(reviewed, tmp_path / "out", formats=["po"])
    path = tmp_path / "out" / "de" / "LC_MESSAGES" / f"{SLUG}.po"
    catalog = polib.pofile(str(path))
    catalog[3].msgstr = "Neu übersetzt nach der Ablehnung."  # the rejected one, finished
    catalog[3].flags.remove("fuzzy")
    catalog[4].msgstr = catalog[4].msgstr + " (geprüft)"  # a machine draft, improved but left fuzzy
    catalog[0].msgstr = "Strategische Partnerschaft"  # a machine draft, rewritten and finished
    catalog[0].flags.remove("fuzzy")
    catalog.save()
    outcome = _import(reviewed, path, as_status="approved")
    # 2 was approved already; 5 stays fuzzy, so it comes in as translated
    assert (sorted(outcome.updated), sorted(outcome.approved), outcome.refused) == ([1, 4, 5], [1, 4], [])
    german = _german(reviewed)
    assert (german[4]["text"], german[4]["status"]) == ("Neu übersetzt nach der Ablehnung.", "approved")
    assert german[5]["status"] == "translated" and german[5]["text"].endswith(" (geprüft)")
    assert german[3]["status"] == "translated"  # unchanged and fuzzy in the file: left as it was
    with transaction(reviewed.database_url, write=False) as session:
        edits = [e for e in events(session, get_article(session, SLUG).id) if e.detail == f"imported from {path.name}"]
        assert {e.action for e in edits} == {"edit", "approve"} and {e.user for e in edits} == {"outside"}
    _export(reviewed, tmp_path / "again", formats=["po"])
    again = polib.pofile(str(tmp_path / "again" / "de" / "LC_MESSAGES" / f"{SLUG}.po"))
    assert [(e.msgstr, e.fuzzy) for e in again][:5] == [
        ("Strategische Partnerschaft", False), (german[2]["text"], False), (german[3]["text"], True),
        ("Neu übersetzt nach der Ablehnung.", False), (german[5]["text"], True)]
    assert _import(reviewed, tmp_path / "again" / "de" / "LC_MESSAGES" / f"{SLUG}.po").updated == []


def test_xliff_round_trip_with_plain_xml_edits(reviewed, tmp_path):
    _export(reviewed, tmp_path / "out", formats=["xliff"])
    path = tmp_path / "out" / "de" / f"{SLUG}.xlf"
    ns = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
    doc = etree.parse(str(path))
    first = doc.find(".//x:unit[@name='1']/x:segment", ns)
    first.find("x:target", ns).text = "Strategische Partnerschaft"
    first.set("state", "final")
    draft = doc.find(".//x:unit[@name='5']/x:segment", ns)
    draft.find("x:target", ns).text = "Ein besserer Satz."
    draft.set("state", "translated")
    doc.write(str(path), xml_declaration=True, encoding="UTF-8")
    outcome = _import(reviewed, path)
    assert (sorted(outcome.updated), outcome.approved, outcome.refused) == ([1, 5], [], [])
    german = _german(reviewed)
    assert (german[1]["text"], german[1]["status"]) == ("Strategische Partnerschaft", "translated")
    assert (german[5]["text"], german[5]["status"]) == ("Ein besserer Satz.", "translated")
    _export(reviewed, tmp_path / "again", formats=["xliff"])
    again = etree.parse(str(tmp_path / "again" / "de" / f"{SLUG}.xlf"))
    assert again.findtext(".//x:unit[@name='5']/x:segment/x:target", namespaces=ns) == "Ein besserer Satz."


def test_a_translation_changed_since_export_is_not_overwritten_without_force(reviewed, tmp_path):
    path = _edited_po(reviewed, tmp_path, {3: "Die Fassung von draußen."})
    with transaction(reviewed.database_url) as session:
        review.edit(session, review.Target(SLUG, 3, "de"), "Die Fassung von drinnen.", "anna")
    outcome = _import(reviewed, path)
    assert outcome.updated == [] and [r.number for r in outcome.refused] == [3]
    assert "changed in the workspace since the export" in outcome.refused[0].reason
    assert _german(reviewed)[3]["text"] == "Die Fassung von drinnen."
    assert _import(reviewed, path, force=True).updated == [3]
    assert _german(reviewed)[3]["text"] == "Die Fassung von draußen."


def test_units_whose_source_changed_are_refused(reviewed, tmp_path):
    path = _edited_po(reviewed, tmp_path, {2: "Geändert."})
    changed = tmp_path / f"{SLUG}.txt"
    changed.write_text(ARTICLE.read_text().replace("held a significant video conference",
                                                   "held a long video conference"))
    with transaction(reviewed.database_url) as session:
        import_files(session, reviewed, [changed], "editor")
    outcome = _import(reviewed, path)
    assert [(r.number, r.reason) for r in outcome.refused] == [(2, "the source changed since the export")]
    assert _german(reviewed)[2]["text"] != "Geändert."


@pytest.mark.parametrize("suffix, content, message", [
    (".po", 'msgid "a"\nmsgstr "b"\nmsgid\n', r"x\.po(:\d+)?: not a valid PO file"),
    (".po", 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "a"\nmsgstr "b"\n',
     r"the header names no Language"),
    (".xlf", "<xliff xmlns='urn:oasis:names:tc:xliff:document:2.0'><file>", r"x\.xlf:1: not well-formed XML"),
    (".xlf", "<!DOCTYPE x [<!ENTITY a 'aaaa'>]><xliff xmlns='urn:oasis:names:tc:xliff:document:2.0' "
             "version='2.0' srcLang='en' trgLang='de'/>", r"DOCTYPE .* refused"),
    (".txt", "hello", r"unknown exchange file type"),
])
def test_a_malformed_file_is_one_error_and_changes_nothing(reviewed, tmp_path, suffix, content, message):
    before = _german(reviewed)
    bad = tmp_path / f"x{suffix}"
    bad.write_text(content)
    with pytest.raises(TranslatorError, match=message):
        _import(reviewed, bad)
    assert _german(reviewed) == before


def test_a_file_failing_half_way_changes_nothing(reviewed, tmp_path):
    _export(reviewed, tmp_path / "out", formats=["po"])
    path = tmp_path / "out" / "de" / "LC_MESSAGES" / f"{SLUG}.po"
    catalog = polib.pofile(str(path))
    catalog[0].msgstr = "Schon geändert"
    catalog.append(polib.POEntry(msgid="stray", msgstr="Streuner"))  # no msgctxt: not ours
    catalog.save()
    before = _german(reviewed)
    with pytest.raises(TranslatorError, match=r"has no segment id"):
        _import(reviewed, path)
    assert _german(reviewed) == before


# --- bad requests --------------------------------------------------------------------------------


def test_bad_requests_are_one_line_errors_and_write_nothing(reviewed, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(TranslatorError, match="xx"):
        _export(reviewed, out, languages=["xx"])
    with pytest.raises(TranslatorError, match="not a target language of this workspace: ru"):
        _export(reviewed, out, languages=["ru"])
    with pytest.raises(TranslatorError, match="no article 'nope'"):
        _export(reviewed, out, slugs=["nope"])
    with pytest.raises(TranslatorError, match="unknown export format 'docx'"):
        _export(reviewed, out, formats=["docx"])
    assert not out.exists()
    blocked = tmp_path / "file"
    blocked.write_text("a file, not a folder")
    with pytest.raises(TranslatorError, match="cannot create the output folder"):
        _export(reviewed, blocked)


@pytest.mark.parametrize("slug, language", [("../escape", "de"), ("a/b", "de"), (SLUG, "../../etc"), (SLUG, "de/x"),
                                            ("..", "de"), (SLUG, ".")])
def test_output_paths_cannot_leave_the_output_folder(tmp_path, slug, language):
    with pytest.raises(TranslatorError):
        output_path(tmp_path, language, slug, "text")


def test_cli_export_summary_strict_and_import(reviewed, cli, tmp_path):
    result = cli("export", SLUG, "--lang", "de", "--format", "text,po", "--out", str(tmp_path / "out"), "--strict")
    assert result.exit_code == 1 and "needed the fallback" in result.output
    assert "1 translated, 1 approved" in result.output
    ok = cli("export", "--all", "--all-languages", "-f", "all", "--out", str(tmp_path / "all"),
             "--include-machine", "--fallback", "omit")
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "all" / "pt" / "LC_MESSAGES" / f"{SLUG}.po").exists()
    both = cli("export", SLUG, "--all", "--lang", "de")
    assert both.exit_code == 2 and "not both" in both.output
    path = tmp_path / "out" / "de" / "LC_MESSAGES" / f"{SLUG}.po"
    catalog = polib.pofile(str(path))
    catalog[0].msgstr = "Titel"
    catalog.save()
    result = cli("import-translations", str(path))
    assert result.exit_code == 0 and "1 updated, 0 approved" in result.output


def _edited_po(ws, tmp_path, texts):
    """Export the German PO and change msgstrs as an outside tool would: {segment number: text}."""
    _export(ws, tmp_path / "out", formats=["po"])
    path = tmp_path / "out" / "de" / "LC_MESSAGES" / f"{SLUG}.po"
    catalog = polib.pofile(str(path))
    for number, text in texts.items():
        catalog[number - 1].msgstr = text
    catalog.save()
    return path


def _rows(ws):
    with transaction(ws.database_url, write=False) as session:
        return article_segments(session, SLUG, ["de"])


def _ctxt(ws, number):
    return f"{SLUG}/{_rows(ws)[number - 1].segment_id}"


def _drafts(ws):
    """Numbers of machine drafts that differ from their source (the copy model changes few words)."""
    return [r.position + 1 for r in _rows(ws)
            if r.translations["de"]["status"] == "machine" and r.translations["de"]["text"] != r.source]


# --- a failed export writes nothing --------------------------------------------------------------


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() if p.is_file() else b"<dir>" for p in sorted(folder.rglob("*"))}


def test_an_export_that_fails_on_its_last_file_writes_and_replaces_nothing(reviewed, tmp_path):
    out = tmp_path / "out"
    _export(reviewed, out, formats=["text"])
    (out / "de" / f"{SLUG}.txt").write_text("an older export, kept\n", encoding="utf-8")
    (out / "de" / f"{SLUG}.xlf").mkdir()  # in the way of the last format written
    before = _tree(out)
    with pytest.raises(TranslatorError, match=rf"{SLUG}\.xlf: a folder is in the way"):
        _export(reviewed, out, formats=["text", "po", "xliff"])
    assert _tree(out) == before


def test_an_export_into_a_new_folder_that_fails_leaves_no_folder(reviewed, tmp_path, monkeypatch):
    def disk_full(path, *args):
        raise TranslatorError(f"{path}: cannot write: No space left on device")

    monkeypatch.setattr("translator.export.write_xliff", disk_full)
    with pytest.raises(TranslatorError, match="No space left"):
        _export(reviewed, tmp_path / "new" / "out", formats=["text", "po", "xliff"], languages=["de", "fr"])
    assert not (tmp_path / "new").exists()


def test_a_successful_export_replaces_old_files_and_leaves_no_stage(reviewed, tmp_path):
    out = tmp_path / "out"
    (out / "de").mkdir(parents=True)
    (out / "de" / f"{SLUG}.txt").write_text("old\n", encoding="utf-8")
    report = _export(reviewed, out, formats=["text", "po"], languages=["de", "fr"])
    assert (out / "de" / f"{SLUG}.txt").read_text(encoding="utf-8") != "old\n"
    assert sorted(str(p.relative_to(out)) for p in report.files) == [
        f"de/LC_MESSAGES/{SLUG}.mo", f"de/LC_MESSAGES/{SLUG}.po", f"de/{SLUG}.txt",
        f"fr/LC_MESSAGES/{SLUG}.mo", f"fr/LC_MESSAGES/{SLUG}.po", f"fr/{SLUG}.txt"]
    assert sorted(p.name for p in out.iterdir()) == ["de", "fr"]  # no hidden stage left


def test_cli_export_lang_takes_a_comma_separated_list_of_targets(reviewed, cli, tmp_path):
    result = cli("export", SLUG, "--lang", "de,fr", "-l", "nl", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["de", "fr", "nl"]
    refused = cli("export", SLUG, "--lang", "de,it", "--out", str(tmp_path / "other"))
    assert refused.exit_code == 2
    assert "not a target language of this workspace: it (its targets: nl, de, fr, es, pt)" in refused.output
    assert not (tmp_path / "other").exists()


def test_html_export_of_an_html_source_translates_its_head_title(workspace, tmp_path):
    page = tmp_path / "page.html"
    page.write_text('<html><head><title class="t">Rain in Geneva</title></head>\n<body><h1>Rain in Geneva</h1>\n'
                    "<p>It rained today.</p>\n</body></html>\n")
    with transaction(workspace.database_url) as session:
        import_files(session, workspace, [page], "editor")
        review.edit(session, review.Target("page", 1, "de"), "Regen in Genf & Umgebung", "anna")
    _export(workspace, tmp_path / "out", formats=["html"], slugs=["page"], languages=["de", "fr"])
    german = (tmp_path / "out" / "de" / "page.html").read_text()
    assert german.startswith('<html lang="de" dir="ltr"><head><title class="t">Regen in Genf &amp; Umgebung</title>')
    assert "<h1>Regen in Genf & Umgebung</h1>" in german
    # untranslated, the title goes out as the source has it
    assert (tmp_path / "out" / "fr" / "page.html").read_text() == page.read_text().replace(
        "<html>", '<html lang="fr" dir="ltr">')

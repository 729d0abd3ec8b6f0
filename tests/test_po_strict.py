"""A translator edits an exported PO (or XLIFF) by hand and it comes back broken: the file is refused whole,
with file:line, as gettext's msgfmt --check refuses it, and nothing in the workspace changes."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from conftest import ARTICLE
from translator import review
from translator.articles import import_files
from translator.db import transaction
from translator.errors import TranslatorError
from translator.export import export
from translator.history import events
from translator.import_translations import import_translations
from translator.localize import Policy
from translator.overview import article_segments, get_article

SLUG = "putin-xi-call"
APPROVED = "Putin und Xi sprachen am 4. Februar 2026 per Video."  # segment 2, not fuzzy in the file
DRAFT = "Ein stabilisierender Faktor"  # segment 3, translated: fuzzy in the file
STR2 = f'msgstr "{APPROVED}"'
STR3 = f'msgstr "{DRAFT}"'
CTX3 = f'msgctxt "{SLUG}/3"'
ID3 = 'msgid "The 1 hour 25 minute call'


@pytest.fixture
def exported(workspace, tmp_path: Path) -> Path:
    """The example article with segment 2 approved and 3 translated in German, exported as PO."""
    with transaction(workspace.database_url) as session:
        import_files(session, workspace, [ARTICLE], "editor")
    with transaction(workspace.database_url) as session:
        review.edit(session, review.Target(SLUG, 2, "de"), APPROVED, "anna")
        review.approve(session, review.Target(SLUG, 2, "de"), "anna", force=True, reason="short on purpose")
        review.edit(session, review.Target(SLUG, 3, "de"), DRAFT, "anna")
    with transaction(workspace.database_url, write=False) as session:
        export(session, tmp_path / "out", slugs=[SLUG], languages=["de"], formats=["po"], targets=workspace.targets,
               policy=Policy.choose(), mo=False)
    path = tmp_path / "out" / "de" / "LC_MESSAGES" / f"{SLUG}.po"
    text = path.read_text()
    assert all(line in text.splitlines() for line in (STR2, STR3, CTX3))  # the cases below edit these lines
    return path


def _state(ws) -> tuple[list, int]:  # type: ignore[no-untyped-def]
    """Every German translation (text, status, version) and the number of events: what must not change."""
    with transaction(ws.database_url, write=False) as session:
        rows = [(r.translations["de"]["text"], r.translations["de"]["status"], r.translations["de"]["version"])
                for r in article_segments(session, SLUG, ["de"])]
        return rows, len(events(session, get_article(session, SLUG).id))


def _import(ws, path: Path, **options):  # type: ignore[no-untyped-def]
    with transaction(ws.database_url) as session:
        return import_translations(session, path, "outside", targets=ws.targets, **options)


def _msgfmt(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)


def _replace(old: str, new: str, count: int = 1):  # type: ignore[no-untyped-def]
    def edit(text: str) -> str:
        assert text.count(old) >= count, old
        return text.replace(old, new, count)
    return edit


def _append(block: str):  # type: ignore[no-untyped-def]
    return lambda text: text + "\n" + block


def _entry(text: str, ctxt: str) -> str:
    """The block of the entry whose msgctxt line is ``ctxt``, from its first comment to its msgstr."""
    blocks = text.split("\n\n")
    return next(block for block in blocks if ctxt in block.splitlines())


def _entry_line(text: str, ctxt: str, occurrence: int = 1) -> int:
    """The line an entry starts at (its first comment), as polib counts it."""
    lines = text.split("\n")
    ends = [n for n, line in enumerate(lines, start=1) if line == ctxt]
    start = ends[occurrence - 1]
    while start > 1 and lines[start - 2].strip():
        start -= 1
    return start


def _line_of(text: str, start: str, occurrence: int = 1) -> int:
    lines = [n for n, line in enumerate(text.split("\n"), start=1) if line.startswith(start)]
    return lines[occurrence - 1]


# (mutation of the exported file, the line it breaks: (start of that line, which occurrence), message)
MALFORMED = {
    "quotes lost": (_replace(STR3, "msgstr Der Anruf kam zur rechten Zeit."), ("msgstr Der",),
                    "msgstr is not followed by a quoted string"),
    "closing quote lost": (_replace(STR3, 'msgstr "Der Anruf kam zur rechten Zeit.'), ('msgstr "Der',),
                           "the string has no closing quote"),
    "opening quote lost": (_replace(STR3, 'msgstr Der Anruf kam."'), ("msgstr Der",),
                           "msgstr is not followed by a quoted string"),
    "typographic quotes": (_replace(STR3, "msgstr \u201eDer Anruf kam.\u201c"), ("msgstr \u201e",),
                           "msgstr is not followed by a quoted string"),
    "text after the closing quote": (_replace(STR3, 'msgstr "Der Anruf" kam.'), ('msgstr "Der',),
                                     "text after the closing quote: 'kam.'"),
    "trailing backslash": (_replace(STR3, f'msgstr "{DRAFT}\\"'), (STR3[:-1],), "the string has no closing quote"),
    "stray line": (_replace(STR3, STR3 + "\nDer Anruf kam zur rechten Zeit."), ("Der Anruf",),
                   "'Der' is not a PO keyword"),
    "continuation without quotes": (_replace(STR3, 'msgstr ""\n"Der Anruf "\nkam zur rechten Zeit."'), ("kam zur",),
                                    "'kam' is not a PO keyword"),
    "misspelt keyword": (_replace(STR3, STR3.replace("msgstr", "msgtxt")), ("msgtxt",),
                         "'msgtxt' is not a PO keyword"),
    "keyword in capitals": (_replace(STR3, STR3.replace("msgstr", "MSGSTR")), ("MSGSTR",),
                            "'MSGSTR' is not a PO keyword"),
    "msgctxt without quotes": (_replace(CTX3, f"msgctxt {SLUG}/3"), (f"msgctxt {SLUG}",),
                               "msgctxt is not followed by a quoted string"),
    "msgstr without msgid": (lambda text: re.sub(r"\nmsgid \"The 1 hour 25 minute call.*", "", text), (STR3,),
                             "msgstr without msgid"),
    "msgid without msgstr": (_replace("\n" + STR3 + "\n", "\n"), (ID3,), "msgid without msgstr"),
    "comment between msgid and msgstr": (_replace("\n" + STR3, "\n# checked\n" + STR3), (ID3,),
                                         "msgid without msgstr"),
    "two msgstr": (_replace(STR3, STR3 + '\nmsgstr "Noch einmal."'), ('msgstr "Noch',), "a second msgstr in one entry"),
    "duplicate entry": (lambda text: text + "\n" + _entry(text, CTX3) + "\n", (ID3, 2),
                        f"a second entry for msgctxt '{SLUG}/3', msgid 'The 1 hour"),
    "second header": (_replace('\n\n#. exported version 1', '\n\nmsgid ""\nmsgstr "Language: de\\n"\n\n'
                               '#. exported version 1'), ('msgid ""', 2), "a second entry for msgid ''"),
    "unknown escape": (_replace(DRAFT, "Ein \\q Faktor"), (STR3[:10],), r"an unknown escape \\q"),
    "JSON escape": (_replace(DRAFT, "Ein stabilisierender Faktor f\\u00fcr"), (STR3[:10],),
                    r"an unknown escape \\u"),
    "plural form skipped": (_append(f'msgctxt "{SLUG}/99"\nmsgid "one call"\nmsgid_plural "{{n}} calls"\n'
                                    'msgstr[0] "ein Anruf"\nmsgstr[2] "{n} Anrufe"\n'), ("msgstr[2]",),
                            r"msgstr\[2\] where msgstr\[1\] belongs"),
    "plural form without msgid_plural": (_append(f'msgctxt "{SLUG}/99"\nmsgid "one call"\nmsgstr[0] "ein Anruf"\n'),
                                         ("msgstr[0]",), r"msgstr\[0\] without msgid_plural"),
    "line break the source lacks": (_replace(STR2, STR2[:-1] + '\\n"'), ('msgid "Russian',),
                                    "msgid and msgstr do not both end with a line break"),
    "half obsolete": (_replace(STR3, "#~ " + STR3), ("#~ msgstr",), "inconsistent use of #~"),
    "previous msgid without quotes": (_replace(CTX3, "#| msgid The old source.\n" + CTX3), ("#| msgid",),
                                      "msgid is not followed by a quoted string"),
    "msgctxt alone at the end": (_append(f'msgctxt "{SLUG}/77"\n'), (f'msgctxt "{SLUG}/77"',),
                                 "msgctxt without msgid"),
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_po_is_refused_whole_with_its_line_as_msgfmt_refuses_it(exported, workspace, case):
    mutate, (start, *occurrence), message = MALFORMED[case]
    text = mutate(exported.read_text())
    exported.write_text(text)
    assert _msgfmt(exported).returncode != 0, f"msgfmt accepts the {case!r} case"
    before = _state(workspace)
    line = _line_of(text, start, *occurrence)
    with pytest.raises(TranslatorError, match=rf"^{re.escape(str(exported))}:{line}: not a valid PO file: {message}"):
        _import(workspace, exported)
    assert _state(workspace) == before


# (mutation of the exported file, segment 3's text once imported): valid PO that polib alone misread
READ_AS_GETTEXT_DOES = {
    "wrapped over lines, as Poedit writes": (_replace(STR3, 'msgstr ""\n"Der Anruf kam "\n"zur rechten Zeit."'),
                                            "Der Anruf kam zur rechten Zeit."),
    "two strings on one line": (_replace(STR3, 'msgstr "Der Anruf " "kam."'), "Der Anruf kam."),
    "octal escapes of UTF-8 bytes": (_replace(STR3, 'msgstr "Der Anruf kam sp\\303\\244t."'), "Der Anruf kam spät."),
    "hex escape": (_replace(STR3, 'msgstr "Der \\x41nruf kam."'), "Der Anruf kam."),
    "no space after the keyword": (_replace(STR3, 'msgstr"Der Anruf kam."'), "Der Anruf kam."),
    "flags without a space": (_replace("#, fuzzy\n" + CTX3, "#,fuzzy\n" + CTX3), DRAFT + " (neu)"),
    "a comment without a space": (_replace(CTX3, "#checked by ben\n" + CTX3), DRAFT + " (neu)"),
    "a line separator inside the text": (_replace(STR3, 'msgstr "Der Anruf\u2028kam."'), "Der Anruf\u2028kam."),
    "Windows line ends": (lambda text: text.replace("\n", "\r\n"), DRAFT + " (neu)"),
}


@pytest.mark.parametrize("case", list(READ_AS_GETTEXT_DOES))
def test_valid_po_is_read_as_gettext_reads_it(exported, workspace, case):
    mutate, expected = READ_AS_GETTEXT_DOES[case]
    text = exported.read_text().replace(STR3, f'msgstr "{DRAFT} (neu)"')
    if "(neu)" not in expected:
        text = text.replace(f'msgstr "{DRAFT} (neu)"', STR3)
    exported.write_bytes(mutate(text).encode("utf-8"))
    assert _msgfmt(exported).returncode == 0, _msgfmt(exported).stderr
    outcome = _import(workspace, exported, as_status="approved")
    assert outcome.updated == [3] and outcome.refused == []
    with transaction(workspace.database_url, write=False) as session:
        german = article_segments(session, SLUG, ["de"])[2].translations["de"]
    # the entry is fuzzy in the file (#,fuzzy too): it comes in as translated, not approved
    assert (german["text"], german["status"]) == (expected, "translated")


def test_a_byte_order_mark_is_read_though_msgfmt_refuses_it(exported, workspace):
    # editors on Windows write one; the text is unambiguous, so refusing it would help nobody
    exported.write_bytes("\ufeff".encode() + exported.read_bytes().replace(STR3.encode(), b'msgstr "Neu."'))
    assert _msgfmt(exported).returncode != 0
    assert _import(workspace, exported).updated == [3]


# refused though msgfmt lets them through: the text could not be stored, or not be read as meant
STRICTER = {
    "an escaped NUL": (_replace(STR3, 'msgstr "Der\\0Anruf"'), ('msgstr "Der',), "a NUL character"),
    "escapes that are not UTF-8": (_replace(STR3, 'msgstr "sp\\344t"'), ('msgstr "sp',),
                                   r"the escapes \\344 are not UTF-8 text"),
    "a header naming another charset": (_replace("charset=UTF-8", "charset=ISO-8859-1"), ('msgid ""',),
                                        "the header says charset ISO-8859-1; translator reads UTF-8 PO files"),
    "a backslash at a line's end": (_replace(STR3, f'msgstr "{DRAFT}\\\n"'), (STR3[:10],),
                                    "the string has no closing quote"),
}


@pytest.mark.parametrize("case", list(STRICTER))
def test_what_would_be_misread_is_refused_too(exported, workspace, case):
    mutate, (start,), message = STRICTER[case]
    text = mutate(exported.read_text())
    exported.write_text(text)
    assert _msgfmt(exported).returncode == 0, _msgfmt(exported).stderr
    before = _state(workspace)
    with pytest.raises(TranslatorError, match=rf":{_line_of(text, start)}: not a valid PO file: {message}"):
        _import(workspace, exported)
    assert _state(workspace) == before


def test_bytes_that_are_not_utf8_name_their_line(exported, workspace):
    exported.write_bytes(exported.read_bytes().replace(DRAFT.encode(), "Gespräch".encode("latin-1")))
    line = _line_of(exported.read_bytes().decode("latin-1"), 'msgstr "Gespr')
    with pytest.raises(TranslatorError, match=rf"{SLUG}\.po:{line}: not UTF-8"):
        _import(workspace, exported)


def test_two_entries_for_one_segment_are_refused(exported, workspace):
    # msgfmt lets a second msgid with the same msgctxt through; which translation is meant is unknowable
    text = exported.read_text()
    other = _entry(text, CTX3).replace(ID3, 'msgid "Another source')
    exported.write_text(text + "\n" + other + "\n")
    before = _state(workspace)
    changed = exported.read_text()
    with pytest.raises(TranslatorError, match=rf":{_entry_line(changed, CTX3, 2)}: a second entry for segment {SLUG}/3 "
                                              rf"\(the first is at line {_entry_line(changed, CTX3)}\)"):
        _import(workspace, exported)
    assert _state(workspace) == before


def test_cli_refuses_the_hand_edited_file_in_one_line_and_saves_nothing(exported, workspace, cli):
    exported.write_text(exported.read_text().replace(STR3, "msgstr Der Anruf kam zur rechten Zeit."))
    before = _state(workspace)
    result = cli("import-translations", str(exported))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {exported}:{_line_of(exported.read_text(), 'msgstr Der')}: not a valid PO file: "
        "msgstr is not followed by a quoted string (were its quotes lost?)"]
    assert "Traceback" not in result.output
    assert _state(workspace) == before


# --- Unicode digits in ids -------------------------------------------------------------------------


def test_a_superscript_digit_in_a_po_segment_id_is_a_one_line_error(exported, workspace, cli):
    changed = f'msgctxt "{SLUG}/\u00b3"'
    exported.write_text(exported.read_text().replace(CTX3, changed))
    result = cli("import-translations", str(exported))
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {exported}:{_entry_line(exported.read_text(), changed)}: entry 'The 1 hour 25 minute call came at a cruc' "
        "has no segment id (msgctxt slug/number); was this file exported by translator?"]


def test_a_superscript_digit_in_a_po_reference_is_no_segment_number(exported, workspace):
    text = exported.read_text().replace(f"#: {SLUG}:3\n", f"#: {SLUG}:\u00b3\n")
    exported.write_text(text.replace(STR3, 'msgstr "Neu."'))
    assert _import(workspace, exported).updated == [3]  # the segment is found by its msgctxt


def _xliff(workspace, tmp_path: Path) -> Path:
    with transaction(workspace.database_url, write=False) as session:
        export(session, tmp_path / "xlf", slugs=[SLUG], languages=["de"], formats=["xliff"],
               targets=workspace.targets, policy=Policy.choose(), mo=False)
    return tmp_path / "xlf" / "de" / f"{SLUG}.xlf"


@pytest.mark.parametrize("ident", ["s\u00b2", "s\u0663", "s" + "9" * 5000])
def test_a_unit_id_that_is_no_ascii_number_is_a_one_line_error(exported, workspace, tmp_path, cli, ident):
    path = _xliff(workspace, tmp_path)
    path.write_text(path.read_text().replace('<unit id="s3"', f'<unit id="{ident}"', 1))
    assert f'id="{ident}"' in path.read_text()
    before = _state(workspace)
    result = cli("import-translations", str(path))
    assert result.exit_code == 2
    [line] = result.stderr.strip().splitlines()
    assert re.fullmatch(rf"error: {re.escape(str(path))}:\d+: unit id '{ident[:40]}.*' is not a segment id .*", line)
    assert _state(workspace) == before


def test_superscript_digits_in_xliff_names_and_versions_are_no_numbers(exported, workspace, tmp_path):
    path = _xliff(workspace, tmp_path)
    text = path.read_text()
    unit = text[text.index('<unit id="s3"'):]
    unit = unit[:unit.index("</unit>")]
    changed = (unit.replace('name="3"', 'name="\u00b3"').replace('<mda:meta type="version">2<', '<mda:meta type="version">\u00b2<')
               .replace(f"<target>{DRAFT}</target>", "<target>Neu.</target>"))
    assert changed.count("\u00b3") == 1 and changed.count("\u00b2") == 1 and "Neu." in changed
    path.write_text(text.replace(unit, changed))
    outcome = _import(workspace, path)
    # no version: whether the workspace changed since the export is unknown, so nothing is overwritten
    assert outcome.updated == [] and [r.segment_id for r in outcome.refused] == [3]
    assert "does not say which version" in outcome.refused[0].reason


def test_two_xliff_units_with_one_id_are_refused(exported, workspace, tmp_path):
    path = _xliff(workspace, tmp_path)
    path.write_text(path.read_text().replace('<unit id="s4"', '<unit id="s3"', 1))
    with pytest.raises(TranslatorError, match=r":\d+: a second unit s3 \(the first is at line \d+\)"):
        _import(workspace, path)

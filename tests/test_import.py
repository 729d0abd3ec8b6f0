"""An editor imports articles, then re-imports them after corrections; bad files change nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from conftest import ARTICLE, TARGETS
from translator.articles import import_files
from translator.db import transaction
from translator.errors import TranslatorError
from translator.memory import TranslationMemory
from translator.models import Article, Event, Segment, SegmentState, Translation
from translator.overview import article_segments, rebuild_source
from translator.segment import segment_article
from translator.status import Origin


def _import(ws, path: Path, **options):
    with transaction(ws.database_url) as session:
        return import_files(session, ws, [path], "editor", **options)


def _rows(ws, slug="putin-xi-call", lang="de"):
    with transaction(ws.database_url, write=False) as session:
        return article_segments(session, slug, [lang])


def _counts(ws) -> tuple[int, int, int, int]:
    with transaction(ws.database_url, write=False) as session:
        return tuple(session.scalar(select(func.count()).select_from(m)) for m in (Article, Segment, Translation, Event))


def test_example_article_gives_32_segments_in_22_blocks(workspace):
    [report] = _import(workspace, ARTICLE)
    assert (report.created, report.segments, report.blocks) == (True, 32, 22)
    assert report.title == "Strategic Partnership Deepens Amid Global Tensions"
    rows = _rows(workspace)
    assert len(rows) == 32
    assert rows[0].kind == "title"
    assert [r.source for r in rows[-6:]] == ["Nederlands", "English", "Deutsch", "Français", "Español", "Português"]
    assert {r.kind for r in rows[-6:]} == {"list_item"}
    assert any(r.source.startswith("Bilateral trade reached $234 billion in 2025,") for r in rows)
    assert any(r.source.endswith("what it views as U.S. hegemony.") for r in rows)
    assert all(r.translations["de"]["status"] == "untranslated" for r in rows)
    with transaction(workspace.database_url, write=False) as session:
        assert session.scalar(select(func.count()).select_from(Translation)) == 32 * len(TARGETS)
        assert rebuild_source(session, "putin-xi-call") == ARTICLE.read_text(encoding="utf-8")


def test_reimporting_the_same_file_changes_nothing(workspace):
    _import(workspace, ARTICLE)
    before = _counts(workspace)
    [report] = _import(workspace, ARTICLE)
    assert report.summary == "unchanged" and not report.created
    assert _counts(workspace) == before


def _translate_everything_from_tm(ws):
    """Give every German segment an approved human translation through the TM."""
    with transaction(ws.database_url) as session:
        memory = TranslationMemory(session)
        for spec in segment_article(ARTICLE.read_text(encoding="utf-8"), "text", "en").segments:
            memory.add("en", "de", spec.source, f"DE {spec.source}", Origin.HUMAN, approved=True)


def test_reimport_keeps_translations_marks_changes_stale_and_removals_removed(workspace, tmp_path):
    _translate_everything_from_tm(workspace)
    [first] = _import(workspace, ARTICLE)
    assert first.tm_exact == 32
    text = ARTICLE.read_text(encoding="utf-8")
    edited = (
        text.replace("Bilateral trade reached $234 billion in 2025", "Bilateral trade reached $245 billion in 2025")
        .replace("The timing of this high-level discussion is particularly significant. ", "")
        .replace("Military Cooperation and Future Meetings\n",
                 "Military Cooperation and Future Meetings\nThe Kremlin confirmed the call on Thursday.\n")
    )
    copy = tmp_path / "putin-xi-call.txt"
    copy.write_text(edited, encoding="utf-8")
    [report] = _import(workspace, copy)
    assert (report.changed, report.removed, report.added, report.unchanged) == (1, 1, 1, 30)
    rows = {r.source: r for r in _rows(workspace)}
    changed = next(r for s, r in rows.items() if "$245 billion" in s)
    de = changed.translations["de"]
    assert de["status"] == "stale"
    assert de["text"] == "DE Bilateral trade reached $234 billion in 2025, making China Russia's largest trading partner."
    assert de["previous_source"].startswith("Bilateral trade reached $234 billion")
    assert rows["The Kremlin confirmed the call on Thursday."].translations["de"]["status"] == "untranslated"
    unchanged = rows["Economic Dependence and Strategic Alignment"].translations["de"]
    assert (unchanged["status"], unchanged["text"]) == ("approved", "DE Economic Dependence and Strategic Alignment")
    with transaction(workspace.database_url, write=False) as session:
        removed = session.scalars(select(Segment).where(Segment.state == SegmentState.REMOVED)).all()
        assert [s.source for s in removed] == ["The timing of this high-level discussion is particularly significant."]
        assert removed[0].translations[0].text.startswith("DE The timing")  # kept, not deleted
        actions = [e.action for e in session.scalars(select(Event).order_by(Event.id))]
        assert {"segment-changed", "segment-removed", "segment-added", "article-updated"} <= set(actions)
        assert rebuild_source(session, "putin-xi-call") == edited


def test_moved_paragraph_keeps_its_translations(workspace, tmp_path):
    _translate_everything_from_tm(workspace)
    _import(workspace, ARTICLE)
    lines = ARTICLE.read_text(encoding="utf-8").split("\n")
    lines[1], lines[3] = lines[3], lines[1]
    copy = tmp_path / "putin-xi-call.txt"
    copy.write_text("\n".join(lines), encoding="utf-8")
    [report] = _import(workspace, copy)
    assert report.changed == report.added == report.removed == 0
    assert report.moved > 0
    assert all(r.translations["de"]["status"] == "approved" for r in _rows(workspace))


def test_markdown_and_html_are_imported_with_their_structure(workspace, tmp_path):
    md = tmp_path / "brief.md"
    md.write_text("# Brief\n\nThe *summit* starts today. It ends [tomorrow](https://example.org).\n\n"
                  "- First point.\n- Second point.\n\n> A quote here.\n", encoding="utf-8")
    html = tmp_path / "page.html"
    html.write_text("<html><head><title>x</title></head><body><h1>Page title</h1>"
                    "<p>Dr. Smith arrived. She <em>spoke</em> briefly.</p></body></html>", encoding="utf-8")
    _import(workspace, md)
    _import(workspace, html)
    kinds = [(r.kind, r.source) for r in _rows(workspace, "brief")]
    assert kinds[0] == ("title", "Brief")
    assert ("paragraph", "It ends [tomorrow](https://example.org).") in kinds
    assert ("list_item", "Second point.") in kinds and ("quote", "A quote here.") in kinds
    sources = [r.source for r in _rows(workspace, "page")]
    assert sources == ["Page title", "Dr. Smith arrived.", "She <em>spoke</em> briefly."]
    with transaction(workspace.database_url, write=False) as session:
        assert rebuild_source(session, "brief") == md.read_text(encoding="utf-8")
        assert rebuild_source(session, "page") == html.read_text(encoding="utf-8")


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("make, options, message", [
    (lambda d: d / "missing.txt", {}, "no such file"),
    (lambda d: _write(d / "empty.txt", b" \n\n"), {}, "file is empty"),
    (lambda d: _write(d / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), {}, "binary data"),
    (lambda d: _write(d / "latin.txt", "Café crème\n".encode("latin-1")), {}, "not valid utf-8"),
    (lambda d: _write(d / "notes.docx", b"Some text\n"), {}, "cannot tell the format"),
    (lambda d: _write(d / "a.txt", b"Some text.\n"), {"lang": "xx"}, "unknown language code 'xx'"),
    (lambda d: _write(d / "a.txt", b"Some text.\n"), {"slug": "../etc/passwd"}, "invalid slug"),
    (lambda d: _write(d / "a.txt", b"Some text.\n"), {"slug": "a/b"}, "invalid slug"),
])
def test_bad_input_is_one_clear_error_and_changes_nothing(workspace, tmp_path, make, options, message):
    _import(workspace, ARTICLE)
    before = _counts(workspace)
    with pytest.raises(TranslatorError, match=message) as info:
        _import(workspace, make(tmp_path), **options)
    assert "\n" not in str(info.value)
    assert _counts(workspace) == before


def test_a_bad_file_among_many_imports_none(workspace, tmp_path):
    good = _write(tmp_path / "good.txt", b"A good article.\nWith a second paragraph.\n")
    # b"\xff\xfe..." would be UTF-16 text with its byte order mark: a PNG header is binary in every encoding
    bad = _write(tmp_path / "bad.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(TranslatorError):
        with transaction(workspace.database_url) as session:
            import_files(session, workspace, [good, bad], "editor")
    assert _counts(workspace) == (0, 0, 0, 0)


def test_cli_import_reports_changes_and_errors_exit_2(cli, tmp_path):
    result = cli("import", str(ARTICLE))
    assert result.exit_code == 0, result.output
    assert "putin-xi-call: imported 32 segments in 22 blocks" in result.output
    result = cli("import", str(ARTICLE), "--json")
    assert json.loads(result.output)[0]["summary"] == "unchanged"
    result = cli("import", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "no such file" in result.output
    result = cli("import", str(ARTICLE), "--format", "pdf")
    assert result.exit_code == 2


# --- the same article under another file name; renaming and removing --------------------------------


def test_a_changed_copy_under_another_name_is_imported_with_a_warning(cli, tmp_path):
    assert cli("import", str(ARTICLE)).exit_code == 0
    copy = tmp_path / "call-v2.txt"
    copy.write_text(ARTICLE.read_text(encoding="utf-8").replace("Xi", "Li"), encoding="utf-8")
    result = cli("import", str(copy))
    assert result.exit_code == 0 and "call-v2: imported 32 segments" in result.stdout
    [warning] = result.stderr.strip().splitlines()
    assert warning.startswith("warning: ") and "repeats 28 of its 32 segments from article putin-xi-call" in warning
    assert f"'translator import {copy} --slug putin-xi-call'" in warning and "articles remove call-v2" in warning
    other = _write(tmp_path / "other.txt", b"Talks in Geneva\n\nThe delegations met on Monday.\n")
    assert cli("import", str(other)).stderr == ""


def test_rename_keeps_translations_and_history(cli, workspace):
    from translator import review

    cli("import", str(ARTICLE))
    with transaction(workspace.database_url) as session:
        review.edit(session, review.Target("putin-xi-call", 2, "de"), "Der Präsident.", "anna")
    result = cli("articles", "rename", "putin-xi-call", "call")
    assert result.exit_code == 0 and "renamed putin-xi-call to call" in result.output
    assert _rows(workspace, slug="call")[1].translations["de"]["text"] == "Der Präsident."
    with transaction(workspace.database_url, write=False) as session:
        actions = [e.action for e in session.scalars(select(Event).order_by(Event.id))]
    assert actions[0] == "article-imported" and actions[-1] == "article-renamed"
    taken = cli("articles", "rename", "call", "call")
    assert taken.exit_code == 2 and "already has that slug" in taken.output
    assert "no article 'putin-xi-call'" in cli("articles", "rename", "putin-xi-call", "x").output


def test_remove_keeps_tm_units_and_history_events(cli, workspace):
    from translator import review
    from translator.models import TMUnit

    cli("import", str(ARTICLE))
    with transaction(workspace.database_url) as session:
        review.edit(session, review.Target("putin-xi-call", 2, "de"), "Der Präsident.", "anna")
        review.approve(session, review.Target("putin-xi-call", 2, "de"), "anna", force=True, reason="ok")
    with transaction(workspace.database_url, write=False) as session:
        units, events = session.scalar(select(func.count(TMUnit.id))), session.scalar(select(func.count(Event.id)))
    assert units >= 1
    assert cli("articles", "remove", "putin-xi-call", input="n\n").exit_code == 1  # asked, and declined
    result = cli("articles", "remove", "putin-xi-call", "--yes")
    assert result.exit_code == 0 and f"{units} TM units kept" in result.output
    assert _counts(workspace)[:3] == (0, 0, 0)
    with transaction(workspace.database_url, write=False) as session:
        assert session.scalar(select(func.count(TMUnit.id))) == units
        assert session.scalar(select(func.count(Event.id))) == events + 1
        removed = session.scalars(select(Event).where(Event.action == "article-removed")).one()
    assert removed.old_value == "putin-xi-call" and "TM units kept" in removed.detail
    history = cli("history", "putin-xi-call", "--json")  # the removed article's history is still there
    assert history.exit_code == 0, history.output
    assert [e["action"] for e in json.loads(history.output)][:3] == ["article-removed", "approve", "edit"]
    again = cli("import", str(ARTICLE))  # the slug is free again, and the kept unit fills its segment
    assert again.exit_code == 0 and "1 filled from the TM" in again.output
    actions = [e["action"] for e in json.loads(cli("history", "putin-xi-call", "--json").output)]
    assert {"article-imported", "article-removed", "edit"} <= set(actions)
    assert "no article 'nothing-here'" in cli("history", "nothing-here").output


# -- one bounded reader for every input file (issue 12) ----------------------------------------------

STORY = "Talks in Geneva\n\nThe delegations met on Monday. They agreed to meet again.\n"


@pytest.mark.parametrize("encoding, data", [
    ("utf-8", STORY.encode("utf-16")),  # the byte order mark decides
    ("utf-8", STORY.encode("utf-32")),
    ("utf-8", "\ufeff".encode("utf-8") + STORY.encode("utf-8")),
    ("utf-16", STORY.encode("utf-16")),
    ("utf-16-le", STORY.encode("utf-16-le")),  # no mark: --encoding decides, before the binary check
    ("cp1252", STORY.replace("Geneva", "Genève").encode("cp1252")),
])
def test_byte_order_marks_and_encoding_are_honoured(workspace, tmp_path, encoding, data):
    path = _write(tmp_path / "story.txt", data)
    [report] = _import(workspace, path, encoding=encoding)
    assert report.segments == 3 and report.title.startswith("Talks in Gen")


def test_utf16_without_a_mark_is_binary_and_says_how_to_read_it(workspace, tmp_path):
    path = _write(tmp_path / "story.txt", STORY.encode("utf-16-le"))
    with pytest.raises(TranslatorError, match=r"story.txt:1: binary data .* pass --encoding"):
        _import(workspace, path)


def test_what_is_not_a_regular_file_is_refused_without_reading_it(workspace, tmp_path):
    import os

    os.mkfifo(tmp_path / "wire.txt")  # opening it to read would wait for a writer forever
    for path, complaint in ((tmp_path / "wire.txt", "is a named pipe"), (Path("/dev/zero"), "is a device"),
                            (tmp_path, "is a directory")):
        with pytest.raises(TranslatorError, match=complaint):
            _import(workspace, path, fmt="text")
    assert _counts(workspace) == (0, 0, 0, 0)


def test_every_reader_refuses_a_named_pipe(tmp_path):
    import os

    from translator.formats.glossary_csv import read_glossary_csv
    from translator.formats.po import read_po
    from translator.formats.tbx import read_tbx
    from translator.formats.tmx import read_tmx
    from translator.formats.xliff import read_xliff

    for name, reader in (("a.po", read_po), ("a.xlf", read_xliff), ("a.tmx", read_tmx), ("a.tbx", read_tbx),
                         ("a.csv", read_glossary_csv)):
        os.mkfifo(tmp_path / name)
        with pytest.raises(TranslatorError, match=rf"{name}: is a named pipe"):
            reader(tmp_path / name)


def test_the_size_limit_names_the_file_and_can_be_raised(workspace, tmp_path, monkeypatch):
    small = _write(tmp_path / "small.txt", STORY.encode())
    monkeypatch.setenv("TRANSLATOR_MAX_FILE_MB", "0")
    with pytest.raises(TranslatorError, match="TRANSLATOR_MAX_FILE_MB='0': expected a whole number"):
        _import(workspace, small)
    monkeypatch.setenv("TRANSLATOR_MAX_FILE_MB", "1")
    assert _import(workspace, small)[0].created
    too_big = _write(tmp_path / "too-big.txt", (STORY * 20_000).encode())  # 1.5 MB
    with pytest.raises(TranslatorError, match=r"too-big.txt: larger than 1 MB, the limit for an article; .*"
                                              r"TRANSLATOR_MAX_FILE_MB"):
        _import(workspace, too_big)


def test_too_many_blocks_is_refused_with_the_file_named(workspace, tmp_path, monkeypatch):
    monkeypatch.setattr("translator.articles.BLOCKS_PER_MB", 10)
    path = _write(tmp_path / "many.txt", ("Many\n\n" + "".join(f"Line {i} ends here.\n\n" for i in range(30))).encode())
    with pytest.raises(TranslatorError, match=r"many.txt: 31 blocks .* more than the 20 .* TRANSLATOR_MAX_FILE_MB"):
        _import(workspace, path)
    assert _counts(workspace) == (0, 0, 0, 0)

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
    bad = _write(tmp_path / "bad.txt", b"\xff\xfe\x00b\x00a\x00d")
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

"""A manager's coverage report: where each language stands, per article, and how work moves.

The workspace is built through the real services (TM and glossary import, article import, review,
re-import); the expected figures are counted here from the segments the overview shows, in Python,
and must equal what the report computes in SQL from the trigger-kept ``coverage`` table.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import delete, update

from conftest import ARTICLE
from translator import review
from translator.articles import import_files
from translator.db import transaction
from translator.demo import GLOSSARY, MEMORY
from translator.errors import TranslatorError
from translator.glossary import import_glossary_files
from translator.memory import TranslationMemory
from translator.models import Event, Segment, Translation
from translator.overview import article_segments
from translator.report import Formatter, build_report, render, select_languages, share, write_report
from translator.report.figures import STATUSES, recount, stored
from translator.status import Origin, Status, change_status
from translator.tm_files import import_tmx
from translator.words import count_words

SLUG = "putin-xi-call"


def _target(number: int, lang: str = "de") -> review.Target:
    return review.Target(SLUG, number, lang)


@pytest.fixture
def desk(workspace):
    return build_desk(workspace)


def build_desk(workspace):  # type: ignore[no-untyped-def]
    """The example article with the example TM and glossary, then a day of review in German."""
    url = workspace.database_url
    with transaction(url) as session:
        import_tmx(TranslationMemory(session), MEMORY, "editor")
        import_glossary_files(session, [GLOSSARY], workspace.source, "editor")
        import_files(session, workspace, [ARTICLE], "editor")
    with transaction(url) as session:
        review.edit(session, _target(1), "Strategische Partnerschaft vertieft sich inmitten globaler Spannungen",
                    "anna")
        review.approve(session, _target(1), "ben")
        review.edit(session, _target(4), "'Stabilisierender Faktor in globalen Turbulenzen'", "anna")
        review.edit(session, _target(5), "Während des Gesprächs lobte er die Beziehungen.", "anna")
        review.reject(session, _target(5), "too short", "ben")
        # a wrong number and no China, Russland: QA findings, among them glossary misses
        review.edit(session, _target(11), "Der bilaterale Handel erreichte 2025 243 Milliarden Dollar.", "anna")
        review.edit(session, _target(1, "fr"), "Le partenariat stratégique s'approfondit", "chloe")
        review.approve(session, _target(1, "fr"), "ben")
    with transaction(url) as session:
        # no service sets "fuzzy" yet (a PO import may): the one function that sets statuses does
        tr = review.load(session, _target(6))[2]
        tr.text, tr.origin = "Xi erwiderte, die Beziehungen entwickelten sich positiv.", Origin.IMPORT
        change_status(tr, Status.FUZZY)
    return workspace


def _expected(url: str, languages: list[str]) -> dict[str, dict]:
    """The figures counted in Python from the overview: segments and words by status, open findings."""
    with transaction(url, write=False) as session:
        rows = article_segments(session, SLUG, languages)
    result = {}
    for lang in languages:
        by_status = {s: [0, 0] for s in STATUSES}
        findings = misses = 0
        for row in rows:
            tr = row.translations.get(lang, {"status": "untranslated", "flags": []})
            by_status[tr["status"]][0] += 1
            by_status[tr["status"]][1] += count_words(row.source)
            if tr["status"] != "approved":
                findings += len(tr["flags"])
                misses += sum(1 for f in tr["flags"] if f["check"] == "glossary-missing")
        result[lang] = {"segments": len(rows), "words": sum(count_words(r.source) for r in rows),
                        "statuses": {s: tuple(v) for s, v in by_status.items()}, "findings": findings,
                        "misses": misses}
    return result


def _report(url: str, languages=("nl", "de", "fr", "es", "pt"), **kwargs):  # type: ignore[no-untyped-def]
    with transaction(url, write=False) as session:
        return build_report(session, list(languages), **kwargs)


def _assert_matches(report, expected) -> None:  # type: ignore[no-untyped-def]
    for f in report.languages:
        want = expected[f.language]
        assert (f.segments, f.words) == (want["segments"], want["words"])
        assert {s: (f.statuses[s].segments, f.statuses[s].words) for s in STATUSES} == want["statuses"]
        assert {s: f.statuses[s].percent for s in STATUSES} == {
            s: share(want["statuses"][s][1], want["words"]) for s in STATUSES}
        assert f.coverage == share(want["statuses"]["approved"][1], want["words"])
        assert (f.qa_issues, f.glossary_misses) == (want["findings"], want["misses"])


def test_the_word_rule():
    assert count_words("Putin's 1 hour 25 minute call cost $1,234.50 in <b>Russia-China</b> trade.") == 11
    assert count_words("See [the report](https://example.org/a_b) now") == 4  # link targets are markup
    assert count_words("l’homme d’État, 2026-02-04") == 3
    assert count_words("习近平主席 met") == 6  # one word per character where words are not spaced
    assert count_words(" -- … ") == 0


def test_figures_per_language_equal_a_count_of_the_segments(desk):
    report = _report(desk.database_url)
    expected = _expected(desk.database_url, desk.targets)
    _assert_matches(report, expected)
    de = {f.language: f for f in report.languages}["de"]
    # the example article: 32 segments, 490 words; German from the TM (5 approved, 9 machine) and the review
    assert (report.articles, report.segments, report.words) == (1, 32, 490)
    assert {s: (f.segments, f.words) for s, f in de.statuses.items()} == {
        "untranslated": (25, 396), "machine": (1, 9), "fuzzy": (1, 29), "translated": (2, 18),
        "approved": (2, 11), "rejected": (1, 27), "stale": (0, 0)}
    assert de.coverage == 2.24  # 11 / 490 = 2.2448..., rounded down
    assert de.qa_issues > de.glossary_misses > 0  # the wrong number, and the missing China and Russland
    total = report.total
    assert total.segments == 5 * 32 and total.words == 5 * 490
    assert total.approved_words == sum(f.approved_words for f in report.languages)
    assert total.coverage == share(total.approved_words, 5 * 490)
    assert de.last_activity is not None and de.last_activity <= datetime.now(timezone.utc)


def test_reimport_removal_and_deletion_keep_the_figures_exact(desk, tmp_path):
    url = desk.database_url
    changed = tmp_path / f"{SLUG}.txt"
    lines = ARTICLE.read_text(encoding="utf-8").splitlines()
    lines[0] = "Strategic Partnership Deepens Further Amid Global Tensions"  # approved in de and fr: stale now
    lines = [line for line in lines if line != "Português"] + ["Italiano"]  # one removed, one added
    changed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with transaction(url) as session:
        import_files(session, desk, [changed], "editor")
    report = _report(url)
    _assert_matches(report, _expected(url, desk.targets))
    de = {f.language: f for f in report.languages}["de"]
    assert de.statuses["stale"].segments == 1 and de.statuses["stale"].words == 7
    assert report.segments == 32 and report.words == 490 + 1  # a word more in the title
    with transaction(url) as session:  # a bulk change in Core, as a script would: the triggers see it too
        session.execute(update(Translation).where(Translation.language == "es")
                        .values(text="Borrador.", status=Status.MACHINE, origin=Origin.MT,
                                flags=[{"check": "glossary-missing", "source": "Putin", "required": "Putin"}]))
        session.execute(delete(Segment).where(Segment.position == 0))
    report = _report(url)
    _assert_matches(report, _expected(url, desk.targets))
    es = {f.language: f for f in report.languages}["es"]
    assert es.statuses["machine"].segments == 31 and es.glossary_misses == 31
    with transaction(url, write=False) as session:
        assert stored(session) == recount(session)


def test_one_article_and_some_languages(desk, tmp_path):
    other = tmp_path / "short-note.txt"
    other.write_text("A short note\nNothing else happened today.\n", encoding="utf-8")
    with transaction(desk.database_url) as session:
        import_files(session, desk, [other], "editor")
    whole = _report(desk.database_url, ["de", "fr"])
    assert (whole.articles, whole.segments, whole.words) == (2, 34, 490 + 7)
    assert [a.slug for a in whole.matrix] == ["putin-xi-call", "short-note"]
    note = whole.matrix[1]
    assert (note.segments, note.words) == (2, 7)
    assert {lang: (c.approved_words, c.coverage) for lang, c in note.languages.items()} == {
        "de": (0, 0.0), "fr": (0, 0.0)}
    assert whole.matrix[0].languages["de"].coverage == 2.24
    one = _report(desk.database_url, ["de"], article=SLUG)
    assert (one.article, one.articles, one.segments, one.words) == (SLUG, 1, 32, 490)
    assert [f.language for f in one.languages] == ["de"]
    _assert_matches(one, _expected(desk.database_url, ["de"]))
    with pytest.raises(TranslatorError, match="no article 'nope'"):
        _report(desk.database_url, ["de"], article="nope")
    assert select_languages(desk.targets, "fr,de") == ["fr", "de"]
    with pytest.raises(TranslatorError, match="not a target language of this workspace: it"):
        select_languages(desk.targets, "de,it")


def test_trend_counts_approvals_and_edits_per_utc_day(desk):
    url = desk.database_url
    today = datetime.now(timezone.utc).date()
    report = _report(url, ["de", "fr"], days=7)
    assert [d.day for d in report.trend] == [today - timedelta(days=6 - i) for i in range(7)]
    last = report.trend[-1]
    # de: 4 edits (1, 4, 5, 11) and 1 approval; fr: 1 edit, 1 approval; TM fills are neither
    assert (last.approvals, last.edits, last.by_language) == (2, 5, {"de": (1, 4), "fr": (1, 1)})
    assert all((d.approvals, d.edits) == (0, 0) for d in report.trend[:-1])
    # move German's history back: 23:30 UTC is still that day, whatever the server's time zone
    late = datetime(today.year, today.month, today.day, 23, 30, tzinfo=timezone.utc) - timedelta(days=2)
    with transaction(url) as session:
        session.execute(update(Event).where(Event.language == "de", Event.action.in_(["approve", "edit"]))
                        .values(at=late))
    report = _report(url, ["de", "fr"], days=7)
    by_day = {d.day: (d.approvals, d.edits) for d in report.trend}
    assert by_day[late.date()] == (1, 4) and by_day[today] == (1, 1)
    assert _report(url, ["de"], days=2).trend[0].day == today - timedelta(days=1)
    assert sum(d.edits for d in _report(url, ["de"], days=2).trend) == 0  # outside the window


def test_formats_json_and_csv_hold_the_same_figures(desk):
    report = _report(desk.database_url)
    data = json.loads(render(report, "json", "de"))
    de = data["languages"][1]
    figures = report.languages[1]
    assert (de["language"], de["name"], de["words"], de["coverage"]) == ("de", "Deutsch", 490, figures.coverage)
    assert de["statuses"]["approved"] == {"segments": 2, "words": 11, "percent": 2.24}
    assert de["qa_issues"] == figures.qa_issues and data["total"]["words"] == 2450
    assert data["matrix"][0]["languages"]["de"] == {"approved_segments": 2, "approved_words": 11, "coverage": 2.24}
    assert data["trend"][-1]["languages"]["de"] == {"approvals": 1, "edits": 4}
    assert data["definitions"]["coverage"].startswith("Abdeckung: freigegebene Wörter / Quellwörter")
    rows = list(csv.DictReader(io.StringIO(render(report, "csv", "de"))))
    by_scope = {(r["scope"], r["article"], r["language"], r["day"]): r for r in rows}
    row = by_scope[("language", "", "de", "")]
    assert (row["coverage_percent"], row["approved_words"], row["rejected_segments"]) == ("2.24", "11", "1")
    assert by_scope[("total", "", "", "")]["source_words"] == "2450"
    assert by_scope[("article", SLUG, "fr", "")]["approved_words"] == str(report.languages[2].approved_words)
    assert by_scope[("day", "", "de", datetime.now(timezone.utc).date().isoformat())]["edits"] == "4"


def test_the_table_and_its_locale(desk):
    report = _report(desk.database_url)
    english = render(report, "table", "en")
    assert "Coverage by language" in english and "de German" in english and "2.2%" in english
    assert "Coverage: approved words / source words" in english  # the definitions are part of it
    german = render(report, "table", "de")
    assert "Abdeckung nach Sprache" in german and "de Deutsch" in german and "2,2\xa0%" in german
    assert "Coverage by language" not in german and "Freigaben" in german
    untranslated = report.total.statuses["untranslated"].words
    assert untranslated > 1000 and f"{untranslated // 1000}.{untranslated % 1000:03d}" in german  # German grouping
    # no catalog for Italian: the words stay English, numbers and language names are Italian
    italian = render(report, "table", "it")
    assert "Coverage by language" in italian and "de Tedesco" in italian
    assert f"{untranslated // 1000}.{untranslated % 1000:03d}" in italian and "2,2%" in italian


def test_html_is_one_self_contained_file(desk):
    report = _report(desk.database_url)
    page = render(report, "html", "fr")
    assert page.startswith("<!DOCTYPE html>") and '<html lang="fr">' in page
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "<style>" in page and page.count("<svg") == len(report.languages) + 2  # bars, total, trend
    for forbidden in ("http://", "https://", "<script", "<link", "src=", "@import", "url("):
        assert forbidden not in page, forbidden
    assert "Couverture par langue" in page and "Allemand (de)" in page


def test_fail_under_and_bad_input_on_the_command_line(cli, tmp_path):
    assert cli("import", str(ARTICLE)).exit_code == 0
    assert cli("edit", SLUG, "1", "Strategische Partnerschaft vertieft sich", "--lang", "de").exit_code == 0
    assert cli("approve", SLUG, "1", "--lang", "de").exit_code == 0
    result = cli("report", "--lang", "de,fr", "--fail-under", "1.22")  # de: 6 / 490 = 1.2244...
    assert result.exit_code == 1, result.output
    assert "coverage below 1.2%: fr 0.0%" in result.output and "de 1.2%" not in result.output
    assert cli("report", "--lang", "de", "--fail-under", "1.2244").exit_code == 0
    assert cli("report", "--lang", "de", "--fail-under", "1.2245").exit_code == 1
    shown = cli("report", "--lang", "de", "--format", "json")
    assert shown.exit_code == 0 and json.loads(shown.output)["languages"][0]["coverage"] == 1.22
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "report.html"
    written = cli("report", "--format", "html", "--out", str(out), "--locale", "pt")
    assert written.exit_code == 0 and f"{out}" in written.output
    assert '<html lang="pt">' in out.read_text(encoding="utf-8")
    assert "Cobertura por idioma" in out.read_text(encoding="utf-8")
    for args, message in (
        (["--article", "nope"], "error: no article 'nope'"),
        (["--lang", "it"], "error: not a target language of this workspace: it"),
        (["--locale", "xx-yy"], "error: unknown locale 'xx-yy'"),
        (["--out", str(folder / "missing" / "r.csv"), "--format", "csv"], "error: cannot write"),
        (["--out", str(folder), "--format", "csv"], "is a directory"),
    ):
        result = cli("report", *args)
        assert result.exit_code == 2 and message in result.output and len(result.output.strip().splitlines()) == 1, \
            (args, result.output)
    assert list(folder.iterdir()) == [out]  # nothing half-written beside it
    german = cli("report", "--article", "nope", "--locale", "de")
    assert german.exit_code == 2 and german.output.startswith("Fehler: ")


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "-1", "101", "ten"])
def test_fail_under_refuses_what_is_not_a_percentage(cli, value):
    """A gate at nan compared false with every coverage, so it passed at 0 %."""
    result = cli("report", "--fail-under", value)
    assert result.exit_code == 2, result.output
    assert "--fail-under" in result.output.strip().splitlines()[-1]


def test_write_report_replaces_the_file_whole(tmp_path):
    target = tmp_path / "r.csv"
    target.write_text("old", encoding="utf-8")
    write_report(target, "new,content\n")
    assert target.read_text(encoding="utf-8") == "new,content\n" and list(tmp_path.iterdir()) == [target]


def test_formatter_rounds_percentages_down_like_the_figures():
    assert share(2, 3) == 66.66 and share(1999, 2000) == 99.95 and share(0, 0) is None
    assert Formatter("en").percent(99.95) == "99.9%"  # never 100 % before all of it is approved
    assert Formatter("de").percent(100.0) == "100,0\xa0%"
    assert Formatter("fr").percent(None) == "–"
    with pytest.raises(TranslatorError, match="unknown locale"):
        Formatter("klingon")


def test_the_report_command_loads_no_translation_engine(cli):
    assert cli("import", str(ARTICLE)).exit_code == 0
    code = ("import sys, runpy; sys.argv = ['translator', 'report', '--format', 'csv'];\n"
            "try: runpy.run_module('translator', run_name='__main__')\n"
            "except SystemExit as exc: print('exit', exc.code)\n"
            "print('torch' in sys.modules, 'argostranslate' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ),
                         cwd=Path.cwd())
    assert out.stdout.splitlines()[-2:] == ["exit 0", "False False"], out.stderr

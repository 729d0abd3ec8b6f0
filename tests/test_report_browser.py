"""The HTML report in a real browser: headless Chromium (Debian's ``chromium``) opens the file, and
the figures read back from the page (text, data attributes, drawn widths) are the service's.

Without /usr/bin/chromium this fails rather than skips: CI installs it (.ci/run).
"""

from __future__ import annotations

import pytest

from test_report import build_desk
from translator.db import transaction
from translator.report import Formatter, build_report, render, write_report
from translator.report.figures import STATUSES

PHONE = {"width": 375, "height": 812}

LANGUAGES_JS = """els => els.map(e => ({
  language: e.dataset.language, coverage: e.dataset.coverage,
  shown: e.querySelector('.coverage').textContent,
  figures: Object.fromEntries([...e.querySelectorAll('dd')].map(d => [d.dataset.figure, d.textContent])),
  bar: e.querySelector('svg.bar').getBoundingClientRect().width,
  parts: [...e.querySelectorAll('rect')].map(r => ({
    status: r.dataset.status, segments: +r.dataset.segments, words: +r.dataset.words,
    drawn: r.getBoundingClientRect().width})),
}))"""
MATRIX_JS = """rows => rows.map(r => ({
  article: r.dataset.article, segments: +r.dataset.segments, words: +r.dataset.words,
  cells: [...r.querySelectorAll('td.cell')].map(c => ({
    language: c.dataset.language, coverage: c.dataset.coverage, shown: c.textContent,
    background: getComputedStyle(c).backgroundColor})),
}))"""
TREND_JS = """circles => circles.map(c => ({day: c.dataset.day, series: c.dataset.series, value: +c.dataset.value,
                                     y: +c.getAttribute('cy')}))"""


@pytest.fixture
def desk(workspace):
    """The example article after a day of review (as in test_report)."""
    return build_desk(workspace)




def test_the_html_report_reads_back_in_a_browser_on_a_phone(desk, browser, tmp_path):
    with transaction(desk.database_url, write=False) as session:
        report = build_report(session, desk.targets)
    fmt = Formatter("de")
    path = tmp_path / "coverage.html"
    write_report(path, render(report, "html", "de"))

    page = browser.new_page(viewport=PHONE)
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(path.as_uri())
    assert requested == [path.as_uri()]  # nothing fetched from anywhere
    assert page.evaluate("document.documentElement.lang") == "de"
    assert page.inner_text("h1") == "Übersetzungsstand"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # no sideways page scrolling

    languages = page.eval_on_selector_all("li.language", LANGUAGES_JS)
    assert [row["language"] for row in languages] == [*desk.targets, "total"]
    for row, figures in zip(languages, [*report.languages, report.total]):
        assert float(row["coverage"]) == figures.coverage
        assert row["shown"] == fmt.percent(figures.coverage)
        assert row["figures"] == {
            "segments": fmt.number(figures.segments), "words": fmt.number(figures.words),
            "qa-issues": fmt.number(figures.qa_issues), "glossary-misses": fmt.number(figures.glossary_misses),
            "last-activity": fmt.moment(figures.last_activity)}
        parts = {p["status"]: p for p in row["parts"]}
        assert {s: (parts[s]["segments"], parts[s]["words"]) for s in STATUSES} == {
            s: (figures.statuses[s].segments, figures.statuses[s].words) for s in STATUSES}
        for status in STATUSES:  # each part is drawn as wide as its share of the words
            drawn = parts[status]["drawn"] / row["bar"]
            assert abs(drawn - figures.statuses[status].words / figures.words) < 0.005, (row["language"], status)
    de = next(row for row in languages if row["language"] == "de")
    assert (de["shown"], de["figures"]["qa-issues"]) == ("2,2\xa0%", fmt.number(report.languages[1].qa_issues))

    statuses = page.eval_on_selector_all(
        "table.statuses td", "cells => cells.map(c => [c.dataset.language, c.dataset.status, +c.dataset.words])")
    assert statuses == [[f.language, s, f.statuses[s].words] for f in [*report.languages, report.total]
                        for s in STATUSES]

    matrix = page.eval_on_selector_all("table.heatmap tbody tr", MATRIX_JS)
    assert [(m["article"], m["segments"], m["words"]) for m in matrix] == [
        (a.slug, a.segments, a.words) for a in report.matrix]
    cells = matrix[0]["cells"]
    article = report.matrix[0]
    assert [(c["language"], float(c["coverage"]), c["shown"]) for c in cells] == [
        (lang, article.languages[lang].coverage, fmt.percent(article.languages[lang].coverage))
        for lang in desk.targets]
    # a heat map: the covered cell (de, 2.24 %) is coloured differently from the empty one (nl, 0 %)
    colours = {c["language"]: c["background"] for c in cells}
    assert colours["de"] != colours["nl"] and colours["nl"] == colours["pt"]

    trend = page.eval_on_selector_all("svg.trend circle", TREND_JS)
    assert len(trend) == 2 * report.days
    today = report.trend[-1]
    points = {(p["day"], p["series"]): p for p in trend}
    assert points[(today.day.isoformat(), "approvals")]["value"] == today.approvals == 2
    assert points[(today.day.isoformat(), "edits")]["value"] == today.edits == 5
    # higher is more: today's edits are drawn above today's approvals, and both above an empty day
    yesterday = report.trend[-2].day.isoformat()
    assert (points[(today.day.isoformat(), "edits")]["y"] < points[(today.day.isoformat(), "approvals")]["y"]
            < points[(yesterday, "edits")]["y"])
    assert page.inner_text("[data-figure=edits-total]") == "5"
    assert "Begriffe" in page.inner_text("#definitions h2")
    page.close()


def test_the_html_report_on_a_desktop_in_english(desk, browser, tmp_path):
    with transaction(desk.database_url, write=False) as session:
        report = build_report(session, ["de", "fr"], article="putin-xi-call")
    path = tmp_path / "coverage.html"
    write_report(path, render(report, "html", "en"))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(path.as_uri())
    assert page.inner_text("h1") == "Translation coverage"
    assert page.inner_text("p.scope").startswith("article putin-xi-call; segments: 32, source words: 490")
    shown = page.eval_on_selector_all("li.language", "els => els.map(e => [e.dataset.language, "
                                                     "e.querySelector('.coverage').textContent])")
    english = Formatter("en")
    assert shown == [["de", "2.2%"], ["fr", english.percent(report.languages[1].coverage)],
                     ["total", english.percent(report.total.coverage)]]
    assert page.is_visible("table.heatmap th.size")  # the sizes show on a wide screen, not on a phone
    page.close()

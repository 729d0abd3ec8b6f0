"""The report as one self-contained HTML file: inline CSS and SVG, no scripts, nothing fetched.

A stacked bar per language (its source words by status), the article x language matrix as a heat
map, and the approvals and edits per day as lines. Every figure is in the page as text, and raw in
``data-`` attributes, so a browser (or a test) can read it back.
"""

from __future__ import annotations

from html import escape

from .figures import STATUSES, Cell, Day, LanguageFigures, Report
from .labels import TITLE, Formatter
from .text import least_covered

HTML_ROWS = 200  # articles in the HTML heat map unless asked otherwise

COLORS = {  # colour-blind-safe (Okabe-Ito), approved green last in the bar
    "untranslated": "#d9d9d9", "machine": "#56b4e9", "fuzzy": "#f0e442", "translated": "#0072b2",
    "approved": "#009e73", "rejected": "#d55e00", "stale": "#cc79a7",
}
BAR_ORDER = ["approved", "translated", "machine", "fuzzy", "stale", "rejected", "untranslated"]
APPROVALS_COLOR, EDITS_COLOR = "#009e73", "#0072b2"

CSS = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --line: #d0d4d9; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       background: #fff; }
header, main { max-width: 64rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 .25rem; }
h2 { font-size: 1.2rem; margin: 2rem 0 .5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
p.scope, p.generated, p.note { margin: .25rem 0; color: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: .25rem .9rem; margin: .5rem 0 1rem; font-size: .9rem; padding: 0;
          list-style: none; }
.legend i { display: inline-block; width: .9em; height: .9em; border-radius: 2px; vertical-align: -.1em;
            margin-right: .3em; }
ul.bars { list-style: none; padding: 0; margin: 0; }
ul.bars li { margin: 0 0 1.1rem; }
.row-head { display: flex; justify-content: space-between; align-items: baseline; gap: 1rem; }
.row-head .name { font-weight: 600; }
.row-head .coverage { font-size: 1.25rem; font-weight: 700; white-space: nowrap; }
svg.bar { display: block; width: 100%; height: 1.4rem; border-radius: 4px; background: #eee; margin: .2rem 0; }
dl.figures { display: flex; flex-wrap: wrap; gap: .1rem 1.2rem; margin: 0; font-size: .9rem; color: var(--muted); }
dl.figures div { display: flex; gap: .3rem; }
dl.figures dt::after { content: ":"; }
dl.figures dd { margin: 0; color: var(--ink); font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; margin: .5rem 0; }
table { border-collapse: collapse; font-size: .9rem; font-variant-numeric: tabular-nums; }
th, td { padding: .3rem .5rem; border-bottom: 1px solid var(--line); text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { position: sticky; top: 0; background: #fff; }
table.heatmap th[scope=row] { position: sticky; left: 0; background: #fff; max-width: 14rem; overflow: hidden;
                              text-overflow: ellipsis; }
table.heatmap small { display: block; color: var(--muted); font-weight: normal; overflow: hidden;
                      text-overflow: ellipsis; }
table.heatmap td.cell { min-width: 4.2rem; color: #111; }
table.statuses td small { display: block; color: var(--muted); }
svg.trend { display: block; width: 100%; max-width: 42rem; height: auto; }
svg.trend text { font-size: 15px; fill: var(--muted); }
dl.definitions dt { font-weight: 600; margin-top: .5rem; }
dl.definitions dd { margin: 0 0 0 1rem; color: var(--muted); }
footer { height: 2rem; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  h1 { font-size: 1.3rem; }
  th, td { padding: .25rem .35rem; }
  table { font-size: .82rem; }
  table.heatmap .size { display: none; }
  table.heatmap th[scope=row] { max-width: 7rem; }
  table.heatmap td.cell { min-width: 0; }
}
"""


def render_html(report: Report, fmt: Formatter, matrix_rows: int | None = HTML_ROWS) -> str:
    _ = fmt._
    scope = (_("article {slug}").format(slug=report.article) if report.article
             else fmt.ngettext("workspace: {articles} article", "workspace: {articles} articles",
                               report.articles).format(articles=fmt.number(report.articles)))
    sizes = _("segments: {segments}, source words: {words}").format(segments=fmt.number(report.segments),
                                                                  words=fmt.number(report.words))
    title = _(TITLE)
    generated = _("generated {moment} UTC").format(moment=fmt.moment(report.generated_at))
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{escape(fmt.language_tag)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)} – {escape(scope)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="scope" data-articles="{report.articles}" data-segments="{report.segments}" '
        f'data-words="{report.words}">{escape(scope)}; {escape(sizes)}</p>',
        f'<p class="generated">{escape(generated)}</p>',
        "</header>",
        "<main>",
        _languages(report, fmt),
        _status_table(report, fmt),
        _matrix(report, fmt, matrix_rows),
        _trend(report, fmt),
        _definitions(fmt),
        "</main>",
        "<footer></footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _attrs(**values: object) -> str:
    """``data-`` attributes from keyword arguments (``qa_issues`` -> ``data-qa-issues``); None is empty."""
    return " ".join(f'data-{k.replace("_", "-")}="{escape("" if v is None else str(v))}"' for k, v in values.items())


def _legend(fmt: Formatter) -> str:
    items = "".join(f'<li><i style="background:{COLORS[s]}"></i>{escape(fmt.status(s))}</li>' for s in BAR_ORDER)
    return f'<ul class="legend">{items}</ul>'


def _languages(report: Report, fmt: Formatter) -> str:
    _ = fmt._
    heading, coverage = _("Coverage by language"), _("Coverage")
    rows = [f'<section id="languages"><h2>{escape(heading)}</h2>', _legend(fmt), '<ul class="bars">']
    for f in [*report.languages, report.total]:
        total = f is report.total
        name = _("Total") if total else f"{fmt.language(f.language)} ({f.language})"
        figures = [(_("Segments"), "segments", fmt.number(f.segments)),
                   (_("Source words"), "words", fmt.number(f.words)),
                   (_("QA issues"), "qa-issues", fmt.number(f.qa_issues)),
                   (_("Glossary misses"), "glossary-misses", fmt.number(f.glossary_misses)),
                   (_("Last activity"), "last-activity", fmt.moment(f.last_activity))]
        dl = "".join(f'<div><dt>{escape(label)}</dt><dd data-figure="{key}">{escape(value)}</dd></div>'
                     for label, key, value in figures)
        data = _attrs(language=f.language, coverage=f.coverage, segments=f.segments, words=f.words,
                      qa_issues=f.qa_issues, glossary_misses=f.glossary_misses,
                      last_activity=f.last_activity.isoformat(timespec="seconds") if f.last_activity else None)
        rows.append(
            f'<li class="language" {data}>'
            f'<div class="row-head"><span class="name">{escape(name)}</span>'
            f'<span class="coverage" data-figure="coverage" title="{escape(coverage)}">'
            f'{escape(fmt.percent(f.coverage))}</span></div>'
            f'{_bar(f, fmt)}<dl class="figures">{dl}</dl></li>')
    rows.append("</ul></section>")
    return "\n".join(rows)


def _bar(f: LanguageFigures, fmt: Formatter) -> str:
    """The language's source words by status, as one stacked bar 1000 units wide."""
    x = 0.0
    rects = []
    for status in BAR_ORDER:
        figure = f.statuses[status]
        width = 1000 * figure.words / f.words if f.words else 0.0
        label = fmt._("{status} – segments: {segments}, words: {words}, share: {percent}").format(
            status=fmt.status(status), segments=fmt.number(figure.segments), words=fmt.number(figure.words),
            percent=fmt.percent(figure.percent))
        rects.append(f'<rect x="{x:.3f}" y="0" width="{width:.3f}" height="10" fill="{COLORS[status]}" '
                     f'{_attrs(status=status, segments=figure.segments, words=figure.words, percent=figure.percent)}>'
                     f"<title>{escape(label)}</title></rect>")
        x += width
    aria = fmt._("Source words by status")
    return (f'<svg class="bar" viewBox="0 0 1000 10" preserveAspectRatio="none" role="img" '
            f'aria-label="{escape(aria)}">{"".join(rects)}</svg>')


def _status_table(report: Report, fmt: Formatter) -> str:
    _ = fmt._
    head = "".join(f'<th scope="col"><span style="color:{COLORS[s] if s != "untranslated" else "#777"}">■</span> '
                   f"{escape(fmt.status(s))}</th>" for s in STATUSES)
    heading, note, language = (_("Segments by status"), _("each cell: segments, then words and their share of the "
                                                         "source words"), _("Language"))
    rows = []
    for f in [*report.languages, report.total]:
        name = _("Total") if f is report.total else f.language
        cells = "".join(_status_cell(f, s, fmt) for s in STATUSES)
        rows.append(f'<tr><th scope="row">{escape(name)}</th>{cells}</tr>')
    return (f'<section id="statuses"><h2>{escape(heading)}</h2><p class="note">{escape(note)}</p>'
            f'<div class="scroll"><table class="statuses"><thead><tr><th scope="col">{escape(language)}</th>'
            f"{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div></section>")


def _status_cell(f: LanguageFigures, status: str, fmt: Formatter) -> str:
    figure = f.statuses[status]
    data = _attrs(language=f.language, status=status, segments=figure.segments, words=figure.words,
                  percent=figure.percent)
    return (f"<td {data}>{escape(fmt.number(figure.segments))}"
            f"<small>{escape(fmt.number(figure.words))} · {escape(fmt.percent(figure.percent))}</small></td>")


def heat(coverage: float | None) -> str:
    """A background from red (0 %) through yellow to green (100 %); grey for no figure."""
    if coverage is None:
        return "#eeeeee"
    return f"hsl({round(1.2 * coverage)}, 70%, {88 - round(0.1 * coverage)}%)"


def _matrix(report: Report, fmt: Formatter, limit: int | None) -> str:
    _ = fmt._
    shown = least_covered(report.matrix, limit)
    note = (_("the {shown} articles with the least coverage, of {total}; --matrix-rows 0 shows all").format(
        shown=fmt.number(len(shown)), total=fmt.number(len(report.matrix))) if len(shown) < len(report.matrix)
        else _("coverage of each article in each language"))
    head = "".join(f'<th scope="col" title="{escape(fmt.language(f.language))}">{escape(f.language)}</th>'
                   for f in report.languages)
    heading, article_label, segments, words = (_("Coverage by article and language"), _("Article"), _("Segments"),
                                               _("Source words"))
    languages = [f.language for f in report.languages]
    rows = []
    for article in shown:
        cells = "".join(_heat_cell(lang, article.languages[lang], fmt) for lang in languages)
        rows.append(f'<tr {_attrs(article=article.slug, segments=article.segments, words=article.words)}>'
                    f'<th scope="row" title="{escape(article.title)}">{escape(article.slug)}'
                    f"<small>{escape(article.title)}</small></th>"
                    f'<td class="size">{escape(fmt.number(article.segments))}</td>'
                    f'<td class="size">{escape(fmt.number(article.words))}</td>'
                    f"{cells}</tr>")
    return (f'<section id="matrix"><h2>{escape(heading)}</h2>'
            f'<p class="note">{escape(note)}</p><div class="scroll"><table class="heatmap"><thead><tr>'
            f'<th scope="col">{escape(article_label)}</th><th scope="col" class="size">{escape(segments)}</th>'
            f'<th scope="col" class="size">{escape(words)}</th>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table></div></section>")


def _heat_cell(language: str, cell: Cell, fmt: Formatter) -> str:
    data = _attrs(language=language, coverage=cell.coverage, approved_words=cell.approved_words)
    return f'<td class="cell" style="background:{heat(cell.coverage)}" {data}>{escape(fmt.percent(cell.coverage))}</td>'


def _trend(report: Report, fmt: Formatter) -> str:
    _ = fmt._
    days = report.trend
    title = _("Approvals and edits per day, {first} – {last}").format(
        first=fmt.day(days[0].day), last=fmt.day(days[-1].day)) if days else _("Approvals and edits")
    totals = (sum(d.approvals for d in days), sum(d.edits for d in days))
    approvals, edits, with_activity, day = _("Approvals"), _("Edits"), _("Days with activity"), _("Day")
    legend = (f'<ul class="legend"><li><i style="background:{APPROVALS_COLOR}"></i>{escape(approvals)}: '
              f'<span data-figure="approvals-total">{escape(fmt.number(totals[0]))}</span></li>'
              f'<li><i style="background:{EDITS_COLOR}"></i>{escape(edits)}: '
              f'<span data-figure="edits-total">{escape(fmt.number(totals[1]))}</span></li></ul>')
    rows = "".join(f'<tr {_attrs(day=d.day.isoformat(), approvals=d.approvals, edits=d.edits)}>'
                   f"<th scope=\"row\">{escape(fmt.day(d.day))}</th><td>{escape(fmt.number(d.approvals))}</td>"
                   f"<td>{escape(fmt.number(d.edits))}</td></tr>" for d in days if d.approvals or d.edits)
    table = (f'<details><summary>{escape(with_activity)}</summary><div class="scroll">'
             f'<table class="trend-table"><thead><tr><th scope="col">{escape(day)}</th>'
             f'<th scope="col">{escape(approvals)}</th><th scope="col">{escape(edits)}</th></tr></thead>'
             f"<tbody>{rows}</tbody></table></div></details>")
    return (f'<section id="trend"><h2>{escape(title)}</h2>{legend}{_trend_svg(days, fmt)}{table}</section>')


def _trend_svg(days: list[Day], fmt: Formatter) -> str:
    width, height, left, right, top, bottom = 480, 220, 64, 16, 14, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    top_value = max([d.approvals for d in days] + [d.edits for d in days] + [1])
    scale = _nice(top_value)

    def x(i: int) -> float:
        return left + (plot_w * i / (len(days) - 1) if len(days) > 1 else plot_w / 2)

    def y(v: int) -> float:
        return top + plot_h - plot_h * v / scale

    grid = []
    for tick in (0, scale // 2, scale):
        grid.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#e3e3e3"/>'
                    f'<text x="{left - 6}" y="{y(tick) + 5:.1f}" text-anchor="end">{escape(fmt.number(tick))}</text>')
    labels = []
    for i in sorted({0, len(days) // 2, len(days) - 1} if days else set()):
        anchor = "start" if i == 0 else "end" if i == len(days) - 1 else "middle"
        labels.append(f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="{anchor}">'
                      f"{escape(fmt.short_day(days[i].day))}</text>")
    lines, points = [], []
    names = {"approvals": fmt._("Approvals"), "edits": fmt._("Edits")}
    for series, color in (("approvals", APPROVALS_COLOR), ("edits", EDITS_COLOR)):
        coords = " ".join(f"{x(i):.1f},{y(getattr(d, series)):.1f}" for i, d in enumerate(days))
        lines.append(f'<polyline class="{series}" fill="none" stroke="{color}" stroke-width="2.5" '
                     f'stroke-linejoin="round" points="{coords}"/>')
        for i, d in enumerate(days):
            value = getattr(d, series)
            label = f"{fmt.day(d.day)}: {fmt.number(value)} {names[series]}"
            points.append(f'<circle class="{series}" cx="{x(i):.1f}" cy="{y(value):.1f}" r="3" fill="{color}" '
                          f'{_attrs(day=d.day.isoformat(), series=series, value=value)}><title>{escape(label)}</title>'
                          "</circle>")
    aria = fmt._("Approvals and edits per day")
    return (f'<svg class="trend" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(aria)}">'
            f'{"".join(grid)}{"".join(labels)}{"".join(lines)}{"".join(points)}</svg>')


def _nice(value: int) -> int:
    """The top of the y axis: the smallest of 2, 4, 6, 8 or 10 x 10^n at least ``value`` (even, so the
    middle tick is a whole number)."""
    magnitude = 1
    while True:
        for step in (2, 4, 6, 8, 10):
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def _definitions(fmt: Formatter) -> str:
    items = "".join(f'<dt id="def-{key}">{escape(term)}</dt><dd>{escape(text)}</dd>'
                    for key, term, text in fmt.definitions())
    heading = fmt._("Definitions")
    return f'<section id="definitions"><h2>{escape(heading)}</h2><dl class="definitions">{items}</dl></section>'

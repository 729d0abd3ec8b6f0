"""The report in the terminal: rich tables per language, the article x language matrix, the trend."""

from __future__ import annotations

from io import StringIO

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from .figures import STATUSES, ArticleFigures, LanguageFigures, Report
from .labels import TITLE, Formatter

STATUS_STYLE = {
    "untranslated": "dim", "machine": "cyan", "fuzzy": "yellow", "translated": "blue",
    "approved": "green", "rejected": "red", "stale": "magenta",
}
TABLE_ROWS = 20  # articles in the terminal's matrix unless asked otherwise
SPARKS = "▁▂▃▄▅▆▇█"


def coverage_style(value: float | None) -> str:
    if value is None:
        return "dim"
    return "green" if value >= 100 else "yellow" if value >= 50 else "red"


def renderables(report: Report, fmt: Formatter, matrix_rows: int | None = TABLE_ROWS) -> list[RenderableType]:
    _ = fmt._
    header = Text(_(TITLE), style="bold")
    scope = (_("article {slug}").format(slug=report.article) if report.article
             else fmt.ngettext("workspace: {articles} article", "workspace: {articles} articles",
                               report.articles).format(articles=fmt.number(report.articles)))
    header.append(f" — {scope}; " + _("segments: {segments}, source words: {words}").format(
        segments=fmt.number(report.segments), words=fmt.number(report.words)), style="")
    header.append("\n" + _("generated {moment} UTC").format(moment=fmt.moment(report.generated_at)), style="dim")
    return [header, _languages(report, fmt), _statuses(report, fmt), _matrix(report, fmt, matrix_rows),
            _trend(report, fmt), _definitions(fmt)]


def render_text(report: Report, fmt: Formatter, matrix_rows: int | None = TABLE_ROWS, width: int = 120) -> str:
    """The terminal report as plain text (for ``--out``)."""
    buffer = StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False, emoji=False)
    for item in renderables(report, fmt, matrix_rows):
        console.print(item)
        console.print()
    return buffer.getvalue()


def _languages(report: Report, fmt: Formatter) -> Table:
    """Where each language stands (its segments and source words are the report's, in the header)."""
    _ = fmt._
    table = Table(title=_("Coverage by language"), title_justify="left", title_style="bold")
    table.add_column(_("Language"), no_wrap=True)
    for label in (_("Coverage"), _("QA issues"), _("Glossary misses")):
        table.add_column(label, justify="right", no_wrap=True)
    table.add_column(_("Last activity"), no_wrap=True)
    for f in [*report.languages, report.total]:
        name = _("Total") if f is report.total else f"{f.language} {fmt.language(f.language)}"
        table.add_row(Text(name), Text(fmt.percent(f.coverage), style=coverage_style(f.coverage)),
                      fmt.number(f.qa_issues), fmt.number(f.glossary_misses), fmt.moment(f.last_activity),
                      end_section=f is report.languages[-1])
    return table


def _statuses(report: Report, fmt: Formatter) -> Table:
    """A row per status, a column per language: narrow enough for a terminal of 80 columns."""
    _ = fmt._
    table = Table(title=_("Segments by status"), title_justify="left", title_style="bold",
                  caption=_("each cell: the share of the source words, then segments and words"),
                  caption_justify="left")
    table.add_column(_("Status"), no_wrap=True)
    for f in report.languages:
        table.add_column(f.language, justify="right", no_wrap=True)
    table.add_column(_("Total"), justify="right", no_wrap=True)
    for status in STATUSES:
        table.add_row(Text(fmt.status(status), style=STATUS_STYLE[status]),
                      *(_status_cell(f, status, fmt) for f in [*report.languages, report.total]),
                      end_section=True)
    return table


def _status_cell(f: LanguageFigures, status: str, fmt: Formatter) -> Text:
    figure = f.statuses[status]
    cell = Text(fmt.percent(figure.percent), style=STATUS_STYLE[status] if figure.segments else "dim")
    cell.append(f"\n{fmt.number(figure.segments)}\n{fmt.number(figure.words)}", style="dim")
    return cell


def least_covered(matrix: list[ArticleFigures], limit: int | None) -> list[ArticleFigures]:
    """All articles (by slug), or when there are more than ``limit``, the ``limit`` with the least
    coverage on average over the languages: what the translators should do next."""
    if limit is None or len(matrix) <= limit:
        return matrix
    def mean(a: ArticleFigures) -> float:
        values = [c.coverage or 0.0 for c in a.languages.values()]
        return sum(values) / len(values) if values else 0.0
    return sorted(matrix, key=lambda a: (mean(a), a.slug))[:limit]


def _matrix(report: Report, fmt: Formatter, limit: int | None) -> Table:
    _ = fmt._
    shown = least_covered(report.matrix, limit)
    caption = (_("the {shown} articles with the least coverage, of {total}; --matrix-rows 0 shows all").format(
        shown=fmt.number(len(shown)), total=fmt.number(len(report.matrix)))
        if len(shown) < len(report.matrix) else None)
    table = Table(title=_("Coverage by article and language"), title_justify="left", title_style="bold",
                  caption=caption, caption_justify="left")
    table.add_column(_("Article"), overflow="fold")
    table.add_column(_("Source words"), justify="right", no_wrap=True)
    for f in report.languages:
        table.add_column(f.language, justify="right", no_wrap=True)
    for article in shown:
        table.add_row(Text(article.slug), fmt.number(article.words),  # Text: a cell string is read as markup
                      *(Text(fmt.percent(article.languages[f.language].coverage),
                             style=coverage_style(article.languages[f.language].coverage)) for f in report.languages))
    return table


def sparkline(values: list[int]) -> str:
    """One block per value, as high as the value against the largest; nothing is the lowest block."""
    top = max(values, default=0)
    return "".join(SPARKS[1 + (v * (len(SPARKS) - 2)) // top] if v else SPARKS[0] for v in values)


def _trend(report: Report, fmt: Formatter) -> Group:
    _ = fmt._
    title = Text(_("Approvals and edits per day, {first} – {last}").format(
        first=fmt.day(report.trend[0].day), last=fmt.day(report.trend[-1].day)) if report.trend else "", style="bold")
    table = Table(show_header=False, box=None, padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(justify="right", no_wrap=True)
    table.add_column(no_wrap=True, style="dim")
    for label, values, style in ((_("Approvals"), [d.approvals for d in report.trend], "green"),
                                 (_("Edits"), [d.edits for d in report.trend], "blue")):
        peak = max(range(len(values)), key=lambda i: values[i]) if any(values) else None
        table.add_row(label, Text(sparkline(values), style=style), fmt.number(sum(values)),
                      _("most on {day}: {count}").format(day=fmt.short_day(report.trend[peak].day),
                                                         count=fmt.number(values[peak])) if peak is not None else "")
    return Group(title, table)


def _definitions(fmt: Formatter) -> Group:
    lines = [Text(fmt._("Definitions"), style="bold")]
    for _key, term, text in fmt.definitions():
        line = Text(f"{term}: ", style="bold dim")
        line.append(text, style="dim")
        lines.append(line)
    return Group(*lines)

"""The report for scripts and spreadsheets: JSON (everything, nested) and CSV (one flat table).

Both hold plain numbers (percentages with 2 decimals, rounded down) and ISO dates whatever the
locale; only the language names and the definitions are in the report's locale.
"""

from __future__ import annotations

import csv
import json
from io import StringIO

from .figures import STATUSES, LanguageFigures, Report
from .labels import Formatter


def report_data(report: Report, fmt: Formatter) -> dict:
    """The report as JSON-ready data."""
    return {
        "generated_at": report.generated_at.isoformat(timespec="seconds"),
        "locale": fmt.code,
        "article": report.article,
        "articles": report.articles,
        "segments": report.segments,
        "words": report.words,
        "languages": [_language(f, fmt) for f in report.languages],
        "total": _language(report.total, fmt),
        "matrix": [
            {"article": a.slug, "title": a.title, "segments": a.segments, "words": a.words,
             "languages": {lang: {"approved_segments": c.approved_segments, "approved_words": c.approved_words,
                                  "coverage": c.coverage} for lang, c in a.languages.items()}}
            for a in report.matrix
        ],
        "days": report.days,
        "trend": [
            {"day": d.day.isoformat(), "approvals": d.approvals, "edits": d.edits,
             "languages": {lang: {"approvals": a, "edits": e} for lang, (a, e) in d.by_language.items()}}
            for d in report.trend
        ],
        "definitions": {key: f"{term}: {text}" for key, term, text in fmt.definitions()},
    }


def _language(f: LanguageFigures, fmt: Formatter) -> dict:
    return {
        "language": f.language,
        "name": fmt.language(f.language) if f.language != "total" else None,
        "segments": f.segments,
        "words": f.words,
        "coverage": f.coverage,
        "statuses": {s: {"segments": f.statuses[s].segments, "words": f.statuses[s].words,
                         "percent": f.statuses[s].percent} for s in STATUSES},
        "qa_issues": f.qa_issues,
        "glossary_misses": f.glossary_misses,
        "last_activity": f.last_activity.isoformat(timespec="seconds") if f.last_activity else None,
    }


def render_json(report: Report, fmt: Formatter) -> str:
    return json.dumps(report_data(report, fmt), ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = (
    ["scope", "article", "language", "day", "segments", "source_words", "coverage_percent"]
    + [f"{s}_{part}" for s in STATUSES for part in ("segments", "words", "percent")]
    + ["qa_issues", "glossary_misses", "last_activity", "approvals", "edits"]
)


def render_csv(report: Report, fmt: Formatter) -> str:
    """One row per language (scope ``language``), the ``total``, each ``article`` x language (sizes and
    approved figures), and each ``day`` x language of the trend; cells that do not apply are empty."""
    out = StringIO()
    writer = csv.DictWriter(out, CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for f in [*report.languages, report.total]:
        total = f is report.total
        row = {"scope": "total" if total else "language", "language": "" if total else f.language,
               "segments": f.segments, "source_words": f.words, "coverage_percent": _num(f.coverage),
               "qa_issues": f.qa_issues, "glossary_misses": f.glossary_misses,
               "last_activity": f.last_activity.isoformat(timespec="seconds") if f.last_activity else ""}
        for s in STATUSES:
            figure = f.statuses[s]
            row |= {f"{s}_segments": figure.segments, f"{s}_words": figure.words, f"{s}_percent": _num(figure.percent)}
        writer.writerow(row)
    for a in report.matrix:
        for lang, cell in a.languages.items():
            writer.writerow({"scope": "article", "article": a.slug, "language": lang, "segments": a.segments,
                             "source_words": a.words, "coverage_percent": _num(cell.coverage),
                             "approved_segments": cell.approved_segments, "approved_words": cell.approved_words,
                             "approved_percent": _num(cell.coverage)})
    for d in report.trend:
        for lang, (approvals, edits) in d.by_language.items():
            writer.writerow({"scope": "day", "language": lang, "day": d.day.isoformat(), "approvals": approvals,
                             "edits": edits})
    return out.getvalue()


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"

"""Export per language: localized articles (text, Markdown, HTML) and exchange files (PO, XLIFF, TMX).

Paths are ``<out>/<lang>/<slug>.<ext>`` (PO under ``<lang>/LC_MESSAGES/``); the same data always gives
byte-identical files, because every date written comes from the data, never from the clock. Files are
staged and moved into place together (``staging.StagedFiles``): a failed export writes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.plurals import get_plural
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import __version__
from .articles import check_slug
from .errors import TranslatorError
from .exchange import ExchangeUnit
from .formats import replace_file
from .formats.po import PoHeader, write_mo, write_po
from .formats.tmx import TmxUnit, write_tmx
from .formats.xliff import write_xliff
from .glossary import Glossary
from .languages import among_targets, language_name
from .localize import ARTICLE_FORMATS, EXTENSIONS, ArticleText, Policy, SegmentText, Tally, choose_texts, render
from .models import Article, Segment, SegmentState, Translation
from .overview import get_article
from .staging import StagedFiles
from .status import Status

EXCHANGE_FORMATS = ("po", "xliff", "tmx")
FORMATS = ARTICLE_FORMATS + EXCHANGE_FORMATS
WORKSPACE_TMX = "_workspace.tmx"  # "_" cannot start a slug, so no article can take this name
_LANGUAGE_DIR = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")
_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass
class LanguageSummary:
    language: str
    articles: int = 0
    files: int = 0
    tally: Tally = field(default_factory=Tally)


@dataclass
class ExportReport:
    out: Path
    languages: dict[str, LanguageSummary]
    files: list[Path] = field(default_factory=list)

    @property
    def fallbacks(self) -> int:
        return sum(s.tally.fallback_count for s in self.languages.values())


@dataclass(frozen=True)
class _Row(SegmentText):
    """One segment with its translation in one language, and what the exchange formats need besides."""

    segment_id: int = 0
    number: int = 0
    version: int = 0
    flags: list[dict] = field(default_factory=list)
    previous_source: str | None = None
    updated_at: datetime | None = None
    updated_by: str | None = None


def export(session: Session, out: Path, *, slugs: Sequence[str] | None, languages: Sequence[str],
           formats: Sequence[str], targets: Sequence[str], policy: Policy = Policy(),
           mo: bool = False) -> ExportReport:
    """Write the requested files; ``slugs=None`` means every article. Everything is checked first, and
    files are staged: on any error no file under ``out`` is written or replaced."""
    languages = _check_languages(languages, targets)
    formats = _check_formats(formats)
    articles = _articles(session, slugs)
    report = ExportReport(Path(out), {lang: LanguageSummary(lang) for lang in languages})
    with StagedFiles(report.out) as staged:
        _write_all(session, staged, articles, languages, formats, policy, mo, report,
                   workspace_tmx=slugs is None)
        report.files = staged.commit()
    return report


def _write_all(session: Session, staged: StagedFiles, articles: Sequence[Article], languages: Sequence[str],
               formats: Sequence[str], policy: Policy, mo: bool, report: ExportReport, workspace_tmx: bool) -> None:
    out = report.out
    glossaries: dict[tuple[str, str], Glossary] = {}
    approved: dict[str, list[TmxUnit]] = {lang: [] for lang in languages}
    for article, rows in _rows(session, articles, languages):
        for lang in languages:
            summary = report.languages[lang]
            summary.articles += 1
            written = _write_article(session, article, lang, rows[lang], formats, staged, policy, mo, glossaries,
                                     summary.tally)
            if "tmx" in formats:
                units = _approved_units(article, lang, rows[lang])
                approved[lang].extend(units)
                written.append(_write_tmx(staged, _path(out, lang, article.slug, "tmx"), article.source_lang, units))
            summary.files += len(written)
    if "tmx" in formats and workspace_tmx:
        for lang in languages:
            _write_tmx(staged, out / lang / WORKSPACE_TMX, articles[0].source_lang, approved[lang])
            report.languages[lang].files += 1


def output_path(out: Path, language: str, slug: str, fmt: str) -> Path:
    """Where an export of ``slug`` in ``language`` goes; a slug or language that could leave ``out`` is refused."""
    check_slug(slug)
    if not _LANGUAGE_DIR.fullmatch(language):
        raise TranslatorError(f"invalid language {language!r} for an output folder")
    return _path(out, language, slug, fmt)


def _path(out: Path, language: str, slug: str, fmt: str) -> Path:
    if fmt == "po":
        return out / language / "LC_MESSAGES" / f"{slug}.po"
    if fmt == "mo":
        return out / language / "LC_MESSAGES" / f"{slug}.mo"
    ext = {"xliff": "xlf", "tmx": "tmx"}.get(fmt) or EXTENSIONS[fmt]
    return out / language / f"{slug}.{ext}"


def _check_languages(languages: Sequence[str], targets: Sequence[str]) -> list[str]:
    if not languages:
        raise TranslatorError("no language given: use --lang de or --all-languages")
    result = among_targets(list(targets), ",".join(languages))
    for lang in result:
        if not _LANGUAGE_DIR.fullmatch(lang):
            raise TranslatorError(f"invalid language {lang!r} for an output folder")
    return result


def _check_formats(formats: Sequence[str]) -> list[str]:
    if not formats:
        raise TranslatorError(f"no format given: use --format with {', '.join(FORMATS)}")
    for fmt in formats:
        if fmt not in FORMATS:
            raise TranslatorError(f"unknown export format {fmt!r}: use {', '.join(FORMATS)}")
    return list(dict.fromkeys(formats))


def _articles(session: Session, slugs: Sequence[str] | None) -> list[Article]:
    if slugs is None:
        articles = list(session.scalars(select(Article).order_by(Article.slug)))
        if not articles:
            raise TranslatorError("the workspace has no articles; 'translator import FILE' adds one")
    else:
        if not slugs:
            raise TranslatorError("no article given: name one or more slugs, or use --all")
        articles = [get_article(session, slug) for slug in dict.fromkeys(slugs)]
    for article in articles:
        check_slug(article.slug)
    return articles


def _rows(session: Session, articles: Sequence[Article], languages: Sequence[str],
          batch: int = 200) -> Iterator[tuple[Article, dict[str, list[_Row]]]]:
    """Each article with its segments per language; two queries per batch of articles, not per article."""
    for at in range(0, len(articles), batch):
        chunk = articles[at:at + batch]
        ids = [a.id for a in chunk]
        active = (Segment.article_id.in_(ids), Segment.state == SegmentState.ACTIVE)
        segments: dict[int, list] = {a.id: [] for a in chunk}
        for seg in session.execute(
            select(Segment.article_id, Segment.id, Segment.position, Segment.block_index, Segment.kind,
                   Segment.source, Segment.separator).where(*active).order_by(Segment.article_id, Segment.position)
        ):
            segments[seg.article_id].append(seg)
        translations = {
            (t.segment_id, t.language): t
            for t in session.execute(
                select(Translation.segment_id, Translation.language, Translation.text, Translation.status,
                       Translation.version, Translation.flags, Translation.previous_source, Translation.updated_at,
                       Translation.updated_by)
                .join(Segment, Translation.segment_id == Segment.id)
                .where(*active, Translation.language.in_(languages)))
        }
        for article in chunk:
            rows: dict[str, list[_Row]] = {}
            for lang in languages:
                rows[lang] = []
                for seg in segments[article.id]:
                    tr = translations.get((seg.id, lang))
                    base = dict(block=seg.block_index, kind=seg.kind, source=seg.source, separator=seg.separator,
                                segment_id=seg.id, number=seg.position + 1)
                    rows[lang].append(_Row(
                        **base, text=tr.text, status=Status(tr.status), version=tr.version, flags=tr.flags or [],
                        previous_source=tr.previous_source, updated_at=tr.updated_at, updated_by=tr.updated_by,
                    ) if tr else _Row(**base, text=None, status=Status.UNTRANSLATED))
            yield article, rows


def _write_article(session: Session, article: Article, lang: str, rows: list[_Row], formats: Sequence[str],
                   staged: StagedFiles, policy: Policy, mo: bool, glossaries: dict[tuple[str, str], Glossary],
                   tally: Tally) -> list[Path]:
    out = staged.root
    written: list[Path] = []
    article_formats = [f for f in formats if f in ARTICLE_FORMATS]
    if article_formats:
        pieces, counted = choose_texts(rows, policy)
        tally.add(counted)
        text = ArticleText(article.lead, article.source_format, article.source_lang, lang, article.title)
        for fmt in article_formats:
            path = output_path(out, lang, article.slug, fmt)
            replace_file(staged.path(path), render(text, pieces, fmt).encode("utf-8"))
            written.append(path)
    if "po" in formats or "xliff" in formats:
        key = (article.source_lang, lang)
        if key not in glossaries:
            glossaries[key] = Glossary.load(session, *key)
        units = _units(rows, glossaries[key])
        if "po" in formats:
            path = output_path(out, lang, article.slug, "po")
            write_po(staged.path(path), _po_header(article, lang, rows), article.slug, units)
            written.append(path)
            if mo:
                mo_path = _path(out, lang, article.slug, "mo")
                write_mo(staged.path(mo_path), lang, article.slug, units)
                written.append(mo_path)
        if "xliff" in formats:
            path = output_path(out, lang, article.slug, "xliff")
            write_xliff(staged.path(path), article.slug, article.source_lang, lang, units)
            written.append(path)
    return written


def _units(rows: Iterable[_Row], glossary: Glossary) -> list[ExchangeUnit]:
    units = []
    for row in rows:
        hints = [f"glossary: {m.text} -> {m.target}" for m in glossary.find(row.source)] if len(glossary) else []
        units.append(ExchangeUnit(
            segment_id=row.segment_id, number=row.number, source=row.source, target=row.text, status=row.status,
            version=row.version, notes=[_finding(f) for f in row.flags], hints=list(dict.fromkeys(hints)),
            previous_source=row.previous_source, kind=row.kind))
    return units


def _finding(flag: dict) -> str:
    detail = flag.get("message") or flag.get("required") or ""
    return f"QA {flag.get('severity', 'error')} {flag.get('check')}" + (f": {detail}" if detail else "")


def _po_header(article: Article, lang: str, rows: list[_Row]) -> PoHeader:
    changed = [r for r in rows if r.updated_at is not None]
    latest = max(changed, key=lambda r: r.updated_at) if changed else None  # type: ignore[arg-type, return-value]
    return PoHeader(
        project=article.slug,
        source_lang=article.source_lang,
        language=lang,
        created=article.updated_at or _EPOCH,
        revised=(latest.updated_at if latest else None) or article.updated_at or _EPOCH,
        last_translator=(latest.updated_by if latest and latest.updated_by else "translator") + " <>",
        language_team=f"{language_name(lang)} <>",
        plural_forms=get_plural(lang.replace("-", "_")).plural_forms,
        generator=f"translator {__version__}",
    )


def _approved_units(article: Article, lang: str, rows: list[_Row]) -> list[TmxUnit]:
    return [
        TmxUnit(source_lang=article.source_lang, target_lang=lang, source=r.source, target=r.text,
                created=r.updated_at, changed=r.updated_at, creator=r.updated_by, origin="human", approved=True)
        for r in rows if r.status is Status.APPROVED and r.text
    ]


def _write_tmx(staged: StagedFiles, path: Path, source_lang: str, units: list[TmxUnit]) -> Path:
    created = max((u.changed for u in units if u.changed), default=_EPOCH)
    write_tmx(staged.path(path), units, source_lang=source_lang, tool_version=__version__, created=created)
    return path

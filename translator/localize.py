"""Localized articles: which text goes out for each segment, and the article rebuilt around it.

An article exported in its own format is rebuilt from its lead and separators, so the layout and markup
are the source's exactly. Exported in another format it is rebuilt from its blocks (title, heading,
paragraph, quote, list item), with inline markup converted where the formats share it.
"""

from __future__ import annotations

import enum
import html
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from markdown_it import MarkdownIt

from .errors import TranslatorError
from .languages import text_direction
from .status import Status

ARTICLE_FORMATS = ("text", "markdown", "html")
EXTENSIONS = {"text": "txt", "markdown": "md", "html": "html"}
PUBLISHED = frozenset({Status.APPROVED, Status.TRANSLATED})
MACHINE_DRAFTS = frozenset({Status.MACHINE, Status.FUZZY})

# private-use characters around a marked fallback: they survive escaping and markdown rendering,
# and become the output format's own marker at the end
_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n.*?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_QUOTE_MARKERS = re.compile(r"\s*\n[ \t]*(?:>[ \t]?)*")
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_HREF = re.compile(r"""href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
_HTML_OPEN = re.compile(r"<html\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.I)
_HEAD_TITLE = re.compile(r"(<title\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>)(.*?)(</title\s*>)", re.I | re.S)
_ATTRIBUTE = r"""\s{name}\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)"""
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])(?=\s)")
_SPACES = re.compile(r"\s+")


class Fallback(str, enum.Enum):
    """What stands in for a segment whose translation does not go out."""

    SOURCE = "source"  # the source text
    OMIT = "omit"  # nothing
    MARK = "mark"  # the source text, visibly marked for an editor


@dataclass(frozen=True)
class Policy:
    """Which statuses go out, and what replaces the others."""

    statuses: frozenset[Status] = PUBLISHED
    fallback: Fallback = Fallback.SOURCE

    @classmethod
    def choose(cls, only_approved: bool = False, include_machine: bool = False,
               fallback: Fallback | str = Fallback.SOURCE) -> Policy:
        statuses = frozenset({Status.APPROVED}) if only_approved else PUBLISHED
        if include_machine:
            statuses |= MACHINE_DRAFTS
        return cls(statuses, Fallback(fallback))


@dataclass(frozen=True)
class SegmentText:
    """One segment as stored, with its translation in the exported language (if any)."""

    block: int
    kind: str
    source: str
    separator: str
    text: str | None
    status: Status


@dataclass
class Tally:
    """What one localized article holds: segments exported by status, and fallbacks by status."""

    exported: Counter[str] = field(default_factory=Counter)
    fallbacks: Counter[str] = field(default_factory=Counter)

    @property
    def fallback_count(self) -> int:
        return sum(self.fallbacks.values())

    def add(self, other: Tally) -> None:
        self.exported.update(other.exported)
        self.fallbacks.update(other.fallbacks)


@dataclass(frozen=True)
class _Piece:
    block: int
    kind: str
    text: str  # in the source format; a marked fallback carries the private-use markers
    separator: str
    translated: bool = False  # the translation went out, not a fallback


def choose_texts(segments: Sequence[SegmentText], policy: Policy) -> tuple[list[_Piece], Tally]:
    """The text each segment contributes under ``policy``; an omitted segment hands its separator on."""
    pieces: list[_Piece] = []
    tally = Tally()
    for number, seg in enumerate(segments):
        if seg.text and seg.status in policy.statuses:
            tally.exported[seg.status.value] += 1
            pieces.append(_Piece(seg.block, seg.kind, seg.text, seg.separator, translated=True))
            continue
        tally.fallbacks[seg.status.value] += 1
        if policy.fallback is Fallback.SOURCE:
            pieces.append(_Piece(seg.block, seg.kind, seg.source, seg.separator))
        elif policy.fallback is Fallback.MARK:
            pieces.append(_Piece(seg.block, seg.kind, _MARK_OPEN + seg.source + _MARK_CLOSE, seg.separator))
        else:
            ends_block = number + 1 == len(segments) or segments[number + 1].block != seg.block
            if pieces and ends_block:
                # the separator that closes this block now closes the kept text before it
                pieces[-1] = replace(pieces[-1], separator=seg.separator)
    return pieces, tally


@dataclass(frozen=True)
class ArticleText:
    """What ``render`` needs besides the pieces."""

    lead: str
    source_format: str
    source_lang: str
    language: str
    title: str


def render(article: ArticleText, pieces: Sequence[_Piece], fmt: str) -> str:
    """The localized article as a ``text``, ``markdown`` or ``html`` document."""
    if fmt not in ARTICLE_FORMATS:
        raise TranslatorError(f"unknown article format {fmt!r}: use text, markdown or html")
    article = replace(article, title=_localized_title(pieces, article))
    if fmt == article.source_format:
        title_translated = any(p.translated for p in pieces if p.kind == "title")
        lead = _html_head_title(article.lead, article.title) if fmt == "html" and title_translated else article.lead
        doc = lead + "".join(p.text + p.separator for p in pieces)
        if fmt == "html":
            return _html_language(_marks(doc, fmt, article.source_lang), article)
        return _marks(doc, fmt, article.source_lang)
    if article.source_format == "markdown" and fmt == "html":
        lead = _FRONT_MATTER.sub("", article.lead)
        body = MarkdownIt("commonmark").render(lead + "".join(p.text + p.separator for p in pieces))
        return _html_document(_marks(body, fmt, article.source_lang), article)
    blocks = _blocks(pieces, article.source_format)
    if fmt == "html":
        return _html_document(_marks(_html_body(blocks, article.source_format), fmt, article.source_lang), article)
    if fmt == "markdown":
        return _marks(_layout(blocks, article.source_format, _markdown_block), fmt, article.source_lang)
    return _marks(_layout(blocks, article.source_format, _text_block), fmt, article.source_lang)


def _localized_title(pieces: Sequence[_Piece], article: ArticleText) -> str:
    """The title block in plain text, as the translation has it (the stored title if there is none)."""
    for kind, text in _blocks([p for p in pieces if p.kind == "title"], article.source_format)[:1]:
        plain = _to_plain(text, article.source_format).replace(_MARK_OPEN, "").replace(_MARK_CLOSE, "")
        if plain:
            return plain
    return article.title


def _blocks(pieces: Sequence[_Piece], source_format: str) -> list[tuple[str, str]]:
    """(kind, inline text in the source format) per block, its sentences joined as in the source."""
    grouped: list[tuple[int, str, list[_Piece]]] = []
    for piece in pieces:
        if not grouped or grouped[-1][0] != piece.block:
            grouped.append((piece.block, piece.kind, []))
        grouped[-1][2].append(piece)
    result = []
    for _, kind, group in grouped:
        joined = "".join(p.text + p.separator for p in group[:-1]) + group[-1].text
        if source_format == "markdown":
            joined = _QUOTE_MARKERS.sub(" ", joined)  # "> " starting a quote's wrapped lines
        result.append((kind, _SPACES.sub(" ", joined).strip()))
    return result


def _layout(blocks: list[tuple[str, str]], source_format: str, block_text: Callable[[str, str, str], str]) -> str:
    out: list[str] = []
    previous = None
    for kind, text in blocks:
        if out:
            out.append("\n" if kind == previous == "list_item" else "\n\n")
        out.append(block_text(kind, text, source_format))
        previous = kind
    return "".join(out) + "\n" if out else ""


def _text_block(kind: str, text: str, source_format: str) -> str:
    return _to_plain(text, source_format)


def _markdown_block(kind: str, text: str, source_format: str) -> str:
    inline = _to_markdown(text, source_format)
    prefix = {"title": "# ", "heading": "## ", "list_item": "- ", "quote": "> "}.get(kind, "")
    if not prefix:
        inline = _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), inline)
    return prefix + inline


def _html_body(blocks: list[tuple[str, str]], source_format: str) -> str:
    out: list[str] = []
    in_list = False
    for kind, text in blocks:
        inline = _to_html(text, source_format)
        if kind == "list_item" and not in_list:
            out.append("<ul>")
            in_list = True
        elif kind != "list_item" and in_list:
            out.append("</ul>")
            in_list = False
        tag = {"title": "h1", "heading": "h2", "list_item": "li", "quote": "blockquote"}.get(kind, "p")
        out.append(f"<blockquote><p>{inline}</p></blockquote>" if tag == "blockquote" else f"<{tag}>{inline}</{tag}>")
    if in_list:
        out.append("</ul>")
    return "\n".join(out) + "\n"


# --- inline markup between formats ---------------------------------------------------------


def _to_plain(text: str, source_format: str) -> str:
    if source_format == "markdown":
        text = MarkdownIt("commonmark").renderInline(text)
        source_format = "html"
    if source_format == "html":
        return _SPACES.sub(" ", html.unescape(_HTML_TAG.sub("", text))).strip()
    return text


def _to_html(text: str, source_format: str) -> str:
    if source_format == "markdown":
        return MarkdownIt("commonmark").renderInline(text)
    if source_format == "html":
        return text
    return html.escape(text, quote=False)


def _to_markdown(text: str, source_format: str) -> str:
    if source_format == "markdown":
        return text
    if source_format == "text":
        return _md_escape(text)
    out: list[str] = []
    links: list[str] = []
    pos = 0
    for tag in _HTML_TAG.finditer(text):
        out.append(_md_escape(html.unescape(text[pos:tag.start()])))
        closing, name = tag.group(1) == "/", tag.group(2).lower()
        if name in ("strong", "b"):
            out.append("**")
        elif name in ("em", "i"):
            out.append("*")
        elif name == "code":
            out.append("`")
        elif name == "a" and not closing:
            href = _HREF.search(tag.group(3))
            links.append(next(g for g in href.groups() if g is not None) if href else "")
            out.append("[")
        elif name == "a" and links:
            out.append(f"]({html.unescape(links.pop())})")
        elif name == "br":
            out.append(" ")
        pos = tag.end()
    out.append(_md_escape(html.unescape(text[pos:])))
    return "".join(out)


def _md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


# --- documents -----------------------------------------------------------------------------


def _marks(doc: str, fmt: str, source_lang: str) -> str:
    if _MARK_OPEN not in doc:
        return doc
    opening, closing = {
        "text": ("[[", "]]"),
        "markdown": (f'<mark lang="{source_lang}">', "</mark>"),
        "html": (f'<mark class="untranslated" lang="{source_lang}">', "</mark>"),
    }[fmt]
    return doc.replace(_MARK_OPEN, opening).replace(_MARK_CLOSE, closing)


def _html_language(doc: str, article: ArticleText) -> str:
    """The source's own document, with the language (and direction) of the translation on <html>."""
    match = _HTML_OPEN.search(doc)
    if match is None:
        return _html_document(doc, article)
    attributes = match.group(1)
    for name in ("lang", "dir"):
        attributes = re.sub(_ATTRIBUTE.format(name=name), "", attributes, flags=re.I)
    attributes = f' lang="{article.language}" dir="{text_direction(article.language)}"' + attributes
    return doc[:match.start()] + f"<html{attributes}>" + doc[match.end():]


def _html_head_title(lead: str, title: str) -> str:
    """The lead with its head's <title> set to the translated title: with an h1 as the title block, the
    head's <title> is not a segment, and would otherwise stay in the source language."""
    return _HEAD_TITLE.sub(lambda m: m.group(1) + html.escape(title, quote=False) + m.group(3), lead, count=1)


def _html_document(body: str, article: ArticleText) -> str:
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{article.language}" dir="{text_direction(article.language)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(article.title, quote=False)}</title>\n"
        "</head>\n"
        "<body>\n"
        "<article>\n"
        f"{body.rstrip()}\n"
        "</article>\n"
        "</body>\n"
        "</html>\n"
    )

"""Article parsing and sentence splitting: blocks from a format parser, then sentences in each block.

segment_article returns a ParsedArticle whose lead and separators rebuild the source byte for byte.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

import pysbd
import pysbd.languages
import sentencex

from .errors import TranslatorError

BLOCK_KINDS = ("title", "heading", "paragraph", "quote", "list_item")
FORMATS = ("text", "markdown", "html")


@dataclass(frozen=True)
class Block:
    """A run of translatable text in a document; ``doc[start:end] == text``, inline markup kept."""

    kind: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class SegmentSpec:
    """One sentence of a block and everything up to the next sentence (or the end of the document)."""

    block_index: int
    kind: str
    source: str
    separator: str


@dataclass(frozen=True)
class ParsedArticle:
    """A segmented document: ``lead`` is what comes before the first segment."""

    lead: str
    segments: list[SegmentSpec]
    blocks: int
    title: str | None

    def rebuild(self) -> str:
        """The source document, byte for byte.

        >>> segment_article("Hi. Bye.\\n", "text", "en").rebuild()
        'Hi. Bye.\\n'
        """
        return self.lead + "".join(s.source + s.separator for s in self.segments)


# same length, so offsets found in the flattened text are offsets in the block
_FLATTEN = str.maketrans("\r\n", "  ")
_NON_SPACE = re.compile(r"\S")
# pysbd ends a sentence before a closing tag or emphasis marker ("one.</em> Two"): give it back
_CLOSERS = re.compile(r"(?:</[A-Za-z][^<>]*>|\*{1,3}|_{1,3}|~~)+(?=\s|$)")
_local = threading.local()
# pysbd's sentence rules take 3-50 us per character of a 1,000-character block, 10-150 of a
# 16,000-character one
WINDOW = 1_000
MARGIN = 250


def base_language(lang: str) -> str:
    """The language part of a locale code: ``pt_BR`` and ``pt-BR`` give ``pt``."""
    return re.split(r"[-_]", lang.strip(), maxsplit=1)[0].lower() or "en"


def _splitter(lang: str) -> Callable[[str], list[str]]:
    base = base_language(lang)
    if base not in pysbd.languages.LANGUAGE_CODES:
        return lambda text: list(sentencex.segment(base, text))
    # a Segmenter is costly to build and keeps per-call state, so one per language and thread
    segmenters = _local.__dict__.setdefault("segmenters", {})
    if base not in segmenters:
        segmenters[base] = pysbd.Segmenter(language=base, clean=False)
    segmenter = segmenters[base]
    # Segmenter.segment then looks each sentence up in the text by scanning every earlier match of
    # it, quadratic in repeated sentences ("a. a. a. ..."); _sentence_spans does that lookup itself
    return lambda text: segmenter.processor(text).process() if text else []


def _pieces(flat: str, lang: str) -> list[str]:
    """The splitter's sentences of ``flat``. pysbd's time grows with the square of a block's length, so
    a long block goes through in windows of WINDOW characters: what pysbd finds before a window's last
    MARGIN characters stands, and the next window starts at the first sentence it did not keep."""
    split = _splitter(lang)
    pieces: list[str] = []
    pos = 0
    while len(flat) - pos > WINDOW:
        window = flat[pos:pos + WINDOW]
        kept, length = _kept(window, split(window))
        pieces.extend(kept)
        pos += length
    return [*pieces, *split(flat[pos:])]


def _kept(window: str, pieces: list[str]) -> tuple[list[str], int]:
    """The sentences of ``window`` that end before its margin, and where the first one left out starts."""
    usable = len(window) - MARGIN
    kept: list[str] = []
    cursor = 0
    for piece in pieces:
        piece = piece.strip()
        at = window.find(piece, cursor) if piece else -1
        if at < 0:
            continue
        if at + len(piece) > usable:
            break
        kept.append(piece)
        cursor = at + len(piece)
    if kept:
        following = _NON_SPACE.search(window, cursor)
        return kept, following.start() if following else len(window)
    # one sentence longer than the window: cut it at its last space before the margin
    cut = window.rfind(" ", 0, usable) + 1 or usable
    return [window[:cut]], cut


def _sentence_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence in ``text``; together they cover all its non-space characters."""
    # a line break inside a block is wrapping, not a sentence end (pysbd splits on it)
    flat = text.translate(_FLATTEN)
    spans: list[list[int]] = []
    cursor = 0
    for piece in _pieces(flat, lang):
        piece = piece.strip()
        at = flat.find(piece, cursor) if piece else -1
        if at < 0:
            continue  # the splitter altered this piece; its text joins the next span or the last one
        end = at + len(piece)
        start = _NON_SPACE.search(flat, cursor).start()
        closers = _CLOSERS.match(flat, start) if spans else None
        if closers:
            spans[-1][1] = closers.end()
            following = _NON_SPACE.search(flat, closers.end())
            start = following.start() if following else end
        if start < end:
            spans.append([start, end])
        cursor = max(end, spans[-1][1]) if spans else end
    tail = len(flat.rstrip())
    if tail > cursor:
        if spans:
            spans[-1][1] = tail
        else:
            spans.append([_NON_SPACE.search(flat, cursor).start(), tail])
    return [(s, e) for s, e in spans]


def split_sentences(text: str, lang: str) -> list[str]:
    """The sentences of one block, without surrounding whitespace, in order.

    >>> split_sentences("Dr. Smith met the U.S. envoy. It rained.", "en_US")
    ['Dr. Smith met the U.S. envoy.', 'It rained.']
    """
    return [text[s:e] for s, e in _sentence_spans(text, lang)]


def _format(fmt: str):
    if fmt not in FORMATS:
        raise TranslatorError(f"unknown format {fmt!r}: use text, markdown or html")
    return import_module(f".formats.{fmt}", __package__)


def segment_article(text: str, fmt: str, lang: str, *, max_blocks: int | None = None,
                    max_segments: int | None = None) -> ParsedArticle:
    """Split a ``text``, ``markdown`` or ``html`` document into blocks, then sentences.

    More than ``max_blocks`` blocks or ``max_segments`` sentences is a TranslatorError, raised before
    (or as soon as) the splitting passes the limit.

    >>> article = segment_article("# News\\n\\nIt rained. Then it snowed.\\n", "markdown", "en")
    >>> [(s.kind, s.source, s.separator) for s in article.segments]
    [('title', 'News', '\\n\\n'), ('paragraph', 'It rained.', ' '), ('paragraph', 'Then it snowed.', '\\n')]
    """
    module = _format(fmt)
    blocks = [b for b in module.parse(text) if b.text.strip()]
    if max_blocks is not None and len(blocks) > max_blocks:
        raise TranslatorError(f"{len(blocks):,} blocks (paragraphs, headings, list items, table cells), more "
                              f"than the {max_blocks:,} one article may have; split it into several files")
    found: list[tuple[int, str, int, int]] = []
    for index, block in enumerate(blocks):
        found.extend((index, block.kind, block.start + s, block.start + e)
                     for s, e in _sentence_spans(block.text, lang))
        if max_segments is not None and len(found) > max_segments:
            raise TranslatorError(f"more than {max_segments:,} sentences, the most one article may have; "
                                  "split it into several files")
    starts = [start for _, _, start, _ in found[1:]] + [len(text)]
    segments = [
        SegmentSpec(index, kind, text[start:end], text[end:following])
        for (index, kind, start, end), following in zip(found, starts)
    ]
    lead = text[:found[0][2]] if found else text
    return ParsedArticle(lead, segments, len(blocks), _title(blocks, getattr(module, "plain_text", None)))


def _title(blocks: list[Block], plain_text: Callable[[str], str] | None) -> str | None:
    chosen = next((b for b in blocks if b.kind == "title"), None)
    chosen = chosen or next((b for b in blocks if b.kind == "heading"), None)
    if chosen is None:
        return None
    text = plain_text(chosen.text) if plain_text else chosen.text
    return " ".join(text.split()) or None

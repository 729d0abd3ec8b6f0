"""Markdown articles: headings, paragraphs, list items, block quotes and table cells as blocks.

markdown-it-py finds the blocks and their lines; each line's text is then located in the original string.
Adjacent lines of one block join into one Block when only whitespace lies between their texts
(a wrapped paragraph, an indented list item continuation); a line whose text follows a marker such as
"> " starts a new Block, so markers never enter a segment and a quoted sentence wrapped over two
quote lines becomes two segments. Code, HTML blocks, thematic breaks, link reference definitions
and front matter are never blocks: they end up in separators.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from ..segment import Block

_md = MarkdownIt("commonmark").enable("table")
# the same line breaks markdown-it normalizes, so its line numbers index our lines
_LINE_END = re.compile(r"\r\n?|\n")
_FRONT_MATTER_END = re.compile(r"(?:---|\.\.\.)[ \t]*$")
_CLOSING_HASHES = re.compile(r"[ \t]+#+$")
_NON_SPACE = re.compile(r"\S")
# container markers before a line's text, for lines markdown-it reports differently from the source
_MARKERS = re.compile(r"(?:[ \t]*(?:>|(?:[-*+]|\d{1,9}[.)]|#{1,6})(?=[ \t]|$)))*[ \t]*")
_TEXT_PARENTS = {"heading_open", "paragraph_open", "th_open", "td_open"}
_CONTAINER_KINDS = {"blockquote_open": "quote", "list_item_open": "list_item"}


def parse(doc: str) -> list[Block]:
    """Blocks of a markdown article; a level-1 heading that comes first is the title.

    >>> [(b.kind, b.text) for b in parse("# News\\n\\n> Quoted.\\n\\n- An item\\n")]
    [('title', 'News'), ('quote', 'Quoted.'), ('list_item', 'An item')]
    """
    lines = _lines(doc)
    tokens = _md.parse(_without_front_matter(doc, lines))
    cursors = [start for start, _ in lines]
    blocks: list[Block] = []
    containers: list[str] = []
    for previous, token in zip([None, *tokens], tokens):
        if token.type in _CONTAINER_KINDS:
            containers.append(_CONTAINER_KINDS[token.type])
        elif token.type in ("blockquote_close", "list_item_close"):
            containers.pop()
        elif token.type == "inline" and previous is not None and previous.type in _TEXT_PARENTS and token.map:
            kind = _kind(previous, containers)
            if previous.type == "heading_open" and previous.tag == "h1" and not blocks:
                kind = "title"
            spans = _line_spans(doc, lines, cursors, token.map[0], token.content, previous.type)
            blocks.extend(Block(kind, doc[start:end], start, end) for start, end in _join(doc, spans))
    return blocks


def _kind(parent, containers: list[str]) -> str:
    if parent.type == "heading_open":
        return "heading"
    if parent.type == "paragraph_open" and containers:
        return containers[-1]
    return "paragraph"


def _lines(doc: str) -> list[tuple[int, int]]:
    """(start, end) of each line's text, without the line ending."""
    lines = []
    pos = 0
    for match in _LINE_END.finditer(doc):
        lines.append((pos, match.start()))
        pos = match.end()
    lines.append((pos, len(doc)))
    return lines


def _without_front_matter(doc: str, lines: list[tuple[int, int]]) -> str:
    """The document with a leading ``---`` block blanked out, keeping its line count."""
    if len(lines) < 2 or doc[lines[0][0]:lines[0][1]].rstrip() != "---":
        return doc
    for number, (start, end) in enumerate(lines[1:], 1):
        if _FRONT_MATTER_END.match(doc, start, end):
            following = lines[number + 1][0] if number + 1 < len(lines) else len(doc)
            return "\n" * (number + 1) + doc[following:]
    return doc


def _line_spans(doc: str, lines: list[tuple[int, int]], cursors: list[int], first: int, content: str,
                parent: str) -> list[tuple[int, int]]:
    """Where each line of a block's inline ``content`` lies in ``doc``."""
    spans = []
    for number, text in enumerate(content.split("\n"), first):
        text = text.strip()
        if not text or number >= len(lines):
            continue
        start, end = cursors[number], lines[number][1]
        end = start + len(doc[start:end].rstrip())
        if parent == "heading_open" and not doc.endswith(text, start, end):
            # "## Title ##": the closing hashes are not part of the text
            closing = _CLOSING_HASHES.search(doc, start, end)
            end = closing.start() if closing else end
        # a block's text runs to the end of its line, but table cells share a line
        if parent not in ("th_open", "td_open") and doc.endswith(text, start, end):
            at = end - len(text)
        elif (at := doc.find(text, start, end)) >= 0:
            end = at + len(text)
        else:
            # markdown-it rewrote the line (tabs, NUL): take what follows the markers
            at = _MARKERS.match(doc, start, end).end()
            if at >= end:
                continue
        spans.append((at, end))
        cursors[number] = end
    return spans


def _join(doc: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge neighbouring spans separated only by whitespace; a marker between them keeps them apart."""
    joined: list[list[int]] = []
    for start, end in spans:
        if joined and not _NON_SPACE.search(doc, joined[-1][1], start):
            joined[-1][1] = end
        else:
            joined.append([start, end])
    return [(s, e) for s, e in joined]

"""Plain-text articles: paragraphs, a title, headings and short list lines, found by layout alone.

With blank lines in the document a paragraph runs from one blank line to the next; without, every line is one.
"""

from __future__ import annotations

import re

from ..segment import Block

_LINE_END = re.compile(r"\r\n|\r|\n")
_NON_SPACE = re.compile(r"\S")
# sentence punctuation, possibly inside closing quotes or brackets
_PUNCTUATED = re.compile(r"[.!?:;\u2026][\"'\u201d\u2019\u00bb)\]]*$")
_SHORT_WORDS = 12


def parse(doc: str) -> list[Block]:
    """Blocks of a plain-text article; the first is the title.

    >>> [(b.kind, b.text) for b in parse("Rain Ahead\\nIt will rain.\\nMore later.\\n")]
    [('title', 'Rain Ahead'), ('paragraph', 'It will rain.'), ('paragraph', 'More later.')]
    """
    spans = [_strip(doc, start, end) for start, end in _paragraphs(_lines(doc))]
    texts = [doc[start:end] for start, end in spans]
    kinds = _kinds(texts)
    return [Block(kind, text, start, end) for kind, text, (start, end) in zip(kinds, texts, spans)]


def _lines(doc: str) -> list[tuple[int, int, bool]]:
    """(start, end, blank) of each line, without its line ending."""
    lines = []
    pos = 0
    for match in _LINE_END.finditer(doc):
        lines.append((pos, match.start()))
        pos = match.end()
    if pos < len(doc):
        lines.append((pos, len(doc)))
    return [(start, end, not _NON_SPACE.search(doc, start, end)) for start, end in lines]


def _paragraphs(lines: list[tuple[int, int, bool]]) -> list[tuple[int, int]]:
    filled = [i for i, (_, _, blank) in enumerate(lines) if not blank]
    # a blank line between two filled ones means paragraphs may be wrapped over several lines
    by_blank_lines = any(b - a > 1 for a, b in zip(filled, filled[1:]))
    if not by_blank_lines:
        return [(lines[i][0], lines[i][1]) for i in filled]
    paragraphs: list[tuple[int, int]] = []
    previous = None
    for i in filled:
        if previous is not None and previous == i - 1:
            paragraphs[-1] = (paragraphs[-1][0], lines[i][1])
        else:
            paragraphs.append((lines[i][0], lines[i][1]))
        previous = i
    return paragraphs


def _strip(doc: str, start: int, end: int) -> tuple[int, int]:
    start = _NON_SPACE.search(doc, start, end).start()
    return start, start + len(doc[start:end].rstrip())


def _is_short(text: str) -> bool:
    return len(text.split()) <= _SHORT_WORDS and not _PUNCTUATED.search(text)


def _kinds(texts: list[str]) -> list[str]:
    kinds = ["paragraph"] * len(texts)
    short = [_is_short(t) for t in texts]
    i = 1
    while i < len(texts):
        if not short[i]:
            i += 1
            continue
        run_end = i
        while run_end < len(texts) and short[run_end]:
            run_end += 1
        if run_end - i >= 2:
            # a language switcher, a tag list, a menu: several short lines in a row
            kinds[i:run_end] = ["list_item"] * (run_end - i)
        elif run_end < len(texts):
            kinds[i] = "heading"
        i = run_end
    if texts:
        kinds[0] = "title"
    return kinds

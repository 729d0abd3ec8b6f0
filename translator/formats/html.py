"""HTML articles: each run of text and inline tags between two block-level tags is a Block.

A regex tag scanner works on the original string, so offsets are exact and entities stay as written.
The kind comes from the innermost h1-h6, blockquote or li/dt/dd around the run, else paragraph (p, td,
figcaption, div...). The first h1 is the title; without an h1, <title> in the head is the title block,
otherwise <title> is left alone. Nothing in head, script, style, pre, textarea, template, svg, math,
noscript or comments is translated; a comment inside a paragraph splits it in two blocks.
"""

from __future__ import annotations

import html
import re
from functools import cache

from ..segment import Block

_MARKUP = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    r"|<[!?][^>]*>?"
    r"""|<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""",
    re.S,
)
INLINE = frozenset(
    "a abbr b bdi bdo br cite code data del dfn em font i img ins kbd mark q s samp small span strong"
    " sub sup time u var wbr".split()
)
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_RAW_TEXT = frozenset("script style textarea title xmp".split())
_SKIPPED = frozenset("head script style pre textarea template svg math noscript xmp".split())
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_LIST_ITEMS = frozenset("li dt dd".split())
# start tags that close an open <p> or a sibling item, so unclosed tags do not leak kinds
_SIBLINGS = {"li": {"li"}, "dt": {"dt", "dd"}, "dd": {"dt", "dd"}, "td": {"td", "th"}, "th": {"td", "th"},
             "tr": {"tr", "td", "th"}}
_CONTAINERS = frozenset("ul ol dl table tbody thead tfoot".split())
_SIBLING_DEPTH = 64
_TEXT = re.compile(r"[^\s]")
_NBSP = re.compile(r"&nbsp;|&#160;|&#xa0;", re.I)
_TAGS = re.compile(r"<[^>]*>")


def parse(doc: str) -> list[Block]:
    """Blocks of an HTML article.

    >>> [(b.kind, b.text) for b in parse("<h1>News</h1><p>It <em>rained</em>.</p><li>Item</li>")]
    [('title', 'News'), ('paragraph', 'It <em>rained</em>.'), ('list_item', 'Item')]
    """
    runs: list[tuple[str, int, int]] = []
    head_title: tuple[int, int] | None = None
    stack = _Stack()
    run_from, has_text = 0, False
    pos = 0

    def close_run(until: int) -> None:
        if has_text and not stack.skipped:
            runs.append((stack.kind, *_strip(doc, run_from, until)))

    while (match := _MARKUP.search(doc, pos)) is not None:
        has_text = has_text or _has_text(doc[pos:match.start()])
        pos = match.end()
        closing, name = match.group(1), (match.group(2) or "").lower()
        if name in INLINE:
            continue
        close_run(match.start())
        has_text = False
        if not name:
            run_from = pos  # a comment, doctype or processing instruction
            continue
        if closing:
            stack.close(name)
        elif name in _RAW_TEXT:
            end = _raw_text_end(name).search(doc, pos)
            content_end, pos = (end.start(), end.end()) if end else (len(doc), len(doc))
            if name == "title" and head_title is None and _has_text(doc[match.end():content_end]):
                head_title = _strip(doc, match.end(), content_end)
        elif name not in _VOID and not match.group(3).rstrip().endswith("/"):
            stack.open(name)
        run_from = pos
    has_text = has_text or _has_text(doc[pos:])
    close_run(len(doc))
    return _with_title(doc, runs, head_title)


def plain_text(text: str) -> str:
    """Block text without tags and with entities resolved, for an article title.

    >>> plain_text("Rain &amp; <em>snow</em>")
    'Rain & snow'
    """
    return html.unescape(_TAGS.sub("", text))


class _Stack:
    """The open block-level tags, innermost last. Each level keeps its kind and whether it is skipped,
    so a run's kind and a closing tag cost the same at any depth (100,000 nested divs stay linear)."""

    def __init__(self) -> None:
        self._levels: list[tuple[str, str, bool]] = []  # name, kind, inside a skipped element
        self._open: dict[str, int] = {}

    @property
    def kind(self) -> str:
        return self._levels[-1][1] if self._levels else "paragraph"

    @property
    def skipped(self) -> bool:
        return bool(self._levels) and self._levels[-1][2]

    def open(self, name: str) -> None:
        if name in _SIBLINGS and any(self._open.get(sibling) for sibling in _SIBLINGS[name]):
            self._close_sibling(_SIBLINGS[name])
        if self._levels and self._levels[-1][0] == "p":
            self._truncate(len(self._levels) - 1)
        self._levels.append((name, _kind(name, self.kind), self.skipped or name in _SKIPPED))
        self._open[name] = self._open.get(name, 0) + 1

    def close(self, name: str) -> None:
        """Close ``name`` and everything opened inside it; a stray closing tag changes nothing."""
        if self._open.get(name):
            at = len(self._levels) - 1
            while self._levels[at][0] != name:
                at -= 1
            self._truncate(at)

    def _close_sibling(self, siblings: set[str]) -> None:
        # a sibling buried deeper than this is not closed: bounds the work per tag in broken markup
        for at in range(len(self._levels) - 1, max(-1, len(self._levels) - 1 - _SIBLING_DEPTH), -1):
            name = self._levels[at][0]
            if name in _CONTAINERS:
                return
            if name in siblings:
                self._truncate(at)
                return

    def _truncate(self, at: int) -> None:
        for name, _, _ in self._levels[at:]:
            self._open[name] -= 1
        del self._levels[at:]


def _kind(name: str, outer: str) -> str:
    if name in _HEADINGS:
        return "h1" if name == "h1" else "heading"  # h1 until _with_title picks the title
    if name == "blockquote":
        return "quote"
    if name in _LIST_ITEMS:
        return "list_item"
    return outer


def _with_title(doc: str, runs: list[tuple[str, int, int]], head_title: tuple[int, int] | None) -> list[Block]:
    h1s = [i for i, (kind, _, _) in enumerate(runs) if kind == "h1"]
    kinds = ["heading" if kind == "h1" else kind for kind, _, _ in runs]
    if h1s:
        kinds[h1s[0]] = "title"
    blocks = [Block(kind, doc[start:end], start, end) for kind, (_, start, end) in zip(kinds, runs)]
    if h1s or head_title is None:
        return blocks
    start, end = head_title
    return sorted([*blocks, Block("title", doc[start:end], start, end)], key=lambda b: b.start)


@cache
def _raw_text_end(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}\s*>", re.I)


def _has_text(chunk: str) -> bool:
    return bool(chunk) and _TEXT.search(_NBSP.sub("", chunk)) is not None


def _strip(doc: str, start: int, end: int) -> tuple[int, int]:
    chunk = doc[start:end]
    left = len(chunk) - len(chunk.lstrip())
    return start + left, start + len(chunk.rstrip())

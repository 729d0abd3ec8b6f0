"""Counting words in a source segment: the one rule every figure in the reports uses.

A word is a run of letters and digits; an apostrophe or hyphen between two such
runs joins them (``Putin's``, ``Russia-China``: one word each), and so do ``.`` and ``,`` between
digits (``1,000.5``: one word). Inline markup is not text: HTML tags and the targets of Markdown
links are left out. Scripts written without spaces (Chinese, Japanese) count one word per character.
"""

from __future__ import annotations

import re

_MARKUP = re.compile(r"<[^<>]*>|\]\([^()\s]*\)")
# CJK ideographs and kana: one word each (Korean is written with spaces, like English)
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(
    rf"[{_CJK}]"
    rf"|(?:(?![{_CJK}])[\w])+"                       # a run of letters and digits
    rf"(?:(?:['’\-‐‑]|(?<=\d)[.,](?=\d))(?:(?![{_CJK}])\w)+)*"  # joined by ' ’ - , or . between digits
)


def count_words(text: str) -> int:
    """The number of words in ``text`` by the rule above.

    >>> count_words("Putin's 1 hour 25 minute call cost $1,234.50 in <b>Russia-China</b> trade.")
    11
    """
    return sum(1 for _ in _WORD.finditer(_MARKUP.sub(" ", text).replace("_", " ")))

"""Glossary forms compiled for matching. A form stands in a text on word boundaries, with any run of spaces
for a space, either apostrophe, any hyphen, regardless of case unless it is case-sensitive; a target form
may end in a genitive s ("Putins", "des Kremls"), and a title may end a compound ("Gesundheitsminister").

``Form.regex`` is that rule as a regular expression. Matching compares strings on the case-folded text
instead: a first translate run meets hundreds of forms, and compiling a pattern for each cost more than
checking every sentence with them. The pattern is still used where case folding would change a text's
length ("ß" -> "ss" moves every offset after it), and the tests hold both ways to the same answers.
"""

from __future__ import annotations

import re
from functools import cached_property, lru_cache

APOSTROPHES = "'’"
HYPHENS = "-‐‑"
# German and Dutch add a genitive s to names ("Putins", "Poetins", "des Kremls", "des Rates")
GENITIVE = "(?:e?s)?"
# the pieces of a form besides its runs of letters and marks
_SPACES, _APOSTROPHE, _HYPHEN = 0, 1, 2
_PIECES = re.compile(rf"(\s+|[{APOSTROPHES}]|[{HYPHENS}])")


@lru_cache(maxsize=4096)  # a translation is checked for each of its terms
def fold(text: str) -> str | None:
    """``text`` case-folded, or None where folding changes its length (offsets would not carry over)."""
    folded = text.casefold()
    return folded if len(folded) == len(text) else None


class Form:
    """One form, ready to be matched at a position of a text."""

    def __init__(self, form: str, case_sensitive: bool, genitive: bool = False, compound: bool = False) -> None:
        self.text, self.case_sensitive = form, case_sensitive
        self.head = is_word_char(form[0]) and not compound  # a title may end a compound
        self.tail = is_word_char(form[-1])
        self.genitive = genitive and self.tail
        pieces: list[str | int] = []
        for i, part in enumerate(_PIECES.split(form)):
            if i % 2 == 0:  # the letters and marks between two separators
                if part:
                    pieces.append(part)
            else:
                pieces.append(_SPACES if part[0].isspace() else _APOSTROPHE if part in APOSTROPHES else _HYPHEN)
        if not case_sensitive:
            pieces = [fold(p) if isinstance(p, str) else p for p in pieces]  # type: ignore[misc]
        # None: matched by the pattern only (a literal that folds to another length, no literal to look for first)
        usable = pieces and isinstance(pieces[0], str) and None not in pieces
        self.pieces: list[str | int] | None = pieces if usable else None

    @property
    def regex(self) -> str:
        parts: list[str] = []
        for char in self.text:
            if char.isspace():
                if parts[-1:] != [r"\s+"]:
                    parts.append(r"\s+")
            elif char in APOSTROPHES:
                parts.append(f"[{APOSTROPHES}]")
            elif char in HYPHENS:
                parts.append(f"[{HYPHENS}]")
            else:
                parts.append(re.escape(char))
        head = r"(?<!\w)" if self.head else ""
        tail = (GENITIVE if self.genitive else "") + r"(?!\w)" if self.tail else ""
        return f"{head}(?:{''.join(parts)}){tail}"

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(self.regex, 0 if self.case_sensitive else re.IGNORECASE)

    def end_at(self, text: str, folded: str | None, start: int) -> int | None:
        """Where the form ends if it starts at ``start`` (``folded``: ``fold(text)``); None if it does not."""
        if self.pieces is None or (folded is None and not self.case_sensitive):
            hit = self.pattern.match(text, start)
            return hit.end() if hit else None
        if self.head and start and is_word_char(text[start - 1]):
            return None
        compared = text if self.case_sensitive else folded
        assert compared is not None
        at, size = start, len(text)
        for piece in self.pieces:
            if isinstance(piece, str):
                if not compared.startswith(piece, at):
                    return None
                at += len(piece)
            elif at >= size:
                return None
            elif piece == _SPACES:
                if not text[at].isspace():
                    return None
                while at < size and text[at].isspace():
                    at += 1
            elif text[at] in (APOSTROPHES if piece == _APOSTROPHE else HYPHENS):
                at += 1
            else:
                return None
        return word_end(text, compared, at, self.genitive) if self.tail else at


class Forms:
    """Alternative forms (a target and its variants), longest first: what a translation must have."""

    def __init__(self, forms: tuple[str, ...], case_sensitive: bool, compound: bool = False) -> None:
        self.case_sensitive = case_sensitive
        self.forms = [Form(f, case_sensitive, genitive=True, compound=compound)
                      for f in sorted(dict.fromkeys(forms), key=len, reverse=True)]

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile("|".join(f.regex for f in self.forms), 0 if self.case_sensitive else re.IGNORECASE)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where ``text`` has one of the forms, left to right, never overlapping: at each place the first
        form (the longest) that stands there."""
        folded = fold(text)
        compared = text if self.case_sensitive else folded
        if compared is None or any(f.pieces is None for f in self.forms):
            return [hit.span() for hit in self.pattern.finditer(text)]
        starts: set[int] = set()
        for form in self.forms:
            first = form.pieces[0]  # type: ignore[index]
            at = compared.find(first)  # type: ignore[arg-type]
            while at >= 0:
                starts.add(at)
                at = compared.find(first, at + 1)  # type: ignore[arg-type]
        found: list[tuple[int, int]] = []
        taken = 0
        for start in sorted(starts):
            if start < taken:
                continue
            for form in self.forms:
                end = form.end_at(text, folded, start)
                if end is not None:
                    found.append((start, end))
                    taken = end
                    break
        return found


@lru_cache(maxsize=8192)
def one_form(text: str, case_sensitive: bool, genitive: bool = False) -> Form:
    return Form(text, case_sensitive, genitive)


@lru_cache(maxsize=8192)
def alternatives(texts: tuple[str, ...], case_sensitive: bool, compound: bool = False) -> Forms:
    return Forms(texts, case_sensitive, compound)


def word_end(text: str, compared: str, at: int, genitive: bool) -> int | None:
    r"""Where a form that ends at ``at`` ends a word, with its genitive s if ``genitive`` (what
    ``(?:e?s)?(?!\w)`` finds, backtracking included); ``compared``: ``text`` or its case folding."""
    ends = [at + 2] if genitive and compared.startswith("es", at) else []
    ends += [at + 1] if genitive and compared.startswith("s", at) else []
    for end in (*ends, at):
        if end == len(text) or not is_word_char(text[end]):
            return end
    return None


def is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"  # what re's \w matches

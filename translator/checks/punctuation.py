"""Punctuation checks: the sentence ends the way the source does, quotes follow the target
language's style and are balanced, brackets are balanced."""

from __future__ import annotations

import re

from ..languages import base_language
from .base import CheckContext, Finding

# what ends a sentence, by kind; other scripts' marks count as their kind
_END_KIND = {
    ".": ".", "。": ".", "।": ".", "…": "…",
    "!": "!", "！": "!", "¡": "!",
    "?": "?", "？": "?", "؟": "?", "¿": "?",
    ":": ":", "：": ":",
}
_CLOSING = "\"'“”„«»‘’‚‹›)]}*_ \u00a0\u202f\t\n"  # what may follow the final mark

# the quote pairs each language uses (opening, closing); the straight " is used by none of them
QUOTE_STYLES: dict[str, list[tuple[str, str]]] = {
    "de": [("„", "“"), ("‚", "‘")],  # newsroom style; book typography »…« warns
    "fr": [("«", "»"), ("“", "”"), ("‹", "›")],
    "en": [("“", "”"), ("‘", "’")],
    "nl": [("„", "”"), ("“", "”"), ("‘", "’"), ("‚", "’")],
    "es": [("«", "»"), ("“", "”"), ("‘", "’")],
    "pt": [("“", "”"), ("«", "»"), ("‘", "’")],
    "it": [("«", "»"), ("“", "”"), ("‘", "’")],
}
_DOUBLE_QUOTES = "\"“”„«»"
_SINGLE_QUOTES = "‘’‚‹›"
_OPENING = "“„‚‘‹«"  # after an apostrophe: French d’« exemplaire »
_BRACKETS = [("(", ")"), ("[", "]")]
# markup is not prose: quotes around attribute values and link titles are not quotation marks
_HTML_TAG = re.compile(r"""</?[A-Za-z][\w:-]*(?:\s(?:[^<>"']|"[^"]*"|'[^']*')*)?/?>""")
_MD_LINK_TARGET = re.compile(r"""\]\([^()\s]*(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)""")


def check_ending_punctuation(ctx: CheckContext) -> list[Finding]:
    """The translation ends with the same kind of mark as the source (. ! ? : …), or neither has one."""
    source, target = _ending(_prose(ctx.source)), _ending(_prose(ctx.target))
    if source == target:
        return []
    if source and target:
        return [Finding(f"the source ends with {source!r}, the translation with {target!r}")]
    if source:
        return [Finding(f"the source ends with {source!r}, the translation does not")]
    return [Finding(f"the translation ends with {target!r}, the source does not")]


def check_quotes(ctx: CheckContext) -> list[Finding]:
    """Where the source quotes, the translation uses its language's quotation marks, balanced."""
    source, target = _prose(ctx.source), _prose(ctx.target)
    if not _quote_marks(source):
        return []
    used = _quote_marks(target)
    findings = []
    if '"' in used:
        findings.append(Finding('straight quotes "…" in the translation' + _advice(ctx.target_lang)))
    styles = QUOTE_STYLES.get(base_language(ctx.target_lang))
    if styles is None:
        return findings
    allowed = {mark for pair in styles for mark in pair}
    foreign = sorted(set(used) - allowed - {'"'})
    if foreign:
        findings.append(Finding(f"quotation marks {' '.join(foreign)} are not {ctx.target_lang} style" +
                                _advice(ctx.target_lang)))
    elif _balanced(source, QUOTE_STYLES.get(base_language(ctx.source_lang), [])) and \
            not _balanced(target, styles):
        findings.append(Finding("unbalanced quotation marks"))
    return findings


def check_brackets(ctx: CheckContext) -> list[Finding]:
    """Round and square brackets are balanced in the translation when they are in the source."""
    findings = []
    for opening, closing in _BRACKETS:
        source = ctx.source.count(opening) - ctx.source.count(closing)
        target = ctx.target.count(opening) - ctx.target.count(closing)
        if source == 0 and target != 0:
            findings.append(Finding(f"unbalanced brackets {opening}{closing}"))
    return findings


def _prose(text: str) -> str:
    """``text`` without HTML tags and Markdown link targets."""
    return _MD_LINK_TARGET.sub("]", _HTML_TAG.sub("", text))


def _ending(text: str) -> str:
    stripped = text.rstrip(_CLOSING)
    if stripped.endswith("..."):
        return "…"
    return _END_KIND.get(stripped[-1:], "") if stripped else ""


def _quote_marks(text: str) -> str:
    """The quotation marks of ``text``, apostrophes left out ("Russia’s", "l’Ukraine")."""
    marks = []
    for i, char in enumerate(text):
        if char in _DOUBLE_QUOTES:
            marks.append(char)
        elif char in _SINGLE_QUOTES or char == "'":
            after = text[i + 1:i + 2]
            opening = bool(after) and after in _OPENING
            between_letters = i > 0 and text[i - 1].isalnum() and (after.isalnum() or opening)
            if not between_letters and char != "'":
                marks.append(char)
            elif not between_letters:
                marks.append('"')  # a straight single quote used as a quotation mark
    return "".join(marks)


def _balanced(text: str, styles: list[tuple[str, str]]) -> bool:
    """Whether the double quotes of ``text`` pair up: openings as many as closings, straight ones even."""
    marks = _quote_marks(text)
    doubles = [(o, c) for o, c in styles if o in _DOUBLE_QUOTES]
    openings = {o for o, _ in doubles} - {c for _, c in doubles}
    closings = {c for _, c in doubles} - {o for o, _ in doubles}
    if marks.count('"') % 2:
        return False
    return sum(marks.count(m) for m in openings) == sum(marks.count(m) for m in closings)


def _advice(language: str) -> str:
    styles = QUOTE_STYLES.get(base_language(language))
    return f"; {language} uses {' or '.join(f'{o}…{c}' for o, c in styles)}" if styles else ""

"""QA checks on one translation, each a small function with an id, registered in ``CHECKS``.

``run_checks(CheckContext(source, target, "en", "de", glossary))`` returns the findings of all
checks but those switched off by id (``[checks] disabled`` in translator.toml).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import TranslatorError
from . import content, glossary, markup, numbers, punctuation, whitespace
from .base import ERROR, WARNING, Check, CheckContext, Finding

__all__ = ["CHECKS", "ERROR", "WARNING", "Check", "CheckContext", "Finding", "check_ids", "run_checks"]

CHECKS: list[Check] = [
    Check("empty", "Empty translation", ERROR, content.check_empty, needs_target=False),
    Check("numbers", "Numbers and dates", ERROR, numbers.check_numbers),
    Check("glossary-missing", "Glossary term missing", ERROR, glossary.check_missing_terms),
    Check("glossary-forbidden", "Forbidden term used", ERROR, glossary.check_forbidden_terms),
    Check("glossary-dnt", "Do-not-translate term changed", ERROR, glossary.check_do_not_translate),
    Check("html-tags", "HTML tags", ERROR, markup.check_tags),
    Check("markdown", "Markdown", ERROR, markup.check_markdown),
    Check("placeholders", "Placeholders", ERROR, markup.check_placeholders),
    Check("ending-punctuation", "Ending punctuation", WARNING, punctuation.check_ending_punctuation),
    Check("quotes", "Quotation marks", WARNING, punctuation.check_quotes),
    Check("brackets", "Brackets", WARNING, punctuation.check_brackets),
    Check("edge-whitespace", "Leading and trailing whitespace", WARNING, whitespace.check_edge_whitespace),
    Check("double-space", "Double space", WARNING, whitespace.check_double_space),
    Check("untranslated", "Untranslated", WARNING, content.check_untranslated),
    Check("length-ratio", "Length", WARNING, content.check_length_ratio),
    Check("inconsistent", "Inconsistent", WARNING, content.check_inconsistent),
]


def check_ids(ids: Iterable[str]) -> frozenset[str]:
    """``ids`` as a set, or TranslatorError naming the unknown ones and listing the known ids."""
    wanted = frozenset(ids)
    known = [c.id for c in CHECKS]
    unknown = sorted(wanted - set(known))
    if unknown:
        raise TranslatorError(f"unknown check {', '.join(unknown)}; the checks are: {', '.join(known)}")
    return wanted


def run_checks(ctx: CheckContext, disabled: Iterable[str] = frozenset()) -> list[Finding]:
    """The findings of every check not in ``disabled``, in registry order.

    >>> run_checks(CheckContext("Trade reached $234 billion.", "Der Handel erreichte 243 Milliarden.", "en", "de"))
    [Finding(message='missing number 234; the translation has 243 instead', ..., check='numbers', severity='error')]
    """
    off = check_ids(disabled)
    blank = not ctx.target.strip()
    return [finding for check in CHECKS
            if check.id not in off and not (blank and check.needs_target)
            for finding in check.run(ctx)]

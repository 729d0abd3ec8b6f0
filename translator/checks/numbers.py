"""Numbers and dates: every number of the source is in the translation, by value, whatever the
locale writes as group and decimal separators (en 1,000.5 = de 1.000,5 = fr 1 000,5)."""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import get_decimal_symbol, get_group_symbol

from .base import CheckContext, Finding

_SPACES = "\u00a0\u202f"  # nbsp and narrow nbsp group digits in any language


def check_numbers(ctx: CheckContext) -> list[Finding]:
    """Every number of the source appears in the translation with the same value."""
    source = numbers_in(ctx.source, ctx.source_lang)
    target = numbers_in(ctx.target, ctx.target_lang)
    missing = source - target
    if not missing:
        return []
    extra = target - source
    message = f"missing number {', '.join(_show(n) for n in missing.elements())}"
    if extra:
        message += f"; the translation has {', '.join(_show(n) for n in extra.elements())} instead"
    return [Finding(message)]


def numbers_in(text: str, language: str) -> Counter[Decimal]:
    """The values of the numbers in ``text`` as written in ``language``.

    >>> numbers_in("1.000,5 und 2025", "de") == Counter([Decimal("1000.5"), Decimal("2025")])
    True
    """
    pattern, group, decimal = _number_pattern(language)
    values: Counter[Decimal] = Counter()
    for match in pattern.finditer(text):
        digits = re.sub(f"[{re.escape(group)}]", "", match.group()).replace(decimal, ".")
        try:
            values[Decimal(digits).normalize()] += 1
        except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
            continue
    return values


@lru_cache(maxsize=64)
def _number_pattern(language: str) -> tuple[re.Pattern[str], str, str]:
    try:
        locale = Locale.parse(language.replace("-", "_"))
        group, decimal = get_group_symbol(locale), get_decimal_symbol(locale)
    except (UnknownLocaleError, ValueError):
        group, decimal = ",", "."
    groups = group + _SPACES
    if group.isspace():
        groups += " "  # French "1 000" typed with a plain space
    if group in "'’":
        groups += "'’"
    g, d = re.escape(groups), re.escape(decimal)
    # grouped (1-3 digits first) or plain; never starting or ending inside another number
    regex = rf"(?<![\d{d}])(?:\d{{1,3}}(?:[{g}]\d{{3}})+|\d+)(?:{d}\d+)?(?!\d)"
    return re.compile(regex), groups, decimal


def _show(value: Decimal) -> str:
    return format(value, "f")

"""Whitespace checks: the translation starts and ends with the same spaces as the source, and
has no double spaces the source does not have."""

from __future__ import annotations

import re

from .base import CheckContext, Finding

_LEADING = re.compile(r"^\s*")
_TRAILING = re.compile(r"\s*$")


def check_edge_whitespace(ctx: CheckContext) -> list[Finding]:
    """Leading or trailing whitespace differs between source and translation."""
    findings = []
    for where, pattern in (("leading", _LEADING), ("trailing", _TRAILING)):
        source = pattern.search(ctx.source).group()  # type: ignore[union-attr]
        target = pattern.search(ctx.target).group()  # type: ignore[union-attr]
        if source != target:
            findings.append(Finding(f"{where} whitespace {source!r} in the source, {target!r} in the translation"))
    return findings


def check_double_space(ctx: CheckContext) -> list[Finding]:
    """The translation has two spaces in a row where the source has none."""
    if "  " in ctx.target.strip() and "  " not in ctx.source.strip():
        return [Finding("double space in the translation")]
    return []

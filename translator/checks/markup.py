"""Markup checks: HTML tags, Markdown emphasis and links, and format placeholders come through
translation unchanged (the same ones, as many times, in any order)."""

from __future__ import annotations

import re
from collections import Counter

from .base import CheckContext, Finding

_TAG = re.compile(r"<(/?)([A-Za-z][\w:-]*)((?:\s[^<>]*)?)/?>")
_URL_ATTRIBUTE = re.compile(r"""\b(href|src)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.IGNORECASE)
_MD_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_MD_EMPHASIS = re.compile(r"\*\*|\*|`")
_PLACEHOLDER = re.compile(
    r"\{\{?\s*[\w.]*\s*\}?\}"  # {name}, {0}, {}, {{name}}
    r"|%(?:\(\w+\)|\d+\$)?[-+#0]*\d*(?:\.\d+)?[sdifuxXeEgGcr@]"  # %s, %(name)s, %1$s, %.2f
)


def check_tags(ctx: CheckContext) -> list[Finding]:
    """The HTML tags of the source (with their link targets) are all in the translation, and no others."""
    return _compare("tag", _tags(ctx.source), _tags(ctx.target))


def check_markdown(ctx: CheckContext) -> list[Finding]:
    """Markdown emphasis markers and link URLs of the source are kept, URLs character for character."""
    links = _compare("link to", Counter(_MD_LINK.findall(ctx.source)), Counter(_MD_LINK.findall(ctx.target)))
    source = Counter(_MD_EMPHASIS.findall(_MD_LINK.sub("", ctx.source)))
    target = Counter(_MD_EMPHASIS.findall(_MD_LINK.sub("", ctx.target)))
    return links + _compare("Markdown marker", source, target)


def check_placeholders(ctx: CheckContext) -> list[Finding]:
    """Placeholders such as {name}, %s and %(name)s are kept, as many of each."""
    return _compare("placeholder", Counter(_PLACEHOLDER.findall(ctx.source)), Counter(_PLACEHOLDER.findall(ctx.target)))


def _tags(text: str) -> Counter[str]:
    """Tags by name and link target, so a translated title="..." attribute does not count as a change."""
    tags: Counter[str] = Counter()
    for closing, name, attributes in _TAG.findall(text):
        urls = " ".join(f"{k.lower()}={v.strip(chr(34) + chr(39))}" for k, v in _URL_ATTRIBUTE.findall(attributes))
        tags[f"<{closing}{name.lower()}{' ' + urls if urls else ''}>"] += 1
    return tags


def _compare(what: str, source: Counter[str], target: Counter[str]) -> list[Finding]:
    findings = [Finding(f"missing {what} {item}") for item in (source - target).elements()]
    findings += [Finding(f"extra {what} {item}") for item in (target - source).elements()]
    return findings

"""Content checks: the translation is there, is not the source copied, has a plausible length,
and agrees with the other translations of the same source in the workspace."""

from __future__ import annotations

from ..languages import base_language
from ..models import ConceptKind
from .base import CheckContext, Finding

#: (lowest, highest) translation/source length in characters, by (source, target) language;
#: Chinese, Japanese and Korean write the same in far fewer characters
LENGTH_RATIO: dict[tuple[str, str] | str, tuple[float, float]] = {
    "default": (0.5, 2.0),
    ("en", "zh"): (0.15, 1.0),
    ("en", "ja"): (0.2, 1.2),
    ("en", "ko"): (0.2, 1.2),
}
MIN_LENGTH = 20  # shorter segments (headlines, names) vary too much to judge by length
_KEPT_AS_IS = (ConceptKind.DO_NOT_TRANSLATE, ConceptKind.NAME)


def check_empty(ctx: CheckContext) -> list[Finding]:
    """The translation is empty while the source is not."""
    if ctx.source.strip() and not ctx.target.strip():
        return [Finding("the translation is empty")]
    return []


def check_untranslated(ctx: CheckContext) -> list[Finding]:
    """The translation is the source unchanged, though the source has words to translate."""
    if ctx.target.strip() != ctx.source.strip() or base_language(ctx.source_lang) == base_language(ctx.target_lang):
        return []
    rest = ctx.source
    if ctx.glossary is not None:
        # names and do-not-translate terms stay as they are: a segment of only those is translated
        for match in reversed(ctx.glossary.find(ctx.source)):
            if match.kind in _KEPT_AS_IS:
                rest = rest[:match.start] + " " + rest[match.end:]
    if not any(char.isalpha() for char in rest):
        return []
    return [Finding("the translation is the source text unchanged")]


def check_length_ratio(ctx: CheckContext) -> list[Finding]:
    """The translation is much shorter or longer than the source (segments of 20 characters or more)."""
    source, target = len(ctx.source.strip()), len(ctx.target.strip())
    if source < MIN_LENGTH:
        return []
    pair = (base_language(ctx.source_lang), base_language(ctx.target_lang))
    low, high = LENGTH_RATIO.get(pair, LENGTH_RATIO["default"])
    ratio = target / source
    if low <= ratio <= high:
        return []
    return [Finding(f"the translation is {ratio:.2f} times as long as the source (expected {low}–{high})")]


def check_inconsistent(ctx: CheckContext) -> list[Finding]:
    """The same source is translated differently elsewhere in the workspace."""
    mine = " ".join(ctx.target.split())
    others = sorted({" ".join(o.split()) for o in ctx.others if o and o.strip()} - {mine})
    return [Finding(f"the same source is translated elsewhere as {other!r}") for other in others]

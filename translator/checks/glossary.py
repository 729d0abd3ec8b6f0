"""Glossary checks: required terms kept (each occurrence), forbidden forms avoided, do-not-translate
terms left as they are. Their findings carry ``source`` and ``required`` like pre-translation's flags."""

from __future__ import annotations

from ..glossary import TermMatch
from ..models import ConceptKind
from .base import CheckContext, Finding


def check_missing_terms(ctx: CheckContext) -> list[Finding]:
    """A name or title of the glossary is in the source but not in its required form in the translation."""
    return [Finding(f"{m.text!r} should be translated as {m.target!r}", m.text, m.target)
            for m in _lost(ctx) if m.kind is not ConceptKind.DO_NOT_TRANSLATE]


def check_do_not_translate(ctx: CheckContext) -> list[Finding]:
    """A do-not-translate term of the source is changed or missing in the translation."""
    return [Finding(f"{m.text!r} must stay as it is", m.text, m.target)
            for m in _lost(ctx) if m.kind is ConceptKind.DO_NOT_TRANSLATE]


def check_forbidden_terms(ctx: CheckContext) -> list[Finding]:
    """The translation uses a form the glossary forbids."""
    if ctx.glossary is None:
        return []
    findings = []
    for use in ctx.glossary.forbidden_used(ctx.target):
        advice = f"; use {use.use_instead!r}" if use.use_instead else ""
        findings.append(Finding(f"{use.text!r} is a forbidden form{advice}", use.text, use.use_instead or ""))
    return findings


def _lost(ctx: CheckContext) -> list[TermMatch]:
    """The source's term occurrences without their required form: a term twice in the source must be there twice."""
    if ctx.glossary is None:
        return []
    return ctx.glossary.missing(ctx.target, ctx.glossary.find(ctx.source))

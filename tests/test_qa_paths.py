"""QA findings on every path that writes a translation: TM hits filled at import and by translate, bulk
approval, a re-import that changes a source, glossary changes, and translations coming back from outside."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest
from sqlalchemy import select, update

from modelkit import build_copy_package
from translator import qa, review
from translator.articles import import_files
from translator.db import transaction
from translator.errors import TranslatorError
from translator.export import export
from translator.glossary import GlossaryEntry, add_concept, import_glossary, remove_concept
from translator.history import events
from translator.import_translations import import_translations
from translator.localize import Policy
from translator.memory import TranslationMemory
from translator.models import ConceptKind, Translation
from translator.mt.packages import install_file
from translator.mt.pretranslate import pretranslate
from translator.overview import article_segments, get_article
from translator.status import Origin

GLOSSARY = Path(__file__).parent.parent / "glossary" / "world-news.csv"
TRADE = "Trade reached $234 billion in 2025."
PUTIN = "Vladimir Putin spoke to Xi Jinping."
KREMLIN = "The Kremlin said nothing."


def _article(tmp_path: Path, slug: str, *lines: str) -> Path:
    path = tmp_path / f"{slug}.txt"
    path.write_text("".join(f"{line}\n" for line in lines), encoding="utf-8")
    return path


def _import(ws, path: Path) -> None:
    with transaction(ws.database_url) as session:
        import_files(session, ws, [path], "editor")


def _german(ws, slug: str) -> dict[str, dict]:
    """The German translation of each segment, by its source."""
    with transaction(ws.database_url, write=False) as session:
        return {row.source: row.translations["de"] for row in article_segments(session, slug, ["de"])}


def _checks(translation: dict) -> list[str]:
    return [f["check"] for f in translation["flags"]]


def _remember(ws, source: str, target: str, origin: Origin = Origin.MT, approved: bool = False) -> None:
    with transaction(ws.database_url) as session:
        TranslationMemory(session).add("en", "de", source, target, origin, approved=approved)


def _edit(ws, slug: str, number: int, text: str) -> None:
    with transaction(ws.database_url) as session:
        review.edit(session, review.Target(slug, number, "de"), text, "anna")


# --- exact TM hits --------------------------------------------------------------------------------

def test_a_tm_hit_filled_at_import_is_checked_against_the_glossary(workspace, tmp_path):
    # an MT unit from before the glossary: the name in its English spelling, which German forbids
    _remember(workspace, PUTIN, "Vladimir Putin sprach mit Xi Jinping.")
    with transaction(workspace.database_url) as session:
        import_glossary(session, GLOSSARY, "en", "editor")
    _import(workspace, _article(tmp_path, "call", PUTIN))
    filled = _german(workspace, "call")[PUTIN]
    assert (filled["origin"], filled["status"]) == ("tm-exact", "machine")
    missing = next(f for f in filled["flags"] if f["check"] == "glossary-missing")
    assert missing["required"] == "Wladimir Putin" and missing["severity"] == "error"
    assert "glossary-forbidden" in _checks(filled)


def test_an_approved_tm_hit_with_qa_errors_is_filled_as_machine_for_a_person_to_check(workspace, tmp_path):
    _remember(workspace, TRADE, "Der Handel erreichte 2025 243 Milliarden Dollar.", Origin.HUMAN, approved=True)
    _remember(workspace, KREMLIN, "Der Kreml schwieg.", Origin.HUMAN, approved=True)
    _import(workspace, _article(tmp_path, "trade", TRADE, KREMLIN))
    german = _german(workspace, "trade")
    assert german[KREMLIN]["status"] == "approved" and german[KREMLIN]["flags"] == []
    assert german[TRADE]["status"] == "machine" and "numbers" in _checks(german[TRADE])
    with transaction(workspace.database_url, write=False) as session:
        [fill] = [e for e in events(session, get_article(session, "trade").id, language="de")
                  if e.action == "leverage" and e.new_status == "machine"]
    assert "QA errors" in fill.detail


def test_an_approved_tm_hit_is_approved_when_the_failing_check_is_switched_off(workspace, tmp_path):
    workspace.disabled_checks = ["numbers"]
    _remember(workspace, TRADE, "Der Handel erreichte 2025 243 Milliarden Dollar.", Origin.HUMAN, approved=True)
    _import(workspace, _article(tmp_path, "trade", TRADE))
    assert _german(workspace, "trade")[TRADE]["status"] == "approved"


@pytest.fixture(scope="module")
def german_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_copy_package(tmp_path_factory.mktemp("qa-models"), "en", "de", {"President": "Präsident"},
                              extra_words=["Wladimir"])


def test_translate_fills_from_the_tm_with_the_glossary_checked(workspace, german_model, tmp_path, monkeypatch):
    models = tmp_path / "models"
    install_file(models, german_model)
    monkeypatch.setenv("TRANSLATOR_MODELS_DIR", str(models))
    # both articles are in before any translation, so the second is not filled at import
    _import(workspace, _article(tmp_path, "first", PUTIN))
    _import(workspace, _article(tmp_path, "second", PUTIN))
    pretranslate(workspace, "mt", ["first"], ["de"])  # the copy model keeps "Vladimir Putin"
    first = _german(workspace, "first")[PUTIN]
    assert "Vladimir Putin" in first["text"] and "glossary-missing" not in _checks(first)  # no glossary yet
    with transaction(workspace.database_url) as session:
        import_glossary(session, GLOSSARY, "en", "editor")
    [run] = pretranslate(workspace, "mt", ["second"], ["de"])
    assert run.tm_filled == 1
    second = _german(workspace, "second")[PUTIN]
    assert second["origin"] == "tm-exact" and "glossary-missing" in _checks(second)
    # the glossary import checked the first article's draft again too
    assert "glossary-missing" in _checks(_german(workspace, "first")[PUTIN])


# --- approve-all ----------------------------------------------------------------------------------

def test_approve_all_leaves_out_and_lists_translations_with_qa_errors(workspace, cli, tmp_path):
    assert cli("import", str(_article(tmp_path, "trade", TRADE, KREMLIN))).exit_code == 0
    cli("edit", "trade", "1", "Der Handel erreichte 2025 243 Milliarden Dollar.", "--lang", "de")
    cli("edit", "trade", "2", "Der Kreml schwieg.", "--lang", "de")
    result = cli("approve-all", "--lang", "de")
    assert result.exit_code == 0, result.output
    assert "approved 1" in result.output and "1 not approved because of QA errors" in result.output
    assert "trade #1 (de)" in result.output and "missing number 234" in result.output
    german = _german(workspace, "trade")
    assert (german[TRADE]["status"], german[KREMLIN]["status"]) == ("translated", "approved")
    assert cli("approve-all", "--lang", "de", "--force").exit_code == 2  # a reason is needed
    result = cli("approve-all", "--lang", "de", "--force", "--reason", "figure checked with the desk")
    assert result.exit_code == 0 and "approved 1" in result.output
    assert _german(workspace, "trade")[TRADE]["status"] == "approved"
    history = json.loads(cli("history", "trade", "1", "--lang", "de", "--json").output)
    assert history[0]["action"] == "approve" and history[0]["detail"] == "forced: figure checked with the desk"


def test_approve_all_returns_what_it_left_out(workspace, tmp_path):
    _import(workspace, _article(tmp_path, "trade", TRADE))
    _edit(workspace, "trade", 1, "Der Handel erreichte 2025 243 Milliarden Dollar.")
    with transaction(workspace.database_url) as session:
        result = review.approve_all(session, "de", "ben")
    assert result.approved == 0
    [blocked] = result.blocked
    assert (blocked.slug, blocked.segment, blocked.language) == ("trade", 1, "de")
    assert [f["check"] for f in blocked.findings] == ["numbers"]
    with pytest.raises(TranslatorError, match="--reason"):
        with transaction(workspace.database_url) as session:
            review.approve_all(session, "de", "ben", force=True)


# --- a source that changes ------------------------------------------------------------------------

def test_a_reimport_checks_stale_translations_against_the_new_source(workspace, cli, tmp_path):
    path = _article(tmp_path, "trade", TRADE)
    assert cli("import", str(path)).exit_code == 0
    cli("edit", "trade", "1", "Der Handel erreichte 2025 234 Milliarden Dollar.", "--lang", "de")
    assert _german(workspace, "trade")[TRADE]["flags"] == []
    changed = TRADE.replace("$234", "$245")
    path.write_text(changed + "\n", encoding="utf-8")
    assert cli("import", str(path)).exit_code == 0
    stale = _german(workspace, "trade")[changed]
    assert stale["status"] == "stale" and "numbers" in _checks(stale)
    result = cli("approve", "trade", "1", "--lang", "de")
    assert result.exit_code == 2 and "numbers" in result.output and "changed source" in result.output
    assert cli("approve", "trade", "1", "--lang", "de", "--force", "--reason", "old figure on purpose").exit_code == 0


def test_approving_a_stale_translation_checks_it_against_the_current_source(workspace, tmp_path):
    path = _article(tmp_path, "trade", TRADE)
    _import(workspace, path)
    _edit(workspace, "trade", 1, "Der Handel erreichte 2025 234 Milliarden Dollar.")
    path.write_text(TRADE.replace("$234", "$245") + "\n", encoding="utf-8")
    _import(workspace, path)
    with transaction(workspace.database_url) as session:  # flags as stored before re-imports checked them
        session.execute(update(Translation).where(Translation.language == "de").values(flags=None))
    target = review.Target("trade", 1, "de")
    with pytest.raises(TranslatorError, match="numbers: missing number 245"):
        with transaction(workspace.database_url) as session:
            review.approve(session, target, "ben")
    with transaction(workspace.database_url) as session:
        tr = review.approve(session, target, "ben", force=True, reason="checked")
        assert "numbers" in [f["check"] for f in tr.flags]
    assert "numbers" in _checks(_german(workspace, "trade")[TRADE.replace("$234", "$245")])


# --- glossary changes -----------------------------------------------------------------------------

def test_adding_and_removing_a_concept_checks_the_translations_again(workspace, tmp_path):
    _import(workspace, _article(tmp_path, "kremlin", KREMLIN, TRADE))
    _edit(workspace, "kremlin", 1, "Der Kremlin schwieg.")
    _edit(workspace, "kremlin", 2, "Der Handel erreichte 2025 243 Milliarden Dollar.")
    before = _german(workspace, "kremlin")
    assert before[KREMLIN]["flags"] == [] and _checks(before[TRADE]) == ["numbers"]
    kremlin = GlossaryEntry(ConceptKind.NAME, {"en": ["Kremlin"], "de": ["Kreml"]}, {})
    with transaction(workspace.database_url) as session:
        add_concept(session, kremlin, "en", "editor")
    after = _german(workspace, "kremlin")
    [missing] = after[KREMLIN]["flags"]
    assert (missing["check"], missing["required"]) == ("glossary-missing", "Kreml")
    assert after[KREMLIN]["version"] == before[KREMLIN]["version"]  # flags are derived: nobody's edit conflicts
    assert _checks(after[TRADE]) == ["numbers"]
    with transaction(workspace.database_url) as session:
        remove_concept(session, "Kremlin", "en", "editor")
    assert _german(workspace, "kremlin")[KREMLIN]["flags"] == []


def test_a_glossary_recheck_keeps_the_flags_machine_translation_set(workspace, tmp_path):
    _import(workspace, _article(tmp_path, "call", PUTIN))
    rewrite = {"check": "glossary-rewrite", "severity": "warning", "alternative": "Vladimir Putin sprach mit Xi.",
               "message": "enforcing the glossary changed the sentence beyond its terms"}
    with transaction(workspace.database_url) as session:
        tr = review.load(session, review.Target("call", 1, "de"))[2]
        tr.text, tr.flags = "Putin sprach mit Xi Jinping.", [rewrite]
    with transaction(workspace.database_url) as session:
        import_glossary(session, GLOSSARY, "en", "editor")
    flags = _german(workspace, "call")[PUTIN]["flags"]
    assert flags[0] == rewrite
    assert [(f["check"], f.get("required")) for f in flags[1:]] == [("glossary-missing", "Wladimir Putin")]


def test_glossary_commands_honour_the_checks_switched_off(workspace, cli, tmp_path):
    config = workspace.root / "translator.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("disabled = []", 'disabled = ["glossary-missing"]'),
                      encoding="utf-8")
    assert cli("import", str(_article(tmp_path, "kremlin", KREMLIN))).exit_code == 0
    cli("edit", "kremlin", "1", "Der Kremlin schwieg.", "--lang", "de")
    assert cli("glossary", "add", "--kind", "name", "-t", "en=Kremlin", "-t", "de=Kreml").exit_code == 0
    assert _german(workspace, "kremlin")[KREMLIN]["flags"] == []
    config.write_text(config.read_text(encoding="utf-8").replace('disabled = ["glossary-missing"]', "disabled = []"),
                      encoding="utf-8")
    assert cli("glossary", "add", "--kind", "name", "-t", "en=Kremlin", "-t", "de=Kreml|Kremlj").exit_code == 0
    assert _checks(_german(workspace, "kremlin")[KREMLIN]) == ["glossary-missing"]


def test_recheck_leaves_translations_without_text_alone(workspace, tmp_path):
    _import(workspace, _article(tmp_path, "trade", TRADE))
    with transaction(workspace.database_url) as session:
        assert qa.recheck(session, list(session.scalars(select(Translation.id)))) == 0
    assert _german(workspace, "trade")[TRADE]["flags"] == []


# --- translations from outside, edits and reverts ---------------------------------------------------

def test_translations_from_an_outside_tool_are_checked_and_not_approved_with_errors(workspace, tmp_path):
    _import(workspace, _article(tmp_path, "trade", TRADE))
    with transaction(workspace.database_url, write=False) as session:
        export(session, tmp_path / "out", slugs=["trade"], languages=["de"], formats=["po"],
               targets=workspace.targets, policy=Policy.choose())
    path = tmp_path / "out" / "de" / "LC_MESSAGES" / "trade.po"
    catalog = polib.pofile(str(path))
    catalog[0].msgstr = "Der Handel erreichte 2025 243 Milliarden Dollar."
    catalog.save()
    with transaction(workspace.database_url) as session:
        outcome = import_translations(session, path, "outside", targets=workspace.targets, as_status="approved")
    assert outcome.updated == [1] and outcome.approved == []
    assert "numbers" in outcome.refused[0].reason
    translation = _german(workspace, "trade")[TRADE]
    assert translation["status"] == "translated" and _checks(translation) == ["numbers"]


def test_a_revert_is_checked_like_an_edit(workspace, tmp_path):
    _import(workspace, _article(tmp_path, "trade", TRADE))
    _edit(workspace, "trade", 1, "Der Handel erreichte 2025 243 Milliarden Dollar.")
    _edit(workspace, "trade", 1, "Der Handel erreichte 2025 234 Milliarden Dollar.")
    assert _german(workspace, "trade")[TRADE]["flags"] == []
    with transaction(workspace.database_url) as session:
        first = [e for e in events(session, get_article(session, "trade").id, language="de") if e.action == "edit"][-1]
        review.revert(session, review.Target("trade", 1, "de"), first.id, "anna")
    assert _checks(_german(workspace, "trade")[TRADE]) == ["numbers"]

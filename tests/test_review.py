"""A reviewer approves, edits and rejects translations; every change is history; nobody overwrites anybody."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from conftest import ARTICLE
from translator import review
from translator.articles import import_files
from translator.db import transaction
from translator.errors import TranslatorError
from translator.memory import TranslationMemory
from translator.models import TMUnit
from translator.overview import article_segments



@pytest.fixture
def article(workspace):
    with transaction(workspace.database_url) as session:
        import_files(session, workspace, [ARTICLE], "editor")
    return workspace


def _de(ws, number):
    with transaction(ws.database_url, write=False) as session:
        return article_segments(session, "putin-xi-call", ["de"])[number - 1]


def test_edit_then_approve_records_history_and_feeds_the_tm(article):
    target = review.Target("putin-xi-call", 2, "de")
    source = _de(article, 2).source
    with transaction(article.database_url) as session:
        tr = review.edit(session, target, "  Am 4. Februar 2026 sprachen Putin und Xi 1 Stunde 25 Minuten.  ", "anna", expected_version=1)
        assert (tr.status.value, tr.origin.value, tr.text, tr.version) == ("translated", "human",
                                                                           "Am 4. Februar 2026 sprachen Putin und Xi 1 Stunde 25 Minuten.", 2)
    with transaction(article.database_url) as session:
        review.approve(session, target, "ben", expected_version=2)
    row = _de(article, 2).translations["de"]
    assert (row["status"], row["version"]) == ("approved", 3)
    with transaction(article.database_url, write=False) as session:
        [unit] = TranslationMemory(session).exact("en", "de", source)
        assert unit.approved and unit.target == "Am 4. Februar 2026 sprachen Putin und Xi 1 Stunde 25 Minuten."


def test_a_stale_version_is_refused_and_shows_both_versions(article):
    target = review.Target("putin-xi-call", 2, "de")
    with transaction(article.database_url) as session:
        review.edit(session, target, "Erste Fassung.", "anna", expected_version=1)
    with pytest.raises(review.Conflict, match=r"changed since version 1: version 2 by anna .*'Erste Fassung.'.*"
                                              r"yours: 'Zweite Fassung.'"):
        with transaction(article.database_url) as session:
            review.edit(session, target, "Zweite Fassung.", "ben", expected_version=1)
    assert _de(article, 2).translations["de"]["text"] == "Erste Fassung."


def test_reject_needs_a_reason_and_approve_needs_text(article):
    target = review.Target("putin-xi-call", 3, "de")
    with pytest.raises(TranslatorError, match="no text to approve"):
        with transaction(article.database_url) as session:
            review.approve(session, target, "ben")
    with transaction(article.database_url) as session:
        review.edit(session, target, "Ein Entwurf.", "anna")
    with pytest.raises(TranslatorError, match="needs a reason"):
        with transaction(article.database_url) as session:
            review.reject(session, target, " ", "ben")
    with transaction(article.database_url) as session:
        review.reject(session, target, "wrong tone", "ben")
    assert _de(article, 3).translations["de"]["status"] == "rejected"
    with transaction(article.database_url, write=False) as session:
        assert session.scalar(select(TMUnit).where(TMUnit.target == "Ein Entwurf.")) is None  # never approved


def test_cli_review_commands_and_history(cli):
    assert cli("import", str(ARTICLE)).exit_code == 0
    assert cli("edit", "putin-xi-call", "2", "Am 4. Februar 2026 sprachen Putin und Xi 1 Stunde 25 Minuten.", "--lang", "de").exit_code == 0
    result = cli("approve", "putin-xi-call", "2", "--lang", "de", "--version", "2")
    assert result.exit_code == 0 and "approved" in result.output
    result = cli("edit", "putin-xi-call", "2", "Noch ein Satz.", "--lang", "de", "--version", "2")
    assert result.exit_code == 2  # version 3 is current: a conflict, nothing saved
    assert cli("approve", "putin-xi-call", "99", "--lang", "de").exit_code == 2
    events = json.loads(cli("history", "putin-xi-call", "2", "--lang", "de", "--json").output)
    assert [(e["action"], e["user"], e["new_status"]) for e in events] == [
        ("approve", "tester", "approved"), ("edit", "tester", "translated")]
    assert events[1]["new"] == "Am 4. Februar 2026 sprachen Putin und Xi 1 Stunde 25 Minuten." and events[1]["old"] is None


def test_revert_brings_back_an_earlier_text_as_a_new_edit(cli):
    assert cli("import", str(ARTICLE)).exit_code == 0
    cli("edit", "putin-xi-call", "2", "Erste Fassung.", "--lang", "de")
    cli("edit", "putin-xi-call", "2", "Zweite Fassung.", "--lang", "de")
    first = json.loads(cli("history", "putin-xi-call", "2", "--lang", "de", "--json").output)[-1]
    assert first["new"] == "Erste Fassung."
    result = cli("revert", "putin-xi-call", "2", "--lang", "de", "--to", str(first["id"]), "--version", "3")
    assert result.exit_code == 0, result.output
    shown = json.loads(cli("show", "putin-xi-call", "--lang", "de", "--json").output)[1]["translations"]["de"]
    assert (shown["text"], shown["status"], shown["version"]) == ("Erste Fassung.", "translated", 4)
    assert cli("revert", "putin-xi-call", "3", "--lang", "de", "--to", str(first["id"])).exit_code == 2


def test_bulk_approve_by_origin_skips_flagged(article, tmp_path):
    with transaction(article.database_url) as session:
        # not "Deutsch" -> "Deutsch": the TM fill is QA-checked, and a target equal to its source is flagged
        TranslationMemory(session).add("en", "de", "Français", "Französisch", review.Origin.HUMAN)
        TranslationMemory(session).add("en", "de", "English", "Englisch", review.Origin.HUMAN)
    edited = tmp_path / "putin-xi-call.txt"
    edited.write_text(ARTICLE.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with transaction(article.database_url) as session:
        import_files(session, article, [edited], "editor")  # the TM now fills two segments (tm-exact, machine)
        review.edit(session, review.Target("putin-xi-call", 2, "de"), "Von Hand.", "anna")
        flagged = session.scalars(select(review.Translation).where(review.Translation.text == "Englisch")).one()
        flagged.flags = [{"check": "glossary-missing", "source": "English", "required": "English"}]
    with transaction(article.database_url) as session:
        result = review.approve_all(session, "de", "ben", origin=review.Origin.TM_EXACT, unflagged=True)
    assert (result.approved, result.skipped_flagged) == (1, 1)
    statuses = {r.source: r.translations["de"]["status"] for r in _all(article)}
    assert statuses["Français"] == "approved" and statuses["English"] == "machine"
    assert _de(article, 2).translations["de"]["status"] == "translated"  # human edit: not tm-exact


def _all(ws):
    with transaction(ws.database_url, write=False) as session:
        return article_segments(session, "putin-xi-call", ["de"])


def test_comments_with_replies(cli):
    assert cli("import", str(ARTICLE)).exit_code == 0
    assert cli("comment", "putin-xi-call", "2", "Is 'video conference' right here?", "--lang", "de").exit_code == 0
    [first] = json.loads(cli("comment", "putin-xi-call", "2", "--lang", "de", "--json").output)
    result = cli("comment", "putin-xi-call", "2", "Yes, the Kremlin says so.", "--lang", "de",
                 "--reply-to", str(first["id"]))
    assert result.exit_code == 0
    notes = json.loads(cli("comment", "putin-xi-call", "2", "--lang", "de", "--json").output)
    assert [(n["text"], n["reply_to"]) for n in notes] == [
        ("Is 'video conference' right here?", None), ("Yes, the Kremlin says so.", first["id"])]
    assert cli("comment", "putin-xi-call", "3", "Off topic.", "--lang", "de", "--reply-to",
               str(first["id"])).exit_code == 2  # a reply stays on its segment
    assert json.loads(cli("comment", "putin-xi-call", "2", "--lang", "fr", "--json").output) == []
    actions = [e["action"] for e in json.loads(cli("history", "putin-xi-call", "2", "--lang", "de", "--json").output)]
    assert actions == ["comment", "comment"]


def test_terminal_review_loop_driven_by_keys_resumes_where_it_stopped(cli):
    assert cli("import", str(ARTICLE)).exit_code == 0
    for number, word in ((5, "fünf"), (6, "sechs"), (8, "acht")):
        cli("edit", "putin-xi-call", str(number), f"Entwurf {word}.", "--lang", "de")
    # approve #5, edit #6, quit
    result = cli("review", "putin-xi-call", "--lang", "de", "--status", "translated", input="aeBesser.\nq")
    assert result.exit_code == 0, result.output
    assert "putin-xi-call #5" in result.output and "Entwurf fünf." in result.output
    assert "[a]pprove" in result.output
    assert "2 changes saved; stopped" in result.output
    shown = json.loads(cli("show", "putin-xi-call", "--lang", "de", "--json").output)
    assert shown[4]["translations"]["de"]["status"] == "approved"
    assert shown[5]["translations"]["de"]["text"] == "Besser."
    # the next session starts at #8, where the reviewer stopped; rejecting asks for a reason
    result = cli("review", "putin-xi-call", "--lang", "de", "--status", "translated", input="rzu frei\n")
    assert "putin-xi-call #8" in result.output and "putin-xi-call #5" not in result.output
    assert "end of the list" in result.output
    shown = json.loads(cli("show", "putin-xi-call", "--lang", "de", "--json").output)
    assert shown[7]["translations"]["de"]["status"] == "rejected"
    history = json.loads(cli("history", "putin-xi-call", "8", "--lang", "de", "--json").output)
    assert history[0]["detail"] == "zu frei"


def test_qa_errors_block_approval_unless_forced_with_a_reason(cli):
    assert cli("import", str(ARTICLE)).exit_code == 0
    # the source says $234 billion in 2025; the edit says 243
    assert cli("edit", "putin-xi-call", "11", "Der Handel erreichte 2025 243 Milliarden Dollar.",
               "--lang", "de").exit_code == 0
    shown = json.loads(cli("show", "putin-xi-call", "--lang", "de", "--json").output)[10]["translations"]["de"]
    assert any(f["check"] == "numbers" and f["severity"] == "error" for f in shown["flags"])
    result = cli("approve", "putin-xi-call", "11", "--lang", "de")
    assert result.exit_code == 2 and "numbers" in result.output and "--force" in result.output
    assert cli("approve", "putin-xi-call", "11", "--lang", "de", "--force").exit_code == 2  # no reason
    assert cli("approve", "putin-xi-call", "11", "--lang", "de", "--force", "--reason", "figure checked").exit_code == 0
    history = json.loads(cli("history", "putin-xi-call", "11", "--lang", "de", "--json").output)
    assert history[0]["detail"] == "forced: figure checked"
    # a corrected edit clears the flag
    cli("edit", "putin-xi-call", "11", "Der Handel erreichte 2025 234 Milliarden Dollar.", "--lang", "de")
    shown = json.loads(cli("show", "putin-xi-call", "--lang", "de", "--json").output)[10]["translations"]["de"]
    assert not [f for f in shown["flags"] if f["severity"] == "error"]

"""Translators reuse earlier work: exact and fuzzy TM matches, leverage on import, TMX exchange."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from conftest import ARTICLE, EXAMPLES
from translator.articles import import_files
from translator.db import transaction
from translator.memory import TranslationMemory
from translator.models import Suggestion, TMUnit
from translator.overview import article_segments
from translator.status import Origin
from translator.tm_files import export_tmx, import_tmx


def test_exact_lookup_ignores_whitespace_and_quote_style_across_articles(workspace):
    with transaction(workspace.database_url) as session:
        tm = TranslationMemory(session)
        tm.add("en", "de", "He called it \u201cexemplary\u201d.", "Er nannte sie \u201evorbildlich\u201c.", Origin.HUMAN)
        hits = tm.exact("en", "de", '  He called it  "exemplary". ')
        assert [u.target for u in hits] == ["Er nannte sie \u201evorbildlich\u201c."]
        assert tm.exact("en", "fr", "He called it \"exemplary\".") == []


def test_ranking_prefers_approved_then_human_then_mt(workspace):
    with transaction(workspace.database_url) as session:
        tm = TranslationMemory(session)
        source = "The talks lasted two hours."
        tm.add("en", "de", source, "Die Gespräche dauerten zwei Stunden. (mt)", Origin.MT)
        tm.add("en", "de", source, "Die Gespräche dauerten zwei Stunden. (human)", Origin.HUMAN)
        tm.add("en", "de", source, "Die Gespräche dauerten zwei Stunden. (approved)", Origin.MT, approved=True)
        targets = [m.unit.target for m in tm.search("en", "de", source)]
        assert targets == [
            "Die Gespräche dauerten zwei Stunden. (approved)",
            "Die Gespräche dauerten zwei Stunden. (human)",
            "Die Gespräche dauerten zwei Stunden. (mt)",
        ]


def test_adding_a_known_pair_merges_instead_of_duplicating(workspace):
    with transaction(workspace.database_url) as session:
        tm = TranslationMemory(session)
        first, created = tm.add("en", "fr", "Good morning.", "Bonjour.", Origin.MT)
        again, created_again = tm.add("en", "fr", "Good  morning.", "Bonjour.", Origin.HUMAN, approved=True)
        assert created and not created_again and first.id == again.id
        assert (again.origin, again.approved) == (Origin.HUMAN, True)
        assert session.scalar(select(func.count()).select_from(TMUnit)) == 1


def test_a_batch_of_machine_translations_merges_like_single_adds(workspace):
    with transaction(workspace.database_url) as session:
        tm = TranslationMemory(session)
        known, _ = tm.add("en", "fr", "Good morning.", "Bonjour.", Origin.HUMAN, approved=True)
        created = tm.add_many("en", "fr", [("Good  morning.", "Bonjour."), ("Good night.", "Bonne nuit."),
                                           ("Good night.", "Bonne nuit.")], Origin.MT, user="mt")
        assert created == 1  # the known pair keeps its rank; the repeat is one unit
        units = {u.source: u for u in session.scalars(select(TMUnit))}
        assert set(units) == {"Good morning.", "Good night."}
        assert (units["Good morning."].origin, units["Good morning."].approved) == (Origin.HUMAN, True)
        assert (units["Good night."].origin, units["Good night."].created_by) == (Origin.MT, "mt")
        assert [u.target for u in tm.exact("en", "fr", "Good night.")] == ["Bonne nuit."]
        assert known.id == units["Good morning."].id


def test_fuzzy_matches_have_word_scores_and_respect_the_threshold(workspace):
    with transaction(workspace.database_url) as session:
        tm = TranslationMemory(session)
        tm.add("en", "de", "The leaders met in Beijing on Monday to discuss trade.",
               "Die Staatschefs trafen sich am Montag in Peking, um über Handel zu sprechen.", Origin.HUMAN)
        tm.add("en", "de", "Completely different sentence about the weather.", "Wetter.", Origin.HUMAN)
        matches = tm.fuzzy("en", "de", "The leaders met in Beijing on Tuesday to discuss trade.")
        assert len(matches) == 1
        # 11 tokens (10 words and the full stop), one substituted: 100 * (1 - 1/11)
        assert matches[0].score == pytest.approx(100 * 10 / 11)
        assert tm.fuzzy("en", "de", "The leaders met in Beijing on Tuesday to discuss trade.", threshold=95) == []


def test_import_fills_exact_hits_and_offers_fuzzy_suggestions(workspace):
    with transaction(workspace.database_url) as session:
        report = import_tmx(TranslationMemory(session), EXAMPLES / "newsroom-memory.tmx", "editor")
    assert report.added == 11
    with transaction(workspace.database_url) as session:
        [imported] = import_files(session, workspace, [ARTICLE], "editor")
    assert imported.tm_exact == 7  # the heading in 5 languages, the 'timing' sentence in de and fr
    with transaction(workspace.database_url, write=False) as session:
        rows = {r.source: r for r in article_segments(session, "putin-xi-call", ["de", "fr", "es"])}
        heading = rows["Economic Dependence and Strategic Alignment"].translations
        assert heading["de"] == {**heading["de"], "status": "approved", "origin": "tm-exact",
                                 "text": "Wirtschaftliche Abhängigkeit und strategische Ausrichtung"}
        timing = rows["The timing of this high-level discussion is particularly significant."].translations
        assert (timing["de"]["status"], timing["de"]["origin"]) == ("machine", "tm-exact")  # not approved: check it
        assert timing["es"]["status"] == "untranslated"
        # fuzzy hits are suggestions, never the translation
        meetings = rows["Military Cooperation and Future Meetings"]
        assert meetings.translations["de"]["status"] == "untranslated"
        assert meetings.translations["de"]["text"] is None
        suggestion = session.scalars(
            select(Suggestion).where(Suggestion.segment_id == meetings.segment_id, Suggestion.language == "de")
        ).one()
        assert suggestion.tm_unit.target == "Militärische Zusammenarbeit und künftige Gipfeltreffen"
        assert suggestion.score == pytest.approx(80.0)


def test_tmx_round_trip_through_export_and_import(workspace, tmp_path, database_url):
    with transaction(workspace.database_url) as session:
        tm = TranslationMemory(session)
        tm.add("en", "de", 'Xi said: "Our ties are <strong> & stable."', "Xi sagte: „Unsere Bande sind <stark> & stabil.“",
               Origin.HUMAN, approved=True, user="anna")
        tm.add("en", "fr", "Putin arrived.", "Poutine est arrivé.", Origin.MT)
        assert export_tmx(tm, tmp_path / "all.tmx", "en") == 2
        assert export_tmx(tm, tmp_path / "approved.tmx", "en", approved_only=True) == 1
    other = tmp_path / "other.db"
    from translator.db import upgrade

    upgrade(f"sqlite:///{other}")
    with transaction(f"sqlite:///{other}") as session:
        tm = TranslationMemory(session)
        assert import_tmx(tm, tmp_path / "all.tmx", "bob").added == 2
        units = {(u.target_lang, u.target): u for u in tm.units()}
        de = units[("de", "Xi sagte: „Unsere Bande sind <stark> & stabil.“")]
        assert (de.origin, de.approved, de.created_by) == (Origin.HUMAN, True, "anna")
        assert units[("fr", "Poutine est arrivé.")].origin == Origin.MT


def test_a_pair_the_file_has_twice_is_one_unit_with_the_best_of_both(workspace, tmp_path):
    from translator.formats.tmx import TmxUnit, write_tmx

    pair = {"source_lang": "en", "target_lang": "de", "source": "Putin arrived.", "target": "Putin kam an."}
    write_tmx(tmp_path / "twice.tmx", [
        TmxUnit(**pair, origin="mt", approved=False, creator="ben"),
        TmxUnit(source_lang="en", target_lang="de", source="Xi left.", target="Xi ging.", origin="human"),
        TmxUnit(**pair, origin="human", approved=True, creator="anna"),
        TmxUnit(source_lang="en", target_lang="de", source="  ", target="leer"),
    ], source_lang="en", tool_version="test")
    with transaction(workspace.database_url) as session:
        tm = TranslationMemory(session)
        tm.add("en", "de", "Xi left.", "Xi ging.", Origin.MT, user="carl")
        report = import_tmx(tm, tmp_path / "twice.tmx", "bob")
        assert (report.added, report.merged, report.skipped) == (1, 2, 1)
        units = {u.source: u for u in tm.units("en", "de")}
    # the unit as the file's first mention made it (ben's), raised by the second (human, approved)
    putin = units["Putin arrived."]
    assert (putin.origin, putin.approved, putin.created_by) == (Origin.HUMAN, True, "ben")
    assert (units["Xi left."].origin, units["Xi left."].created_by) == (Origin.HUMAN, "carl")


def test_malformed_tmx_imports_nothing(cli, tmp_path):
    good_then_bad = tmp_path / "broken.tmx"
    text = (EXAMPLES / "newsroom-memory.tmx").read_text(encoding="utf-8")
    good_then_bad.write_text(text.replace("</body>", "<tu><tuv xml:lang='de'><seg>x</seg></tu></body>"))
    result = cli("tm", "import", str(good_then_bad))
    assert result.exit_code == 2
    assert "broken.tmx:" in result.output
    result = cli("tm", "search", "Economic Dependence and Strategic Alignment", "--lang", "de", "--json")
    assert json.loads(result.output) == []


def test_cli_tm_import_search_and_export(cli, tmp_path):
    result = cli("tm", "import", str(EXAMPLES / "newsroom-memory.tmx"))
    assert result.exit_code == 0 and "11 units added" in result.output
    result = cli("tm", "search", "The military dimension of the relationship has also expanded.", "--lang", "fr",
                 "--json")
    [match] = json.loads(result.output)
    assert match["target"] == "La dimension militaire du partenariat s'est également élargie."
    assert match["score"] == pytest.approx(90.0)  # 1 of 10 tokens substituted
    result = cli("tm", "search", "The military dimension of the relationship has also expanded.", "--lang", "fr")
    assert "90.0" in result.output and "élargie" in result.output
    out = tmp_path / "export.tmx"
    result = cli("tm", "export", "--out", str(out), "--lang", "de")
    assert result.exit_code == 0 and "wrote 4 units" in result.output
    assert out.read_text(encoding="utf-8").count("<tu ") + out.read_text(encoding="utf-8").count("<tu>") == 4
    result = cli("tm", "search", "anything", "--lang", "zz")
    assert result.exit_code == 2 and "unknown language code 'zz'" in result.output

"""The command line's own words in the user's language: summaries, table headings and the review
loop in German and French, with English wherever a catalog has no translation."""

from __future__ import annotations

import polib
from click.testing import CliRunner

from conftest import ARTICLE, EXAMPLES
from translator import i18n
from translator.cli import main

SLUG = "putin-xi-call"


def _flat(result) -> str:  # type: ignore[no-untyped-def]
    """The output with rich's line wrapping undone, to assert on whole sentences."""
    return " ".join(result.output.split())


def _says(result, line: str) -> bool:  # type: ignore[no-untyped-def]
    """Whether the output holds ``line``, whitespace aside (rich folds long paths anywhere)."""
    return "".join(line.split()) in "".join(result.output.split())


def test_init_and_db_status_speak_german_and_french(tmp_path):
    runner = CliRunner()
    created = runner.invoke(main, ["--locale", "de", "init", str(tmp_path / "ws"), "--source", "en",
                                   "--targets", "de,fr"], catch_exceptions=False)
    assert created.exit_code == 0, created.output
    assert _says(created, f"{tmp_path / 'ws' / 'translator.toml'} angelegt")
    assert "Ausgangssprache en, Zielsprachen de, fr; Datenbank sqlite:///" in _flat(created)
    status = runner.invoke(main, ["--locale", "fr", "-w", str(tmp_path / "ws"), "db", "status"])
    assert status.exit_code == 0 and status.output.startswith("base de données ") and ": à jour" in status.output


def test_import_and_articles_in_german_and_french(cli):
    imported = cli("--locale", "de", "tm", "import", str(EXAMPLES / "newsroom-memory.tmx"))
    assert _flat(imported).endswith("newsroom-memory.tmx: 11 Einheiten hinzugefügt, 0 bereits bekannt")
    imported = _flat(cli("--locale", "de", "import", str(ARTICLE)))
    assert imported == f"{SLUG}: 32 Segmente in 22 Blöcken importiert (7 aus dem TM übernommen; 4 TM-Vorschläge)"
    assert cli("--locale", "de", "import", str(ARTICLE)).output == f"{SLUG}: unverändert\n"
    listing = _flat(cli("--locale", "fr", "articles"))
    assert listing.startswith("1 article ")  # the singular, from the French plural forms
    for word in ("identifiant", "titre", "par langue : approuvés / segments"):
        assert word in listing, word
    assert cli("--locale", "fr", "import", str(ARTICLE), "--json").output.count('"summary": "unchanged"') == 1


def test_export_summary_and_import_translations_in_german_and_french(cli, tmp_path):
    assert cli("import", str(ARTICLE)).exit_code == 0
    result = cli("--locale", "de", "export", SLUG, "--lang", "de", "--format", "text,po", "--out", str(tmp_path))
    assert result.exit_code == 0, result.output
    table = _flat(result)
    assert _says(result, f"exportiert nach {tmp_path}")
    for heading in ("Sprache", "Artikel", "Dateien", "exportierte Segmente", "Ersatz: source"):
        assert heading in table, heading
    assert "segments exported" not in table
    strict = cli("--locale", "fr", "export", SLUG, "--lang", "de", "--out", str(tmp_path), "--strict")
    assert strict.exit_code == 1 and "--strict : 32 segments ont eu besoin du repli" in _flat(strict)

    path = tmp_path / "de" / "LC_MESSAGES" / f"{SLUG}.po"
    catalog = polib.pofile(str(path))
    catalog[0].msgstr = "Strategische Partnerschaft"
    catalog.save()
    result = cli("--locale", "fr", "import-translations", str(path))
    assert result.exit_code == 0, result.output
    assert _says(result, f"{path} : {SLUG} (de) : mis à jour : 1, approuvés : 0, inchangés : 31, refusés : 0")


def test_tm_export_and_glossary_in_german(cli, tmp_path):
    assert cli("tm", "import", str(EXAMPLES / "newsroom-memory.tmx")).exit_code == 0
    out = tmp_path / "de.tmx"
    result = cli("--locale", "de", "tm", "export", "--out", str(out), "--lang", "de")
    assert result.exit_code == 0 and _says(result, f"4 Einheiten nach {out} geschrieben")
    added = cli("--locale", "de", "glossary", "add", "-k", "name", "-t", "en=Emmanuel Macron|Macron",
                "-t", "de=Emmanuel Macron")
    assert added.output.startswith("'Emmanuel Macron' hinzugefügt (name, ID ")
    listing = _flat(cli("--locale", "de", "glossary", "list"))
    assert listing.startswith("1 Begriff ") and "Hinweis" in listing


def test_the_review_loop_speaks_french_and_keeps_its_keys(cli):
    assert cli("import", str(ARTICLE)).exit_code == 0
    cli("edit", SLUG, "5", "Brouillon cinq.", "--lang", "fr")
    result = cli("--locale", "fr", "review", SLUG, "--lang", "fr", "--status", "translated", input="xq")
    assert result.exit_code == 0, result.output
    assert "[a] approuver [e] modifier" in result.output and "[a]pprove" not in result.output
    assert "0 modification enregistrée ; arrêté" in result.output  # French counts 0 as singular
    result = cli("--locale", "fr", "review", SLUG, "--lang", "fr", "--status", "translated", input="a")
    assert "1 modification enregistrée ; fin de la liste" in result.output
    assert "rien à relire dans putin-xi-call (fr)" in cli("--locale", "fr", "review", SLUG, "--lang", "fr",
                                                          "--status", "translated").output


def test_what_a_catalog_lacks_stays_english(cli, tmp_path):
    assert cli("tm", "import", str(EXAMPLES / "newsroom-memory.tmx")).exit_code == 0
    # a service's error is not translated yet: the German prefix, the English message
    assert cli("--locale", "de", "show", "nope").output.startswith("Fehler: no article 'nope'")
    # a language without a catalog: all English
    result = cli("--locale", "it", "tm", "export", "--out", str(tmp_path / "it.tmx"), "--lang", "de")
    assert _says(result, f"wrote 4 units to {tmp_path / 'it.tmx'}")
    i18n.set_locale("de")
    try:
        assert i18n.gettext("a message no catalog has") == "a message no catalog has"
        assert i18n.ngettext("{count} new thing", "{count} new things", 2) == "{count} new things"
        assert i18n.ngettext("wrote {count} units to {path}", "wrote {count} units to {path}", 1) == (
            "{count} Einheit nach {path} geschrieben")
    finally:
        i18n.set_locale(None)

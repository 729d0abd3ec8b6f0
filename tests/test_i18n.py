"""The tool's own words in nl, de, fr, es and pt: catalogs complete and current, the language picked
from --locale or the environment, English wherever a translation is missing."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from translator import i18n
from translator.cli import main

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["de", "es", "fr", "nl", "pt"]
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def _catalog(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle)


def _po(lang: str) -> Path:
    return i18n.LOCALES_DIR / lang / "LC_MESSAGES" / "translator.po"


def test_catalogs_exist_for_the_five_languages():
    assert i18n.available() == LANGUAGES
    assert (i18n.LOCALES_DIR / "translator.pot").is_file()


def test_the_template_holds_every_message_of_the_code():
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    in_code = {message[2] if isinstance(message[2], str) else message[2][0]
               for message in extract_from_dir(str(ROOT), method_map, options_map)}
    template = {m.id if isinstance(m.id, str) else m.id[0]
                for m in _catalog(i18n.LOCALES_DIR / "translator.pot") if m.id}
    assert in_code - template == set(), "run ./dev i18n: messages missing from locales/translator.pot"
    assert template - in_code == set(), "run ./dev i18n: messages in the template that the code no longer has"
    assert {"error:", "Coverage by language", "coverage below {threshold}: {languages}"} <= template


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(lang):
    template = {m.id for m in _catalog(i18n.LOCALES_DIR / "translator.pot") if m.id}
    catalog = _catalog(_po(lang))
    assert {m.id for m in catalog if m.id} == template
    for message in catalog:
        if not message.id:
            continue
        assert not message.fuzzy, (lang, message.id)
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        assert all(strings) and len(strings) == (1 if len(ids) == 1 else catalog.num_plurals), (lang, message.id)
        for string in strings:  # {path}, {code!r}: the same placeholders, whatever the word order
            assert sorted(PLACEHOLDER.findall(string)) == sorted(PLACEHOLDER.findall(ids[-1])), (lang, string)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_msgfmt_checks_every_catalog(lang, tmp_path):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "msgfmt is missing: apt-get install gettext (CI does)"
    result = subprocess.run([msgfmt, "--check", "--statistics", "-o", str(tmp_path / "out.mo"), str(_po(lang))],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr


def test_the_language_comes_from_the_environment_in_gettext_order():
    env = i18n.locale_from_env
    assert env({}) == "en"
    assert env({"LANG": "de_DE.UTF-8"}) == "de_DE"
    assert env({"LANG": "de_DE.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"}) == "fr_FR"
    assert env({"LANG": "de_DE.UTF-8", "LC_ALL": "es_ES.UTF-8", "LC_MESSAGES": "fr_FR"}) == "es_ES"
    assert env({"LC_ALL": "es_ES.UTF-8", "LANGUAGE": "xx:pt_BR:nl"}) == "pt_BR"  # the first known of the list
    assert env({"LANGUAGE": "nl", "TRANSLATOR_LOCALE": "de"}) == "de"
    assert env({"LC_ALL": "C.UTF-8", "LANG": "de_DE.UTF-8"}) == "en"  # C and POSIX mean untranslated
    assert env({"LANG": "klingon"}) == "en"
    assert i18n.parse_locale("pt-br") == "pt_BR"


def test_a_missing_translation_falls_back_to_english(tmp_path):
    folder = tmp_path / "locales" / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "translator.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Coverage"\nmsgstr "Abdeckung"\n\n'
        'msgid "Segments"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Total"\nmsgstr "Summe?"\n', encoding="utf-8")
    catalog = i18n._translations("de_AT", tmp_path / "locales")  # de_AT has no catalog: de serves it
    assert catalog.gettext("Coverage") == "Abdeckung"
    assert catalog.gettext("Segments") == "Segments"  # untranslated
    assert catalog.gettext("Total") == "Total"  # fuzzy: not trusted, as msgfmt does
    assert catalog.gettext("Language") == "Language"  # not in the catalog at all
    assert i18n._translations("it", tmp_path / "locales").gettext("Coverage") == "Coverage"  # no catalog


def test_an_up_to_date_mo_is_used_and_a_stale_one_is_not(tmp_path):
    po = tmp_path / "translator.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  'msgid "Day"\nmsgstr "Tag"\n', encoding="utf-8")
    catalog = _catalog(po)
    catalog.get("Day").string = "Tag (compiled)"
    with (tmp_path / "translator.mo").open("wb") as handle:
        write_mo(handle, catalog)
    assert i18n.load_catalog(po).gettext("Day") == "Tag (compiled)"
    po.touch()
    (tmp_path / "translator.mo").touch()
    older = po.stat().st_mtime - 10
    os.utime(tmp_path / "translator.mo", (older, older))
    assert i18n.load_catalog(po).gettext("Day") == "Tag"  # the .po changed since: compiled in memory


def test_the_command_line_speaks_the_users_language(cli, monkeypatch):
    result = cli("--locale", "pt", "show", "nope")
    assert result.exit_code == 2 and result.output.startswith("erro: no article 'nope'")
    monkeypatch.setenv("TRANSLATOR_LOCALE", "de")
    assert cli("show", "nope").output.startswith("Fehler: ")
    monkeypatch.delenv("TRANSLATOR_LOCALE")
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    french = cli("report", "--lang", "it")
    assert french.output.startswith("erreur : pas une langue cible de cet espace de travail : it")
    monkeypatch.setenv("LANG", "it_IT.UTF-8")  # no Italian catalog: English
    assert cli("show", "nope").output.startswith("error: ")
    assert i18n.current_locale() == "it_IT"  # the environment's, not the last --locale
    result = CliRunner().invoke(main, ["--locale", "xx-yy", "articles"])
    assert result.exit_code == 2 and "unknown locale 'xx-yy'" in result.output


def test_the_german_report_says_it_in_german(cli, monkeypatch):
    from conftest import ARTICLE

    assert cli("import", str(ARTICLE)).exit_code == 0
    monkeypatch.setenv("TRANSLATOR_LOCALE", "de")
    table = cli("report", "--lang", "de,fr").output
    for heading in ("Übersetzungsstand", "Abdeckung nach Sprache", "Segmente nach Status",
                    "Abdeckung nach Artikel und Sprache", "Freigaben", "Begriffe", "fr Französisch"):
        assert heading in table, heading
    assert "Coverage" not in table
    english = cli("report", "--lang", "de", "--locale", "en").output
    assert "Coverage by language" in english and "Abdeckung" not in english

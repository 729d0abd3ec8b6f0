"""A newsroom sets up a workspace: config, database, language codes, finding it from anywhere."""

from __future__ import annotations

import tomllib

import pytest

from translator.db import current_revision, head_revision
from translator.errors import TranslatorError
from translator.languages import language_name, normalize_code, normalize_codes
from translator.workspace import find_workspace, init_workspace


def test_init_writes_config_and_migrates_the_database(workspace):
    config = tomllib.loads(workspace.config_path.read_text())
    assert config["languages"] == {"source": "en", "targets": ["nl", "de", "fr", "es", "pt"]}
    assert config["glossary"]["files"] == []
    assert current_revision(workspace.database_url) == head_revision()


def test_default_database_is_sqlite_under_the_workspace(tmp_path):
    ws = init_workspace(tmp_path / "news", "en", "de,fr")
    assert (tmp_path / "news" / ".translator" / "translator.db").is_file()
    assert ws.database_url == f"sqlite:///{tmp_path / 'news' / '.translator' / 'translator.db'}"


def test_init_refuses_an_existing_workspace_and_bad_languages(tmp_path):
    init_workspace(tmp_path, "en", ["de"])
    with pytest.raises(TranslatorError, match="already exists"):
        init_workspace(tmp_path, "en", ["de"])
    with pytest.raises(TranslatorError, match="cannot also be a target"):
        init_workspace(tmp_path / "b", "en", ["de", "en"])
    with pytest.raises(TranslatorError, match="unknown language code 'xx'"):
        init_workspace(tmp_path / "c", "en", ["de", "xx"])
    assert not (tmp_path / "c" / "translator.toml").exists()


def test_init_names_the_option_that_gave_an_unreachable_database(tmp_path, monkeypatch):
    monkeypatch.delenv("TRANSLATOR_DATABASE_URL", raising=False)
    with pytest.raises(TranslatorError) as caught:
        init_workspace(tmp_path / "desk", "en", ["de"], database="postgresql+psycopg://editor@127.0.0.1:9/newsroom")
    assert str(caught.value).endswith("(connection refused): start it, or fix --database")
    monkeypatch.setenv("TRANSLATOR_DATABASE_URL", "postgresql+psycopg://editor@127.0.0.1:9/newsroom")
    with pytest.raises(TranslatorError, match="fix TRANSLATOR_DATABASE_URL$"):
        init_workspace(tmp_path / "desk", "en", ["de"])
    assert not (tmp_path / "desk").exists()


def test_workspace_is_found_upward_or_by_option_or_environment(tmp_path, monkeypatch):
    ws = init_workspace(tmp_path / "desk", "en", ["de"])
    deep = tmp_path / "desk" / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.delenv("TRANSLATOR_WORKSPACE", raising=False)
    assert find_workspace(start=deep).root == ws.root
    assert find_workspace(explicit=ws.root).root == ws.root
    monkeypatch.setenv("TRANSLATOR_WORKSPACE", str(ws.root))
    assert find_workspace(start=tmp_path).root == ws.root
    monkeypatch.delenv("TRANSLATOR_WORKSPACE")
    with pytest.raises(TranslatorError, match="translator init"):
        find_workspace(start=tmp_path)


def test_database_url_can_be_overridden_from_the_environment(tmp_path, monkeypatch):
    ws = init_workspace(tmp_path, "en", ["de"])
    monkeypatch.setenv("TRANSLATOR_DATABASE_URL", "postgresql+psycopg://news@db.example/tm")
    assert ws.database_url == "postgresql+psycopg://news@db.example/tm"


CONFIG = '[languages]\nsource = "en"\ntargets = ["de"]\n'


@pytest.mark.parametrize("config, said", [
    (CONFIG.replace('["de"]', "5"), r'\[languages\] targets must be a list of strings, e\.g\. targets = \["nl", "de"\]'),
    (CONFIG.replace('"en"', "1"), r"\[languages\] source must be a string"),
    (CONFIG.replace('["de"]', "[]"), r"\[languages\] targets lists no language"),
    ('user = "bob"\n' + CONFIG, r'user must be a table: a line \[user\], then e\.g\. name = "bob"'),
    (CONFIG + '[glossary]\nfiles = "terms.csv"\n', r"\[glossary\] files must be a list of strings"),
    (CONFIG + "[database]\nurl = 5\n", r"\[database\] url must be a string"),
    (CONFIG + "[models]\ndir = [1]\n", r"\[models\] dir must be a string"),
])
def test_a_config_value_of_the_wrong_type_names_the_key_and_the_file(tmp_path, config, said):
    (tmp_path / "translator.toml").write_text(config, encoding="utf-8")
    with pytest.raises(TranslatorError, match=r"translator\.toml: " + said):
        find_workspace(explicit=tmp_path)


def test_unknown_config_keys_are_warnings_naming_the_known_ones(tmp_path):
    (tmp_path / "translator.toml").write_text("colour = true\n" + CONFIG + '[databse]\nurl = "sqlite:///x.db"\n'
                                              '[user]\nnaem = "bob"\n', encoding="utf-8")
    ws = find_workspace(explicit=tmp_path)
    assert ws.database.endswith(".translator/translator.db") and ws.user is None
    first, second, third = ws.config_warnings
    assert first.endswith("unknown key colour is ignored; known: [languages], [glossary], [database], [user], "
                          "[models], [mt], [checks]")
    assert second.endswith("unknown key [databse] is ignored; did you mean [database]? known: [languages], "
                           "[glossary], [database], [user], [models], [mt], [checks]")
    assert third.endswith("unknown key naem in [user] is ignored; did you mean name? known: name")
    (tmp_path / "translator.toml").write_text(CONFIG, encoding="utf-8")
    assert find_workspace(explicit=tmp_path).config_warnings == []


def test_a_config_that_is_not_utf8_names_the_file_and_line(tmp_path):
    (tmp_path / "translator.toml").write_bytes(CONFIG.encode() + b"# caf\xe9\n")
    with pytest.raises(TranslatorError, match=r"translator\.toml:4: not valid UTF-8 \(byte 0xe9\)"):
        find_workspace(explicit=tmp_path)


def test_broken_config_is_a_clear_error(tmp_path):
    (tmp_path / "translator.toml").write_text("[languages\nsource = 'en'")
    with pytest.raises(TranslatorError, match="translator.toml"):
        find_workspace(explicit=tmp_path)
    (tmp_path / "translator.toml").write_text("[languages]\nsource = 'en'\ntargets = ['qq']\n")
    with pytest.raises(TranslatorError, match="unknown language code 'qq'"):
        find_workspace(explicit=tmp_path)


@pytest.mark.parametrize("raw, canonical", [
    ("pt-BR", "pt-BR"), ("pt_BR", "pt-BR"), ("PT-br", "pt-BR"), ("EN", "en"),
    ("zh_Hant_TW", "zh-Hant-TW"), ("sr-Latn", "sr-Latn"), ("iw", "he"),
])
def test_language_codes_have_one_canonical_form(raw, canonical):
    assert normalize_code(raw) == canonical


def test_unknown_language_suggests_close_codes():
    with pytest.raises(TranslatorError) as info:
        normalize_code("deu-x")
    assert "unknown language code" in str(info.value)
    with pytest.raises(TranslatorError, match=r"did you mean de \(German\)"):
        normalize_code("german")


def test_code_lists_keep_order_and_drop_repeats():
    assert normalize_codes("nl, de,fr,de,pt_BR") == ["nl", "de", "fr", "pt-BR"]
    assert language_name("de", "fr") == "allemand"

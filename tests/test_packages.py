"""Translation models (Argos packages): installing from a file or the index, listing, finding, removing,
and refusing broken or malicious files without touching the models folder.

The packages are built here: the right layout with placeholder weights, since nothing is translated;
the load check at install is switched off for them, and tested with real tiny models (tests/modelkit.py).
The Argos index is served from 127.0.0.1, or is an unreachable 127.0.0.1 port to play offline.
"""

from __future__ import annotations

import http.server
import json
import os
import socket
import stat
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest

from translator.errors import TranslatorError
from translator.mt import packages
from translator.mt.packages import (
    OFFLINE_MESSAGE,
    find_model,
    install_file,
    installed_packages,
    list_models,
    missing_model_error,
    remove_model,
    validate_archive,
)


@pytest.fixture(autouse=True)
def _argos_env(monkeypatch: pytest.MonkeyPatch):
    """use_models_dir sets ARGOS_PACKAGES_DIR for the process; put it back after each test."""
    monkeypatch.delenv("ARGOS_PACKAGES_DIR", raising=False)
    monkeypatch.delenv("ARGOS_PACKAGE_INDEX", raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


@pytest.fixture(autouse=True)
def _placeholder_weights(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """Placeholder weights cannot be loaded: only tests asking for ``real_loading`` load what they install."""
    if "real_loading" not in request.fixturenames:
        monkeypatch.setattr(packages, "check_loads", lambda model, source: None)


@pytest.fixture
def real_loading() -> None:
    """Install loads the model and tokenizer, as it does for users."""


@pytest.fixture
def models_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "models"
    monkeypatch.setenv("TRANSLATOR_MODELS_DIR", str(folder))
    return folder


def package_entries(from_code="en", to_code="de", version="1.0", folder=None, tokenizer="sentencepiece.model",
                    metadata=None) -> dict[str, bytes]:
    """The files of a structurally valid package, by path in the zip."""
    folder = folder or f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    meta = metadata if metadata is not None else {
        "package_version": version, "argos_version": "1.0", "from_code": from_code, "to_code": to_code,
        "from_name": from_code, "to_name": to_code,
    }
    return {
        f"{folder}/metadata.json": json.dumps(meta).encode(),
        f"{folder}/model/model.bin": b"\x00weights\x01" * 100,
        f"{folder}/model/config.json": b"{}",
        f"{folder}/{tokenizer}": b"tokenizer placeholder",
        f"{folder}/README.md": b"A test package.\n",
    }


def write_zip(path: Path, entries: dict, compression=zipfile.ZIP_DEFLATED) -> Path:
    """A zip of ``entries``: bytes by name, or (ZipInfo, bytes) for crafted members."""
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in entries.items():
            if isinstance(data, tuple):
                archive.writestr(*data)
            else:
                archive.writestr(name, data)
    return path


def build_package(directory: Path, **kwargs) -> Path:
    entries = package_entries(**kwargs)
    folder = next(iter(entries)).split("/")[0]
    return write_zip(directory / f"{folder}.argosmodel", entries)


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file and folder under ``folder``, hidden ones included, with contents."""
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else b"<dir>")
            for p in sorted(folder.rglob("*"))}


def one_line_error(result) -> str:
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


# -- the user's story -----------------------------------------------------------------------------


def test_install_list_and_remove_with_the_cli(cli, models_dir, tmp_path):
    package = build_package(tmp_path)
    result = cli("models", "install", str(package))
    assert result.exit_code == 0, result.output
    assert "installed en -> de 1.0 (English -> German)" in result.output
    (models_dir / "stray").mkdir()  # a folder someone left there
    (models_dir / "broken").mkdir()
    (models_dir / "broken" / "metadata.json").write_text("{not json", encoding="utf-8")

    listed = cli("models", "list", "--json")
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert [(r["from_code"], r["to_code"], r["version"], r["from_name"], r["to_name"]) for r in rows] == [
        ("en", "de", "1.0", "English", "German")]
    assert rows[0]["path"] == str(models_dir / "translate-en_de-1_0")
    assert rows[0]["size_bytes"] > 1000 and rows[0]["tokenizer"] == "sentencepiece"
    assert "stray: not a translation model (no metadata.json); skipped" in listed.stderr
    assert "broken: unreadable metadata.json" in listed.stderr

    table = cli("models", "list")
    assert "en English" in table.stdout and "de German" in table.stdout and "translate-en_de-1_0" in table.stdout
    assert "KB" in table.stdout

    missing = one_line_error(cli("models", "remove", "en", "fr"))
    assert "no model for en -> fr is installed" in missing and "installed: en -> de" in missing
    removed = cli("models", "remove", "en", "de")
    assert removed.exit_code == 0 and "removed en -> de 1.0" in removed.output
    assert json.loads(cli("models", "list", "--json").stdout) == []
    assert sorted(p.name for p in models_dir.iterdir()) == ["broken", "stray"]  # nothing else left behind


def test_a_version_in_brackets_is_printed_as_text(cli, models_dir, tmp_path):
    # package metadata is file text: rich must not read it as markup ("[/bold]" would crash the printer)
    package = build_package(tmp_path, version="1.0", metadata={
        "package_version": "1.0[/bold]", "from_code": "en", "to_code": "de"})

    installed = cli("models", "install", str(package))
    assert installed.exit_code == 0, installed.output
    assert "installed en -> de 1.0[/bold]" in installed.output
    listed = cli("models", "list")
    assert listed.exit_code == 0 and "1.0[/bold]" in listed.stdout
    removed = cli("models", "remove", "en", "de")
    assert removed.exit_code == 0 and "removed en -> de 1.0[/bold]" in removed.output


def test_models_live_in_the_workspace_by_default(cli, workspace, tmp_path, monkeypatch):
    monkeypatch.delenv("TRANSLATOR_MODELS_DIR", raising=False)
    assert "no models in" in cli("models", "list").output
    assert cli("models", "install", str(build_package(tmp_path))).exit_code == 0
    assert (workspace.root / ".translator" / "models" / "translate-en_de-1_0" / "model" / "model.bin").is_file()


def test_models_commands_work_outside_a_workspace_with_the_env(models_dir, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from translator.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TRANSLATOR_WORKSPACE", raising=False)
    result = CliRunner().invoke(main, ["models", "install", str(build_package(tmp_path))])
    assert result.exit_code == 0, result.output
    monkeypatch.delenv("TRANSLATOR_MODELS_DIR")
    assert "or set TRANSLATOR_MODELS_DIR" in one_line_error(CliRunner().invoke(main, ["models", "list"]))


def test_installing_a_newer_version_replaces_the_old_one(tmp_path):
    models_dir = tmp_path / "models"
    first = install_file(models_dir, build_package(tmp_path, version="1.0"))
    assert first.replaced == [] and first.model.path == models_dir / "translate-en_de-1_0"
    second = install_file(models_dir, build_package(tmp_path, version="1.1"))
    assert [m.version for m in second.replaced] == ["1.0"] and second.model.version == "1.1"
    assert [(m.pair, m.version, m.path.name) for m in installed_packages(models_dir)] == [
        ("en -> de", "1.1", "translate-en_de-1_1")]
    assert sorted(p.name for p in models_dir.iterdir()) == ["translate-en_de-1_1"]  # no work folders left


def test_the_cli_reports_old_and_new_version(cli, models_dir, tmp_path):
    cli("models", "install", str(build_package(tmp_path, version="1.0")))
    result = cli("models", "install", str(build_package(tmp_path, version="1.9")))
    assert result.exit_code == 0 and "updated en -> de 1.0 -> 1.9" in result.output


def test_a_folder_of_that_name_that_is_not_the_package_is_kept(tmp_path):
    models_dir = tmp_path / "models"
    (models_dir / "translate-en_de-1_0").mkdir(parents=True)
    (models_dir / "translate-en_de-1_0" / "notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(models_dir)
    with pytest.raises(TranslatorError, match="already exists and is not a en -> de model"):
        install_file(models_dir, build_package(tmp_path))
    assert snapshot(models_dir) == before


def test_argostranslate_sees_the_installed_package(tmp_path):
    """In a fresh interpreter: argos finds our package, and nothing is written to the home folder,
    whether argostranslate was imported before (with another folder) or not."""
    models_dir = tmp_path / "models"
    install_file(models_dir, build_package(tmp_path))
    install_file(models_dir, build_package(tmp_path, to_code="fr", tokenizer="bpe.model"))
    code = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "if sys.argv[2] == 'imported-before':\n"
        "    import argostranslate.package\n"
        "from translator.mt.packages import use_models_dir\n"
        "use_models_dir(Path(sys.argv[1]))\n"
        "from argostranslate import package\n"
        "print(json.dumps(sorted((p.from_code, p.to_code, p.package_version, str(p.package_path))"
        " for p in package.get_installed_packages())))\n"
    )
    for case in ("fresh", "imported-before"):
        home = tmp_path / f"home-{case}"
        home.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "ARGOS_"))}
        env["HOME"] = str(home)
        if case == "imported-before":
            env["ARGOS_PACKAGES_DIR"] = str(tmp_path / "elsewhere")
            env.update({"XDG_DATA_HOME": str(home / "d"), "XDG_CONFIG_HOME": str(home / "c"),
                        "XDG_CACHE_HOME": str(home / "k")})
        out = subprocess.run([sys.executable, "-c", code, str(models_dir), case], capture_output=True, text=True,
                             env=env, timeout=120)
        assert out.returncode == 0, out.stderr
        assert json.loads(out.stdout) == [
            ["en", "de", "1.0", str(models_dir / "translate-en_de-1_0")],
            ["en", "fr", "1.0", str(models_dir / "translate-en_fr-1_0")],
        ]
        if case == "fresh":
            assert list(home.iterdir()) == []


# -- finding a model for a language pair ----------------------------------------------------------


def test_models_match_on_the_base_language_and_prefer_an_exact_one(tmp_path):
    models_dir = tmp_path / "models"
    install_file(models_dir, build_package(tmp_path, to_code="pt"))
    assert find_model(models_dir, "en", "pt-BR").to_code == "pt"
    assert find_model(models_dir, "en-GB", "pt").to_code == "pt"
    install_file(models_dir, build_package(tmp_path, to_code="pb"))  # argos's code for Brazilian Portuguese
    assert find_model(models_dir, "en", "pt-BR").to_code == "pb"
    assert find_model(models_dir, "en", "pt").to_code == "pt"
    install_file(models_dir, build_package(tmp_path, to_code="zt"))  # argos's Traditional Chinese
    assert find_model(models_dir, "en", "zh-Hant").to_code == "zt"
    assert find_model(models_dir, "en", "zh-Hans") is None  # another script is not a match
    assert find_model(models_dir, "en", "fr") is None
    assert find_model(models_dir, "pt", "en") is None


def test_the_engine_gets_paths_and_tokenizer(tmp_path):
    models_dir = tmp_path / "models"
    install_file(models_dir, build_package(tmp_path, from_code="de", to_code="en", tokenizer="bpe.model"))
    model = find_model(models_dir, "de", "en")
    assert model.tokenizer_kind == "bpe" and model.tokenizer_path == model.path / "bpe.model"
    assert model.model_dir == model.path / "model" and (model.model_dir / "model.bin").is_file()
    assert model.metadata["from_code"] == "de" and model.version == "1.0"


def test_a_missing_model_says_how_to_install_one():
    message = str(missing_model_error("en", "pt-BR"))
    assert "'translator models install en pt-BR'" in message and "FILE.argosmodel" in message


def test_stray_folders_do_not_break_listing(tmp_path):
    models_dir = tmp_path / "models"
    install_file(models_dir, build_package(tmp_path))
    (models_dir / "empty").mkdir()
    (models_dir / "no-model").mkdir()
    (models_dir / "no-model" / "metadata.json").write_text(
        json.dumps({"from_code": "en", "to_code": "nl", "package_version": "1"}), encoding="utf-8")
    (models_dir / "a-file.txt").write_text("x", encoding="utf-8")
    listing = list_models(models_dir)
    assert [m.pair for m in listing.models] == ["en -> de"]
    assert len(listing.problems) == 2 and "no model/model.bin" in listing.problems[1]
    assert find_model(models_dir, "en", "nl") is None


# -- refusing broken and malicious files ----------------------------------------------------------


def _member(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = mode << 16
    return info


GOOD = package_entries(version="2.0")
TOP = "translate-en_de-2_0"


def _with(**extra) -> dict:
    return {**GOOD, **extra}


def _without(*names: str) -> dict:
    return {k: v for k, v in GOOD.items() if k.split("/", 1)[1] not in names}


BAD_PACKAGES = {
    "path traversal": (_with(**{f"{TOP}/../../evil.sh": b"rm -rf ~"}), "climbs out of the folder"),
    "top-level traversal": (_with(**{"../evil.sh": b"x"}), "climbs out of the folder"),
    "absolute path": (_with(**{"/tmp/evil.sh": b"x"}), "is an absolute path"),
    "symlink": (_with(**{"link": (_member(f"{TOP}/model/link", stat.S_IFLNK | 0o777), b"/etc/passwd")}),
                "is a symbolic link"),
    "device file": (_with(**{"dev": (_member(f"{TOP}/null", stat.S_IFCHR | 0o666), b"")}), "special file"),
    "two top-level folders": (_with(**{"other/file.txt": b"x"}), "2 top-level entries"),
    "loose top-level file": (_with(**{"README.md": b"x"}), "2 top-level entries"),
    "missing metadata.json": (_without("metadata.json"), "no translate-en_de-2_0/metadata.json"),
    "missing model/": (_without("model/model.bin", "model/config.json"), "no translate-en_de-2_0/model/model.bin"),
    "missing tokenizer": (_without("sentencepiece.model"), "no translate-en_de-2_0/sentencepiece.model or"),
    "bad JSON": (_with(**{f"{TOP}/metadata.json": b"{\"from_code\": "}), "metadata.json is not valid JSON"),
    "metadata not an object": (_with(**{f"{TOP}/metadata.json": b"[1, 2]"}), "not a JSON object"),
    "bad language code": (package_entries(version="2.0", metadata={
        "from_code": "en/../../x", "to_code": "de", "package_version": "2.0"}), "from_code must be a short language"),
    "no version": (package_entries(version="2.0", metadata={"from_code": "en", "to_code": "de"}),
                   "package_version must be"),
}


@pytest.mark.parametrize("case", list(BAD_PACKAGES))
def test_broken_or_malicious_packages_are_refused_and_nothing_changes(case, cli, models_dir, tmp_path):
    assert cli("models", "install", str(build_package(tmp_path, version="1.0"))).exit_code == 0
    (models_dir / "stray").mkdir()
    before = snapshot(models_dir)
    entries, expected = BAD_PACKAGES[case]
    bad = write_zip(tmp_path / "bad.argosmodel", entries)
    message = one_line_error(cli("models", "install", str(bad)))
    assert expected in message and str(bad) in message
    assert snapshot(models_dir) == before
    assert [m.version for m in installed_packages(models_dir)] == ["1.0"]


@pytest.mark.parametrize("sizes_mb", [[70], [40, 40]], ids=["one member", "whole archive"])
def test_zip_bombs_are_refused_before_extracting(sizes_mb, tmp_path):
    """Over 64 MB unpacked at over 100:1; smaller files may compress that well (sparse test models)."""
    models_dir = tmp_path / "models"
    install_file(models_dir, build_package(tmp_path, version="1.0"))
    before = snapshot(models_dir)
    path = write_zip(tmp_path / "bomb.argosmodel", GOOD)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        for n, size in enumerate(sizes_mb):
            with archive.open(f"{TOP}/model/zeros-{n}.bin", "w") as member:
                for _ in range(size):
                    member.write(bytes(1024 * 1024))
    with pytest.raises(TranslatorError, match=r"times larger than stored \(over 100:1; a zip bomb\?\)"):
        install_file(models_dir, path)
    assert snapshot(models_dir) == before


def test_not_a_zip_is_refused(cli, models_dir, tmp_path):
    fake = tmp_path / "model.argosmodel"
    fake.write_bytes(b"<html>404 Not Found</html>")
    assert "not an Argos model (a .argosmodel file is a zip archive)" in one_line_error(
        cli("models", "install", str(fake)))
    assert "no such file" in one_line_error(cli("models", "install", str(tmp_path / "missing.argosmodel")))
    assert not models_dir.exists()


def test_too_large_when_unpacked_is_refused(models_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(packages, "MAX_TOTAL_BYTES", 1000)  # a 4 GB test file would be slow to build
    with pytest.raises(TranslatorError, match="more than the 1,000 limit"):
        validate_archive(build_package(tmp_path))


def test_damaged_data_found_while_extracting_leaves_nothing_behind(tmp_path):
    """The structure is fine, so extraction starts; the checksum fails and the work folder goes."""
    models_dir = tmp_path / "models"
    install_file(models_dir, build_package(tmp_path, version="1.0"))
    before = snapshot(models_dir)
    path = write_zip(tmp_path / "damaged.argosmodel", package_entries(version="2.0"), zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    data[data.index(b"\x00weights\x01") + 3] ^= 0xFF
    path.write_bytes(bytes(data))
    validate_archive(path)  # the damage is in the data, not the structure
    with pytest.raises(TranslatorError, match="cannot extract .*nothing was installed"):
        install_file(models_dir, path)
    assert snapshot(models_dir) == before


def test_removing_an_unknown_pair_lists_what_is_installed(tmp_path):
    with pytest.raises(TranslatorError, match=r"installed: none"):
        remove_model(tmp_path / "models", "en", "de")


# -- the Argos index: offline, and served from 127.0.0.1 -----------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def offline(monkeypatch):
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"http://127.0.0.1:{_closed_port()}/")
    monkeypatch.setattr(packages, "NETWORK_TIMEOUT", 5)


def test_offline_available_and_install_say_how_to_install_from_a_file(cli, models_dir, offline):
    for args in (("models", "available"), ("models", "install", "en", "de")):
        assert one_line_error(cli(*args)) == f"error: {OFFLINE_MESSAGE}"
    assert [p.name for p in models_dir.iterdir()] == []  # no index copy, no work folder


@pytest.fixture
def index_server(tmp_path, monkeypatch):
    """An Argos index with one en -> de package, served over HTTP from 127.0.0.1."""
    site = tmp_path / "site"
    site.mkdir()
    build_package(site, version="1.5")

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site), **kwargs)

        def log_message(self, *args):  # keep the test output clean
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    (site / "index.json").write_text(json.dumps([
        {"package_version": "1.5", "argos_version": "1.0", "from_code": "en", "from_name": "English",
         "to_code": "de", "to_name": "German", "links": [url + "translate-en_de-1_5.argosmodel"]},
    ]), encoding="utf-8")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", url)
    monkeypatch.setattr(packages, "NETWORK_TIMEOUT", 5)
    yield server
    server.shutdown()
    server.server_close()


def test_install_from_the_index_then_offline_shows_the_saved_copy(cli, models_dir, index_server, monkeypatch):
    available = cli("models", "available", "--json")
    assert available.exit_code == 0, available.output
    assert json.loads(available.stdout) == [{"from_code": "en", "from_name": "English", "to_code": "de",
                                             "to_name": "German", "version": "1.5", "installed": None}]
    installed = cli("models", "install", "en", "de")
    assert installed.exit_code == 0, installed.output
    assert "installed en -> de 1.5 (English -> German)" in installed.output
    assert "is already installed" in cli("models", "install", "en", "de").output
    assert sorted(p.name for p in models_dir.iterdir()) == [".argos-index.json", "translate-en_de-1_5"]

    monkeypatch.setenv("ARGOS_PACKAGE_INDEX", f"http://127.0.0.1:{_closed_port()}/")
    stale = cli("models", "available", "--json")
    assert stale.exit_code == 0
    assert json.loads(stale.stdout)[0]["installed"] == "1.5"
    assert "cannot reach the Argos package index (offline?)" in stale.stderr and "out of date" in stale.stderr
    assert "no model for en -> ja" in one_line_error(cli("models", "install", "en", "ja"))


def test_a_download_that_fails_is_reported_and_leaves_nothing(cli, models_dir, index_server):
    (models_dir.parent / "site" / "translate-en_de-1_5.argosmodel").unlink()  # the index names a missing file
    message = one_line_error(cli("models", "install", "en", "de"))
    assert "cannot download the en -> de model" in message and "FILE.argosmodel" in message
    assert sorted(p.name for p in models_dir.iterdir()) == [".argos-index.json"]


# -- a package must load: checked once at install ----------------------------------------------


@pytest.fixture(scope="module")
def tiny_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from modelkit import build_copy_package

    return build_copy_package(tmp_path_factory.mktemp("loadable"), "en", "de", {"President": "Präsident"})


def _with_member(package: Path, out: Path, member: str, data: bytes) -> Path:
    """A copy of ``package`` whose ``member`` (path inside the top folder) holds ``data``."""
    with zipfile.ZipFile(package) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            inner = info.filename.split("/", 1)[1] if "/" in info.filename else ""
            archive.writestr(info, data if inner == member else source.read(info))
    return out


def test_a_real_package_loads_and_installs(real_loading, models_dir, tiny_package):
    report = install_file(models_dir, tiny_package)
    assert report.model.pair == "en -> de" and (report.model.path / "model" / "model.bin").is_file()


@pytest.mark.parametrize("member, named", [("model/model.bin", "/model cannot be loaded"),
                                           ("sentencepiece.model", "/sentencepiece.model cannot be loaded")])
def test_a_package_whose_model_or_tokenizer_cannot_load_is_refused_and_nothing_installed(
        real_loading, cli, models_dir, tiny_package, tmp_path, member, named):
    damaged = _with_member(tiny_package, tmp_path / "damaged.argosmodel", member, os.urandom(64 * 1024))
    message = one_line_error(cli("models", "install", str(damaged)))
    assert named in message and "download it again" in message and ".install-" not in message
    assert not models_dir.exists()
    install_file(models_dir, tiny_package)  # the same folder takes a good package afterwards
    before = snapshot(models_dir)
    with pytest.raises(TranslatorError, match="nothing was installed"):
        install_file(models_dir, damaged)
    assert snapshot(models_dir) == before

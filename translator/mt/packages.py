"""Argos Translate packages (our translation models): listing, finding, installing and removing them.

A package is one folder in the models directory, laid out as argos extracts a ``.argosmodel`` zip:
``metadata.json``, ``model/`` (CTranslate2) and ``sentencepiece.model`` or ``bpe.model``. Listing
reads the metadata itself, without importing argostranslate. Installing validates the zip before
writing anything, extracts it into a hidden work folder inside the models directory, loads the model
and tokenizer once (a package that cannot load is refused) and renames it into place, so an interrupted
or refused install leaves no half-installed package.

Layout of the models directory (``Workspace.models_path``; it is also ``ARGOS_PACKAGES_DIR``)::

    translate-en_de-1_0/      one folder per package, named after the zip's top-level folder
    .argos-index.json         the last copy of the Argos package index (a file: argos lists folders)
    .install-*/ .remove-*/    work folders, only while an install or a removal runs
"""

from __future__ import annotations

import atexit
import importlib
import json
import logging
import os
import re
import shutil
import socket
import stat
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import Any

from ..errors import TranslatorError
from ..languages import base_language, normalize_code

INDEX_FILE = ".argos-index.json"
WORK_PREFIXES = (".install-", ".remove-")
DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/"
NETWORK_TIMEOUT = 30  # seconds per connection attempt; argos itself sets none
MAX_TOTAL_BYTES = 4 * 1024**3  # the largest argos packages unpack to well under 1 GB
MAX_RATIO = 100  # model weights barely compress; a higher ratio on a large member is a zip bomb
RATIO_FLOOR = 64 * 1024**2  # smaller sizes may compress well: a sparse test model.bin reaches 170:1
MAX_MEMBERS = 20_000
MAX_METADATA_BYTES = 1024**2
LEFTOVER_AGE = 24 * 3600  # work folders older than this are from an interrupted run

#: argos codes that are not BCP 47, with what they mean
ARGOS_CODES = {"zt": "zh-Hant", "pb": "pt-BR"}
TOKENIZERS = (("sentencepiece.model", "sentencepiece"), ("bpe.model", "bpe"))

OFFLINE_MESSAGE = ("cannot reach the Argos package index (offline?); download the .argosmodel file elsewhere "
                   "and run 'translator models install FILE.argosmodel'")

_CODE = re.compile(r"[A-Za-z0-9]{1,8}(?:[-_][A-Za-z0-9]{1,8}){0,3}")
_FOLDER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,99}")


@dataclass(frozen=True)
class InstalledModel:
    """One installed package; codes are as argos writes them (``en``, ``pb``), see :func:`canonical_code`."""

    from_code: str
    to_code: str
    version: str
    path: Path  # the package folder
    model_dir: Path  # the CTranslate2 model
    tokenizer_path: Path
    tokenizer_kind: str  # 'sentencepiece' | 'bpe'
    metadata: dict[str, Any] = field(default_factory=dict, compare=False, hash=False, repr=False)

    @property
    def pair(self) -> str:
        return f"{self.from_code} -> {self.to_code}"


@dataclass
class ModelListing:
    """What a models directory holds: usable packages, and one warning line per folder that is not one."""

    models: list[InstalledModel]
    problems: list[str]


@dataclass(frozen=True)
class Archive:
    """A validated ``.argosmodel`` file: its one top-level folder and its metadata."""

    path: Path
    folder: str
    from_code: str
    to_code: str
    version: str
    metadata: dict[str, Any] = field(compare=False, hash=False, repr=False)


@dataclass
class InstallReport:
    model: InstalledModel
    replaced: list[InstalledModel]  # the versions of the same pair it took the place of
    unchanged: bool = False  # the index offers the version already installed; nothing downloaded


@dataclass(frozen=True)
class AvailableModel:
    """A package in the Argos index."""

    from_code: str
    to_code: str
    version: str
    from_name: str
    to_name: str
    links: tuple[str, ...]
    package: Any = field(default=None, compare=False, hash=False, repr=False)  # argostranslate's AvailablePackage

    @property
    def pair(self) -> str:
        return f"{self.from_code} -> {self.to_code}"


@dataclass
class PackageIndex:
    models: list[AvailableModel]
    path: Path
    fresh: bool  # False: the index could not be reached and this is the copy from an earlier run


# -- listing and finding ------------------------------------------------------------------------


def list_models(models_dir: Path) -> ModelListing:
    """The packages in ``models_dir`` (sorted by pair), and a warning for each folder that is not one.

    Reads ``metadata.json`` files only: fast, and no argostranslate import.
    """
    models, problems = [], []
    if not models_dir.is_dir():
        return ModelListing([], [])
    for folder in sorted(models_dir.iterdir()):
        if folder.name.startswith(".") or not folder.is_dir():
            continue  # our index copy and work folders
        try:
            models.append(read_package(folder))
        except TranslatorError as exc:
            problems.append(f"{exc}; skipped")
    models.sort(key=lambda m: (m.from_code, m.to_code, _version_key(m.version)))
    return ModelListing(models, problems)


def installed_packages(models_dir: Path) -> list[InstalledModel]:
    """The usable packages in ``models_dir``; folders that are not packages are left out."""
    return list_models(models_dir).models


def read_package(folder: Path) -> InstalledModel:
    """The package in ``folder``, or a TranslatorError saying what is missing."""
    meta_path = folder / "metadata.json"
    if not meta_path.is_file():
        raise TranslatorError(f"{folder}: not a translation model (no metadata.json)")
    try:
        metadata = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise TranslatorError(f"{folder}: unreadable metadata.json ({exc})") from None
    from_code, to_code, version = _check_metadata(metadata, str(meta_path))
    if not (folder / "model" / "model.bin").is_file():
        raise TranslatorError(f"{folder}: not a translation model (no model/model.bin)")
    for name, kind in TOKENIZERS:
        if (folder / name).is_file():
            return InstalledModel(from_code, to_code, version, folder, folder / "model", folder / name, kind, metadata)
    raise TranslatorError(f"{folder}: not a translation model (no sentencepiece.model or bpe.model)")


def find_model(models_dir: Path, from_code: str, to_code: str) -> InstalledModel | None:
    """The installed package that best translates ``from_code -> to_code``, or None.

    Codes match on the base language: a workspace target ``pt-BR`` uses an ``en -> pt`` package, but
    prefers an exact one (argos's ``pb``) when installed. Ties go to the highest package version.
    """
    return _best(installed_packages(models_dir), from_code, to_code)


def missing_model_error(from_code: str, to_code: str) -> TranslatorError:
    """The error for a pair without a model, naming the commands that install one."""
    return TranslatorError(
        f"no translation model for {from_code} -> {to_code}; install one with "
        f"'translator models install {from_code} {to_code}', or offline from a downloaded file with "
        "'translator models install FILE.argosmodel'")


def canonical_code(code: str) -> str:
    """A package's language code in our BCP 47 form: ``pb`` -> ``pt-BR``, ``zt`` -> ``zh-Hant``, ``EN`` -> ``en``."""
    raw = code.strip()
    if raw.lower() in ARGOS_CODES:
        return ARGOS_CODES[raw.lower()]
    try:
        return normalize_code(raw)
    except TranslatorError:
        return raw.lower()


def code_match(wanted: str, have: str) -> int:
    """How well a package code ``have`` serves the language ``wanted``: 3 exact, 2 the package is for
    the whole language (pt-BR wanted, pt package), 1 another variant of it, 0 no match (other base
    language, or another script: zh-Hant is not served by a zh-Hans package)."""
    w, h = canonical_code(wanted), canonical_code(have)
    if w.lower() == h.lower():
        return 3
    if base_language(w) != base_language(h):
        return 0
    if "-" not in h:
        return 2
    if _script(w) and _script(h) and _script(w) != _script(h):
        return 0
    return 1


def disk_size(path: Path) -> int:
    """Bytes used by the files under ``path`` (symbolic links not followed)."""
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total


# -- validating and installing a file -----------------------------------------------------------


def validate_archive(path: Path) -> Archive:
    """Check a ``.argosmodel`` file without extracting it; a TranslatorError names the first problem.

    Refused: not a zip, more or less than one top-level folder, absolute paths, ``..``, links and
    special files, encrypted members, more than 4 GB unpacked or a zip-bomb compression ratio, and
    a missing or invalid ``metadata.json``, ``model/model.bin`` or tokenizer.
    """
    if not path.is_file():
        raise TranslatorError(f"{path}: {'not a file' if path.exists() else 'no such file'}")
    if not zipfile.is_zipfile(path):
        raise TranslatorError(f"{path}: not an Argos model (a .argosmodel file is a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            folder = _check_members(members)
            metadata = _read_metadata(archive, folder)
    except TranslatorError as exc:
        raise TranslatorError(f"{path}: {exc}") from None
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise TranslatorError(f"{path}: damaged zip archive ({exc})") from None
    try:
        from_code, to_code, version = _check_metadata(metadata, f"{folder}/metadata.json")
    except TranslatorError as exc:
        raise TranslatorError(f"{path}: {exc}") from None
    return Archive(path, folder, from_code, to_code, version, metadata)


def install_file(models_dir: Path, path: Path) -> InstallReport:
    """Install a ``.argosmodel`` file; an installed version of the same pair is replaced once the new
    one has been extracted. On any error the models directory is left as it was."""
    archive = validate_archive(path)  # before anything is written
    with _work_folder(models_dir, ".install-") as work:
        return _install_validated(models_dir, archive, work)


def remove_model(models_dir: Path, from_code: str, to_code: str) -> list[InstalledModel]:
    """Remove the packages for exactly ``from_code -> to_code`` (all versions); error if there are none."""
    listing = list_models(models_dir)
    gone = [m for m in listing.models if _same_pair(m, from_code, to_code)]
    if not gone:
        installed = ", ".join(m.pair for m in listing.models) or "none"
        raise TranslatorError(f"no model for {from_code} -> {to_code} is installed in {models_dir} "
                              f"(installed: {installed})")
    with _work_folder(models_dir, ".remove-") as work:
        for model in gone:
            model.path.rename(work / model.path.name)  # atomic; the rest is deleting a hidden folder
    _forget_argos_cache()
    return gone


# -- the Argos index and downloads ----------------------------------------------------------------


def use_models_dir(models_dir: Path) -> ModuleType:
    """Point argostranslate at ``models_dir`` and return its ``settings`` module.

    argostranslate reads ``ARGOS_PACKAGES_DIR`` and the XDG directories when ``argostranslate.settings``
    is first imported, and creates its data, config and cache folders there (in ``~`` by default).
    So the first call imports it with the XDG directories pointing at a scratch folder (removed at
    exit); every call then sets ``ARGOS_PACKAGES_DIR`` and repoints the settings (packages, index copy,
    index URL), which also covers argostranslate having been imported earlier with other folders.
    """
    models_dir = Path(models_dir).resolve()
    models_dir.mkdir(parents=True, exist_ok=True)
    os.environ["ARGOS_PACKAGES_DIR"] = str(models_dir)
    if "argostranslate.settings" not in sys.modules:
        _import_argos_settings()
    from argostranslate import settings

    settings.package_data_dir = models_dir
    settings.package_dirs = [models_dir]  # only ours: no snap folders, no earlier choice
    settings.local_package_index = models_dir / INDEX_FILE
    settings.remote_package_index = _index_url(settings) + "index.json"
    _forget_argos_cache()
    return settings


def package_index(models_dir: Path) -> PackageIndex:
    """The Argos index, fetched now; offline, the copy from an earlier fetch (``fresh`` False), else
    a TranslatorError saying how to install from a file."""
    settings = use_models_dir(models_dir)
    from argostranslate import package

    saved = models_dir.resolve() / INDEX_FILE
    fresh = _fetch_index(settings, package, saved)
    if not saved.is_file():
        raise TranslatorError(OFFLINE_MESSAGE)
    try:
        available = package.get_available_packages()
    except (ValueError, OSError, AttributeError, TypeError) as exc:
        raise TranslatorError(f"{saved}: unreadable package index ({exc})") from None
    models = [
        AvailableModel(p.from_code, p.to_code, str(p.package_version), p.from_name or "", p.to_name or "",
                       tuple(p.links), p)
        for p in available
        if p.type == "translate" and isinstance(p.from_code, str) and isinstance(p.to_code, str)
    ]
    models.sort(key=lambda m: (m.from_code, m.to_code))
    return PackageIndex(models, saved, fresh)


def install_pair(models_dir: Path, from_code: str, to_code: str) -> InstallReport:
    """Download the index's package for ``from_code -> to_code`` and install it like a file.

    Skips the download when that version is already installed.
    """
    index = package_index(models_dir)
    chosen = _best(index.models, from_code, to_code)
    if chosen is None:
        near = sorted({m.pair for m in index.models if code_match(from_code, m.from_code)
                       or code_match(to_code, m.to_code)})
        hint = f"; pairs with those languages: {', '.join(near)}" if near else ""
        raise TranslatorError(f"the Argos package index has no model for {from_code} -> {to_code}{hint}")
    for model in installed_packages(models_dir):
        if _same_pair(model, chosen.from_code, chosen.to_code) and model.version == chosen.version:
            return InstallReport(model, [], unchanged=True)
    settings = use_models_dir(models_dir)
    with _work_folder(models_dir, ".install-") as work:
        saved_downloads = settings.downloads_dir
        settings.downloads_dir = work  # no stale partial file from an earlier run gets reused
        try:
            with _network():
                downloaded = chosen.package.download()
        except Exception:  # argos raises a bare Exception when every link failed
            raise TranslatorError(
                f"cannot download the {chosen.pair} model from {', '.join(chosen.links) or 'the index'} "
                "(offline?); download the .argosmodel file elsewhere and run "
                "'translator models install FILE.argosmodel'") from None
        finally:
            settings.downloads_dir = saved_downloads
        archive = validate_archive(Path(downloaded))
        return _install_validated(models_dir, archive, work)


# -- helpers ------------------------------------------------------------------------------------


def _check_metadata(metadata: object, where: str) -> tuple[str, str, str]:
    """The codes and version in a package's metadata, checked."""
    if not isinstance(metadata, dict):
        raise TranslatorError(f"{where}: not a JSON object")
    if metadata.get("type", "translate") != "translate":
        raise TranslatorError(f"{where}: a {metadata.get('type')!r} package, not a translation model")
    codes = []
    for key in ("from_code", "to_code"):
        value = metadata.get(key)
        if not isinstance(value, str) or not _CODE.fullmatch(value):
            raise TranslatorError(f"{where}: {key} must be a short language code, not {value!r}")
        codes.append(value)
    version = metadata.get("package_version")
    if isinstance(version, int | float) and not isinstance(version, bool):
        version = str(version)
    if not isinstance(version, str) or not version.strip() or len(version) > 40:
        raise TranslatorError(f"{where}: package_version must be a version string, not {version!r}")
    return codes[0], codes[1], version.strip()


def _check_members(members: list[zipfile.ZipInfo]) -> str:
    """The one top-level folder, after checking every member is safe to extract."""
    if not members:
        raise TranslatorError("empty zip archive")
    if len(members) > MAX_MEMBERS:
        raise TranslatorError(f"{len(members)} files, more than the {MAX_MEMBERS} limit")
    seen: set[str] = set()
    for info in members:
        problem = _member_problem(info)
        if problem:
            raise TranslatorError(f"refused, {info.filename!r} {problem}")
        key = info.filename.rstrip("/")
        if key in seen:
            raise TranslatorError(f"refused, {key!r} is in the archive twice")
        seen.add(key)
    tops = sorted({info.filename.split("/")[0] for info in members})
    if len(tops) != 1:
        raise TranslatorError(f"refused, {len(tops)} top-level entries ({', '.join(tops[:4])}); "
                              "a package is one folder")
    folder = tops[0]
    if any(info.filename == folder for info in members):
        raise TranslatorError(f"refused, the top-level entry {folder!r} is a file; a package is one folder")
    if not _FOLDER.fullmatch(folder):
        raise TranslatorError(f"refused, unusual top-level folder name {folder!r}")
    total = sum(info.file_size for info in members)
    if total > MAX_TOTAL_BYTES:
        raise TranslatorError(f"refused, unpacks to {total:,} bytes, more than the {MAX_TOTAL_BYTES:,} limit")
    packed = sum(info.compress_size for info in members)
    for name, size, stored in [*((i.filename, i.file_size, i.compress_size) for i in members),
                               ("the archive", total, packed)]:
        if size > RATIO_FLOOR and size > MAX_RATIO * max(stored, 1):
            raise TranslatorError(f"refused, {name!r} unpacks {size // max(stored, 1)} times larger than stored "
                                  f"(over {MAX_RATIO}:1; a zip bomb?)")
    files = {info.filename[len(folder) + 1:] for info in members if not info.is_dir()}
    for required in ("metadata.json", "model/model.bin"):
        if required not in files:
            raise TranslatorError(f"not an Argos model: no {folder}/{required}")
    if not any(name in files for name, _kind in TOKENIZERS):
        raise TranslatorError(f"not an Argos model: no {folder}/sentencepiece.model or {folder}/bpe.model")
    return folder


def _member_problem(info: zipfile.ZipInfo) -> str | None:
    """Why a zip member must not be extracted, or None."""
    name = info.filename
    if "\x00" in name or "\\" in name:
        return "has a backslash or NUL in its path"
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return "is an absolute path"
    parts = name.rstrip("/").split("/")
    if ".." in parts:
        return "climbs out of the folder with '..'"
    if any(p in ("", ".") for p in parts):
        return "has an empty or '.' path component"
    kind = stat.S_IFMT(info.external_attr >> 16)
    if kind == stat.S_IFLNK:
        return "is a symbolic link"
    if kind not in (0, stat.S_IFREG, stat.S_IFDIR):
        return "is a device or other special file"
    if info.flag_bits & 0x1:
        return "is encrypted"
    return None


def _read_metadata(archive: zipfile.ZipFile, folder: str) -> object:
    info = archive.getinfo(f"{folder}/metadata.json")
    if info.file_size > MAX_METADATA_BYTES:
        raise TranslatorError(f"{folder}/metadata.json is {info.file_size:,} bytes, too large")
    try:
        return json.loads(archive.read(info).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise TranslatorError(f"{folder}/metadata.json is not valid JSON ({exc})") from None


def _install_validated(models_dir: Path, archive: Archive, work: Path) -> InstallReport:
    """Extract into ``work``, then swap it in for the installed versions of the same pair."""
    new_root = work / "new"
    try:
        _extract(archive.path, new_root)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise TranslatorError(f"{archive.path}: cannot extract ({exc}); nothing was installed") from None
    new = read_package(new_root / archive.folder)
    check_loads(new, archive.path)
    target = models_dir / archive.folder
    old = [m for m in installed_packages(models_dir) if _same_pair(m, new.from_code, new.to_code)]
    if (target.exists() or target.is_symlink()) and target not in {m.path for m in old}:
        raise TranslatorError(f"{target} already exists and is not a {new.pair} model; move it away first")
    trash = work / "old"
    trash.mkdir()
    moved: list[tuple[Path, Path]] = []
    try:
        for model in old:
            model.path.rename(trash / model.path.name)
            moved.append((trash / model.path.name, model.path))
        new.path.rename(target)
    except OSError as exc:
        for parked, original in reversed(moved):
            parked.rename(original)
        raise TranslatorError(f"cannot install into {models_dir}: {exc}") from None
    _forget_argos_cache()
    return InstallReport(read_package(target), old)


def check_loads(model: InstalledModel, source: Path) -> None:
    """Load the model and its tokenizer once, as ``translate`` will: a package that cannot be loaded is
    refused at install, not when it is first used. Skipped when the Argos runtime is not installed."""
    from importlib.util import find_spec

    if find_spec("ctranslate2") is None or find_spec("sentencepiece") is None:
        return  # the argos engine reports itself unavailable; nothing here could load the model either
    member = f"{model.path.name}/{model.tokenizer_path.name}"
    try:
        _load_tokenizer(model)
        member = f"{model.path.name}/model"
        import ctranslate2

        ctranslate2.Translator(str(model.model_dir), device="cpu", inter_threads=1, intra_threads=1)
    except Exception as exc:  # CTranslate2 and SentencePiece raise RuntimeError, argos's BPE reader anything
        said = str(exc).replace(str(model.path) + os.sep, "")  # the work folder means nothing to the user
        reason = (said.strip().splitlines() or [type(exc).__name__])[0].split(". ")[0][:160]
        raise TranslatorError(f"{source}: {member} cannot be loaded ({reason}); the package is damaged or not "
                              "an Argos model: download it again (nothing was installed)") from None


def _load_tokenizer(model: InstalledModel) -> None:
    if model.tokenizer_kind == "sentencepiece":
        import sentencepiece

        sentencepiece.SentencePieceProcessor(model_file=str(model.tokenizer_path))
        return
    from argostranslate.tokenizer import BPETokenizer

    BPETokenizer(model.tokenizer_path, model.from_code, model.to_code).encode("Test.")


def _extract(path: Path, dest: Path) -> None:
    """Extract a validated archive under ``dest``: plain files and folders, paths already checked."""
    dest.mkdir()
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            target = dest.joinpath(*PurePosixPath(info.filename).parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            # zipfile stops at the declared size and checks the CRC, so a lying header fails here
            with archive.open(info) as source, open(target, "xb") as sink:
                shutil.copyfileobj(source, sink, 1024 * 1024)


@contextmanager
def _work_folder(models_dir: Path, prefix: str) -> Iterator[Path]:
    """A hidden folder inside ``models_dir`` (same file system, so renames are atomic), removed after."""
    missing = [p for p in (models_dir, *models_dir.parents) if not p.exists()]
    models_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(models_dir)
    work = Path(tempfile.mkdtemp(prefix=prefix, dir=models_dir))
    try:
        yield work
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        for folder in missing:  # innermost first: a refused install leaves no new empty models folder
            try:
                folder.rmdir()
            except OSError:
                break
        raise
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _remove_leftovers(models_dir: Path) -> None:
    """Delete work folders left by a crashed run (old enough not to belong to one still running)."""
    cutoff = time.time() - LEFTOVER_AGE
    for folder in models_dir.iterdir():
        if folder.name.startswith(WORK_PREFIXES) and folder.is_dir() and not folder.is_symlink():
            try:
                if folder.stat().st_mtime < cutoff:
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:
                pass


def _same_pair(model: InstalledModel, from_code: str, to_code: str) -> bool:
    return (canonical_code(model.from_code).lower() == canonical_code(from_code).lower()
            and canonical_code(model.to_code).lower() == canonical_code(to_code).lower())


def _best(models: list, from_code: str, to_code: str):  # type: ignore[no-untyped-def]
    """The model (installed or available) that serves the pair best, then the highest version."""
    scored = []
    for m in models:
        source, target = code_match(from_code, m.from_code), code_match(to_code, m.to_code)
        if source and target:
            scored.append(((source + target, _version_key(m.version)), m))
    return max(scored, key=lambda s: s[0])[1] if scored else None


def _script(code: str) -> str | None:
    return next((p.title() for p in code.split("-")[1:] if len(p) == 4 and p.isalpha()), None)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", version))


def _index_url(settings: ModuleType) -> str:
    url = os.environ.get("ARGOS_PACKAGE_INDEX") or getattr(settings, "package_index", None) or DEFAULT_INDEX_URL
    return url if url.endswith("/") else url + "/"


def _import_argos_settings() -> None:
    """Import ``argostranslate.settings`` with its XDG folders in a scratch folder, not in ``~``."""
    scratch = tempfile.mkdtemp(prefix="translator-argos-")
    atexit.register(shutil.rmtree, scratch, True)
    names = {"XDG_DATA_HOME": "data", "XDG_CONFIG_HOME": "config", "XDG_CACHE_HOME": "cache"}
    saved = {name: os.environ.get(name) for name in names}
    try:
        for name, sub in names.items():
            os.environ[name] = os.path.join(scratch, sub)
        importlib.import_module("argostranslate.settings")
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _fetch_index(settings: ModuleType, package: ModuleType, saved: Path) -> bool:
    """Fetch the index into ``saved`` through argos; True if it was reached.

    argos's ``update_package_index`` logs and swallows errors and keeps no old copy on failure, so
    it writes to a side file that replaces ``saved`` only once complete and valid.
    """
    part = saved.with_name(saved.name + ".part")
    part.unlink(missing_ok=True)
    settings.local_package_index = part
    try:
        with _network():
            package.update_package_index()
    finally:
        settings.local_package_index = saved
    if not part.is_file():
        return False
    try:
        if not isinstance(json.loads(part.read_text(encoding="utf-8")), list):
            raise ValueError("not a list of packages")
    except (OSError, UnicodeDecodeError, ValueError):
        part.unlink(missing_ok=True)
        return False
    os.replace(part, saved)
    return True


@contextmanager
def _network() -> Iterator[None]:
    """argos's downloads with a timeout (it sets none) and without its error log lines on stderr."""
    logger = logging.getLogger("argostranslate.utils")
    level, timeout = logger.level, socket.getdefaulttimeout()
    logger.setLevel(logging.CRITICAL)
    socket.setdefaulttimeout(NETWORK_TIMEOUT)
    try:
        yield
    finally:
        logger.setLevel(level)
        socket.setdefaulttimeout(timeout)


def _forget_argos_cache() -> None:
    """argostranslate.translate caches the installed languages; clear it if it is loaded."""
    translate = sys.modules.get("argostranslate.translate")
    cached = getattr(translate, "get_installed_languages", None)
    if cached is not None and hasattr(cached, "cache_clear"):
        cached.cache_clear()

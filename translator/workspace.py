"""The workspace: a folder with ``translator.toml``, found like git finds its repository.

The config names the source and target languages, the glossary files and the database URL.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import TranslatorError
from .languages import among_targets, normalize_code, normalize_codes

CONFIG_NAME = "translator.toml"
STATE_DIR = ".translator"
DEFAULT_DATABASE = f"sqlite:///{STATE_DIR}/translator.db"
DEFAULT_MODELS_DIR = f"{STATE_DIR}/models"
#: engines in order of preference: the first that serves a language pair translates it
DEFAULT_ENGINES = ("argos", "bergamot", "apertium")
#: the tables of translator.toml and their keys, each with an example value (a list where a list is wanted)
CONFIG_KEYS: dict[str, dict[str, str]] = {
    "languages": {"source": '"en"', "targets": '["nl", "de"]'},
    "glossary": {"files": '["glossary/terms.csv"]'},
    "database": {"url": '"postgresql+psycopg://user@host/db"'},
    "user": {"name": '"bob"'},
    "models": {"dir": '".translator/models"'},
    "mt": {"engines": '["argos", "apertium"]', "engine": '"argos"', "languages": '{ pt = "bergamot" }'},
    "checks": {"disabled": '["length-ratio"]'},
}


@dataclass
class Workspace:
    root: Path
    source: str
    targets: list[str]
    glossary: list[str] = field(default_factory=list)
    database: str = DEFAULT_DATABASE
    user: str | None = None
    models_dir: str = DEFAULT_MODELS_DIR
    engines: list[str] = field(default_factory=lambda: list(DEFAULT_ENGINES))
    engine_for: dict[str, str] = field(default_factory=dict)  # [mt.languages]: target language -> engine
    disabled_checks: list[str] = field(default_factory=list)
    config_warnings: list[str] = field(default_factory=list)  # unknown keys in translator.toml, for the CLI to show

    def engine_preference(self, target: str) -> list[str]:
        """The engines to try for ``target``, best first: ``[mt.languages]``, then ``TRANSLATOR_ENGINES``
        (comma-separated) or ``[mt] engines``."""
        named = os.environ.get("TRANSLATOR_ENGINES")
        order = [e.strip() for e in named.split(",") if e.strip()] if named else list(self.engines)
        chosen = self.engine_for.get(target)
        return [chosen, *(e for e in order if e != chosen)] if chosen else order

    def require_targets(self, wanted: str | list[str] | None) -> list[str]:
        """``wanted`` (comma-separated or a list) among this workspace's targets; all when nothing is named."""
        return among_targets(self.targets, wanted)

    @property
    def models_path(self) -> Path:
        """Where translation models live: ``TRANSLATOR_MODELS_DIR`` wins; relative paths are under the root."""
        path = Path(os.environ.get("TRANSLATOR_MODELS_DIR") or self.models_dir).expanduser()
        return path if path.is_absolute() else self.root / path

    def resolve(self, relative: str | Path) -> Path:
        """A path from the config (glossary files, ...), relative to the workspace root."""
        path = Path(relative).expanduser()
        return path if path.is_absolute() else self.root / path

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def database_url(self) -> str:
        """The URL in use: ``TRANSLATOR_DATABASE_URL`` wins; relative SQLite paths are under the root."""
        url = os.environ.get("TRANSLATOR_DATABASE_URL") or self.database
        prefix = "sqlite:///"
        if url.startswith(prefix) and url != "sqlite:///:memory:":
            path = Path(url[len(prefix):])
            if not path.is_absolute():
                url = prefix + str(self.root / path)
        return url

    def current_user(self, explicit: str | None = None) -> str:
        """Who is acting: ``--user``, then ``TRANSLATOR_USER``, then the config, then the login name."""
        return explicit or os.environ.get("TRANSLATOR_USER") or self.user or _login_name()


def init_workspace(
    directory: Path,
    source: str,
    targets: str | list[str],
    database: str | None = None,
    glossary: list[str] | None = None,
) -> Workspace:
    """Create ``translator.toml`` and the database with its schema; refuses an existing workspace."""
    directory = directory.resolve()
    if (directory / CONFIG_NAME).exists():
        raise TranslatorError(f"{directory / CONFIG_NAME} already exists")
    if directory.exists() and not directory.is_dir():
        raise TranslatorError(f"{directory} exists and is not a directory")
    src = normalize_code(source)
    tgts = normalize_codes(targets)
    if not tgts:
        raise TranslatorError("no target languages given (e.g. --targets nl,de,fr)")
    if src in tgts:
        raise TranslatorError(f"the source language {src} cannot also be a target")
    workspace = Workspace(directory, src, tgts, glossary or [], database or DEFAULT_DATABASE)
    from .db import URL_SOURCE, get_engine, upgrade, url_named_by

    if os.environ.get("TRANSLATOR_DATABASE_URL"):
        url_source = "TRANSLATOR_DATABASE_URL"
    elif database is not None:
        url_source = "--database"
    else:
        url_source = URL_SOURCE
    try:
        get_engine(workspace.database_url)  # a URL that cannot be parsed is refused before anything is created
    except TranslatorError:
        if database is None or os.environ.get("TRANSLATOR_DATABASE_URL"):
            raise
        raise TranslatorError(f"--database {database!r} is not a database URL: use e.g. "
                              "postgresql+psycopg://user@host/db or sqlite:///path/to/translator.db") from None
    created = _new_paths(workspace)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / STATE_DIR).mkdir(exist_ok=True)
        (directory / STATE_DIR / ".gitignore").write_text("*\n", encoding="utf-8")
        with url_named_by(url_source):
            upgrade(workspace.database_url)
        workspace.config_path.write_text(render_config(workspace), encoding="utf-8")
    except BaseException as exc:
        _remove_new(created)  # a failed init leaves no folders, config or database file behind
        if isinstance(exc, OSError):
            raise TranslatorError(f"{directory}: cannot create the workspace: {exc.strerror}") from None
        raise
    return workspace


def _new_paths(workspace: Workspace) -> list[Path]:
    """What ``init`` may create that does not exist yet, outermost first."""
    directory = workspace.root
    candidates = [*reversed(directory.parents), directory, directory / STATE_DIR, directory / STATE_DIR / ".gitignore"]
    url = workspace.database_url
    if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
        db_file = Path(url[len("sqlite:///"):])
        candidates += [*reversed(db_file.parents), db_file,
                       *(db_file.with_name(db_file.name + end) for end in ("-wal", "-shm", "-journal"))]
    candidates.append(workspace.config_path)
    return [path for path in dict.fromkeys(candidates) if not (path.exists() or path.is_symlink())]


def _remove_new(created: list[Path]) -> None:
    import shutil

    for path in reversed(created):
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)  # it did not exist before this init, so all in it is ours
            else:
                path.unlink(missing_ok=True)
        except OSError:
            pass


def find_workspace(explicit: str | Path | None = None, start: Path | None = None) -> Workspace:
    """The workspace named by ``explicit`` or ``TRANSLATOR_WORKSPACE``, else the nearest one upward."""
    named = explicit or os.environ.get("TRANSLATOR_WORKSPACE")
    if named:
        root = Path(named).expanduser().resolve()
        if not (root / CONFIG_NAME).is_file():
            raise TranslatorError(f"no {CONFIG_NAME} in {root}")
        return load_workspace(root)
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return load_workspace(folder)
    raise TranslatorError(f"no {CONFIG_NAME} in {here} or above; create one with 'translator init'")


def load_workspace(root: Path) -> Workspace:
    """The workspace at ``root``, its ``translator.toml`` type-checked; unknown keys become ``config_warnings``."""
    path = root / CONFIG_NAME
    data = _read_config(path)
    tables = {name: _table(path, data, name) for name in CONFIG_KEYS}
    languages = tables["languages"]
    if "source" not in languages or "targets" not in languages:
        raise TranslatorError(f"{path}: [languages] needs 'source' and 'targets'")
    source, targets = _setting(path, tables, "languages", "source"), _setting(path, tables, "languages", "targets")
    try:
        source, targets = normalize_code(source), normalize_codes(targets)
    except TranslatorError as exc:
        raise TranslatorError(f"{path}: [languages] {exc}") from None
    if not targets:
        example = CONFIG_KEYS["languages"]["targets"]
        raise TranslatorError(f"{path}: [languages] targets lists no language, e.g. targets = {example}")
    return Workspace(
        root=root,
        source=source,
        targets=targets,
        glossary=_setting(path, tables, "glossary", "files", []),
        database=_setting(path, tables, "database", "url", DEFAULT_DATABASE),
        user=_setting(path, tables, "user", "name", None),
        models_dir=_setting(path, tables, "models", "dir", DEFAULT_MODELS_DIR),
        **_mt(path, tables["mt"]),
        disabled_checks=_checks(path, tables["checks"].get("disabled", [])),
        config_warnings=_unknown_keys(path, data),
    )


def _read_config(path: Path) -> dict:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TranslatorError(f"cannot read {path}: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise TranslatorError(f"{path}:{line}: not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as "
                              "UTF-8") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TranslatorError(f"{path}: {exc}") from None


def _table(path: Path, data: dict, name: str) -> dict:
    value = data.get(name, {})
    if not isinstance(value, dict):
        key, example = next(iter(CONFIG_KEYS[name].items()))
        raise TranslatorError(f"{path}: {name} must be a table: a line [{name}], then e.g. {key} = {example}")
    return value


def _setting(path: Path, tables: dict[str, dict], table: str, key: str,
             default: object = None):  # type: ignore[no-untyped-def]
    """``[table] key``: a string, or a list of strings where the example is a list; ``default`` when absent."""
    if key not in tables[table]:
        return default
    value, example = tables[table][key], CONFIG_KEYS[table][key]
    wanted = list if example.startswith("[") else str
    if not isinstance(value, wanted) or (wanted is list and not all(isinstance(v, str) for v in value)):
        what = "a list of strings" if wanted is list else "a string"
        raise TranslatorError(f"{path}: [{table}] {key} must be {what}, e.g. {key} = {example}")
    return value


def _unknown_keys(path: Path, data: dict) -> list[str]:
    """A warning per key this translator does not read: a misspelt key would otherwise be silently ignored."""
    found = [(f"[{key}]" if isinstance(value, dict) else key, [f"[{name}]" for name in CONFIG_KEYS])
             for key, value in data.items() if key not in CONFIG_KEYS]
    found += [(f"{key} in [{table}]", list(CONFIG_KEYS[table]))
              for table in CONFIG_KEYS if isinstance(data.get(table), dict)
              for key in data[table] if key not in CONFIG_KEYS[table]]
    return [_unknown_key(path, shown, known) for shown, known in found]


def _unknown_key(path: Path, shown: str, known: list[str]) -> str:
    key = shown.split(" in ")[0]
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}? " if close else ""
    return f"{path}: unknown key {shown} is ignored; {hint}known: {', '.join(known)}"


def _mt(path: Path, mt: object) -> dict:
    """``[mt] engines`` (or the older ``engine = "name"``) and ``[mt.languages]``, type-checked."""
    if not isinstance(mt, dict):
        raise TranslatorError(f"{path}: [mt] must be a table")
    engines = mt.get("engines", [mt["engine"]] if "engine" in mt else list(DEFAULT_ENGINES))
    if not isinstance(engines, list) or not engines or not all(isinstance(e, str) and e.strip() for e in engines):
        raise TranslatorError(f'{path}: [mt] engines must be a list of engine names, e.g. ["argos", "apertium"]')
    languages = mt.get("languages", {})
    if not isinstance(languages, dict) or not all(isinstance(v, str) and v.strip() for v in languages.values()):
        raise TranslatorError(f'{path}: [mt.languages] maps a target language to an engine, e.g. pt = "bergamot"')
    try:
        engine_for = {normalize_code(str(lang)): name.strip() for lang, name in languages.items()}
    except TranslatorError as exc:
        raise TranslatorError(f"{path}: [mt.languages] {exc}") from None
    return {"engines": [e.strip() for e in engines], "engine_for": engine_for}


def _checks(path: Path, ids: object) -> list[str]:
    """The QA checks switched off, validated: a typo must not silently switch nothing off."""
    if not isinstance(ids, list):
        raise TranslatorError(f"{path}: [checks] disabled must be a list of check ids")
    if not ids:
        return []
    from .checks import check_ids  # only when needed: the checks import babel's locale data

    try:
        return sorted(check_ids(str(i) for i in ids))
    except TranslatorError as exc:
        raise TranslatorError(f"{path}: [checks] {exc}") from None


def render_config(ws: Workspace) -> str:
    def toml_list(items: list[str]) -> str:
        return "[" + ", ".join(_toml_str(i) for i in items) + "]"

    return (
        "# translator workspace; see 'translator --help'\n\n"
        "[languages]\n"
        f"source = {_toml_str(ws.source)}\n"
        f"targets = {toml_list(ws.targets)}\n\n"
        "[glossary]\n"
        f"files = {toml_list(ws.glossary)}\n\n"
        "[database]\n"
        "# any SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db; TRANSLATOR_DATABASE_URL overrides it\n"
        f"url = {_toml_str(ws.database)}\n\n"
        "[models]\n"
        "# translation models (Argos packages); TRANSLATOR_MODELS_DIR overrides it\n"
        f"dir = {_toml_str(ws.models_dir)}\n\n"
        "[mt]\n"
        "# engines in order of preference ('translator engines' lists them and what serves each language);\n"
        "# built in: argos, bergamot, apertium; plug-ins register in the entry-point group translator.engines\n"
        f"engines = {toml_list(ws.engines)}\n\n"
        "[mt.languages]\n"
        "# an engine for one target language, e.g. pt = \"bergamot\"\n"
        + "".join(f"{_toml_key(lang)} = {_toml_str(name)}\n" for lang, name in ws.engine_for.items()) + "\n"
        "[checks]\n"
        "# QA checks to switch off, by id ('translator checks list')\n"
        f"disabled = {toml_list(ws.disabled_checks)}\n"
    )


def _toml_key(key: str) -> str:
    return key if key.replace("-", "").replace("_", "").isalnum() else _toml_str(key)


def _toml_str(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _login_name() -> str:
    try:
        return os.getlogin()
    except OSError:
        return os.environ.get("USER") or "unknown"

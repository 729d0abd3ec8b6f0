"""The bad-input corpus: one row per input a user may hand the CLI, with what must come of it.

Each row names the files to build in a fresh copy of the template workspace (``ws/``) or beside it
(``in/``, ``out/``), the command line, and the exit code; ``tests/test_bad_inputs.py`` runs the rows.
Files are built here, never committed, so the corpus stays small and reproducible.
"""

from __future__ import annotations

import io
import json
import random
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

ARTICLE_SLUG = "putin-xi-call"
SECOND_SLUG = "second-article"
SECOND_ARTICLE = (
    "Talks Resume in Geneva\n\n"
    "The delegations met again on Monday. They agreed to continue the talks next week.\n"
)
MARKUP_ARTICLE = (
    "Agency Copy [/bold] Arrived\n\n"
    "The agency sent [/bold] in its copy and [bold]this[/] too.\n\n"
    "A second paragraph keeps [red]colour[/red] tags.\n"
)
#: a copy of the example article's first paragraphs, to build large files from real prose
PROSE = (
    "Russian President Vladimir Putin and Chinese President Xi Jinping held a video call on Wednesday. "
    "The leaders described their strategic partnership as exemplary and discussed trade, energy and security. "
    "Bilateral trade reached 234 billion dollars in 2025, according to the ministry of commerce. "
    '"Our relations are stable," the minister told reporters after the meeting in Moscow. '
)


@dataclass(frozen=True)
class Corpus:
    """What rows build on, taken from the template workspace: its exports and a model package."""

    po: str  # translator export putin-xi-call --lang de --format po
    xliff: str  # the same as XLIFF 2.0
    tbx: str  # translator glossary export --out FILE.tbx
    package: bytes  # the tiny en -> de copy model, as .argosmodel
    pg_server: str | None  # the test PostgreSQL server (TRANSLATOR_TEST_POSTGRES_URL), if any


@dataclass(frozen=True)
class RowEnv:
    """Where one row runs: its folder (``ws/`` the workspace, ``in/`` inputs) and its own database."""

    root: Path
    corpus: Corpus
    database_url: str
    backend: str


#: builds a row's files; may return where the error must point ("bad.po:12") when that is computed
Builder = Callable[[RowEnv], "str | None"]


@dataclass(frozen=True)
class Row:
    id: str
    args: tuple[str, ...]  # after 'translator'; "{root}" is the row's folder
    exit: int | tuple[int, ...] = 2
    part: str = "6"  # the section of issue 12 the input comes from (6: our own additions)
    files: Builder | None = None
    setup: tuple[tuple[str, ...], ...] = ()  # commands run before the snapshot, each must exit 0
    cwd: str = "ws"
    where: str | None = None  # text the one error line must contain (the file, file:line, the input)
    heavy: bool = False  # pathological size: finishing (exit 0) or refusing (exit 2) both count, in time
    stdout_has: str | None = None
    stderr_has: str | None = None
    expect_files: tuple[str, ...] = ()  # files a successful row must have written (relative to the root)
    backends: tuple[str, ...] = ("sqlite", "postgresql")
    needs_pg_server: bool = False
    dump: bool = True  # False where the row itself breaks the database file
    env: tuple[tuple[str, str], ...] = ()


# -- building files -------------------------------------------------------------------------------

Content = bytes | str | Callable[[RowEnv], bytes | str]


def put(spec: dict[str, Content], where: str | None = None) -> Builder:
    """Write each ``relative path: content`` under the row's folder."""

    def build(env: RowEnv) -> str | None:
        for name, content in spec.items():
            data = content(env) if callable(content) else content
            path = env.root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return where

    return build


def both(*builders: Builder) -> Builder:
    def build(env: RowEnv) -> str | None:
        found = [b(env) for b in builders]
        return next((w for w in found if w), None)

    return build


def noise(size: int, seed: int = 12) -> bytes:
    return random.Random(seed).randbytes(size)


def config_edit(edit: Callable[[str], str]) -> Builder:
    """Change the workspace's translator.toml (its database URL stays the row's own)."""

    def build(env: RowEnv) -> None:
        path = env.root / "ws" / "translator.toml"
        # surrogateescape: an edit may add raw bytes ("\udce9" is the byte 0xe9) to make the file invalid UTF-8
        path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8", errors="surrogateescape")

    return build


def config_database(url: Callable[[RowEnv], str]) -> Builder:
    """Point the workspace's translator.toml at another database URL."""

    def build(env: RowEnv) -> None:
        path = env.root / "ws" / "translator.toml"
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        new = [f'url = "{url(env)}"\n' if line.startswith("url = ") else line for line in lines]
        path.write_text("".join(new), encoding="utf-8")

    return build


def pg_url(env: RowEnv, **parts: object) -> str:
    from sqlalchemy.engine import make_url

    assert env.corpus.pg_server
    return make_url(env.corpus.pg_server).set(**parts).render_as_string(hide_password=False)


def newer_schema(env: RowEnv) -> None:
    """The database as a newer translator leaves it: a schema revision this code does not know."""
    engine = create_engine(env.database_url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = 'ffffffffffff'"))
    finally:
        engine.dispose()


# PO files: the template's export, edited as a hand edit or a broken tool would.


def _po_lines(env: RowEnv) -> list[str]:
    return env.corpus.po.split("\n")


def _entry_line(lines: list[str], segment: int) -> int:
    """The 0-based index of segment ``segment``'s msgctxt line (msgid and msgstr follow, unwrapped)."""
    return lines.index(f'msgctxt "{ARTICLE_SLUG}/{segment}"')


def po_edit(edit: Callable[[list[str]], int | None], name: str = "bad.po", exact_line: bool = True) -> Builder:
    """Write the export with ``edit`` applied; ``edit`` returns the 0-based index of the bad line."""

    def build(env: RowEnv) -> str:
        lines = _po_lines(env)
        bad = edit(lines)
        (env.root / "in").mkdir(exist_ok=True)
        (env.root / "in" / name).write_text("\n".join(lines), encoding="utf-8")
        return f"{name}:{bad + 1}" if exact_line and bad is not None else name

    return build


def _set_msgstr(segment: int, line: str) -> Callable[[list[str]], int]:
    def edit(lines: list[str]) -> int:
        at = _entry_line(lines, segment) + 2
        assert lines[at].startswith("msgstr ")
        lines[at] = line
        return at

    return edit


def _set_msgid(segment: int, line: str) -> Callable[[list[str]], int]:
    def edit(lines: list[str]) -> int:
        at = _entry_line(lines, segment) + 1
        lines[at] = line
        return at

    return edit


def _insert_after_msgstr(segment: int, *new: str) -> Callable[[list[str]], int]:
    def edit(lines: list[str]) -> int:
        at = _entry_line(lines, segment) + 3
        lines[at:at] = list(new)
        return at + len(new) - 1

    return edit


def _set_msgctxt(segment: int, context: str) -> Callable[[list[str]], int]:
    def edit(lines: list[str]) -> int:
        at = _entry_line(lines, segment)
        lines[at] = f'msgctxt "{context}"'
        return at

    return edit


def _duplicate_entry(segment: int) -> Callable[[list[str]], int]:
    def edit(lines: list[str]) -> int:
        at = _entry_line(lines, segment)
        copy = ["", lines[at], lines[at + 1], 'msgstr "Ein zweiter Text für dasselbe Segment."']
        lines.extend(copy)
        return len(lines) - 3

    return edit


def _drop_msgstr(segment: int) -> Callable[[list[str]], int]:
    def edit(lines: list[str]) -> int:
        at = _entry_line(lines, segment) + 2
        del lines[at]
        return at

    return edit


def _po_language(language: str) -> Callable[[list[str]], None]:
    def edit(lines: list[str]) -> None:
        at = lines.index('"Language: de\\n"')
        lines[at] = f'"Language: {language}\\n"'

    return edit


def po_only_entry(context: str, name: str = "bad.po") -> Builder:
    """The export's header and one entry whose msgctxt is ``context``."""

    def build(env: RowEnv) -> str:
        lines = _po_lines(env)
        header = lines[: lines.index("") + 1]
        at = _entry_line(lines, 2)
        entry = [f'msgctxt "{context}"', lines[at + 1], 'msgstr "Der russische Präsident."', ""]
        (env.root / "in").mkdir(exist_ok=True)
        (env.root / "in" / name).write_text("\n".join(header + entry), encoding="utf-8")
        return name

    return build


def po_bytes(transform: Callable[[bytes], bytes], name: str = "bad.po") -> Builder:
    return put({f"in/{name}": lambda env: transform(env.corpus.po.encode("utf-8"))}, where=name)


def _latin1_msgstr(data: bytes) -> bytes:
    marker = b'msgctxt "putin-xi-call/2"'
    at = data.index(marker)
    end = data.index(b"\n\n", at)
    return data[:end] + b'\n\nmsgctxt "putin-xi-call/99"\nmsgid "x"\nmsgstr "Pr\xe4sident"' + data[end:]


def _nul_msgstr(data: bytes) -> bytes:
    changed = data.replace(b'msgstr "Russian', b'msgstr "Rus\x00sian', 1)
    assert changed != data
    return changed


# XLIFF files: the template's export, edited.


def xliff_edit(edit: Callable[[str], str], name: str = "bad.xlf") -> Builder:
    return put({f"in/{name}": lambda env: edit(env.corpus.xliff)}, where=name)


def _unit_id(new: str) -> Callable[[str], str]:
    return lambda doc: doc.replace('<unit id="s2"', f'<unit id="{new}"', 1)


def _xliff_only_unit(new_id: str) -> Callable[[str], str]:
    """The export with only segment 2's unit left, under ``new_id``."""

    def edit(doc: str) -> str:
        units = re.findall(r'    <unit id="s\d+".*?    </unit>\n', doc, flags=re.S)
        keep = next(u for u in units if u.startswith('    <unit id="s2"'))
        for unit in units:
            doc = doc.replace(unit, keep.replace('id="s2"', f'id="{new_id}"', 1) if unit is keep else "", 1)
        return doc

    return edit


def _with_doctype(doctype: str) -> Callable[[str], str]:
    def edit(doc: str) -> str:
        decl, _, rest = doc.partition("\n")
        return f"{decl}\n{doctype}\n{rest}"

    return edit


BILLION_LAUGHS = (
    '<!DOCTYPE bomb [<!ENTITY a "lollollollollollollollollollol">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
    + "]>"
)
EXTERNAL_ENTITY = '<!DOCTYPE doc [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'


def _entity_in_target(entity: str) -> Callable[[str], str]:
    return lambda doc: doc.replace("<target>", f"<target>&{entity};", 1)


def _nest_in_target(depth: int) -> Callable[[str], str]:
    return lambda doc: doc.replace("<target>", "<target>" + '<pc id="p">' * depth + "x" + "</pc>" * depth, 1)


# TMX, CSV and TBX files.

TMX = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<tmx version="1.4">\n'
    '  <header creationtool="desk" creationtoolversion="1" datatype="plaintext" segtype="sentence"'
    ' adminlang="en" srclang="en" o-tmf="none"/>\n'
    "  <body>\n"
    '    <tu><tuv xml:lang="en"><seg>The talks went well.</seg></tuv>'
    '<tuv xml:lang="de"><seg>Die Gespräche verliefen gut.</seg></tuv></tu>\n'
    "  </body>\n"
    "</tmx>\n"
)


def tmx(edit: Callable[[str], str] = lambda doc: doc, name: str = "memory.tmx") -> Builder:
    return put({f"in/{name}": edit(TMX)}, where=name)


CSV = (
    "kind,note,case_sensitive,whole_segment,en,de\n"
    "name,German chancellor,,,Olaf Scholz|Scholz,Olaf Scholz|Scholz\n"
    "title,,,,Foreign Minister,Außenminister|Außenministerin\n"
)


def csv(content: str | bytes, name: str = "terms.csv", where: str | None = None) -> Builder:
    return put({f"in/{name}": content}, where=where or name)


def tbx_edit(edit: Callable[[str], str], name: str = "terms.tbx") -> Builder:
    return put({f"in/{name}": lambda env: edit(env.corpus.tbx)}, where=name)


# Model packages.


def package_with(env: RowEnv, replace: dict[str, bytes], to_code: str = "fr",
                 extra: dict[str, bytes] | None = None) -> bytes:
    """The tiny model's archive as another pair, with some members' bytes replaced."""
    source = zipfile.ZipFile(io.BytesIO(env.corpus.package))
    new_top = f"translate-en_{to_code}-copy"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            inner = info.filename.split("/", 1)[1]
            data = source.read(info)
            if inner == "metadata.json":
                meta = json.loads(data)
                meta["to_code"], meta["to_name"] = to_code, to_code
                data = json.dumps(meta).encode()
            data = replace.get(inner, data)
            if info.is_dir():
                archive.writestr(f"{new_top}/{inner}", b"")
            else:
                archive.writestr(f"{new_top}/{inner}", data)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


def model(name: str, build: Callable[[RowEnv], bytes]) -> Builder:
    return put({f"in/{name}": build}, where=name)


# Pathological articles.


def _prose(size: int, sep: str = "\n\n") -> str:
    paragraphs = []
    total = 0
    while total < size:
        paragraphs.append(PROSE)
        total += len(PROSE) + len(sep)
    return "Agency Wire\n\n" + sep.join(paragraphs) + "\n"


def fifo(name: str) -> Builder:
    def build(env: RowEnv) -> str:
        import os

        (env.root / "in").mkdir(exist_ok=True)
        os.mkfifo(env.root / "in" / name)
        return name

    return build


def blocker(path: str) -> Builder:
    """A folder where an export wants to write a file: that format fails after the others."""

    def build(env: RowEnv) -> None:
        (env.root / path).mkdir(parents=True)
        (env.root / path / "keep.txt").write_text("not an export\n", encoding="utf-8")

    return build


ARTICLE_IN = "../in/story.txt"
STORY = "Talks in Geneva\n\nThe delegations met on Monday. They agreed to meet again.\n"
MARKUP_SETUP = (
    ("import", "../in/markup-copy.txt"),
    ("edit", "markup-copy", "2", "Die Agentur schickte [/bold] in ihrer Meldung.", "--lang", "de"),
    ("comment", "markup-copy", "2", "--lang", "de", "Check the [/bold] here"),
)
MARKUP_FILES = put({"in/markup-copy.txt": MARKUP_ARTICLE})
WIDE = (("COLUMNS", "200"),)


def _toml_prepend(line: str) -> Callable[[str], str]:
    return lambda doc: line + "\n" + doc


def _replace(old: str, new: str) -> Callable[[str], str]:
    def edit(doc: str) -> str:
        assert old in doc, old
        return doc.replace(old, new, 1)

    return edit


SQLITE_ONLY = ("sqlite",)  # rows that set the database itself: the workspace's backend plays no part

ROWS: list[Row] = [
    # ---- 1. malformed PO files change nothing -------------------------------------------------
    Row("po-msgstr-unquoted", ("import-translations", "../in/bad.po"), part="1",
        files=po_edit(_set_msgstr(2, "msgstr Der Anruf kam nach Wochen der Vorbereitung"))),
    Row("po-msgstr-unterminated", ("import-translations", "../in/bad.po"), part="1",
        files=po_edit(_set_msgstr(2, 'msgstr "Der Anruf kam nach Wochen'))),
    Row("po-stray-line", ("import-translations", "../in/bad.po"), part="1",
        files=po_edit(_insert_after_msgstr(2, "Der Anruf kam nach Wochen der Vorbereitung."))),
    Row("po-continuation-unquoted", ("import-translations", "../in/bad.po"), part="1",
        files=po_edit(_insert_after_msgstr(2, "der Vorbereitung."))),
    Row("po-msgid-unquoted", ("import-translations", "../in/bad.po"), part="1",
        files=po_edit(_set_msgid(3, "msgid The 1 hour 25 minute call came at a crucial time"))),
    Row("po-unknown-keyword", ("import-translations", "../in/bad.po"), part="1",
        files=po_edit(_set_msgstr(2, 'msgstrr "Der russische Präsident Wladimir Putin."'))),
    Row("po-invalid-escape", ("import-translations", "../in/bad.po"), part="1",
        files=po_edit(_set_msgstr(2, 'msgstr "Der russische \\q Präsident."'))),
    Row("po-plural-index-without-plural", ("import-translations", "../in/bad.po"), part="1",
        files=po_edit(_set_msgstr(2, 'msgstr[0] "Der russische Präsident."'))),
    Row("po-missing-msgstr", ("import-translations", "../in/bad.po"), part="1",
        files=po_edit(_drop_msgstr(2), exact_line=False)),
    Row("po-duplicate-entry", ("import-translations", "../in/bad.po"), part="1",
        files=po_edit(_duplicate_entry(2), exact_line=False)),
    Row("po-invalid-utf8", ("import-translations", "../in/bad.po"), part="1", files=po_bytes(_latin1_msgstr)),
    Row("po-nul-byte", ("import-translations", "../in/bad.po"), part="1", files=po_bytes(_nul_msgstr)),
    Row("po-empty-file", ("import-translations", "../in/bad.po"), part="1", files=put({"in/bad.po": b""}, "bad.po")),
    Row("po-binary", ("import-translations", "../in/bad.po"), part="1",
        files=put({"in/bad.po": noise(4096)}, "bad.po")),
    Row("po-foreign-language", ("import-translations", "../in/bad.po"), part="1",
        files=po_edit(_po_language("it"), exact_line=False)),
    # ---- 2. tracebacks: ids with Unicode digits, huge ids -----------------------------------------
    Row("po-unicode-digit-id", ("import-translations", "../in/bad.po"), part="2",
        files=po_edit(_set_msgctxt(2, f"{ARTICLE_SLUG}/²"), exact_line=False)),
    Row("po-arabic-indic-digit-id", ("import-translations", "../in/bad.po"), part="2",
        files=po_edit(_set_msgctxt(2, f"{ARTICLE_SLUG}/٣"), exact_line=False)),
    Row("po-huge-id", ("import-translations", "../in/bad.po"), part="6", exit=(1, 2),
        files=po_only_entry(f"{ARTICLE_SLUG}/99999999999999999999999")),
    Row("xliff-unicode-digit-id", ("import-translations", "../in/bad.xlf"), part="2",
        files=xliff_edit(_unit_id("s²"))),
    Row("xliff-arabic-indic-digit-id", ("import-translations", "../in/bad.xlf"), part="2",
        files=xliff_edit(_unit_id("s٣"))),
    Row("xliff-huge-id", ("import-translations", "../in/bad.xlf"), part="6", exit=(1, 2),
        files=xliff_edit(_xliff_only_unit("s99999999999999999999999"))),
    # ---- 2. rich markup in user text ------------------------------------------------------------
    Row("slug-rich-markup", ("import", ARTICLE_IN, "--slug", "[/]"), part="2", where="[/]",
        files=put({"in/story.txt": STORY})),
    Row("markup-article-articles", ("articles",), exit=0, part="2", files=MARKUP_FILES, setup=MARKUP_SETUP,
        stdout_has="[/bold]", env=WIDE),
    Row("markup-article-show", ("show", "markup-copy", "--lang", "de"), exit=0, part="2", files=MARKUP_FILES,
        setup=MARKUP_SETUP, stdout_has="[/bold]", env=WIDE),
    Row("markup-article-history", ("history", "markup-copy"), exit=0, part="2", files=MARKUP_FILES,
        setup=MARKUP_SETUP, stdout_has="[/bold]", env=WIDE),
    Row("markup-article-comments", ("comment", "markup-copy", "2", "--lang", "de"), exit=0, part="2",
        files=MARKUP_FILES, setup=MARKUP_SETUP, stdout_has="[/bold]", env=WIDE),
    Row("config-message-keeps-brackets", ("articles",), part="2", where="[languages]",
        files=config_edit(_replace('[languages]\nsource = "en"\n', "[languages]\n"))),
    # ---- 2. database problems -------------------------------------------------------------------
    Row("db-sqlite-missing-folder", ("articles",), part="2", backends=SQLITE_ONLY,
        files=config_database(lambda env: f"sqlite:///{env.root}/missing/folder/translator.db")),
    Row("db-sqlite-missing-folder-status", ("db", "status"), part="2", backends=SQLITE_ONLY,
        files=config_database(lambda env: f"sqlite:///{env.root}/missing/folder/translator.db")),
    Row("db-random-bytes", ("articles",), part="2", backends=SQLITE_ONLY, dump=False,
        files=put({"ws/.translator/translator.db": noise(64 * 1024)})),
    Row("db-random-bytes-upgrade", ("db", "upgrade"), part="2", backends=SQLITE_ONLY, dump=False,
        files=put({"ws/.translator/translator.db": noise(64 * 1024)})),
    Row("db-postgres-refused", ("articles",), part="2", backends=SQLITE_ONLY,
        files=config_database(lambda env: "postgresql+psycopg://postgres@127.0.0.1:9/newsroom")),
    Row("db-postgres-unknown-database", ("articles",), part="2", backends=SQLITE_ONLY, needs_pg_server=True,
        files=config_database(lambda env: pg_url(env, database="no_such_newsroom_db"))),
    Row("db-postgres-unknown-role", ("articles",), part="2", backends=SQLITE_ONLY, needs_pg_server=True,
        files=config_database(lambda env: pg_url(env, username="no_such_editor"))),
    Row("db-unknown-driver", ("articles",), part="2", backends=SQLITE_ONLY,
        files=config_database(lambda env: "nosuchdb://editor@127.0.0.1/newsroom")),
    Row("db-missing-driver", ("articles",), part="2", backends=SQLITE_ONLY,
        files=config_database(lambda env: "mysql://editor@127.0.0.1/newsroom")),
    Row("db-url-empty", ("articles",), part="6", backends=SQLITE_ONLY, files=config_database(lambda env: "")),
    Row("db-env-url-garbage", ("articles",), part="6", backends=SQLITE_ONLY,
        env=(("TRANSLATOR_DATABASE_URL", "not a url at all"),)),
    Row("db-upgrade-newer-schema", ("db", "upgrade"), part="2", files=newer_schema),
    Row("db-newer-schema-articles", ("articles",), part="2", files=newer_schema),
    # ---- 2. wrong inputs that crashed -----------------------------------------------------------
    Row("tm-search-threshold-nan", ("tm", "search", "The talks went well.", "--lang", "de", "--threshold", "nan"),
        part="2"),
    Row("config-targets-int", ("articles",), part="2",
        files=config_edit(_replace('targets = ["nl", "de", "fr", "es", "pt"]', "targets = 5"))),
    Row("config-top-level-user", ("articles",), part="2", files=config_edit(_toml_prepend('user = "bob"'))),
    # SQLite only: a misspelt [database] loses a PostgreSQL workspace its URL, so there the command must fail
    Row("config-misspelt-key-warns", ("articles",), exit=0, part="2", stderr_has="databse", backends=SQLITE_ONLY,
        files=config_edit(_replace("[database]", "[databse]"))),
    Row("review-without-terminal", ("review", ARTICLE_SLUG, "--lang", "de"), part="2"),
    Row("models-install-garbage-model", ("models", "install", "../in/translate-en_fr-copy.argosmodel"), part="2",
        files=model("translate-en_fr-copy.argosmodel",
                    lambda env: package_with(env, {"model/model.bin": noise(6 * 1024 * 1024, seed=3)}))),
    Row("models-install-garbage-tokenizer", ("models", "install", "../in/translate-en_fr-copy.argosmodel"),
        part="2", files=model("translate-en_fr-copy.argosmodel",
                              lambda env: package_with(env, {"sentencepiece.model": noise(2048, seed=4)}))),
    # ---- 3. hangs and blow-ups: finish or refuse in time ----------------------------------------
    Row("import-abbreviations-40kb", ("import", "../in/abbrev.txt"), part="3", heavy=True,
        files=put({"in/abbrev.txt": "Abbrev\n\n" + "a. " * 13333 + "\n"})),
    Row("import-single-line-280kb", ("import", "../in/one-line.txt"), part="3", heavy=True,
        files=put({"in/one-line.txt": "Agency Wire\n\n" + PROSE * (280_000 // len(PROSE)) + "\n"})),
    Row("import-5mb", ("import", "../in/five.txt"), part="3", heavy=True,
        files=put({"in/five.txt": lambda env: _prose(5_000_000)})),
    Row("import-50mb", ("import", "../in/fifty.txt"), part="3", heavy=True,
        files=put({"in/fifty.txt": lambda env: _prose(50_000_000)})),
    Row("import-html-30000-unclosed-a", ("import", "../in/links.html"), part="3", heavy=True,
        files=put({"in/links.html": "<html><body><h1>Links</h1><p>Read " + "<a " * 30000 + "</p></body></html>\n"})),
    Row("import-markdown-table-20000-rows", ("import", "../in/table.md"), part="3", heavy=True,
        files=put({"in/table.md": "# Results\n\n| region | votes |\n| --- | --- |\n"
                   + "".join(f"| district {i} | {i * 7} |\n" for i in range(20000))})),
    Row("import-named-pipe", ("import", "../in/wire.txt"), part="3", files=fifo("wire.txt")),
    Row("import-dev-zero", ("import", "/dev/zero", "--format", "text"), part="3", where="/dev/zero"),
    Row("translate-beam-100000", ("translate", "--all", "--lang", "de", "--beam", "100000"), part="3"),
    Row("report-fail-under-nan", ("report", "--fail-under", "nan"), part="3"),
    Row("import-utf16-with-encoding", ("import", ARTICLE_IN, "--encoding", "utf-16"), exit=0, part="3",
        stdout_has="imported", files=put({"in/story.txt": STORY.encode("utf-16")})),
    # ---- 4. failed commands leave nothing behind ------------------------------------------------
    Row("export-multi-format-fails", ("export", ARTICLE_SLUG, "--lang", "de", "--format", "text,po,xliff",
                                      "--out", "../out"), part="4",
        files=blocker(f"out/de/{ARTICLE_SLUG}.xlf")),
    Row("export-all-formats-fails-on-tmx", ("export", "--all", "--lang", "de", "--format", "all",
                                            "--out", "../out"), part="4",
        files=blocker("out/de/_workspace.tmx")),
    Row("init-database-garbage", ("init", "newdesk", "-s", "en", "-t", "de", "--database", "garbage"), part="4",
        cwd=".", where="garbage"),
    # ---- 5. languages that are not targets, comma-separated lists -------------------------------
    Row("review-lang-not-target", ("review", ARTICLE_SLUG, "--lang", "it"), part="5", where="it"),
    Row("translate-lang-not-target", ("translate", "--all", "--lang", "it"), part="5", where="it"),
    Row("export-lang-comma-separated", ("export", ARTICLE_SLUG, "--lang", "de,fr"), exit=0, part="5",
        expect_files=(f"ws/export/de/{ARTICLE_SLUG}.txt", f"ws/export/fr/{ARTICLE_SLUG}.txt")),
    # ==== 6. our own additions, against every command that reads input ==========================
    # import
    Row("import-empty-file", ("import", ARTICLE_IN), files=put({"in/story.txt": b""}), where="story.txt"),
    Row("import-whitespace-only", ("import", ARTICLE_IN), files=put({"in/story.txt": " \n\n\t\n"}),
        where="story.txt"),
    Row("import-png-as-text", ("import", ARTICLE_IN),
        files=put({"in/story.txt": b"\x89PNG\r\n\x1a\n" + noise(2048)}), where="story.txt"),
    Row("import-nul-bytes", ("import", ARTICLE_IN),
        files=put({"in/story.txt": STORY.replace("Monday", "Mon\x00day")}), where="story.txt"),
    Row("import-invalid-utf8", ("import", ARTICLE_IN),
        files=put({"in/story.txt": STORY.encode("utf-8") + "Pr\u00e4sident said.\n".encode("latin-1")}),
        where="story.txt"),
    Row("import-wrong-extension", ("import", "../in/story.pdf"), files=put({"in/story.pdf": STORY}),
        where="story.pdf"),
    Row("import-no-extension", ("import", "../in/story"), files=put({"in/story": STORY}), where="story"),
    Row("import-directory", ("import", "../in"), files=put({"in/story.txt": STORY})),
    Row("import-missing-file", ("import", "../in/nowhere.txt")),
    Row("import-unknown-encoding", ("import", ARTICLE_IN, "--encoding", "klingon-8"),
        files=put({"in/story.txt": STORY}), where="klingon-8"),
    Row("import-unknown-format", ("import", ARTICLE_IN, "--format", "docx"), files=put({"in/story.txt": STORY})),
    Row("import-unknown-language", ("import", ARTICLE_IN, "--lang", "xx-notalanguage"),
        files=put({"in/story.txt": STORY}), where="xx-notalanguage"),
    Row("import-slug-dotdot", ("import", ARTICLE_IN, "--slug", ".."), files=put({"in/story.txt": STORY})),
    Row("import-slug-parent-path", ("import", ARTICLE_IN, "--slug", "../escape"),
        files=put({"in/story.txt": STORY})),
    Row("import-slug-with-slash", ("import", ARTICLE_IN, "--slug", "world/europe"),
        files=put({"in/story.txt": STORY})),
    Row("import-slug-underscore-start", ("import", ARTICLE_IN, "--slug", "_workspace"),
        files=put({"in/story.txt": STORY})),
    Row("import-slug-500-chars", ("import", ARTICLE_IN, "--slug", "a" * 500), files=put({"in/story.txt": STORY})),
    Row("import-slug-with-two-files", ("import", ARTICLE_IN, "../in/other.txt", "--slug", "one"),
        files=put({"in/story.txt": STORY, "in/other.txt": SECOND_ARTICLE})),
    Row("import-dev-null", ("import", "/dev/null", "--format", "text"), where="/dev/null"),
    Row("import-utf8-bom", ("import", ARTICLE_IN), exit=0, stdout_has="imported",
        files=put({"in/story.txt": "\ufeff" + STORY})),
    Row("import-utf16-bom-detected", ("import", ARTICLE_IN), exit=0, part="3", stdout_has="imported",
        files=put({"in/story.txt": STORY.encode("utf-16")})),
    Row("import-crlf", ("import", ARTICLE_IN), exit=0, stdout_has="imported",
        files=put({"in/story.txt": STORY.replace("\n", "\r\n")})),
    Row("import-html-deep-nesting", ("import", "../in/deep.html"), heavy=True,
        files=put({"in/deep.html": "<html><body>" + "<div>" * 100_000 + "Deep text." + "</div>" * 100_000
                   + "</body></html>\n"})),
    Row("import-markdown-deep-quotes", ("import", "../in/deep.md"), heavy=True,
        files=put({"in/deep.md": "# Quotes\n\n" + ">" * 50_000 + " Deep quote.\n"})),
    Row("import-200000-paragraphs", ("import", "../in/many.txt"), heavy=True,
        files=put({"in/many.txt": "Many\n\n" + "".join(f"Line {i} ends here.\n\n" for i in range(200_000))})),
    # import-translations
    Row("po-wrong-extension", ("import-translations", "../in/bad.txt"),
        files=put({"in/bad.txt": lambda env: env.corpus.po}, "bad.txt")),
    Row("po-named-pipe", ("import-translations", "../in/wire.po"), part="3", files=fifo("wire.po")),
    Row("xliff-not-well-formed", ("import-translations", "../in/bad.xlf"),
        files=xliff_edit(lambda doc: doc[: len(doc) // 2])),
    Row("xliff-billion-laughs", ("import-translations", "../in/bad.xlf"),
        files=xliff_edit(lambda doc: _entity_in_target("j")(_with_doctype(BILLION_LAUGHS)(doc)))),
    Row("xliff-external-entity", ("import-translations", "../in/bad.xlf"),
        files=xliff_edit(lambda doc: _entity_in_target("secret")(_with_doctype(EXTERNAL_ENTITY)(doc)))),
    Row("xliff-deeply-nested", ("import-translations", "../in/bad.xlf"), files=xliff_edit(_nest_in_target(100_000))),
    Row("xliff-wrong-root", ("import-translations", "../in/bad.xlf"),
        files=put({"in/bad.xlf": '<?xml version="1.0"?>\n<html><body>not xliff</body></html>\n'}, "bad.xlf")),
    Row("xliff-no-trglang", ("import-translations", "../in/bad.xlf"),
        files=xliff_edit(_replace(' trgLang="de"', ""))),
    Row("xliff-foreign-trglang", ("import-translations", "../in/bad.xlf"),
        files=xliff_edit(_replace(' trgLang="de"', ' trgLang="it"'))),
    Row("xliff-version-1.2", ("import-translations", "../in/bad.xlf"),
        files=put({"in/bad.xlf": '<?xml version="1.0"?>\n<xliff version="1.2" '
                   'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file source-language="en" target-language="de" '
                   'datatype="plaintext" original="x"><body><trans-unit id="2"><source>a</source>'
                   "<target>b</target></trans-unit></body></file></xliff>\n"}, "bad.xlf")),
    Row("xliff-empty-file", ("import-translations", "../in/bad.xlf"), files=put({"in/bad.xlf": b""}, "bad.xlf")),
    Row("xliff-utf16", ("import-translations", "../in/utf16.xlf"), exit=0,
        files=put({"in/utf16.xlf": lambda env: env.corpus.xliff.replace("encoding='UTF-8'", "encoding='UTF-16'", 1)
                   .encode("utf-16")})),
    # tm import / search / export
    Row("tmx-empty-file", ("tm", "import", "../in/memory.tmx"), files=put({"in/memory.tmx": b""}, "memory.tmx")),
    Row("tmx-binary", ("tm", "import", "../in/memory.tmx"), files=put({"in/memory.tmx": noise(4096)}, "memory.tmx")),
    Row("tmx-plain-text", ("tm", "import", "../in/memory.tmx"), files=put({"in/memory.tmx": STORY}, "memory.tmx")),
    Row("tmx-truncated", ("tm", "import", "../in/memory.tmx"), files=tmx(lambda doc: doc[: len(doc) - 30])),
    Row("tmx-billion-laughs", ("tm", "import", "../in/memory.tmx"),
        files=tmx(lambda doc: _with_doctype(BILLION_LAUGHS)(doc).replace("went well.", "went &j;", 1))),
    Row("tmx-external-entity", ("tm", "import", "../in/memory.tmx"),
        files=tmx(lambda doc: _with_doctype(EXTERNAL_ENTITY)(doc).replace("went well.", "went &secret;", 1))),
    Row("tmx-deeply-nested", ("tm", "import", "../in/memory.tmx"),
        files=tmx(_replace("<seg>The talks", "<seg>" + '<hi>' * 100_000 + "The talks" + "</hi>" * 100_000))),
    Row("tmx-wrong-root", ("tm", "import", "../in/memory.tmx"),
        files=tmx(lambda doc: doc.replace("<tmx ", "<memory ").replace("</tmx>", "</memory>"))),
    Row("tmx-tuv-without-lang", ("tm", "import", "../in/memory.tmx"),
        files=tmx(_replace('<tuv xml:lang="de">', "<tuv>"))),
    Row("tmx-unknown-language", ("tm", "import", "../in/memory.tmx"),
        files=tmx(_replace('<tuv xml:lang="de">', '<tuv xml:lang="xx-notalanguage">'))),
    Row("tmx-tuv-without-seg", ("tm", "import", "../in/memory.tmx"),
        files=tmx(_replace("<seg>Die Gespräche verliefen gut.</seg>", ""))),
    Row("tmx-invalid-utf8", ("tm", "import", "../in/memory.tmx"),
        files=put({"in/memory.tmx": TMX.replace("Gespräche", "Gespr\udce4che").encode("utf-8", "surrogateescape")},
                  "memory.tmx")),
    Row("tmx-nul-byte", ("tm", "import", "../in/memory.tmx"), files=tmx(_replace("went well", "went\x00 well"))),
    Row("tmx-named-pipe", ("tm", "import", "../in/memory.tmx"), part="3", files=fifo("memory.tmx")),
    Row("tmx-dev-zero", ("tm", "import", "/dev/zero"), part="3", where="/dev/zero"),
    Row("tm-search-threshold-inf", ("tm", "search", "The talks went well.", "--lang", "de", "--threshold", "inf")),
    Row("tm-search-limit-zero", ("tm", "search", "The talks went well.", "--lang", "de", "-n", "0")),
    Row("tm-search-unknown-language", ("tm", "search", "The talks went well.", "--lang", "xx-notalanguage"),
        where="xx-notalanguage"),
    Row("tm-export-missing-folder", ("tm", "export", "--out", "../out/missing/memory.tmx")),
    Row("tm-export-out-is-folder", ("tm", "export", "--out", "../in"), files=put({"in/keep.txt": "keep\n"})),
    # glossary
    Row("csv-empty-file", ("glossary", "import", "../in/terms.csv"), files=csv(b"")),
    Row("csv-binary", ("glossary", "import", "../in/terms.csv"), files=csv(noise(4096))),
    Row("csv-no-kind-column", ("glossary", "import", "../in/terms.csv"),
        files=csv(CSV.replace("kind,", "type,", 1), where="terms.csv:1")),
    Row("csv-unknown-kind", ("glossary", "import", "../in/terms.csv"),
        files=csv(CSV.replace("title,,", "person,,", 1), where="terms.csv:3")),
    Row("csv-wrong-cell-count", ("glossary", "import", "../in/terms.csv"),
        files=csv(CSV + "name,,,,Emmanuel Macron,Emmanuel Macron,Macron,Macron\n", where="terms.csv:4")),
    Row("csv-invalid-utf8", ("glossary", "import", "../in/terms.csv"),
        files=csv(CSV.encode("utf-8") + "name,,,,Zürich,Zürich\n".encode("latin-1"), where="terms.csv:4")),
    Row("csv-nul-byte", ("glossary", "import", "../in/terms.csv"),
        files=csv(CSV.replace("Olaf Scholz|Scholz,", "Olaf\x00Scholz,", 1))),
    Row("csv-huge-cell", ("glossary", "import", "../in/terms.csv"),
        files=csv(CSV + "name," + "n" * 300_000 + ",,,Angela Merkel,Angela Merkel\n")),
    Row("csv-unknown-column", ("glossary", "import", "../in/terms.csv"),
        files=csv(CSV.replace("kind,note", "kind,colour", 1), where="terms.csv:1")),
    Row("csv-bad-language-column", ("glossary", "import", "../in/terms.csv"),
        files=csv(CSV.replace(",de\n", ",xx-notalanguage\n", 1), where="terms.csv:1")),
    Row("csv-unclosed-quote", ("glossary", "import", "../in/terms.csv"),
        files=csv(CSV + 'name,"never closed,,,Boris Pistorius,Boris Pistorius\n')),
    Row("glossary-wrong-extension", ("glossary", "import", "../in/terms.xlsx"),
        files=put({"in/terms.xlsx": noise(2048)}, "terms.xlsx")),
    Row("glossary-named-pipe", ("glossary", "import", "../in/terms.csv"), part="3", files=fifo("terms.csv")),
    Row("tbx-billion-laughs", ("glossary", "import", "../in/terms.tbx"),
        files=tbx_edit(lambda doc: _with_doctype(BILLION_LAUGHS)(doc).replace("<term>", "<term>&j;", 1))),
    Row("tbx-not-well-formed", ("glossary", "import", "../in/terms.tbx"),
        files=tbx_edit(lambda doc: doc[: len(doc) // 3])),
    Row("tbx-wrong-root", ("glossary", "import", "../in/terms.tbx"),
        files=put({"in/terms.tbx": '<?xml version="1.0"?>\n<glossary><entry/></glossary>\n'}, "terms.tbx")),
    Row("tbx-empty-file", ("glossary", "import", "../in/terms.tbx"), files=put({"in/terms.tbx": b""}, "terms.tbx")),
    Row("glossary-add-term-without-equals", ("glossary", "add", "--kind", "name", "-t", "en")),
    Row("glossary-add-unknown-language", ("glossary", "add", "--kind", "name", "-t", "xx-notalanguage=Foo"),
        where="xx-notalanguage"),
    Row("glossary-add-empty-forms", ("glossary", "add", "--kind", "name", "-t", "en=", "-t", "de=")),
    Row("glossary-find-unknown-language", ("glossary", "find", "Putin spoke.", "--lang", "xx-notalanguage"),
        where="xx-notalanguage"),
    Row("glossary-remove-unknown", ("glossary", "remove", "No Such Person")),
    Row("glossary-export-wrong-extension", ("glossary", "export", "--out", "../out/terms.xlsx")),
    # models
    Row("models-install-not-a-zip", ("models", "install", "../in/translate-en_fr.argosmodel"),
        files=put({"in/translate-en_fr.argosmodel": STORY}, "translate-en_fr.argosmodel")),
    Row("models-install-dotdot-member", ("models", "install", "../in/translate-en_fr-copy.argosmodel"),
        files=model("translate-en_fr-copy.argosmodel",
                    lambda env: package_with(env, {}, extra={"translate-en_fr-copy/../../escape.txt": b"x"}))),
    Row("models-install-absolute-member", ("models", "install", "../in/translate-en_fr-copy.argosmodel"),
        files=model("translate-en_fr-copy.argosmodel",
                    lambda env: package_with(env, {}, extra={"/tmp/escape-bad-inputs.txt": b"x"}))),
    Row("models-install-missing-file", ("models", "install", "../in/nowhere.argosmodel")),
    Row("models-remove-not-installed", ("models", "remove", "en", "it")),
    # init
    Row("init-unknown-source", ("init", "newdesk", "-s", "xx-notalanguage", "-t", "de"), cwd=".",
        where="xx-notalanguage"),
    Row("init-source-is-target", ("init", "newdesk", "-s", "en", "-t", "de,en"), cwd="."),
    Row("init-empty-targets", ("init", "newdesk", "-s", "en", "-t", ","), cwd="."),
    Row("init-existing-workspace", ("init", ".", "-s", "en", "-t", "de")),
    Row("init-into-a-file", ("init", "../in/story.txt", "-s", "en", "-t", "de"), files=put({"in/story.txt": STORY})),
    Row("init-postgres-refused", ("init", "newdesk", "-s", "en", "-t", "de", "--database",
                                  "postgresql+psycopg://postgres@127.0.0.1:9/newsroom"), cwd="."),
    # config
    Row("config-not-toml", ("articles",), files=put({"ws/translator.toml": "[languages\nsource = en\n"}),
        where="translator.toml"),
    Row("config-invalid-utf8", ("articles",), files=config_edit(lambda doc: doc + "# caf\udce9\n"),
        where="translator.toml"),
    Row("config-source-unknown", ("articles",), files=config_edit(_replace('source = "en"', 'source = "xx-zz"'))),
    Row("config-mt-engines-string", ("articles",), part="2", where="[mt]",
        files=config_edit(_replace('engines = ["argos", "bergamot", "apertium"]', 'engines = "argos"'))),
    Row("config-checks-unknown-id", ("articles",), part="2", where="[checks]",
        files=config_edit(_replace("disabled = []", 'disabled = ["no-such-check"]'))),
    Row("config-glossary-files-string", ("glossary", "import"), where="translator.toml",
        files=config_edit(_replace("files = []", 'files = "world-news.csv"'))),
    Row("config-database-url-number", ("articles",), backends=SQLITE_ONLY,
        files=config_edit(lambda doc: re.sub(r'(?m)^url = ".*"$', "url = 5", doc))),
    Row("config-languages-not-table", ("articles",), where="[languages]",
        files=config_edit(_replace('[languages]\nsource = "en"\ntargets = ["nl", "de", "fr", "es", "pt"]\n',
                                   'languages = "en"\n'))),
    Row("workspace-option-missing-folder", ("-w", "../nowhere", "articles")),
    # translate
    Row("translate-beam-zero", ("translate", "--all", "--lang", "de", "--beam", "0")),
    Row("translate-beam-negative", ("translate", "--all", "--lang", "de", "--beam", "-4")),
    Row("translate-unknown-article", ("translate", "no-such-article", "--lang", "de"), where="no-such-article"),
    Row("translate-unknown-language", ("translate", "--all", "--lang", "xx-notalanguage"), where="xx-notalanguage"),
    # review and scripts
    Row("review-unknown-status", ("review", ARTICLE_SLUG, "--lang", "de", "--status", "finished"),
        where="finished"),
    Row("review-unknown-check", ("review", ARTICLE_SLUG, "--lang", "de", "--check", "no-such-check"),
        where="no-such-check"),
    Row("review-unknown-article", ("review", "no-such-article", "--lang", "de"), where="no-such-article"),
    Row("approve-segment-zero", ("approve", ARTICLE_SLUG, "0", "--lang", "de")),
    Row("approve-segment-huge", ("approve", ARTICLE_SLUG, "99999999999999999999999", "--lang", "de")),
    Row("approve-segment-negative", ("approve", "--lang", "de", "--", ARTICLE_SLUG, "-3")),
    Row("approve-segment-not-a-number", ("approve", ARTICLE_SLUG, "two", "--lang", "de")),
    Row("approve-unknown-article", ("approve", "no-such-article", "1", "--lang", "de"), where="no-such-article"),
    Row("edit-version-huge", ("edit", ARTICLE_SLUG, "2", "Der russische Präsident.", "--lang", "de",
                              "--version", "99999999999999999999999")),
    Row("edit-lang-not-target", ("edit", ARTICLE_SLUG, "2", "Il presidente russo.", "--lang", "it"), part="5"),
    Row("reject-empty-reason", ("reject", ARTICLE_SLUG, "2", "--lang", "de", "-r", "")),
    Row("revert-to-unknown-event", ("revert", ARTICLE_SLUG, "2", "--lang", "de", "--to", "999999")),
    Row("revert-to-huge-event", ("revert", ARTICLE_SLUG, "2", "--lang", "de", "--to", "99999999999999999999999")),
    Row("comment-reply-to-unknown", ("comment", ARTICLE_SLUG, "2", "Agreed.", "--lang", "de", "--reply-to", "999999")),
    Row("approve-all-unknown-status", ("approve-all", "--lang", "de", "--status", "finished"), where="finished"),
    Row("history-unknown-article", ("history", "no-such-article"), where="no-such-article"),
    Row("history-segment-huge", ("history", ARTICLE_SLUG, "99999999999999999999999")),
    Row("show-unknown-language", ("show", ARTICLE_SLUG, "--lang", "xx-notalanguage"), where="xx-notalanguage"),
    Row("show-lang-not-target", ("show", ARTICLE_SLUG, "--lang", "it")),
    Row("show-unknown-article", ("show", "no-such-article"), where="no-such-article"),
    # export
    Row("export-lang-not-target", ("export", ARTICLE_SLUG, "--lang", "it"), part="5", where="it"),
    Row("export-unknown-format", ("export", ARTICLE_SLUG, "--lang", "de", "--format", "docx"), where="docx"),
    Row("export-unknown-article", ("export", "no-such-article", "--lang", "de"), where="no-such-article"),
    Row("export-slug-dotdot", ("export", "..", "--lang", "de")),
    Row("export-out-is-a-file", ("export", ARTICLE_SLUG, "--lang", "de", "--out", "../in/story.txt"),
        files=put({"in/story.txt": STORY})),
    # report
    Row("report-fail-under-inf", ("report", "--fail-under", "inf")),
    Row("report-fail-under-negative", ("report", "--fail-under", "-5")),
    Row("report-days-zero", ("report", "--days", "0")),
    Row("report-lang-not-target", ("report", "--lang", "it"), part="5", where="it"),
    Row("report-unknown-article", ("report", "--article", "no-such-article"), where="no-such-article"),
    Row("report-out-missing-folder", ("report", "--format", "html", "--out", "../out/missing/coverage.html")),
]

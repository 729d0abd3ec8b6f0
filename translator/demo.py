"""The demo: the whole pipeline on the example article, in a fresh workspace.

Initialise, import the example translation memory, the default glossary and the example article,
then machine-translate into every target language that has a model (pivoting through English
where needed). Languages without a model are named with the command that installs one.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .articles import ImportReport, import_files
from .db import get_engine, transaction
from .errors import TranslatorError
from .glossary import import_glossary_files
from .memory import TranslationMemory
from .mt.engine import MissingModel
from .mt.routing import load_engine
from .mt.pretranslate import LanguageRun, Progress, pretranslate
from .overview import ArticleRow, SegmentRow, article_segments, list_articles
from .tm_files import import_tmx
from .workspace import CONFIG_NAME, DEFAULT_MODELS_DIR, Workspace, init_workspace

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
ARTICLE = EXAMPLES / "putin-xi-call.txt"
MEMORY = EXAMPLES / "newsroom-memory.tmx"
GLOSSARY = REPO / "glossary" / "world-news.csv"


@dataclass
class DemoReport:
    workspace: Workspace
    tm_units: int = 0
    glossary_concepts: int = 0
    article: ImportReport | None = None
    runs: list[LanguageRun] = field(default_factory=list)
    missing: dict[str, str] = field(default_factory=dict)  # language -> how to install its model
    engines: dict[str, str] = field(default_factory=dict)  # language -> the engine that translates it
    articles: list[ArticleRow] = field(default_factory=list)
    shown: list[SegmentRow] = field(default_factory=list)  # the first machine-translated language's segments


#: what a step of the demo has just done, for the one line the CLI prints per step
Step = Callable[[str, DemoReport], None]


def run_demo(directory: Path, source: str, targets: list[str], user: str, *, replace: bool = False,
             article: Path = ARTICLE, progress: Progress | None = None, step: Step | None = None) -> DemoReport:
    """The pipeline in ``directory``; ``step`` hears of each stage as it ends: "workspace", "memory",
    "glossary", "article", "engines" (then ``progress`` follows machine translation)."""
    for needed in (article, MEMORY, GLOSSARY):
        if not needed.is_file():
            raise TranslatorError(f"{needed} not found: the demo runs from a checkout of the translator repository")
    if (directory / CONFIG_NAME).exists():
        if not replace:
            raise TranslatorError(f"{directory} is already a workspace; pass --replace to start it afresh")
        _clear(directory)
    workspace = init_workspace(directory, source, targets, glossary=[str(GLOSSARY)])
    report = DemoReport(workspace)

    def done(stage: str) -> None:
        if step:
            step(stage, report)

    done("workspace")
    with transaction(workspace.database_url) as session:
        report.tm_units = import_tmx(TranslationMemory(session), MEMORY, user).added
        done("memory")
        report.glossary_concepts = import_glossary_files(session, [GLOSSARY], workspace.source, user).concepts
        done("glossary")
        [report.article] = import_files(session, workspace, [article], user)
    done("article")
    translatable = []
    for lang in workspace.targets:
        try:
            report.engines[lang] = load_engine(workspace, workspace.source, lang).id
            translatable.append(lang)
        except MissingModel as exc:
            report.missing[lang] = str(exc)
    done("engines")
    if translatable:
        report.runs = pretranslate(workspace, user, languages=translatable, progress=progress)
    translated = next((run.language for run in report.runs if run.translated), None)
    with transaction(workspace.database_url, write=False) as session:
        report.articles = list_articles(session)
        if translated and report.article:
            report.shown = article_segments(session, report.article.slug, [translated])
    return report


def _clear(directory: Path) -> None:
    """Empty a demo workspace for a fresh run, keeping the models installed into it (downloads, or
    packages copied in by hand, that a re-run could not get back offline)."""
    get_engine.cache_clear()  # pooled connections would keep writing to the database file deleted here
    models = directory / DEFAULT_MODELS_DIR
    for folder in (directory, models.parent):
        for path in list(folder.iterdir()) if folder.is_dir() else []:
            if path in (models, models.parent):
                continue
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()

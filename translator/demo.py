"""The demo: the whole pipeline on the example article, in a fresh workspace.

Initialise, import the example translation memory, the default glossary and the example article,
then machine-translate into every target language that has a model (pivoting through English
where needed). Languages without a model are named with the command that installs one.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .articles import ImportReport, import_files
from .db import transaction
from .errors import TranslatorError
from .glossary import import_glossary_files
from .memory import TranslationMemory
from .mt.engine import MissingModel
from .mt.routing import load_engine
from .mt.pretranslate import LanguageRun, Progress, pretranslate
from .overview import ArticleRow, SegmentRow, article_segments, list_articles
from .tm_files import import_tmx
from .workspace import CONFIG_NAME, Workspace, init_workspace

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
    articles: list[ArticleRow] = field(default_factory=list)
    shown: list[SegmentRow] = field(default_factory=list)  # the first machine-translated language's segments


def run_demo(directory: Path, source: str, targets: list[str], user: str, *, replace: bool = False,
             article: Path = ARTICLE, progress: Progress | None = None) -> DemoReport:
    for needed in (article, MEMORY, GLOSSARY):
        if not needed.is_file():
            raise TranslatorError(f"{needed} not found: the demo runs from a checkout of the translator repository")
    if (directory / CONFIG_NAME).exists():
        if not replace:
            raise TranslatorError(f"{directory} is already a workspace; pass --replace to start it afresh")
        shutil.rmtree(directory)  # only ever a folder with translator.toml in it
    workspace = init_workspace(directory, source, targets, glossary=[str(GLOSSARY)])
    report = DemoReport(workspace)
    with transaction(workspace.database_url) as session:
        report.tm_units = import_tmx(TranslationMemory(session), MEMORY, user).added
        report.glossary_concepts = import_glossary_files(session, [GLOSSARY], workspace.source, user).concepts
        [report.article] = import_files(session, workspace, [article], user)
    translatable = []
    for lang in workspace.targets:
        try:
            load_engine(workspace, workspace.source, lang)
            translatable.append(lang)
        except MissingModel as exc:
            report.missing[lang] = str(exc)
    if translatable:
        report.runs = pretranslate(workspace, user, languages=translatable, progress=progress)
    translated = next((run.language for run in report.runs if run.translated), None)
    with transaction(workspace.database_url, write=False) as session:
        report.articles = list_articles(session)
        if translated and report.article:
            report.shown = article_segments(session, report.article.slug, [translated])
    return report

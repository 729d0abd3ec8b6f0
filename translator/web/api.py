"""The REST API, ``/api/v1``: articles, segments, translations (read, edit, approve, reject, comments).

Requests carry ``Authorization: Bearer <token>`` (``translator users token NAME``) and are allowed
what the token's user is allowed on the pages (``permissions``). A translation's ``ETag`` is its
version: a change needs ``If-Match`` (428 without it) and is refused with 412 when someone saved
meanwhile. Lists page with an opaque ``cursor``; every error is ``{"error": {"code", "message"}}``.
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, Response, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from .. import desk, review
from ..articles import import_files
from ..db import storable, transaction
from ..download import requested
from ..errors import NotFound, TranslatorError
from ..glossary import Glossary
from ..localize import Fallback
from ..memory import DEFAULT_THRESHOLD, TranslationMemory
from ..models import Comment, Translation
from ..permissions import Action, Actor, require
from ..report import DEFAULT_DAYS, build_report, render as render_report
from ..review import Conflict, Target
from ..workspace import Workspace
from .responses import attachment
from .security import bearer_actor
from .uploads import uploaded

router = APIRouter(prefix="/api/v1", tags=["v1"])
MAX_PAGE = 200


def workspace_of(request: Request) -> Workspace:
    return request.app.state.workspace


def api_actor(request: Request) -> Actor:
    actor = bearer_actor(request, workspace_of(request))
    if actor is None:
        raise HTTPException(401, "a live API token is needed: Authorization: Bearer <token> "
                                 "(translator users token NAME)", headers={"WWW-Authenticate": "Bearer"})
    request.state.user = actor.name
    return actor


# -- shapes --------------------------------------------------------------------------------------------


class LanguageProgress(BaseModel):
    statuses: dict[str, int] = Field(description="segments per status")
    approved_words_percent: float | None
    findings: int = Field(description="QA findings on translations not approved yet")


class ArticleItem(BaseModel):
    slug: str
    title: str
    updated_at: datetime
    segments: int
    words: int
    languages: dict[str, LanguageProgress]


class ArticleList(BaseModel):
    items: list[ArticleItem]
    next: str | None = Field(description="cursor of the next page (none: this is the last)")


class TranslationItem(BaseModel):
    id: int
    article: str
    segment: int = Field(description="the segment's number in the article, from 1")
    language: str
    source: str
    text: str | None
    status: str
    version: int
    updated_by: str | None
    flags: list[dict[str, Any]]


class SegmentList(BaseModel):
    items: list[TranslationItem]
    next: str | None


class TextChange(BaseModel):
    text: str


class Rejection(BaseModel):
    reason: str


class CommentIn(BaseModel):
    text: str
    reply_to: int | None = None


class CommentItem(BaseModel):
    id: int
    reply_to: int | None
    user: str
    text: str
    created_at: datetime


# -- articles and segments -----------------------------------------------------------------------------


@router.get("/articles", response_model=ArticleList, summary="Articles with their progress per language")
def articles(request: Request, actor: Actor = Depends(api_actor), lang: str | None = None,
             cursor: str | None = None, limit: int = Query(50, ge=1, le=MAX_PAGE)) -> ArticleList:
    workspace = workspace_of(request)
    languages = actor.languages_among(workspace.require_targets(lang))
    offset = _offset(cursor)
    with transaction(workspace.database_url, write=False) as session:
        page = desk.articles(session, languages, offset=offset, limit=limit)
    items = [ArticleItem(slug=a.slug, title=a.title, updated_at=a.updated_at, segments=a.segments, words=a.words,
                         languages={lang: LanguageProgress(
                             statuses={s: n for s, (n, _) in a.statuses.get(lang, {}).items()},
                             approved_words_percent=a.approved_share(lang), findings=a.findings.get(lang, 0))
                             for lang in languages})
             for a in page.articles]
    return ArticleList(items=items, next=_cursor(offset + limit) if offset + limit < page.total else None)


@router.get("/articles/{slug}/segments", response_model=SegmentList,
            summary="An article's segments with their translation into one language")
def segments(request: Request, slug: str, lang: str, actor: Actor = Depends(api_actor), cursor: str | None = None,
             limit: int = Query(100, ge=1, le=MAX_PAGE)) -> SegmentList:
    workspace = workspace_of(request)
    [lang] = workspace.require_targets(lang)
    require(actor, Action.READ, lang)
    offset = _offset(cursor)
    with transaction(workspace.database_url, write=False) as session:
        lines = desk.segments(session, slug, lang)
    items = [_item_of(slug, lang, line) for line in lines[offset:offset + limit]]
    return SegmentList(items=items, next=_cursor(offset + limit) if offset + limit < len(lines) else None)


# -- one translation -----------------------------------------------------------------------------------


@router.get("/translations/{translation_id}", response_model=TranslationItem, summary="One translation; "
            "its ETag is its version")
def translation(request: Request, response: Response, translation_id: int,
                actor: Actor = Depends(api_actor)) -> TranslationItem:
    with transaction(workspace_of(request).database_url, write=False) as session:
        target = _visible(session, actor, translation_id)
        item = _item(session, target, translation_id)
    response.headers["ETag"] = _etag(item.version)
    return item


@router.patch("/translations/{translation_id}", response_model=TranslationItem,
              summary="Change a translation's text (If-Match: its ETag)")
def change(request: Request, response: Response, translation_id: int, body: TextChange,
           actor: Actor = Depends(api_actor)) -> TranslationItem:
    return _write(request, response, translation_id, actor, Action.EDIT,
                  lambda session, target, version: review.edit(session, target, body.text, actor.name, version))


@router.post("/translations/{translation_id}/approve", response_model=TranslationItem,
             summary="Approve a translation (If-Match: its ETag); QA errors refuse it")
def approve(request: Request, response: Response, translation_id: int,
            actor: Actor = Depends(api_actor)) -> TranslationItem:
    return _write(request, response, translation_id, actor, Action.APPROVE,
                  lambda session, target, version: review.approve(session, target, actor.name, version))


@router.post("/translations/{translation_id}/reject", response_model=TranslationItem,
             summary="Reject a translation with a reason (If-Match: its ETag)")
def reject(request: Request, response: Response, translation_id: int, body: Rejection,
           actor: Actor = Depends(api_actor)) -> TranslationItem:
    return _write(request, response, translation_id, actor, Action.REJECT,
                  lambda session, target, version: review.reject(session, target, body.reason, actor.name, version))


@router.get("/translations/{translation_id}/comments", response_model=list[CommentItem],
            summary="The comments on a translation's segment in its language, oldest first")
def comments(request: Request, translation_id: int, actor: Actor = Depends(api_actor)) -> list[CommentItem]:
    with transaction(workspace_of(request).database_url, write=False) as session:
        target = _visible(session, actor, translation_id)
        return [_comment(c) for c in review.comments(session, target)]


@router.post("/translations/{translation_id}/comments", response_model=CommentItem, status_code=201,
             summary="Comment on a translation's segment (or reply to a comment)")
def add_comment(request: Request, translation_id: int, body: CommentIn,
                actor: Actor = Depends(api_actor)) -> CommentItem:
    with transaction(workspace_of(request).database_url) as session:
        target = _visible(session, actor, translation_id)
        require(actor, Action.COMMENT, target.language)
        return _comment(review.comment(session, target, body.text, actor.name, body.reply_to))


# -- lookups, reports, exports, imports ----------------------------------------------------------------


class MatchItem(BaseModel):
    score: float
    source: str
    target: str
    origin: str
    approved: bool


class TermItem(BaseModel):
    source: str = Field(description="the term as the text has it")
    start: int
    end: int
    target: str = Field(description="the form a translation must contain")
    variants: list[str]
    forbidden: list[str]
    kind: str


class ImportItem(BaseModel):
    slug: str
    title: str
    summary: str
    created: bool
    added: int
    changed: int
    removed: int
    unchanged: int


@router.get("/tm", response_model=list[MatchItem], summary="Translation memory search: exact, then fuzzy")
def tm_search(request: Request, q: str, lang: str, actor: Actor = Depends(api_actor),
              threshold: float = Query(DEFAULT_THRESHOLD, ge=0, le=100),
              limit: int = Query(5, ge=1, le=100)) -> list[MatchItem]:
    workspace = workspace_of(request)
    [lang] = workspace.require_targets(lang)
    require(actor, Action.READ, lang)
    with transaction(workspace.database_url, write=False) as session:
        found = TranslationMemory(session).search(workspace.source, lang, q, threshold, limit)
        return [MatchItem(score=round(m.score, 1), source=m.unit.source, target=m.unit.target,
                          origin=m.unit.origin.value, approved=m.unit.approved) for m in found]


@router.get("/glossary", response_model=list[TermItem], summary="The glossary terms in a text, with the "
            "forms a translation into the language must use")
def glossary_lookup(request: Request, text: str, lang: str, actor: Actor = Depends(api_actor)) -> list[TermItem]:
    workspace = workspace_of(request)
    [lang] = workspace.require_targets(lang)
    require(actor, Action.READ, lang)
    with transaction(workspace.database_url, write=False) as session:
        matches = Glossary.load(session, workspace.source, lang).find(text)
    return [TermItem(source=m.text, start=m.start, end=m.end, target=m.target, variants=list(m.variants),
                     forbidden=list(m.forbidden), kind=m.kind.value) for m in matches]


@router.get("/report", summary="The coverage report's figures (as translator report --format json)")
def report(request: Request, actor: Actor = Depends(api_actor), lang: str | None = None,
           article: str | None = None, days: int = Query(DEFAULT_DAYS, ge=1, le=3660)) -> Response:
    require(actor, Action.REPORT)
    workspace = workspace_of(request)
    languages = actor.languages_among(workspace.require_targets(lang))
    with transaction(workspace.database_url, write=False) as session:
        figures = build_report(session, languages, article=article, days=days)
    return Response(render_report(figures, "json"), media_type="application/json")


@router.get("/articles/{slug}/export", summary="Download an article: one language in one format, or a zip",
            response_class=Response)
def export_article(request: Request, slug: str, actor: Actor = Depends(api_actor), lang: str | None = None,
                   format: str = "all", only_approved: bool = False,
                   fallback: Fallback = Fallback.SOURCE) -> Response:
    with transaction(workspace_of(request).database_url, write=False) as session:
        made = requested(session, workspace_of(request), actor, slug, lang, format, only_approved, fallback.value)
    return attachment(made)


@router.post("/articles", response_model=ImportItem, status_code=201,
             summary="Import or re-import an article (text, Markdown or HTML file upload)")
def import_article(request: Request, file: UploadFile = File(...), slug: str | None = Form(None),
                   actor: Actor = Depends(api_actor)) -> ImportItem:
    require(actor, Action.IMPORT)
    workspace = workspace_of(request)
    with uploaded(file) as path, transaction(workspace.database_url) as session:
        [done] = import_files(session, workspace, [path], actor.name, slug=slug or None)
    return ImportItem(slug=done.slug, title=done.title, summary=done.summary, created=done.created, added=done.added,
                      changed=done.changed, removed=done.removed, unchanged=done.unchanged)


def _write(request: Request, response: Response, translation_id: int, actor: Actor, action: Action,
           change) -> TranslationItem:  # type: ignore[no-untyped-def]
    match = request.headers.get("if-match")
    with transaction(workspace_of(request).database_url) as session:
        target = _visible(session, actor, translation_id)
        require(actor, action, target.language)
        if match is None:
            raise HTTPException(428, "If-Match is needed: the ETag of the version you change "
                                     f"(GET /api/v1/translations/{translation_id})")
        version = _version(match)
        try:
            change(session, target, version)
        except Conflict as conflict:
            raise HTTPException(412, str(conflict)) from None
        item = _item(session, target, translation_id)
    response.headers["ETag"] = _etag(item.version)
    return item


def _visible(session: Session, actor: Actor, translation_id: int) -> Target:
    """The translation, if the actor may read its language: one in another language is as unknown as
    one that does not exist, so ids cannot be probed across languages."""
    target = review.target_of(session, translation_id)
    if not actor.may(Action.READ, target.language):
        raise NotFound(f"no translation {translation_id}")
    return target


def _item(session: Session, target: Target, translation_id: int) -> TranslationItem:
    tr = session.get(Translation, translation_id)
    return TranslationItem(id=tr.id, article=target.slug, segment=target.segment, language=tr.language,
                           source=tr.segment.source, text=tr.text, status=tr.status.value, version=tr.version,
                           updated_by=tr.updated_by, flags=list(tr.flags or []))


def _item_of(slug: str, lang: str, line: desk.SegmentLine) -> TranslationItem:
    return TranslationItem(id=line.translation_id, article=slug, segment=line.number, language=lang, source=line.source,
                           text=line.text, status=line.status, version=line.version, updated_by=line.updated_by,
                           flags=line.flags)


def _comment(c: Comment) -> CommentItem:
    return CommentItem(id=c.id, reply_to=c.reply_to, user=c.user, text=c.text, created_at=c.created_at)


def _etag(version: int) -> str:
    return f'"{version}"'


def _version(match: str) -> int:
    value = match.strip()
    if value.startswith("W/"):
        value = value[2:]
    try:
        return int(value.strip('"'))
    except ValueError:
        raise HTTPException(412, f"If-Match {match!r} is no ETag of this API (a version in quotes, e.g. \"3\")") \
            from None


def _cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=")


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if text.startswith("o") and text[1:].isdigit() and storable(int(text[1:])):
            return int(text[1:])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise TranslatorError(f"cursor {cursor!r} is not one this API gave")

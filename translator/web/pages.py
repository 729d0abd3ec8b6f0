"""The browser pages: sign-in, the articles list, one article's segments, the segment editor, search.

A route parses the request, asks ``permissions.require``, calls a service and renders a template;
htmx requests get the fragment they replace. Every state-changing request carries the CSRF token.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2
from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from .. import desk, history, review, review_queue, users
from ..articles import import_files
from ..db import transaction
from ..download import requested
from ..errors import TranslatorError
from ..export import FORMATS
from ..localize import Fallback
from ..permissions import Action, Actor, Forbidden, Role, parse_role, require, require_grant
from ..report import DEFAULT_DAYS, build_report, render as render_report
from ..review import Conflict, Target
from ..status import Status, parse_statuses
from ..workspace import Workspace
from .security import CSRF_FIELD, CSRF_HEADER, SAFE_METHODS, ClientThrottle, csrf_token, csrf_valid, \
    session_actor, stamp
from .responses import attachment
from .uploads import uploaded

APPROVED_ONLY = frozenset({Status.APPROVED})
MAX_PAGE = 100_000  # of the articles list: past any workspace's end, and within what a query's OFFSET takes

# every value escaped, whatever the template: article, translation and comment text is untrusted
TEMPLATES = Jinja2Templates(env=jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                                                   autoescape=True, undefined=jinja2.StrictUndefined))
TEMPLATES.env.globals["Action"] = Action


async def csrf_checked(request: Request) -> None:
    """Every state-changing page request carries the session's CSRF token (form field or htmx header)."""
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")):
        sent = (await request.form()).get(CSRF_FIELD)  # type: ignore[assignment]
    if not csrf_valid(request, sent if isinstance(sent, str) else None):
        raise HTTPException(403, "the form is out of date or came from another site (CSRF check): reload the page")


router = APIRouter(dependencies=[Depends(csrf_checked)], include_in_schema=False)


def workspace_of(request: Request) -> Workspace:
    return request.app.state.workspace


def signed_in(request: Request) -> Actor:
    """The signed-in user; anyone else goes to the sign-in page."""
    actor = session_actor(request, workspace_of(request))
    if actor is None:
        if request.headers.get("hx-request"):
            # not a redirect that htmx would follow into the editor's place: the page, and the text typed
            # in it, stay as they are, and keys.js says what happened
            raise HTTPException(401, "you are signed out (the session ended): sign in again in another tab, "
                                     "then save; your text is still here")
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise HTTPException(303, "sign in first", headers={"Location": f"/signin?next={quote(target)}"})
    request.state.user = actor.name
    return actor


def render(request: Request, template: str, status: int = 200, **context: object) -> HTMLResponse:
    context.setdefault("actor", None)
    return TEMPLATES.TemplateResponse(request, template, {"csrf": csrf_token(request), **context},
                                      status_code=status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status=status, status_code=status, message=message,
                  actor=session_actor(request, workspace_of(request)))


# -- signing in ------------------------------------------------------------------------------------------


@router.get("/signin")
def signin_form(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "signin.html", next=_local(next), name="", problem=None)


@router.post("/signin")
def signin(request: Request, name: str = Form(""), password: str = Form(""), next: str = Form("/")) -> Response:
    client = request.client.host if request.client else "unknown"
    throttle: ClientThrottle = request.app.state.throttle
    if throttle.blocked(client):
        return render(request, "signin.html", status=429, next=_local(next), name=name,
                      problem="too many failed sign-ins from this address: try again later")
    with transaction(workspace_of(request).database_url) as session:
        outcome = users.sign_in(session, name, password)
        user_id, user_stamp = (outcome.user.id, stamp(outcome.user)) if outcome.user else (None, "")
    if user_id is None:
        throttle.failed(client)
        return render(request, "signin.html", status=401, next=_local(next), name=name, problem=outcome.problem)
    request.session.clear()  # a new session: nothing from before signing in carries over
    request.session.update({"user": user_id, "stamp": user_stamp})
    csrf_token(request)
    return RedirectResponse(_local(next), status_code=303)


@router.post("/signout")
def signout(request: Request) -> Response:
    request.session.clear()
    return RedirectResponse("/signin", status_code=303)


# -- articles ------------------------------------------------------------------------------------------


@router.get("/")
def article_list(request: Request, actor: Actor = Depends(signed_in), lang: str = "", status: str = "",
                 findings: bool = False, since: str = "", page: int = 1) -> HTMLResponse:
    workspace = workspace_of(request)
    languages = actor.languages_among(workspace.require_targets(lang or None))
    wanted = desk.ArticleFilter(next(iter(parse_statuses(status)), None), findings, _date(since))
    page = min(max(page, 1), MAX_PAGE)
    with transaction(workspace.database_url, write=False) as session:
        listed = desk.articles(session, languages, wanted, offset=(page - 1) * desk.PAGE)
    return render(request, "articles.html", actor=actor, listed=listed, languages=languages, page=page,
                  targets=actor.languages_among(workspace.targets), statuses=[s.value for s in Status],
                  chosen={"lang": lang, "status": status, "findings": findings, "since": since})


@router.post("/articles")
def upload(request: Request, actor: Actor = Depends(signed_in), file: UploadFile = File(...),
           slug: str = Form("")) -> HTMLResponse:
    """Import (or re-import) an article from an uploaded text, Markdown or HTML file."""
    require(actor, Action.IMPORT)
    workspace = workspace_of(request)
    with uploaded(file) as path, transaction(workspace.database_url) as session:
        reports = import_files(session, workspace, [path], actor.name, slug=slug.strip() or None)
    return render(request, "imported.html", actor=actor, reports=reports)


@router.get("/articles/{slug}")
def article_overview(request: Request, slug: str, actor: Actor = Depends(signed_in)) -> HTMLResponse:
    """The article in every language the user reads: progress, whether it can be published, downloads."""
    workspace = workspace_of(request)
    languages = actor.languages_among(workspace.targets)
    with transaction(workspace.database_url, write=False) as session:
        progress = desk.progress(session, slug, languages)
    rows = [{"lang": lang, "share": progress.approved_share(lang), "statuses": progress.statuses.get(lang, {}),
             "missing": desk.unpublished(progress, lang), "unapproved": desk.unpublished(progress, lang, APPROVED_ONLY),
             "exports": actor.may(Action.EXPORT, lang)} for lang in languages]
    return render(request, "overview.html", actor=actor, progress=progress, rows=rows, formats=FORMATS,
                  fallbacks=[f.value for f in Fallback])


@router.get("/articles/{slug}/download")
def download(request: Request, slug: str, actor: Actor = Depends(signed_in), lang: str = "", format: str = "all",
             only_approved: bool = False, fallback: str = Fallback.SOURCE.value) -> Response:
    """One language in one format, or a zip (every format, or every language the user exports)."""
    with transaction(workspace_of(request).database_url, write=False) as session:
        made = requested(session, workspace_of(request), actor, slug, lang or None, format, only_approved, fallback)
    return attachment(made)


@router.get("/articles/{slug}/{lang}")
def article(request: Request, slug: str, lang: str, actor: Actor = Depends(signed_in), status: str = "",
            check: str = "") -> HTMLResponse:
    workspace = workspace_of(request)
    [lang] = workspace.require_targets(lang)
    require(actor, Action.READ, lang)
    with transaction(workspace.database_url, write=False) as session:
        title = desk.article_title(session, slug)
        lines = desk.segments(session, slug, lang, parse_statuses(status) if status else (), check or None)
    return render(request, "article.html", actor=actor, slug=slug, title=title, lang=lang, lines=lines,
                  statuses=[s.value for s in Status], chosen={"status": status, "check": check},
                  languages=actor.languages_among(workspace.targets))


# -- the segment editor --------------------------------------------------------------------------------


def _target(request: Request, slug: str, lang: str, number: int) -> Target:
    [lang] = workspace_of(request).require_targets(lang)
    return Target(slug, number, lang)


@dataclass(frozen=True)
class Offer:
    """A text the translator may take into the box: the MT draft, the plain MT, a TM suggestion."""

    label: str
    text: str
    diff: list[tuple[str, str]] = field(default_factory=list)  # a TM unit's source against the segment's


def _editor(request: Request, actor: Actor, target: Target, status: int = 200, **extra: object) -> HTMLResponse:
    workspace = workspace_of(request)
    with transaction(workspace.database_url, write=False) as session:
        segment_id = _segment_id(session, target)  # first: NotFound for a number the article does not have
        view = review_queue.view(session, target)
        events = history.events(session, segment_id=segment_id, language=target.language)
        count = len(desk.segments(session, target.slug, target.language))
    findings = [{"check": f.get("check", ""), "severity": review_queue.flag_severity(f),
                 "message": review_queue.flag_message(f)} for f in view.flags]
    offers = [Offer("MT draft", view.mt_draft)] if view.mt_draft else []
    offers += [Offer("plain MT (before the glossary)", str(f["alternative"])) for f in view.flags
               if f.get("alternative")]
    offers += [Offer(f"TM {m.score:.0f}% · {m.origin}{' · approved' if m.approved else ''}", m.target,
                     review_queue.word_diff(m.source, view.source) if m.source != view.source else [])
               for m in view.matches]
    template = "editor.html" if request.headers.get("hx-request") is None else "editor_panel.html"
    extra = {"conflict": None, "problem": None, "mine": None, **extra}
    return render(request, template, status=status, actor=actor, view=view, events=events, count=count,
                  findings=findings, errors=any(f["severity"] == "error" for f in findings),
                  suggestions=list({o.text: o for o in offers if o.text}.values()),
                  highlight=highlight, source_lang=workspace.source, **extra)


def highlight(source: str, terms: list[review_queue.TermLine]) -> list[tuple[str, review_queue.TermLine | None]]:
    """``source`` in pieces, each glossary term's occurrences with their term line (leftmost, longest first)."""
    spans: list[tuple[int, int, review_queue.TermLine]] = []
    for term in sorted(terms, key=lambda t: -len(t.source)):
        at = source.find(term.source)
        while term.source and at >= 0:
            end = at + len(term.source)
            if not any(s < end and at < e for s, e, _ in spans):
                spans.append((at, end, term))
            at = source.find(term.source, end)
    pieces: list[tuple[str, review_queue.TermLine | None]] = []
    at = 0
    for start, end, term in sorted(spans, key=lambda span: span[0]):
        if start > at:
            pieces.append((source[at:start], None))
        pieces.append((source[start:end], term))
        at = end
    if at < len(source):
        pieces.append((source[at:], None))
    return pieces


def _segment_id(session: Session, target: Target) -> int:
    _, segment, _ = review.load(session, target)
    return segment.id


@router.get("/articles/{slug}/{lang}/{number}")
def editor(request: Request, slug: str, lang: str, number: int, actor: Actor = Depends(signed_in)) -> HTMLResponse:
    target = _target(request, slug, lang, number)
    require(actor, Action.READ, target.language)
    return _editor(request, actor, target)


def _change(request: Request, actor: Actor, target: Target, change: Callable[[Session], object], then: str = "stay",
            mine: str | None = None) -> Response:
    """``change`` in one transaction; the editor again (or the next segment), with the conflict or the
    problem shown and the typed text kept when it is refused."""
    try:
        with transaction(workspace_of(request).database_url) as session:
            change(session)
    except Conflict as conflict:
        # both texts shown, the typed one kept in the form: nothing the user wrote is lost
        return _editor(request, actor, target, status=409, conflict=str(conflict), mine=mine)
    except TranslatorError as problem:
        return _editor(request, actor, target, status=422, problem=str(problem), mine=mine)
    return _next(request, actor, target, then)


@router.post("/articles/{slug}/{lang}/{number}/save")
def save(request: Request, slug: str, lang: str, number: int, actor: Actor = Depends(signed_in),
         text: str = Form(""), version: int = Form(...), then: str = Form("stay")) -> Response:
    target = _target(request, slug, lang, number)
    require(actor, Action.EDIT, target.language)
    if then == "approve":
        require(actor, Action.APPROVE, target.language)

    def saved(session: Session) -> None:
        edited = review.edit(session, target, text, actor.name, version)
        if then == "approve":
            review.approve(session, target, actor.name, edited.version)

    return _change(request, actor, target, saved, then, mine=text)


@router.post("/articles/{slug}/{lang}/{number}/approve")
def approve(request: Request, slug: str, lang: str, number: int, actor: Actor = Depends(signed_in),
            version: int = Form(...), then: str = Form("stay")) -> Response:
    target = _target(request, slug, lang, number)
    require(actor, Action.APPROVE, target.language)
    return _change(request, actor, target, lambda session: review.approve(session, target, actor.name, version), then)


@router.post("/articles/{slug}/{lang}/{number}/reject")
def reject(request: Request, slug: str, lang: str, number: int, actor: Actor = Depends(signed_in),
           version: int = Form(...), reason: str = Form("")) -> Response:
    target = _target(request, slug, lang, number)
    require(actor, Action.REJECT, target.language)
    return _change(request, actor, target, lambda session: review.reject(session, target, reason, actor.name, version))


@router.post("/articles/{slug}/{lang}/{number}/revert")
def revert(request: Request, slug: str, lang: str, number: int, actor: Actor = Depends(signed_in),
           version: int = Form(...), event: int = Form(...)) -> Response:
    target = _target(request, slug, lang, number)
    require(actor, Action.EDIT, target.language)
    return _change(request, actor, target, lambda session: review.revert(session, target, event, actor.name, version))


@router.post("/articles/{slug}/{lang}/{number}/comment")
def comment(request: Request, slug: str, lang: str, number: int, actor: Actor = Depends(signed_in),
            text: str = Form(""), reply_to: str = Form("")) -> Response:
    target = _target(request, slug, lang, number)
    require(actor, Action.COMMENT, target.language)
    try:
        answered = int(reply_to) if reply_to.strip() else None
    except ValueError:
        raise HTTPException(422, f"reply_to: {reply_to!r} is not a comment number") from None
    return _change(request, actor, target, lambda session: review.comment(session, target, text, actor.name, answered))


def _next(request: Request, actor: Actor, target: Target, then: str) -> Response:
    if then in ("next", "approve"):
        with transaction(workspace_of(request).database_url, write=False) as session:
            count = len(desk.segments(session, target.slug, target.language))
        if target.segment < count:
            url = f"/articles/{quote(target.slug)}/{target.language}/{target.segment + 1}"
            if request.headers.get("hx-request"):  # htmx fetches the next editor into this one's place
                return Response(status_code=204, headers={"HX-Location": json.dumps(
                    {"path": url, "target": "#editor", "swap": "outerHTML"})})
            return RedirectResponse(url, status_code=303)
    return _editor(request, actor, target)


# -- users -------------------------------------------------------------------------------------------


def _users_page(request: Request, actor: Actor, status: int = 200, problem: str | None = None) -> HTMLResponse:
    require(actor, Action.MANAGE_USERS)
    workspace = workspace_of(request)
    with transaction(workspace.database_url, write=False) as session:
        people = [{"name": u.name, "role": u.role, "languages": list(u.languages or []),
                   "password": u.password_hash is not None, "tokens": sum(t.revoked_at is None for t in u.tokens),
                   "locked": bool(u.locked_until and u.locked_until > users.now()),
                   "changeable": actor.may_grant(u.role)} for u in users.list_users(session)]
    return render(request, "users.html", status=status, actor=actor, people=people, problem=problem,
                  roles=[r for r in Role if actor.may_grant(r)], targets=workspace.targets)


def _user_change(request: Request, actor: Actor, change: Callable[[Session], object]) -> Response:
    try:
        with transaction(workspace_of(request).database_url) as session:
            change(session)
    except Forbidden:
        raise
    except TranslatorError as problem:
        return _users_page(request, actor, status=422, problem=str(problem))
    return RedirectResponse("/users", status_code=303)


@router.get("/users")
def user_list(request: Request, actor: Actor = Depends(signed_in)) -> HTMLResponse:
    return _users_page(request, actor)


@router.post("/users")
def user_add(request: Request, actor: Actor = Depends(signed_in), name: str = Form(""), role: str = Form(""),
             languages: list[str] = Form([]), password: str = Form("")) -> Response:
    wanted = parse_role(role)
    require_grant(actor, wanted)
    targets = workspace_of(request).targets
    return _user_change(request, actor, lambda session: users.add_user(session, name.strip(), wanted, languages,
                                                                       targets, password or None))


def _managed(session: Session, actor: Actor, name: str) -> None:
    """Forbidden unless ``actor`` may change user ``name`` as they are now."""
    require_grant(actor, users.get_user(session, name).role)


@router.post("/users/{name}/change")
def user_change(request: Request, name: str, actor: Actor = Depends(signed_in), role: str = Form(""),
                languages: list[str] = Form([])) -> Response:
    wanted = parse_role(role)
    require_grant(actor, wanted)
    targets = workspace_of(request).targets

    def change(session: Session) -> None:
        _managed(session, actor, name)
        users.change_user(session, name, targets, wanted, languages)

    return _user_change(request, actor, change)


@router.post("/users/{name}/password")
def user_password(request: Request, name: str, actor: Actor = Depends(signed_in),
                  password: str = Form("")) -> Response:
    def change(session: Session) -> None:
        _managed(session, actor, name)
        users.set_password(session, name, password)

    return _user_change(request, actor, change)


@router.post("/users/{name}/remove")
def user_remove(request: Request, name: str, actor: Actor = Depends(signed_in)) -> Response:
    def change(session: Session) -> None:
        _managed(session, actor, name)
        users.remove_user(session, name)

    return _user_change(request, actor, change)


# -- the coverage report ------------------------------------------------------------------------------


@router.get("/report")
def report(request: Request, actor: Actor = Depends(signed_in), lang: str = "", article: str = "",
           days: int = DEFAULT_DAYS) -> HTMLResponse:
    """``translator report --format html`` as a live page: the same figures and the same renderer."""
    require(actor, Action.REPORT)
    workspace = workspace_of(request)
    languages = actor.languages_among(workspace.require_targets(lang or None))
    if not 1 <= days <= 3660:
        raise TranslatorError(f"days: {days} is not between 1 and 3660")
    with transaction(workspace.database_url, write=False) as session:
        figures = build_report(session, languages, article=article or None, days=days)
    return HTMLResponse(render_report(figures, "html"))


# -- search --------------------------------------------------------------------------------------------


@router.get("/search")
def search(request: Request, q: str = "", lang: str = "", actor: Actor = Depends(signed_in)) -> HTMLResponse:
    workspace = workspace_of(request)
    languages = actor.languages_among(workspace.require_targets(lang or None))
    with transaction(workspace.database_url, write=False) as session:
        hits = desk.search(session, q, languages)
    return render(request, "search.html", actor=actor, q=q, lang=lang, hits=hits,
                  languages=actor.languages_among(workspace.targets))


def _local(url: str) -> str:
    """Only a path of this site: a sign-in link cannot send the user elsewhere."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not url.startswith("/") or url.startswith("//") or "\\" in url:
        return "/"
    return url


def _date(text: str) -> datetime | None:
    if not text.strip():
        return None
    try:
        day = datetime.fromisoformat(text.strip())
    except ValueError:
        raise TranslatorError(f"{text!r} is not a date (YYYY-MM-DD)") from None
    return day if day.tzinfo else day.replace(tzinfo=timezone.utc)

"""The web application: the pages and ``/api/v1`` over one workspace, with their middleware.

``create_app(workspace)`` builds it (tests call it directly); ``translator serve`` runs it with uvicorn,
``app_from_environment`` being the factory its worker processes import.
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from ..db import check_schema, current_revision
from ..errors import NotFound, TranslatorError
from ..mt.adhoc import AdHoc
from ..permissions import Forbidden
from ..workspace import Workspace, find_workspace
from . import api, libretranslate, pages
from .docs import reference
from .responses import api_error, is_api
from .security import SESSION_COOKIE, ClientThrottle, SecurityHeaders, session_secret

STATIC = Path(__file__).parent / "static"
#: the environment variable naming the workspace for uvicorn's worker processes
WORKSPACE_VARIABLE = "TRANSLATOR_WORKSPACE"
#: a signed-in session lasts this long without a new sign-in
SESSION_SECONDS = 12 * 3600

log = logging.getLogger("translator.web")


def create_app(workspace: Workspace) -> FastAPI:
    check_schema(workspace.database_url)
    app = FastAPI(title="translator", version=_version(), openapi_url="/api/openapi.json", docs_url=None,
                  redoc_url=None, description="The newsroom translation desk's API: articles, segments, "
                  "translations, review, TM and glossary lookups, reports and exports.")
    app.state.workspace = workspace
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(pages.router)
    app.include_router(api.router)
    app.include_router(libretranslate.router)
    app.state.adhoc = AdHoc(workspace)
    app.state.throttle = ClientThrottle()  # sign-in failures per client address, for this app's life
    app.add_middleware(SessionMiddleware, secret_key=session_secret(workspace), session_cookie=SESSION_COOKIE,
                       max_age=SESSION_SECONDS, same_site="lax", https_only=False)
    app.add_middleware(SecurityHeaders)

    @app.middleware("http")
    async def request_log(request: Request, call_next):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        response = await call_next(request)
        # one JSON object per request: what a log collector reads without a pattern
        log.info(json.dumps({"method": request.method, "path": request.url.path, "status": response.status_code,
                             "ms": round((time.perf_counter() - started) * 1000, 1),
                             "user": getattr(request.state, "user", None)}, ensure_ascii=False))
        return response

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> JSONResponse:
        try:
            revision = current_revision(workspace.database_url)
        except TranslatorError as exc:
            return JSONResponse({"status": "error", "problem": str(exc)}, status_code=503)
        return JSONResponse({"status": "ok", "schema": revision})

    @app.get("/api/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        endpoints, shapes = reference(app.openapi())
        return pages.render(request, "docs.html", endpoints=endpoints, shapes=shapes, actor=None)

    @app.exception_handler(Forbidden)
    def forbidden(request: Request, exc: Forbidden):  # type: ignore[no-untyped-def]
        if is_api(request):
            return api_error(403, "forbidden", str(exc))
        return pages.error_page(request, 403, str(exc))

    @app.exception_handler(TranslatorError)
    def refused(request: Request, exc: TranslatorError):  # type: ignore[no-untyped-def]
        if is_api(request):
            return api_error(404, "not-found", str(exc)) if isinstance(exc, NotFound) else \
                api_error(400, "refused", str(exc))
        return pages.error_page(request, 404 if isinstance(exc, NotFound) else 400, str(exc))

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException):  # type: ignore[no-untyped-def]
        if is_api(request):
            return api_error(exc.status_code, _code(exc.status_code), str(exc.detail), headers=exc.headers)
        if exc.status_code in (301, 302, 303, 307, 308):
            return PlainTextResponse("", status_code=exc.status_code, headers=exc.headers)
        return pages.error_page(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    def invalid(request: Request, exc: RequestValidationError):  # type: ignore[no-untyped-def]
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors())
        if is_api(request):
            return api_error(422, "invalid", problems)
        return pages.error_page(request, 422, problems)

    @app.exception_handler(Exception)
    def bug(request: Request, exc: Exception):  # type: ignore[no-untyped-def]
        # a bug: its traceback goes to the log, the client gets one line in the shape it reads
        log.exception("%s %s failed", request.method, request.url.path)
        message = "the server failed on this request (a bug: its log has the details)"
        if is_api(request):
            return api_error(500, "server-error", message)
        return pages.error_page(request, 500, message)

    return app


def app_from_environment() -> FastAPI:
    """The app of the workspace that ``translator serve`` named in the environment (uvicorn's factory)."""
    return create_app(find_workspace(os.environ.get(WORKSPACE_VARIABLE)))


def _code(status: int) -> str:
    return {401: "unauthorized", 403: "forbidden", 404: "not-found", 405: "method-not-allowed", 409: "conflict",
            412: "precondition-failed", 428: "precondition-required"}.get(status, "error")


def _version() -> str:
    from .. import __version__

    return __version__

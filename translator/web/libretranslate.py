"""``POST /translate`` as LibreTranslate answers it, so the tools that speak its API use the desk's
engines with the workspace glossary enforced (reported in an extra ``glossary`` field).

Requests: JSON or a form with ``q`` (a text or a list), ``source``, ``target``, ``format`` (text or
html) and ``api_key`` (a token of ``translator users token``; a bearer header works too). Errors are
LibreTranslate's ``{"error": "..."}``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ..errors import TranslatorError
from ..mt.adhoc import AdHoc, Result
from ..permissions import Action
from .security import bearer_actor, secret_actor

router = APIRouter(tags=["LibreTranslate"])


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


@router.post("/translate", summary="Translate like LibreTranslate, with the workspace glossary enforced")
async def translate(request: Request) -> JSONResponse:
    body = await _body(request)
    if isinstance(body, JSONResponse):
        return body
    workspace = request.app.state.workspace
    key = body.get("api_key")
    actor = await run_in_threadpool(secret_actor, workspace, key.strip()) if isinstance(key, str) and key.strip() \
        else await run_in_threadpool(bearer_actor, request, workspace)
    if actor is None:
        return _error(403, "a valid api_key is needed (translator users token NAME)")
    q, source, target, fmt = body.get("q"), body.get("source"), body.get("target"), body.get("format") or "text"
    if not isinstance(source, str) or not isinstance(target, str) or not source or not target:
        return _error(400, "source and target are needed (language codes)")
    texts = [q] if isinstance(q, str) else q
    if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
        return _error(400, "q must be a text or a list of texts")
    try:
        [lang] = workspace.require_targets(target)
        if not actor.may(Action.READ, lang):
            return _error(403, f"{actor.name} ({actor.role.value}) may not translate into {lang}")
        # "auto": the desk translates from its source language
        origin = workspace.source if source == "auto" else source
        adhoc: AdHoc = request.app.state.adhoc
        results = await run_in_threadpool(adhoc.translate, texts, origin, lang, str(fmt))
    except TranslatorError as exc:
        return _error(400, str(exc))
    if isinstance(q, str):
        return JSONResponse({"translatedText": results[0].text, "glossary": _glossary(results[0])})
    return JSONResponse({"translatedText": [r.text for r in results], "glossary": [_glossary(r) for r in results]})


async def _body(request: Request) -> dict[str, Any] | JSONResponse:
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = await request.json()
        except ValueError:
            return _error(400, "the body is not JSON")
        return body if isinstance(body, dict) else _error(400, "the body must be a JSON object")
    form = await request.form()
    return {key: form.getlist(key) if key == "q" and len(form.getlist(key)) > 1 else form.get(key) for key in form}


def _glossary(result: Result) -> dict[str, object]:
    return {"terms": result.terms, "kept": result.kept, "missing": result.missing}

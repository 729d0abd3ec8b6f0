"""Responses of one shape: every API error is ``{"error": {"code": ..., "message": ...}}``."""

from __future__ import annotations

from collections.abc import Mapping

from fastapi import Request
from fastapi.responses import JSONResponse

API_PREFIX = "/api/"


def is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIX) or request.url.path == "/translate"


def api_error(status: int, code: str, message: str, headers: Mapping[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=dict(headers or {}))

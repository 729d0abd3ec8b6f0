"""Printing for the CLI: rich consoles, tables, JSON for scripts, status colours."""

from __future__ import annotations

import dataclasses
import json
import sys
from functools import lru_cache
from typing import Any

from rich.console import Console

STATUS_STYLE = {
    "untranslated": "dim", "machine": "cyan", "fuzzy": "yellow", "translated": "blue",
    "approved": "green", "rejected": "red", "stale": "magenta",
}


@lru_cache(maxsize=1)
def console() -> Console:
    return Console(highlight=False)


@lru_cache(maxsize=1)
def error_console() -> Console:
    return Console(stderr=True, highlight=False)


def print_json(data: Any) -> None:
    """Plain JSON on stdout (no colours, no wrapping), for scripts."""
    sys.stdout.write(json.dumps(_plain(data), ensure_ascii=False, indent=2) + "\n")


def _plain(data: Any) -> Any:
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        return {k: _plain(v) for k, v in dataclasses.asdict(data).items()}
    if isinstance(data, list | tuple):
        return [_plain(v) for v in data]
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    return data


def styled_status(status: str) -> str:
    return f"[{STATUS_STYLE.get(status, '')}]{status}[/]"

"""What every command shares: the workspace, the acting user, one transaction per command, option types."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import click
from rich.markup import escape
from sqlalchemy.orm import Session

from ..db import check_schema, transaction
from ..i18n import gettext as _
from ..workspace import Workspace, find_workspace
from .output import error_console


@dataclass
class AppContext:
    workspace_option: str | None
    user_option: str | None
    _workspace: Workspace | None = field(default=None, init=False)

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            self._workspace = find_workspace(self.workspace_option)
            warning = _("warning:")
            for problem in self._workspace.config_warnings:  # on stderr: stdout stays clean for --json
                error_console().print(f"[yellow]{escape(warning)}[/] {escape(problem)}", soft_wrap=True)
        return self._workspace

    @property
    def user(self) -> str:
        return self.workspace.current_user(self.user_option)

    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        url = self.workspace.database_url
        check_schema(url)
        with transaction(url, write=write) as session:
            yield session


class FiniteRange(click.FloatRange):
    """click's FloatRange that also refuses nan, which passes every comparison of a range check."""

    def convert(self, value, param, ctx):  # type: ignore[no-untyped-def]
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            # in English, as click's own range errors are
            self.fail(f"{value!r} is not a number in the range {self._describe_range()}", param, ctx)
        return number

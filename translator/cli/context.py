"""What every command shares: the workspace, the acting user, and one transaction per command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from ..db import check_schema, transaction
from ..workspace import Workspace, find_workspace


@dataclass
class AppContext:
    workspace_option: str | None
    user_option: str | None
    _workspace: Workspace | None = field(default=None, init=False)

    @property
    def workspace(self) -> Workspace:
        if self._workspace is None:
            self._workspace = find_workspace(self.workspace_option)
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

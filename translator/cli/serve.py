"""``translator serve``: the web workspace and its API, served by uvicorn."""

from __future__ import annotations

import errno
import logging
import os
import socket

import click
from rich.markup import escape

from ..db import check_schema
from ..errors import TranslatorError
from ..i18n import gettext as _
from .context import AppContext
from .output import console


def _free(host: str, port: int) -> None:
    """A clear error now for a port that cannot be served, rather than uvicorn's traceback later."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise TranslatorError(_("cannot serve on {host}: {problem}").format(host=host, problem=exc.strerror)) from None
    family, kind, proto, _name, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise TranslatorError(_("port {port} on {host} is in use: stop what serves it, or pick another "
                                        "with --port").format(port=port, host=host)) from None
            if exc.errno == errno.EACCES:
                raise TranslatorError(_("port {port} needs privileges here: pick one above 1023 with --port")
                                      .format(port=port)) from None
            raise TranslatorError(_("cannot serve on {host}:{port}: {problem}").format(
                host=host, port=port, problem=exc.strerror or exc)) from None


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every one).")
@click.option("--port", "-p", type=click.IntRange(1, 65535), default=8080, show_default=True)
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes (for a team on PostgreSQL; SQLite serves one desk).")
@click.option("--proxy-headers", is_flag=True, help="Behind a reverse proxy on this machine: trust its "
                                                   "X-Forwarded-Proto and -For (https cookies are then Secure).")
@click.pass_obj
def serve(app: AppContext, host: str, port: int, workers: int, proxy_headers: bool) -> None:
    """Serve the web workspace (pages and /api/v1) on this workspace's database."""
    import uvicorn

    from ..web.app import WORKSPACE_VARIABLE

    workspace = app.workspace
    check_schema(workspace.database_url)
    _free(host, port)
    os.environ[WORKSPACE_VARIABLE] = str(workspace.root)  # the worker processes find it there
    requests = logging.getLogger("translator.web")  # one JSON line per request on stderr
    requests.setLevel(logging.INFO)
    requests.addHandler(logging.StreamHandler())
    console().print(_("serving {root} on http://{host}:{port}/ ({workers} worker(s)); Ctrl+C stops").format(
        root=escape(str(workspace.root)), host=escape(host), port=port, workers=workers), highlight=False)
    uvicorn.run("translator.web.app:app_from_environment", factory=True, host=host, port=port, workers=workers,
                proxy_headers=proxy_headers, forwarded_allow_ips="127.0.0.1" if proxy_headers else None,
                access_log=False, log_level="warning")


COMMANDS = [serve]

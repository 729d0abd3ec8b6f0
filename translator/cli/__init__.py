"""The ``translator`` command line: a thin layer over the services, one module per command group.

Exit codes: 0 success; 1 a check asked for by the user failed; 2 bad input or usage
(one line on stderr, nothing written); 130 interrupted.
"""

from __future__ import annotations

import sys

import click
from rich.markup import escape

from .. import __version__
from ..errors import TranslatorError
from ..i18n import gettext as _, set_locale
from .context import AppContext
from .output import error_console


class _Group(click.Group):
    """Turns user-facing errors into one line and exit code 2; tracebacks stay for bugs."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except TranslatorError as exc:
            prefix = _("error:")
            error_console().print(f"[bold red]{escape(prefix)}[/] {escape(click.unstyle(str(exc)))}", highlight=False, markup=True,
                                  soft_wrap=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            error_console().print(_("interrupted"))
            ctx.exit(130)
        finally:
            set_locale(None)  # a --locale holds for this run only (tests and scripts run several in one process)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--workspace", "-w", type=click.Path(file_okay=False), envvar="TRANSLATOR_WORKSPACE",
              help="Workspace folder (default: the nearest translator.toml upward). Env: TRANSLATOR_WORKSPACE.")
@click.option("--user", "-u", envvar="TRANSLATOR_USER", help="Who is acting, for the history. Env: TRANSLATOR_USER.")
@click.option("--locale", help="Language of the messages, e.g. de (default: TRANSLATOR_LOCALE, LANGUAGE, LC_ALL, "
                               "LANG; English where no translation exists).")
@click.version_option(__version__, prog_name="translator")
@click.pass_context
def main(ctx: click.Context, workspace: str | None, user: str | None, locale: str | None) -> None:
    """Offline translation workflow for newsrooms: import articles, keep a translation memory,
    translate, review and export per language.

    Exit codes: 0 ok, 1 a requested check failed, 2 bad input or usage, 130 interrupted.
    """
    set_locale(locale)  # every run starts from --locale or the environment, never from an earlier run's
    ctx.obj = AppContext(workspace, user)


def _register() -> None:
    from . import (articles, checks, demo, engines, export, glossary, models, report, review, review_loop, serve, setup,
                   tm, translate, users)

    for module in (setup, demo, articles, tm, glossary, translate, review_loop, review, checks, export, report, models,
                   engines, users, serve):
        for command in module.COMMANDS:
            main.add_command(command)


_register()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

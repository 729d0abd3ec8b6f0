"""Commands for the people of the web workspace: ``users add|list|change|remove|passwd|token|tokens|revoke``."""

from __future__ import annotations

import sys

import click
from rich.markup import escape
from rich.table import Table

from .. import users as service
from ..errors import TranslatorError
from ..i18n import gettext as _, ngettext
from ..languages import normalize_code
from ..models import TokenScope
from ..permissions import Role, parse_role
from .context import AppContext
from .output import console, print_json

ROLES = click.Choice([r.value for r in Role])


def _languages(text: str | None) -> list[str] | None:
    return [normalize_code(part) for part in text.split(",") if part.strip()] if text is not None else None


def _password(from_stdin: bool) -> str:
    if from_stdin:
        # one line: a trailing newline is the end of the input, not part of the password
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise TranslatorError(_("no terminal to ask for the password: pass it on standard input with --password-stdin"))
    first = click.prompt(_("Password"), hide_input=True)
    if click.prompt(_("Again"), hide_input=True) != first:
        raise TranslatorError(_("the two passwords differ; nothing changed"))
    return first


@click.group()
def users() -> None:
    """People who sign in to the web workspace (translator serve) or call its API."""


@users.command("add")
@click.argument("name")
@click.option("--role", "-r", type=ROLES, required=True, help="What the user may do (each role may do what the ones "
                                                              "before it may).")
@click.option("--lang", "-l", help="Comma-separated target languages the user works in (default: all).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
@click.option("--no-password", is_flag=True, help="API tokens only: the user cannot sign in to the pages.")
@click.pass_obj
def add(app: AppContext, name: str, role: str, lang: str | None, password_stdin: bool, no_password: bool) -> None:
    """Add a user; asks for the password unless --password-stdin or --no-password."""
    service.check_name(name)
    password = None if no_password else service.check_password(_password(password_stdin))
    with app.session(write=True) as session:
        user = service.add_user(session, name, parse_role(role), _languages(lang) or [], app.workspace.targets, password)
        line = _("added {name}: {role} in {languages}").format(
            name=escape(user.name), role=user.role.value, languages=escape(", ".join(user.languages)) or _("every language"))
    console().print(line, highlight=False)


@users.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_obj
def list_(app: AppContext, as_json: bool) -> None:
    """The users, their roles and languages."""
    with app.session() as session:
        rows = [{"name": u.name, "role": u.role.value, "languages": list(u.languages or []),
                 "password": u.password_hash is not None,
                 "tokens": sum(t.revoked_at is None for t in u.tokens)} for u in service.list_users(session)]
    if as_json:
        print_json(rows)
        return
    if not rows:
        console().print(_("no users yet: translator users add NAME --role admin"))
        return
    table = Table(_("user"), _("role"), _("languages"), _("password"), _("live tokens"))
    for row in rows:
        table.add_row(escape(row["name"]), row["role"], escape(", ".join(row["languages"])) or _("all"),
                      _("yes") if row["password"] else _("no"), str(row["tokens"]))
    console().print(table)


@users.command("change")
@click.argument("name")
@click.option("--role", "-r", type=ROLES, help="A new role.")
@click.option("--lang", "-l", help="New comma-separated languages ('' : all).")
@click.pass_obj
def change(app: AppContext, name: str, role: str | None, lang: str | None) -> None:
    """Change a user's role or languages."""
    with app.session(write=True) as session:
        user = service.change_user(session, name, app.workspace.targets, parse_role(role) if role else None,
                                   _languages(lang))
        line = _("{name}: {role} in {languages}").format(
            name=escape(user.name), role=user.role.value, languages=escape(", ".join(user.languages)) or _("every language"))
    console().print(line, highlight=False)


@users.command("remove")
@click.argument("name")
@click.pass_obj
def remove(app: AppContext, name: str) -> None:
    """Remove a user and their tokens (the history keeps their name)."""
    with app.session(write=True) as session:
        service.remove_user(session, name)
    console().print(_("removed {name}").format(name=escape(name)), highlight=False)


@users.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (one line).")
@click.pass_obj
def passwd(app: AppContext, name: str, password_stdin: bool) -> None:
    """Set a user's password (and lift a lock after failed sign-ins)."""
    with app.session() as session:
        service.get_user(session, name)
    password = service.check_password(_password(password_stdin))
    with app.session(write=True) as session:
        service.set_password(session, name, password)
    console().print(_("password of {name} changed").format(name=escape(name)), highlight=False)


@users.command("token")
@click.argument("name")
@click.option("--expires", default="90d", show_default=True, help="Lifetime: 12h, 90d, 2w, or never.")
@click.option("--scope", type=click.Choice([s.value for s in TokenScope]), default="write", show_default=True,
              help="read: GET requests only.")
@click.pass_obj
def token(app: AppContext, name: str, expires: str, scope: str) -> None:
    """Make an API token for a user; it is printed once, alone on the last line."""
    lifetime = service.parse_lifetime(expires)
    with app.session(write=True) as session:
        made = service.make_token(session, name, TokenScope(scope), lifetime)
        expires = made.token.expires_at
        line = (_("token {id} for {name} ({scope}), valid until {until}; it is shown only now:") if expires else
                _("token {id} for {name} ({scope}), valid until revoked; it is shown only now:")).format(
            id=made.token.id, name=escape(name), scope=scope, until=expires.strftime("%Y-%m-%d %H:%M UTC") if expires else "")
    console().print(line, highlight=False)
    click.echo(made.secret)


@users.command("tokens")
@click.argument("name")
@click.pass_obj
def tokens(app: AppContext, name: str) -> None:
    """A user's API tokens (not the tokens themselves: only their hashes are kept)."""
    with app.session() as session:
        rows = [(t.id, t.scope.value, t.created_at, t.expires_at, t.last_used_at, t.revoked_at)
                for t in service.tokens(session, name)]
    table = Table("id", _("scope"), _("created"), _("expires"), _("last used"), _("revoked"))
    for row in rows:
        table.add_row(*(str(v) if isinstance(v, int | str) else v.strftime("%Y-%m-%d %H:%M") if v else "-" for v in row))
    console().print(table)


@users.command("revoke")
@click.argument("name")
@click.option("--token", "token_id", type=int, help="The token's id (translator users tokens NAME); default: all.")
@click.pass_obj
def revoke(app: AppContext, name: str, token_id: int | None) -> None:
    """Revoke a user's API tokens."""
    with app.session(write=True) as session:
        count = service.revoke_token(session, name, token_id)
    console().print(ngettext("revoked {count} token of {name}", "revoked {count} tokens of {name}", count)
                    .format(count=count, name=escape(name)), highlight=False)


COMMANDS = [users]

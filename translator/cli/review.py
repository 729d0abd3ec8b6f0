"""Non-interactive review commands: ``approve``, ``approve-all``, ``edit``, ``reject``, ``revert``, ``comment``, ``history``."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table

from .. import qa, review
from ..errors import TranslatorError
from ..history import article_events
from ..i18n import gettext as _, ngettext
from ..languages import normalize_code
from ..status import Origin, parse_statuses
from .context import AppContext
from .output import console, print_json, styled_status

_lang = click.option("--lang", "-l", required=True, help="Target language.")
_version = click.option("--version", "expected", type=int,
                        help="The version you reviewed (from 'show --json'); refused if it changed since.")


def _target(slug: str, segment: int, lang: str) -> review.Target:
    return review.Target(slug, segment, normalize_code(lang))


def _done(tr, message: str) -> None:  # type: ignore[no-untyped-def]
    """Print ``message`` (e.g. "approved: now {status}, version {version}") for the translation ``tr``."""
    console().print(message.format(status=styled_status(tr.status.value), version=tr.version))


@click.command()
@click.argument("slug")
@click.argument("segment", type=int)
@_lang
@_version
@click.option("--force", is_flag=True, help="Approve despite QA errors (needs --reason).")
@click.option("--reason", help="Why QA errors are acceptable here (kept in the history).")
@click.pass_obj
def approve(app: AppContext, slug: str, segment: int, lang: str, expected: int | None, force: bool,
            reason: str | None) -> None:
    """Approve segment SEGMENT (numbered as in 'show') of SLUG; the pair enters the TM as approved.

    A stale translation is checked again against its changed source first.

    Without --version it approves whatever text is there when it runs (last writer wins, by design
    for scripts; 'history' keeps every earlier text). To approve only the text you reviewed, pass
    its version from 'show SLUG --lang LANG --json'.
    """
    with app.session(write=True) as session:
        tr = review.approve(session, _target(slug, segment, lang), app.user, expected, force=force, reason=reason,
                            disabled=app.workspace.disabled_checks)
        _done(tr, _("approved: now {status}, version {version}"))
        _findings(tr.flags or [])


def _findings(flags: list[dict], indent: str = "  ") -> None:
    """One line per QA finding, e.g. "  warning length-ratio: ..." (the text is the user's: escaped)."""
    for flag in flags:
        severity = flag.get("severity") or ("error" if qa.blocking([flag]) else "warning")
        style = "red" if severity == "error" else "yellow"
        console().print(f"{indent}[{style}]{escape(str(severity))}[/] {escape(qa.describe([flag]))}", soft_wrap=True)


@click.command()
@click.argument("slug")
@click.argument("segment", type=int)
@click.argument("text")
@_lang
@_version
@click.pass_obj
def edit(app: AppContext, slug: str, segment: int, text: str, lang: str, expected: int | None) -> None:
    """Replace the translation of SEGMENT with TEXT (status translated, origin human).

    Without --version it replaces whatever text is there when it runs (last writer wins, by design
    for scripts; 'history' keeps every earlier text). To refuse the edit if someone saved since you
    read the translation, pass its version from 'show SLUG --lang LANG --json'.
    """
    with app.session(write=True) as session:
        _done(review.edit(session, _target(slug, segment, lang), text, app.user, expected,
                          app.workspace.disabled_checks), _("saved: now {status}, version {version}"))


@click.command()
@click.argument("slug")
@click.argument("segment", type=int)
@_lang
@click.option("--reason", "-r", required=True, help="Why it is rejected (kept in the history).")
@_version
@click.pass_obj
def reject(app: AppContext, slug: str, segment: int, lang: str, reason: str, expected: int | None) -> None:
    """Reject the translation of SEGMENT, with a reason."""
    with app.session(write=True) as session:
        _done(review.reject(session, _target(slug, segment, lang), reason, app.user, expected),
              _("rejected: now {status}, version {version}"))


@click.command()
@click.argument("slug")
@click.argument("segment", type=int)
@_lang
@click.option("--to", "event_id", type=int, required=True, help="The event (from 'history') whose text comes back.")
@_version
@click.pass_obj
def revert(app: AppContext, slug: str, segment: int, lang: str, event_id: int, expected: int | None) -> None:
    """Bring back an earlier text of SEGMENT, as a new edit (the history keeps everything)."""
    with app.session(write=True) as session:
        _done(review.revert(session, _target(slug, segment, lang), event_id, app.user, expected,
                            app.workspace.disabled_checks), _("reverted: now {status}, version {version}"))


@click.command("approve-all")
@click.argument("slug", required=False)
@_lang
@click.option("--status", "statuses", default="machine,fuzzy,translated", show_default=True,
              help="Comma-separated statuses to approve.")
@click.option("--origin", type=click.Choice([o.value for o in Origin]), help="Only translations of this origin.")
@click.option("--unflagged", is_flag=True, help="Skip translations with QA flags (e.g. a glossary term missing).")
@click.option("--force", is_flag=True, help="Approve those with QA errors too (needs --reason).")
@click.option("--reason", help="Why their QA errors are acceptable (kept in the history).")
@click.pass_obj
def approve_all(app: AppContext, slug: str | None, lang: str, statuses: str, origin: str | None,
                unflagged: bool, force: bool, reason: str | None) -> None:
    """Approve, in one go, every translation in a language (of one article, or all) matching the filters.

    Translations with QA errors are left out and listed, as 'approve' refuses them; --force with a
    --reason approves them too.
    """
    if force and not (reason and reason.strip()):
        raise TranslatorError(_("--force needs --reason: why the QA errors are acceptable (kept in the history)"))
    wanted = parse_statuses(statuses)
    with app.session(write=True) as session:
        result = review.approve_all(session, normalize_code(lang), app.user, slug=slug, statuses=wanted,
                                    origin=Origin(origin) if origin else None, unflagged=unflagged,
                                    force=force, reason=reason, disabled=app.workspace.disabled_checks)
    line = (_("approved {approved}; {skipped} flagged skipped") if result.skipped_flagged
            else _("approved {approved}"))
    console().print(line.format(approved=result.approved, skipped=result.skipped_flagged))
    if result.forced:
        console().print(ngettext("{count} of them despite QA errors: {reason}",
                                 "{count} of them despite QA errors: {reason}", result.forced)
                        .format(count=result.forced, reason=escape(reason or "")))
    if result.blocked:
        count = len(result.blocked)
        console().print(ngettext("{count} not approved because of QA errors (approve with --force and --reason):",
                                 "{count} not approved because of QA errors (approve with --force and --reason):",
                                 count).format(count=count))
        for item in result.blocked:
            console().print(f"  {escape(item.slug)} #{item.segment} ({item.language})", soft_wrap=True)
            _findings(item.findings, indent="    ")


@click.command("comment")
@click.argument("slug")
@click.argument("segment", type=int)
@click.argument("text", required=False)
@_lang
@click.option("--reply-to", type=int, help="Answer this comment.")
@click.option("--json", "as_json", is_flag=True, help="Print the segment's comments as JSON.")
@click.pass_obj
def comment_(app: AppContext, slug: str, segment: int, text: str | None, lang: str, reply_to: int | None,
             as_json: bool) -> None:
    """Comment on SEGMENT in a language (with TEXT), or list its comments (without)."""
    target = _target(slug, segment, lang)
    with app.session(write=bool(text)) as session:
        if text:
            note = review.comment(session, target, text, app.user, reply_to)
            console().print(_("comment {id} saved").format(id=note.id))
            return
        notes = [{"id": c.id, "reply_to": c.reply_to, "user": c.user, "at": c.created_at.isoformat(timespec="seconds"),
                  "text": c.text} for c in review.comments(session, target)]
    if as_json:
        print_json(notes)
        return
    for c in notes:
        indent = "    " if c["reply_to"] else ""
        console().print(f"{indent}[bold]#{c['id']}[/] {escape(c['user'])} {c['at']}: {escape(c['text'])}",
                        soft_wrap=True)


@click.command()
@click.argument("slug")
@click.argument("segment", type=int, required=False)
@click.option("--lang", "-l", help="Only this language.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@click.pass_obj
def history(app: AppContext, slug: str, segment: int | None, lang: str | None, as_json: bool) -> None:
    """The changes to an article, or to one of its segments, newest first."""
    language = normalize_code(lang) if lang else None
    with app.session() as session:
        segment_id = None
        if segment is not None:
            target = review.Target(slug, segment, language or app.workspace.targets[0])
            _article, seg, _translation = review.load(session, target)
            segment_id = seg.id
        rows = [{"id": e.id, "at": e.at.isoformat(timespec="seconds"), "user": e.user, "action": e.action,
                 "language": e.language, "old_status": e.old_status, "new_status": e.new_status,
                 "old": e.old_value, "new": e.new_value, "detail": e.detail}
                for e in article_events(session, slug, segment_id, language)]
    if as_json:
        print_json(rows)
        return
    title = (_("history of {slug} segment {segment}") if segment else _("history of {slug}")).format(
        slug=slug, segment=segment)
    table = Table(title=escape(title), title_justify="left")
    for name in (_("event"), _("when"), _("who"), _("what"), _("lang"), _("status"), _("text")):
        table.add_column(name, overflow="fold")
    for r in rows:
        status = f"{r['old_status'] or ''} -> {r['new_status']}" if r["new_status"] else ""
        text = escape(r["new"] or "")
        if r["old"] and r["old"] != r["new"]:
            text = f"[red]{escape(r['old'])}[/]\n[green]{text}[/]"
        what = r["action"] + (f" ({r['detail']})" if r["detail"] else "")
        table.add_row(str(r["id"]), r["at"], escape(r["user"]), escape(what), r["language"] or "", status, text)
    console().print(table)


COMMANDS = [approve, approve_all, edit, reject, revert, comment_, history]

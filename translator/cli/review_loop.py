"""``translator review``: walk an article's segments one at a time, with single-key actions."""

from __future__ import annotations

import sys

import click
from rich.markup import escape
from rich.panel import Panel

from .. import review as service
from ..errors import TranslatorError
from ..i18n import N_, gettext as _, ngettext
from ..review_queue import DEFAULT_STATUSES, Bookmarks, SegmentView, flag_message, flag_severity, queue, view
from ..status import parse_statuses
from ..workspace import STATE_DIR
from .context import AppContext
from .output import console, styled_status

# TRANSLATORS: the letters in brackets are the keys and stay as they are; the words around them may change
KEYS = N_("[a]pprove [e]dit [E]ditor [r]eject [c]omment [s]kip [b]ack [q]uit")
# TRANSLATORS: the keys in brackets stay as they are; each opens the edit line prefilled with that text
TAKE_KEYS = N_("[1-3] take TM suggestion [m] take MT draft [o] copy source [?] keys")
SAVES = {"a", "e", "E", "r", "1", "2", "3", "m", "o"}  # the keys whose action may save a change
#: lines a panel keeps besides the source and the translation, whatever the terminal's height
FRAME_LINES = 4


@click.command("review")
@click.argument("slug")
@click.option("--lang", "-l", required=True, help="Target language.")
@click.option("--status", "statuses", default=",".join(s.value for s in DEFAULT_STATUSES), show_default=True,
              help="Comma-separated statuses to walk.")
@click.option("--check", help="Only segments with this QA flag (e.g. glossary-missing).")
@click.option("--restart", is_flag=True, help="Start at the first segment, not where you stopped.")
@click.pass_obj
def review_(app: AppContext, slug: str, lang: str, statuses: str, check: str | None, restart: bool) -> None:
    """Review SLUG in one language, segment by segment, with single keys (resumes where you stopped).

    Keys: a approve, e edit (the line starts with the current text), E edit in $EDITOR, r reject,
    c comment, 1-3 take a TM suggestion, m take the MT draft, o copy the source, s skip, b back,
    q quit, ? keys. It needs a terminal; scripts use 'show', 'edit' and 'approve'.
    """
    (language,) = app.workspace.require_targets([lang])
    wanted = parse_statuses(statuses)
    with app.session() as session:
        numbers = queue(session, slug, language, wanted, check)
    if not numbers:
        console().print(_("nothing to review in {slug} ({language}) with those filters").format(
            slug=slug, language=language))
        return
    bookmarks = Bookmarks(app.workspace.root / STATE_DIR / "review-bookmarks.json")
    mark = None if restart else bookmarks.get(app.user, slug, language)
    index = next((i for i, n in enumerate(numbers) if mark is not None and n >= mark), 0)
    done = 0
    note = ""  # what the last key did, shown on the next screen (the screen is redrawn per segment)
    while 0 <= index < len(numbers):
        target = service.Target(slug, numbers[index], language)
        with app.session() as session:
            current = view(session, target)
        _show(current, index, len(numbers), note)
        key = _key()
        bookmarks.set(app.user, slug, language, numbers[index])
        note = ""
        try:
            step = _act(app, key, current)
        except service.Conflict as exc:
            note = f"[red]{escape(_('conflict:'))}[/] {escape(str(exc))}"
            continue  # show the segment again, as it is now
        except TranslatorError as exc:
            note = f"[red]{escape(str(exc))}[/]"
            continue
        if step is None:
            break
        if key == "?":
            note = f"[dim]{escape(_(KEYS))}\n{escape(_(TAKE_KEYS))}[/]"
        if key in SAVES and step == 1:
            done += 1
        index += step
    if index >= len(numbers):
        bookmarks.set(app.user, slug, language, numbers[-1] + 1)
    line = (ngettext("{count} changes saved; end of the list", "{count} changes saved; end of the list", done)
            if index >= len(numbers) else ngettext("{count} changes saved; stopped", "{count} changes saved; stopped",
                                                   done))
    console().print(line.format(count=done))


def _key() -> str:
    """One key press; without a terminal to read it from, an error that points to the script commands."""
    try:
        return click.getchar()
    except (OSError, EOFError) as exc:
        if isinstance(exc, EOFError):  # input ended (a pipe): nothing more to do
            return "q"
        raise TranslatorError(_("review needs a terminal to read keys from; in scripts use "
                                "'translator show', 'translator edit' and 'translator approve'")) from None


def _act(app: AppContext, key: str, current: SegmentView) -> int | None:
    """Run the key's action; returns how far to move (1 next, -1 back, 0 stay) or None to quit."""
    target, version = current.target, current.version
    if key == "q":
        return None
    if key in {"s", "n"}:
        return 1
    if key == "b":
        return -1
    if key == "a":
        with app.session(write=True) as session:
            service.approve(session, target, app.user, version, disabled=app.workspace.disabled_checks)
        return 1
    start = _taken(key, current)
    if start is not None or key in {"e", "E"}:
        if start is None:
            start = current.text or ""
        text = click.edit(start) if key == "E" else _line(_("new text"), start)
        if text is None or not text.strip() or text.strip() == (current.text or ""):
            return 0
        with app.session(write=True) as session:
            service.edit(session, target, text.strip(), app.user, version, app.workspace.disabled_checks)
        return 1
    if key == "r":
        reason = _line(_("reason"))
        if not reason or not reason.strip():
            return 0
        with app.session(write=True) as session:
            service.reject(session, target, reason.strip(), app.user, version)
        return 1
    if key == "c":
        note = _line(_("comment"))
        if note and note.strip():
            with app.session(write=True) as session:
                service.comment(session, target, note.strip(), app.user)
        return 0
    return 0  # "?" and any other key: the keys are listed on the next screen


def _taken(key: str, current: SegmentView) -> str | None:
    """The text a take key puts on the edit line: TM suggestion 1-3, the MT draft, the source."""
    if key in {"1", "2", "3"} and int(key) <= len(current.suggestions):
        return current.suggestions[int(key) - 1][1]
    if key == "m" and current.mt_draft:
        return current.mt_draft
    if key == "o":
        return current.source
    return None


def _line(label: str, start: str = "") -> str | None:
    """A line typed by the reviewer, starting as ``start`` and editable in place (readline, in a
    terminal); None when input ends. Ctrl-C interrupts the whole review (exit code 130)."""
    prompt = f"{label}: "
    try:
        if start and sys.stdin.isatty():
            import readline  # a terminal's line editing; absent on some platforms, hence not at the top

            readline.set_startup_hook(lambda: readline.insert_text(start))
            try:
                return input(prompt)
            finally:
                readline.set_startup_hook()
        answer = input(prompt)
        return answer if answer.strip() or not start else start
    except EOFError:
        return None


def _show(v: SegmentView, index: int, total: int, note: str = "") -> None:
    """One segment's screen, redrawn from the top and cut to the terminal's height: the source and the
    translation always, then what matters most for the decision (QA, missing terms) before the rest."""
    out = console()
    width = max(out.size.width - 4, 20)
    lines: list[tuple[int, str]] = []  # (priority, markup) in screen order; lower priorities stay longest

    def add(priority: int, markup: str, plain: str = "") -> None:
        cut = plain if len(plain) <= width else plain[: width - 1] + "…"  # one screen line each
        lines.append((priority, markup.replace("\0", escape(cut))))

    if v.previous:
        add(5, "[dim]… \0[/]", v.previous)
    lines.append((0, f"[bold]{escape(v.source)}[/]"))
    if v.following:
        add(5, "[dim]… \0[/]", v.following)
    if changes := v.source_diff():
        lines.append((1, f"[magenta]{escape(_('source changed:'))}[/] " + " ".join(_word(op, w) for op, w in changes)))
    lines.append((0, ""))
    lines.append((0, f"{styled_status(v.status)} v{v.version}: " + escape(v.text or _("(no translation)"))))
    if v.rejection:
        add(1, f"[red]{escape(_('rejected:'))}[/] \0", v.rejection)
    if diff := v.diff():
        lines.append((3, f"[dim]{escape(_('against the MT draft:'))}[/] " + " ".join(_word(op, w) for op, w in diff)))
    for term in v.terms:
        shown = term.target + "".join(f" | {variant}" for variant in term.variants)
        if term.note:
            shown += f" ({term.note})"
        style = "red" if term.missing else "cyan"
        add(1 if term.missing else 2, f"[{style}]{escape(_('glossary'))}[/] {escape(term.source)} -> \0", shown)
    for flag in v.flags:  # errors in red, warnings in yellow
        style = "red" if flag_severity(flag) == "error" else "yellow"
        add(1, f"[{style}]{escape(str(flag.get('check')))}[/] \0", flag_message(flag))
    for number, (score, text) in enumerate(v.suggestions[:3], start=1):
        add(4, f"[yellow]\\[{number}] TM {score:.0f}%[/] \0", text)
    for comment in v.comments[-3:]:
        add(4, f"[blue]{escape(comment.user)}[/] [dim]{escape(comment.at)}[/] \0", comment.text)
    if out.is_terminal:
        room = out.size.height - FRAME_LINES - (1 if note else 0)
        kept = {i for i, _item in sorted(enumerate(lines), key=lambda item: item[1][0])[:max(room, 3)]}
        lines = [item for i, item in enumerate(lines) if i in kept]
        out.clear()
    if note:
        out.print(note)
    title = f"{v.target.slug} #{v.target.segment} ({v.kind}) · {index + 1}/{total} · {v.target.language}"
    out.print(Panel("\n".join(markup for _p, markup in lines), title=escape(title), title_align="left",
                    subtitle=escape(_(KEYS)), subtitle_align="left"))


def _word(op: str, word: str) -> str:
    return escape(word) if op == "=" else (f"[red]-{escape(word)}[/]" if op == "-" else f"[green]+{escape(word)}[/]")


COMMANDS = [review_]

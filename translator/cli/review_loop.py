"""``translator review``: walk an article's segments one at a time, with single-key actions."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.panel import Panel

from .. import review as service
from ..errors import TranslatorError
from ..i18n import N_, gettext as _, ngettext
from ..languages import normalize_code
from ..review_queue import DEFAULT_STATUSES, Bookmarks, SegmentView, queue, view
from ..status import Status
from ..workspace import STATE_DIR
from .context import AppContext
from .output import console, styled_status

# TRANSLATORS: the letters in brackets are the keys and stay as they are; the words around them may change
KEYS = N_("[a]pprove [e]dit [E]ditor [r]eject [c]omment [s]kip [b]ack [q]uit")


@click.command("review")
@click.argument("slug")
@click.option("--lang", "-l", required=True, help="Target language.")
@click.option("--status", "statuses", default=",".join(s.value for s in DEFAULT_STATUSES), show_default=True,
              help="Comma-separated statuses to walk.")
@click.option("--check", help="Only segments with this QA flag (e.g. glossary-missing).")
@click.option("--restart", is_flag=True, help="Start at the first segment, not where you stopped.")
@click.pass_obj
def review_(app: AppContext, slug: str, lang: str, statuses: str, check: str | None, restart: bool) -> None:
    """Review SLUG in one language, segment by segment, with single keys (resumes where you stopped)."""
    language = normalize_code(lang)
    try:
        wanted = tuple(Status(s.strip()) for s in statuses.split(",") if s.strip())
    except ValueError as exc:
        raise TranslatorError(f"--status: {exc}") from None
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
    while 0 <= index < len(numbers):
        target = service.Target(slug, numbers[index], language)
        with app.session() as session:
            current = view(session, target)
        _show(current, index, len(numbers))
        bookmarks.set(app.user, slug, language, numbers[index])
        key = click.getchar()
        try:
            step = _act(app, key, current)
        except service.Conflict as exc:
            label = _("conflict:")
            console().print(f"[red]{label}[/] {escape(str(exc))}")
            continue  # show the segment again, as it is now
        except TranslatorError as exc:
            console().print(f"[red]{escape(str(exc))}[/]")
            continue
        if step is None:
            break
        if key in {"a", "e", "E", "r"} and step == 1:
            done += 1
        index += step
    if index >= len(numbers):
        bookmarks.set(app.user, slug, language, numbers[-1] + 1)
    line = (ngettext("{count} changes saved; end of the list", "{count} changes saved; end of the list", done)
            if index >= len(numbers) else ngettext("{count} changes saved; stopped", "{count} changes saved; stopped",
                                                   done))
    console().print(line.format(count=done))


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
    if key in {"e", "E"}:
        text = (click.edit(current.text or "") if key == "E"
                else click.prompt(_("new text"), default=current.text or "", show_default=False))
        if text is None or not text.strip() or text.strip() == (current.text or ""):
            return 0
        with app.session(write=True) as session:
            service.edit(session, target, text.strip(), app.user, version, app.workspace.disabled_checks)
        return 1
    if key == "r":
        reason = click.prompt(_("reason"))
        with app.session(write=True) as session:
            service.reject(session, target, reason, app.user, version)
        return 1
    if key == "c":
        note = click.prompt(_("comment"))
        with app.session(write=True) as session:
            service.comment(session, target, note, app.user)
        return 0
    console().print(f"[dim]{escape(_(KEYS))}[/]")
    return 0


def _show(v: SegmentView, index: int, total: int) -> None:
    out = console()
    lines = []
    if v.previous:
        lines.append(f"[dim]… {escape(v.previous)}[/]")
    lines.append(f"[bold]{escape(v.source)}[/]")
    if v.following:
        lines.append(f"[dim]… {escape(v.following)}[/]")
    if v.previous_source and v.status == "stale":
        label = _("source was:")
        lines.append(f"[magenta]{label}[/] {escape(v.previous_source)}")
    lines.append("")
    lines.append(f"{styled_status(v.status)} v{v.version}: " + escape(v.text or _("(no translation)")))
    if diff := v.diff():
        words = [escape(w) if op == "=" else (f"[red]-{escape(w)}[/]" if op == "-" else f"[green]+{escape(w)}[/]")
                 for op, w in diff]
        label = _("against the MT draft:")
        lines.append(f"[dim]{label}[/] " + " ".join(words))
    for score, text in v.suggestions[:3]:
        lines.append(f"[yellow]TM {score:.0f}%[/] {escape(text)}")
    label = _("glossary")
    for term, required in v.terms:
        lines.append(f"[cyan]{label}[/] {escape(term)} -> {escape(required)}")
    for flag in v.flags:
        if flag.get("alternative"):  # enforcement rewrote the sentence beyond its terms: show the plain MT
            label = _("plain MT:")
            lines.append(f"[yellow]{escape(str(flag.get('check')))}[/] {label} {escape(str(flag['alternative']))}")
            continue
        detail = flag.get("message") or flag.get("required") or flag.get("source") or ""
        lines.append(f"[red]{escape(str(flag.get('check')))}[/] {escape(str(detail))}")
    title = f"{v.target.slug} #{v.target.segment} ({v.kind}) · {index + 1}/{total} · {v.target.language}"
    out.print(Panel("\n".join(lines), title=title, title_align="left", subtitle=escape(_(KEYS)),
                    subtitle_align="left"))


COMMANDS = [review_]

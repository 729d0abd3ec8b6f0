"""The web desk in a real browser: Debian's headless Chromium against a live server on 127.0.0.1.

A translator signs in, edits with the keyboard, takes a TM suggestion, is stopped by a QA error,
reverts from the history; two people editing one segment at once: the second sees both texts and
loses nothing. The pages run under their own content security policy, which must block nothing.
"""

from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn

from conftest import ARTICLE, EXAMPLES
from translator import users
from translator.articles import import_files
from translator.db import transaction
from translator.memory import TranslationMemory
from translator.overview import article_segments
from translator.permissions import Role
from translator.tm_files import import_tmx
from translator.web.app import create_app

PASSWORD = "correct horse battery"
SLUG = "putin-xi-call"


@pytest.fixture
def server(workspace):
    """The desk with the example TM and article, two reviewers, served on a free port."""
    with transaction(workspace.database_url) as session:
        import_tmx(TranslationMemory(session), EXAMPLES / "newsroom-memory.tmx", "editor")
        import_files(session, workspace, [ARTICLE], "editor")
        for name in ("rita", "ralf"):
            users.add_user(session, name, Role.REVIEWER, ["de"], workspace.targets, PASSWORD)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    live = uvicorn.Server(uvicorn.Config(create_app(workspace), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=live.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not live.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", workspace
    live.should_exit = True
    thread.join(timeout=10)




def signed_in(browser, base: str, name: str):  # type: ignore[no-untyped-def]
    context = browser.new_context()
    page = context.new_page()
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None)
    page.goto(f"{base}/")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.signin button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.blocked = blocked
    return page


def stored(workspace, number: int) -> dict:
    with transaction(workspace.database_url, write=False) as session:
        return article_segments(session, SLUG, ["de"])[number - 1].translations["de"]


def test_a_reviewer_works_through_an_article_with_the_keyboard(server, browser):
    base, workspace = server
    page = signed_in(browser, base, "rita")
    page.click(f"a[href='/articles/{SLUG}/de']")
    page.click(f"a[href='/articles/{SLUG}/de/2']")
    box = page.locator("#editor form.translation textarea")
    box.fill("Am 4. Februar 2026 telefonierten Putin und Xi 1 Stunde 25 Minuten.")
    box.press("Control+Enter")  # save and next: htmx swaps in segment 3 and the address follows
    page.wait_for_url(f"{base}/articles/{SLUG}/de/3")
    assert page.locator("#editor h1").inner_text().startswith("Segment 3 of")
    assert stored(workspace, 2)["text"] == "Am 4. Februar 2026 telefonierten Putin und Xi 1 Stunde 25 Minuten."
    assert stored(workspace, 2)["status"] == "translated"
    page.keyboard.press("Alt+ArrowUp")
    page.wait_for_url(f"{base}/articles/{SLUG}/de/2")
    # approval of a text whose numbers are not the source's: refused, with the QA error shown
    box = page.locator("#editor form.translation textarea")
    box.fill("Sie telefonierten lange.")
    box.press("Control+Shift+Enter")
    page.wait_for_selector("#editor .problem")
    assert "QA errors" in page.locator("#editor .problem").inner_text()
    # nothing of it was stored (save and approve are one change), and the typed text is still there
    assert stored(workspace, 2)["text"].startswith("Am 4. Februar") and stored(workspace, 2)["status"] == "translated"
    assert box.input_value() == "Sie telefonierten lange."
    page.locator("#editor form.translation button[value=stay]").click()
    page.wait_for_selector("#editor h1:has-text('version 3')")
    assert stored(workspace, 2)["text"] == "Sie telefonierten lange."
    # the history brings the first text back
    page.locator("#editor details.history li", has_text="telefonierten Putin und Xi").locator("button").first.click()
    page.wait_for_function("() => document.querySelector('#editor form.translation textarea').value.includes('Putin und Xi')")
    assert stored(workspace, 2)["text"].startswith("Am 4. Februar 2026 telefonierten Putin")
    assert page.blocked == []


def test_a_tm_suggestion_and_the_source_are_taken_with_a_key(server, browser):
    base, workspace = server
    page = signed_in(browser, base, "rita")
    # the first segment with a TM suggestion in the example memory
    with transaction(workspace.database_url, write=False) as session:
        from translator.review import Target
        from translator.review_queue import view

        rows = article_segments(session, SLUG, ["de"])
        number = next(n for n in range(1, len(rows) + 1) if view(session, Target(SLUG, n, "de")).matches)
        offered = view(session, Target(SLUG, number, "de")).matches[0].target
    page.goto(f"{base}/articles/{SLUG}/de/{number}")
    box = page.locator("#editor form.translation textarea")
    box.fill("")
    offers = page.locator("#editor button.take")
    texts = [offers.nth(i).get_attribute("data-take") for i in range(offers.count())]
    box.press(f"Control+Shift+Digit{texts.index(offered) + 1}")
    assert box.input_value() == offered
    box.fill("")
    offers.nth(texts.index(offered)).click()
    assert box.input_value() == offered
    box.press("Alt+Shift+KeyC")  # the source itself, to translate over
    assert box.input_value() == box.get_attribute("data-source") and box.input_value()


def test_two_people_editing_one_segment_lose_nothing(server, browser):
    base, workspace = server
    first, second = signed_in(browser, base, "rita"), signed_in(browser, base, "ralf")
    for page in (first, second):
        page.goto(f"{base}/articles/{SLUG}/de/4")
    first.locator("#editor form.translation textarea").fill("Ritas Fassung.")
    first.locator("#editor form.translation button[value=stay]").click()
    first.wait_for_selector("#editor h1:has-text('version 2')")
    second.locator("#editor form.translation textarea").fill("Ralfs Fassung.")
    second.locator("#editor form.translation button[value=stay]").click()
    second.wait_for_selector("#editor .conflict")
    conflict = second.locator("#editor .conflict")
    assert "Ritas Fassung." in conflict.locator("[data-theirs]").inner_text()
    assert "Ralfs Fassung." in conflict.locator("[data-mine]").inner_text()
    assert second.locator("#editor form.translation textarea").input_value() == "Ralfs Fassung."
    assert stored(workspace, 4)["text"] == "Ritas Fassung."
    # merging: both texts, saved knowingly over version 2
    second.locator("#editor form.translation textarea").fill("Ritas und Ralfs Fassung.")
    second.locator("#editor form.translation button[value=stay]").click()
    second.wait_for_selector("#editor h1:has-text('version 3')")
    assert stored(workspace, 4)["text"] == "Ritas und Ralfs Fassung."
    assert first.blocked == second.blocked == []

"""The web workspace and its API, as a team uses them: sign in, edit and approve in one's languages,
conflicts shown rather than lost, tokens for scripts, and nothing a translation holds ever runs."""

from __future__ import annotations

import io
import json
import logging
import re
import socket
import stat
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import select

from conftest import ARTICLE
from modelkit import build_copy_package
from translator import review, users
from translator.articles import import_files
from translator.cli import main
from translator.db import transaction
from translator.glossary import import_glossary
from translator.memory import TranslationMemory
from translator.models import ApiToken, TokenScope
from translator.mt.packages import install_file
from translator.status import Origin
from translator.permissions import Role
from translator.web.app import create_app
from translator.web.security import CONTENT_SECURITY_POLICY, SESSION_COOKIE, ClientThrottle

PASSWORD = "correct horse battery"
SLUG = "putin-xi-call"
GLOSSARY = Path(__file__).resolve().parent.parent / "glossary" / "world-news.csv"


@pytest.fixture(scope="module")
def copy_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny en -> de model that copies words and translates a few (tests/modelkit.py)."""
    return build_copy_package(tmp_path_factory.mktemp("packages"), "en", "de",
                              {"President": "Präsident", "leaders": "Staatschefs"}, extra_words=["Wladimir"])


@pytest.fixture
def copy_models(tmp_path: Path, copy_package: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "models"
    install_file(folder, copy_package)
    monkeypatch.setenv("TRANSLATOR_MODELS_DIR", str(folder))
    return folder


@pytest.fixture
def desk(workspace):
    """The example article in the workspace, and a user of each role (the translator in de only)."""
    with transaction(workspace.database_url) as session:
        import_files(session, workspace, [ARTICLE], "editor")
        for name, role, languages in [("anna", Role.TRANSLATOR, ["de"]), ("rita", Role.REVIEWER, ["de", "fr"]),
                                      ("eddy", Role.EDITOR, []), ("mona", Role.MANAGER, []), ("root", Role.ADMIN, [])]:
            users.add_user(session, name, role, languages, workspace.targets, PASSWORD)
    return workspace


def client(workspace, name: str | None = None) -> TestClient:
    browser = TestClient(create_app(workspace), follow_redirects=False)
    if name:
        sign_in(browser, name)
    return browser


def csrf(browser: TestClient, path: str = "/signin") -> str:
    page = browser.get(path)
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def sign_in(browser: TestClient, name: str, password: str = PASSWORD):
    response = browser.post("/signin", data={"name": name, "password": password, "next": "/",
                                             "csrf_token": csrf(browser)})
    return response


def editor_form(browser: TestClient, number: int, lang: str = "de") -> tuple[str, int]:
    page = browser.get(f"/articles/{SLUG}/{lang}/{number}")
    assert page.status_code == 200, page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    version = int(re.search(r'name="version" value="(\d+)"', page.text).group(1))
    return token, version


def token_for(workspace, name: str, scope: TokenScope = TokenScope.WRITE, lifetime=timedelta(days=1)) -> str:
    with transaction(workspace.database_url) as session:
        return users.make_token(session, name, scope, lifetime).secret


# -- signing in ----------------------------------------------------------------------------------------


def test_pages_need_a_sign_in_and_the_cookie_is_httponly_and_lax(desk):
    browser = client(desk)
    assert browser.get("/").headers["location"] == "/signin?next=/"
    assert sign_in(browser, "anna", "wrong password").status_code == 401
    response = sign_in(browser, "anna")
    assert response.status_code == 303 and response.headers["location"] == "/"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(SESSION_COOKIE) and "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    listing = browser.get("/")
    assert listing.status_code == 200 and "Strategic Partnership Deepens" in listing.text
    browser.post("/signout", data={"csrf_token": csrf(browser, "/")})
    assert browser.get("/").status_code == 303


def test_a_wrong_name_and_a_wrong_password_read_the_same(desk):
    browser = client(desk)
    unknown, wrong = sign_in(browser, "nobody"), sign_in(browser, "anna", "not it at all")
    assert unknown.status_code == wrong.status_code == 401
    assert "wrong name or password" in unknown.text and "wrong name or password" in wrong.text


def test_repeated_failures_lock_the_account_even_for_the_right_password(desk):
    browser = client(desk)
    for _ in range(users.MAX_FAILURES):
        assert sign_in(browser, "rita", "guess guess").status_code == 401
    locked = sign_in(browser, "rita")
    assert locked.status_code == 401 and "too many failed sign-ins" in locked.text
    with transaction(desk.database_url) as session:  # an admin sets a new password: the lock goes
        users.set_password(session, "rita", PASSWORD + "!")
    assert sign_in(browser, "rita", PASSWORD + "!").status_code == 303


def test_a_new_password_signs_the_user_out_everywhere(desk):
    browser = client(desk, "anna")
    assert browser.get("/").status_code == 200
    with transaction(desk.database_url) as session:
        users.set_password(session, "anna", "another password")
    assert browser.get("/").status_code == 303


def test_a_sign_in_link_cannot_send_the_user_elsewhere(desk):
    browser = client(desk)
    for target in ["https://evil.example/", "//evil.example/", "/\\evil.example"]:
        token = csrf(browser)
        response = browser.post("/signin", data={"name": "anna", "password": PASSWORD, "next": target,
                                                 "csrf_token": token})
        assert response.headers["location"] == "/"


def test_state_changing_requests_without_the_csrf_token_are_refused(desk):
    browser = client(desk)
    assert browser.post("/signin", data={"name": "anna", "password": PASSWORD}).status_code == 403
    sign_in(browser, "anna")
    _, version = editor_form(browser, 2)
    refused = browser.post(f"/articles/{SLUG}/de/2/save", data={"text": "Hallo", "version": version})
    assert refused.status_code == 403 and "CSRF" in refused.text
    forged = browser.post(f"/articles/{SLUG}/de/2/save", data={"text": "Hallo", "version": version},
                          headers={"X-CSRF-Token": "forged"})
    assert forged.status_code == 403


def test_the_session_secret_is_kept_in_the_workspace_for_its_owner_only(desk):
    create_app(desk)
    secret = desk.root / ".translator" / "session-secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    first = secret.read_text()
    create_app(desk)
    assert secret.read_text() == first  # a restart keeps everyone signed in


# -- the editor ----------------------------------------------------------------------------------------


def test_save_approve_and_history_in_the_editor(desk):
    browser = client(desk, "rita")
    token, version = editor_form(browser, 2)
    saved = browser.post(f"/articles/{SLUG}/de/2/save", data={"text": "Am 4. Februar 2026 sprachen sie.",
                                                              "version": version, "then": "next"},
                         headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert saved.status_code == 204 and f"/articles/{SLUG}/de/3" in saved.headers["HX-Location"]
    page = browser.get(f"/articles/{SLUG}/de/2")
    assert "Am 4. Februar 2026 sprachen sie." in page.text and "translated" in page.text
    _, version = editor_form(browser, 2)
    approved = browser.post(f"/articles/{SLUG}/de/2/approve", data={"version": version}, headers={"X-CSRF-Token": token})
    assert approved.status_code == 200 and "approved" in approved.text
    assert "rita" in approved.text and "edit" in approved.text  # the history lists who did what


def test_someone_saving_meanwhile_shows_both_texts_and_keeps_mine(desk):
    first, second = client(desk, "anna"), client(desk, "rita")
    token_a, version = editor_form(first, 3)
    token_b, _ = editor_form(second, 3)
    assert first.post(f"/articles/{SLUG}/de/3/save", data={"text": "Erste Fassung.", "version": version},
                      headers={"X-CSRF-Token": token_a}).status_code == 200
    clash = second.post(f"/articles/{SLUG}/de/3/save", data={"text": "Meine Fassung.", "version": version},
                        headers={"X-CSRF-Token": token_b, "HX-Request": "true"})
    assert clash.status_code == 409
    assert "Erste Fassung." in clash.text  # theirs
    assert re.search(r"<textarea[^>]*>Meine Fassung\.</textarea>", clash.text)  # mine, still in the box
    # saving from the conflict view names the version it has now seen: mine is taken, knowingly
    seen = int(re.search(r'name="version" value="(\d+)"', clash.text).group(1))
    taken = second.post(f"/articles/{SLUG}/de/3/save", data={"text": "Meine Fassung.", "version": seen},
                        headers={"X-CSRF-Token": token_b})
    assert taken.status_code == 200 and "Meine Fassung." in taken.text


def test_a_qa_error_blocks_approval_in_the_editor(desk):
    browser = client(desk, "rita")
    token, version = editor_form(browser, 2)
    # the source's date and duration are not in this text: the numbers check is an error
    browser.post(f"/articles/{SLUG}/de/2/save", data={"text": "Sie sprachen lange.", "version": version},
                 headers={"X-CSRF-Token": token})
    _, version = editor_form(browser, 2)
    refused = browser.post(f"/articles/{SLUG}/de/2/approve", data={"version": version}, headers={"X-CSRF-Token": token})
    assert refused.status_code == 422 and "QA errors" in refused.text


# -- roles ---------------------------------------------------------------------------------------------


def test_each_role_does_what_it_may_in_its_languages_only(desk):
    anna = client(desk, "anna")
    assert anna.get(f"/articles/{SLUG}/fr/2").status_code == 403  # not her language
    assert "fr" not in re.findall(r'data-lang="(\w+)"', anna.get("/").text)
    token, version = editor_form(anna, 2)
    assert anna.post(f"/articles/{SLUG}/de/2/save", data={"text": "Am 4. Februar 2026, 1 Stunde 25 Minuten.",
                                                          "version": version}, headers={"X-CSRF-Token": token}).status_code == 200
    _, version = editor_form(anna, 2)
    assert anna.post(f"/articles/{SLUG}/de/2/approve", data={"version": version},
                     headers={"X-CSRF-Token": token}).status_code == 403  # a translator does not approve
    rita = client(desk, "rita")
    token, _ = editor_form(rita, 2)
    assert rita.post(f"/articles/{SLUG}/de/2/approve", data={"version": version},
                     headers={"X-CSRF-Token": token}).status_code == 200
    assert rita.get(f"/articles/{SLUG}/es/2").status_code == 403


# -- untrusted text ------------------------------------------------------------------------------------


def test_markup_in_translations_and_comments_stays_text(desk):
    browser = client(desk, "rita")
    token, version = editor_form(browser, 2)
    script = "<script>alert(1)</script> am 4. Februar 2026, 1 Stunde 25 Minuten"
    browser.post(f"/articles/{SLUG}/de/2/save", data={"text": script, "version": version},
                 headers={"X-CSRF-Token": token})
    browser.post(f"/articles/{SLUG}/de/2/comment", data={"text": '<img src=x onerror="alert(2)">'},
                 headers={"X-CSRF-Token": token})
    for page in (browser.get(f"/articles/{SLUG}/de/2"), browser.get(f"/articles/{SLUG}/de"),
                 browser.get("/search", params={"q": "alert"})):
        assert page.status_code == 200
        assert "<script>alert(1)" not in page.text and "<img src=x" not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        policy = page.headers["content-security-policy"]
        assert policy == CONTENT_SECURITY_POLICY and "script-src 'self';" in policy
    # every script the pages load is a file of ours: no inline script, no other site
    scripts = re.findall(r"<script([^>]*)>", browser.get(f"/articles/{SLUG}/de/2").text)
    assert scripts and all(re.search(r'src="/static/[\w.]+\.js"', s) for s in scripts)


# -- the API -------------------------------------------------------------------------------------------


def test_api_edits_with_etag_and_if_match(desk):
    api = client(desk)
    auth = {"Authorization": f"Bearer {token_for(desk, 'rita')}"}
    listed = api.get(f"/api/v1/articles/{SLUG}/segments", params={"lang": "de", "limit": 5}, headers=auth)
    assert listed.status_code == 200 and len(listed.json()["items"]) == 5 and listed.json()["next"]
    after = api.get(f"/api/v1/articles/{SLUG}/segments", params={"lang": "de", "limit": 5,
                                                                 "cursor": listed.json()["next"]}, headers=auth)
    assert after.json()["items"][0]["segment"] == 6
    item = listed.json()["items"][1]
    one = api.get(f"/api/v1/translations/{item['id']}", headers=auth)
    assert one.headers["etag"] == f'"{item["version"]}"'
    body = {"text": "Am 4. Februar 2026 sprachen sie 1 Stunde 25 Minuten."}
    missing = api.patch(f"/api/v1/translations/{item['id']}", json=body, headers=auth)
    assert missing.status_code == 428 and missing.json()["error"]["code"] == "precondition-required"
    changed = api.patch(f"/api/v1/translations/{item['id']}", json=body, headers={**auth, "If-Match": one.headers["etag"]})
    assert changed.status_code == 200 and changed.json()["status"] == "translated"
    assert changed.headers["etag"] == f'"{changed.json()["version"]}"'
    stale = api.patch(f"/api/v1/translations/{item['id']}", json={"text": "Überholt."},
                      headers={**auth, "If-Match": one.headers["etag"]})
    assert stale.status_code == 412 and stale.json()["error"]["code"] == "precondition-failed"
    approved = api.post(f"/api/v1/translations/{item['id']}/approve", headers={**auth, "If-Match": changed.headers["etag"]})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    comment = api.post(f"/api/v1/translations/{item['id']}/comments", json={"text": "gut"}, headers=auth)
    assert comment.status_code == 201
    assert [c["text"] for c in api.get(f"/api/v1/translations/{item['id']}/comments", headers=auth).json()] == ["gut"]


def test_api_tokens_are_checked_scoped_and_revocable(desk):
    api = client(desk)
    assert api.get("/api/v1/articles").status_code == 401
    assert api.get("/api/v1/articles", headers={"Authorization": "Bearer trt_made_up"}).status_code == 401
    reader = {"Authorization": f"Bearer {token_for(desk, 'rita', TokenScope.READ)}"}
    item = api.get(f"/api/v1/articles/{SLUG}/segments", params={"lang": "de"}, headers=reader).json()["items"][1]
    refused = api.patch(f"/api/v1/translations/{item['id']}", json={"text": "x"},
                        headers={**reader, "If-Match": f'"{item["version"]}"'})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    # a translation in a language she does not work in is as unknown to her as one that does not exist
    fr = api.get(f"/api/v1/articles/{SLUG}/segments", params={"lang": "fr"}, headers=reader).json()["items"][1]
    anna = {"Authorization": f"Bearer {token_for(desk, 'anna')}"}
    hidden = api.get(f"/api/v1/translations/{fr['id']}", headers=anna)
    assert hidden.status_code == 404
    assert hidden.json() == {"error": {"code": "not-found", "message": f"no translation {fr['id']}"}}
    assert api.post(f"/api/v1/translations/{fr['id']}/comments", json={"text": "x"}, headers=anna).status_code == 404
    assert api.get(f"/api/v1/articles/{SLUG}/segments", params={"lang": "fr"}, headers=anna).status_code == 403
    expired = {"Authorization": f"Bearer {token_for(desk, 'rita', lifetime=timedelta(seconds=-1))}"}
    assert api.get("/api/v1/articles", headers=expired).status_code == 401
    with transaction(desk.database_url) as session:
        assert users.revoke_token(session, "rita", None) == 2
        hashes = session.scalars(select(ApiToken.token_hash)).all()
    assert api.get("/api/v1/articles", headers=reader).status_code == 401
    assert all(len(h) == 64 and not h.startswith("trt_") for h in hashes)  # only hashes are kept


def test_openapi_and_errors_of_one_shape(desk):
    api = client(desk)
    schema = api.get("/api/openapi.json").json()
    assert "/api/v1/translations/{translation_id}" in schema["paths"]
    docs = api.get("/api/docs")
    assert docs.status_code == 200 and "PATCH /api/v1/translations/{translation_id}" in docs.text
    assert all(re.search(r'src="/static/[\w.]+\.js"', s) for s in re.findall(r"<script([^>]*)>", docs.text))
    auth = {"Authorization": f"Bearer {token_for(desk, 'root')}"}
    missing = api.get("/api/v1/translations/999999", headers=auth)
    assert missing.status_code == 404 and missing.json() == {"error": {"code": "not-found",
                                                                       "message": "no translation 999999"}}
    assert api.get("/api/v1/articles/nope/segments", params={"lang": "de"}, headers=auth).status_code == 404
    for cursor in ("???", "bzk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk"):  # the second: offset 10**40
        bad = api.get("/api/v1/articles", params={"cursor": cursor}, headers=auth)
        assert bad.status_code == 400 and set(bad.json()["error"]) == {"code", "message"}


# -- the users command and the server -------------------------------------------------------------------


def test_users_command(cli, workspace):
    added = cli("users", "add", "lena", "--role", "translator", "--lang", "de,fr", "--password-stdin",
                input=PASSWORD + "\n")
    assert added.exit_code == 0 and "translator in de, fr" in added.output
    assert cli("users", "add", "lena", "--role", "editor", "--no-password").exit_code == 2
    short = cli("users", "add", "max", "--role", "editor", "--password-stdin", input="short\n")
    assert short.exit_code == 2 and "at least 8 characters" in short.output
    unknown = cli("users", "add", "max", "--role", "editor", "--lang", "it", "--no-password")
    assert unknown.exit_code == 2 and "'it' is not a target language" in unknown.output
    made = cli("users", "token", "lena", "--expires", "30d", "--scope", "read")
    secret = made.output.strip().splitlines()[-1]
    assert made.exit_code == 0 and secret.startswith(users.TOKEN_PREFIX) and " " not in secret
    with transaction(workspace.database_url, write=False) as session:
        use = users.token_actor(session, secret)
    assert use is not None and use.actor.name == "lena" and not use.actor.writes
    assert cli("users", "token", "lena", "--expires", "soon").exit_code == 2
    assert "revoked 1 token" in cli("users", "revoke", "lena").output
    assert cli("users", "remove", "lena").exit_code == 0
    assert cli("users", "remove", "lena").exit_code == 2


def test_serve_says_in_one_line_when_the_port_is_taken(cli):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = cli("serve", "--port", str(port))
    assert result.exit_code == 2 and f"port {port} on 127.0.0.1 is in use" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_healthz(desk):
    response = client(desk).get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "schema": "0007"}


# -- the editor's and the manager's pages, and their API --------------------------------------------------


def test_an_editor_downloads_each_language_in_each_format_and_a_translator_cannot(desk):
    eddy = client(desk, "eddy")
    overview = eddy.get(f"/articles/{SLUG}")
    assert overview.status_code == 200 and "would fall back" in overview.text  # nothing translated yet
    html = eddy.get(f"/articles/{SLUG}/download", params={"lang": "de", "format": "html"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert html.headers["content-disposition"] == f'attachment; filename="{SLUG}.de.html"'
    assert "Strategic Partnership" in html.text  # the source stands in for what is not translated
    everything = eddy.get(f"/articles/{SLUG}/download", params={"lang": "de", "format": "all"})
    with zipfile.ZipFile(io.BytesIO(everything.content)) as archive:
        names = archive.namelist()
    assert {f"de/{SLUG}.txt", f"de/{SLUG}.md", f"de/{SLUG}.html", f"de/LC_MESSAGES/{SLUG}.po", f"de/{SLUG}.xlf",
            f"de/{SLUG}.tmx"} <= set(names)
    assert all(not n.startswith(("/", "..")) for n in names)
    omitted = eddy.get(f"/articles/{SLUG}/download", params={"lang": "de", "format": "text", "only_approved": "true",
                                                            "fallback": "omit"})
    assert omitted.status_code == 200 and omitted.content.strip() == b""
    anna = client(desk, "anna")
    assert anna.get(f"/articles/{SLUG}/download", params={"lang": "de", "format": "html"}).status_code == 403
    assert "download" not in anna.get(f"/articles/{SLUG}").text
    api = client(desk)
    auth = {"Authorization": f"Bearer {token_for(desk, 'eddy')}"}
    po = api.get(f"/api/v1/articles/{SLUG}/export", params={"lang": "fr", "format": "po"}, headers=auth)
    assert po.status_code == 200 and b'msgid "' in po.content
    refused = api.get(f"/api/v1/articles/{SLUG}/export", params={"lang": "fr", "format": "po"},
                      headers={"Authorization": f"Bearer {token_for(desk, 'anna')}"})
    assert refused.status_code == 403


def test_an_editor_imports_an_upload_and_sees_what_changed(desk, tmp_path):
    eddy = client(desk, "eddy")
    token = csrf(eddy, "/")
    text = ARTICLE.read_text(encoding="utf-8")
    first = eddy.post("/articles", data={"csrf_token": token},
                      files={"file": ("../../etc/brief.txt", "A short brief.\n\nIt has two blocks.\n", "text/plain")})
    assert first.status_code == 200 and "imported 2 segments" in first.text and "brief" in first.text
    again = eddy.post("/articles", data={"csrf_token": token, "slug": SLUG},
                      files={"file": ("putin-xi-call.txt", text.replace("significant", "long"), "text/plain")})
    assert again.status_code == 200 and re.search(r"updated: \d+ changed, \d+ unchanged", again.text)
    anna = client(desk, "anna")
    assert anna.post("/articles", data={"csrf_token": csrf(anna, "/")},
                     files={"file": ("x.txt", "Text.", "text/plain")}).status_code == 403
    api = client(desk)
    made = api.post("/api/v1/articles", files={"file": ("memo.md", "# Memo\n\nShort.\n", "text/markdown")},
                    headers={"Authorization": f"Bearer {token_for(desk, 'eddy')}"})
    assert made.status_code == 201 and made.json()["slug"] == "memo" and made.json()["created"]
    too_big = api.post("/api/v1/articles", files={"file": ("big.txt", "word " * 500_000, "text/plain")},
                       headers={"Authorization": f"Bearer {token_for(desk, 'eddy')}"})
    assert too_big.status_code == 400 and "the limit" in too_big.json()["error"]["message"]


def test_the_report_is_a_live_page_for_managers(desk):
    mona = client(desk, "mona")
    page = mona.get("/report")
    assert page.status_code == 200 and "<svg" in page.text and "putin-xi-call" in page.text
    assert client(desk, "rita").get("/report").status_code == 403
    api = client(desk)
    figures = api.get("/api/v1/report", params={"lang": "de"}, headers={"Authorization": f"Bearer {token_for(desk, 'mona')}"})
    assert figures.status_code == 200 and figures.json()["languages"][0]["language"] == "de"


def test_api_looks_up_the_tm_and_the_glossary(desk):
    with transaction(desk.database_url) as session:
        import_glossary(session, GLOSSARY, "en", "tester")
        TranslationMemory(session).add("en", "de", "The leaders met.", "Die Staatschefs trafen sich.", Origin.HUMAN)
    api = client(desk)
    auth = {"Authorization": f"Bearer {token_for(desk, 'anna')}"}
    found = api.get("/api/v1/tm", params={"q": "The leaders met.", "lang": "de"}, headers=auth).json()
    assert found[0]["score"] == 100 and found[0]["target"] == "Die Staatschefs trafen sich."
    terms = api.get("/api/v1/glossary", params={"text": "Russian President Vladimir Putin said", "lang": "de"},
                    headers=auth).json()
    assert {"source": "Vladimir Putin", "target": "Wladimir Putin"}.items() <= terms[-1].items()
    assert api.get("/api/v1/tm", params={"q": "x", "lang": "fr"}, headers=auth).status_code == 403


def test_libretranslate_clients_get_the_desk_engines_with_the_glossary(desk, copy_models):
    with transaction(desk.database_url) as session:
        import_glossary(session, GLOSSARY, "en", "tester")
    api = client(desk)
    key = token_for(desk, "anna", TokenScope.READ)
    one = api.post("/translate", json={"q": "The President Vladimir Putin and the leaders", "source": "en",
                                        "target": "de", "format": "text", "api_key": key})
    assert one.status_code == 200, one.text
    assert "Wladimir Putin" in one.json()["translatedText"] and "Staatschefs" in one.json()["translatedText"]
    assert one.json()["glossary"]["missing"] == [] and one.json()["glossary"]["kept"] == one.json()["glossary"]["terms"]
    many = api.post("/translate", data={"q": ["the leaders", "<b>the President</b> &amp; the leaders"], "source": "en",
                                        "target": "de", "format": "html", "api_key": key})
    texts = many.json()["translatedText"]
    assert "Staatschefs" in texts[0] and texts[1].startswith("<b>") and "&amp;" in texts[1] and "Präsident" in texts[1]
    assert api.post("/translate", json={"q": "x", "source": "en", "target": "de"}).status_code == 403
    refused = api.post("/translate", json={"q": "x", "source": "en", "target": "fr", "api_key": key})
    assert refused.status_code == 403 and "error" in refused.json()
    unknown = api.post("/translate", json={"q": "x", "source": "en", "target": "xx", "api_key": key})
    assert unknown.status_code == 400 and set(unknown.json()) == {"error"}


def test_odd_requests_get_a_clear_answer_never_a_server_error(desk):
    browser = client(desk, "rita")
    for path in (f"/articles/{SLUG}/de/0", f"/articles/{SLUG}/de/-1", f"/articles/{SLUG}/de/999",
                 f"/articles/{SLUG}/de/99999999999999999999", "/articles/nope/de/1", f"/articles/{SLUG}/xx"):
        answer = browser.get(path)
        assert answer.status_code in (400, 404, 422), (path, answer.status_code)
        assert "Traceback" not in answer.text
    assert browser.get("/", params={"page": 10**30}).status_code in (200, 422)
    assert browser.get("/", params={"status": ","}).status_code == 200
    assert browser.get("/", params={"status": "bogus"}).status_code == 400
    assert browser.get("/", params={"since": "yesterday"}).status_code == 400
    # signed out in the middle of editing: htmx gets a 401 it leaves unswapped, not the sign-in page
    _, version = editor_form(browser, 2)
    stranger = client(desk)
    refused = stranger.post(f"/articles/{SLUG}/de/2/save", data={"text": "x", "version": version},
                            headers={"HX-Request": "true", "X-CSRF-Token": csrf(stranger)})
    assert refused.status_code == 401 and "your text is still here" in refused.text


ROLE_MATRIX = {  # action: the roles that may do it (in a language of theirs)
    "read": {"translator", "reviewer", "editor", "manager", "admin"},
    "edit": {"translator", "reviewer", "editor", "manager", "admin"},
    "comment": {"translator", "reviewer", "editor", "manager", "admin"},
    "approve": {"reviewer", "editor", "manager", "admin"},
    "reject": {"reviewer", "editor", "manager", "admin"},
    "export": {"editor", "manager", "admin"},
    "import": {"editor", "manager", "admin"},
    "report": {"manager", "admin"},
}


@pytest.mark.parametrize("role", ["translator", "reviewer", "editor", "manager", "admin"])
def test_every_role_and_action_through_the_api(desk, role):
    with transaction(desk.database_url) as session:
        users.add_user(session, f"the-{role}", Role(role), ["de"] if role != "admin" else [], desk.targets, None)
    api = client(desk)
    auth = {"Authorization": f"Bearer {token_for(desk, f'the-{role}')}"}
    root = {"Authorization": f"Bearer {token_for(desk, 'root')}"}
    items = api.get(f"/api/v1/articles/{SLUG}/segments", params={"lang": "de"}, headers=root).json()["items"]

    def etag(tid: int) -> str:
        return api.get(f"/api/v1/translations/{tid}", headers=root).headers["etag"]

    text = {"text": "Am 4. Februar 2026 sprachen Putin und Xi 1 Stunde 25 Minuten."}
    requests = {
        "read": lambda: api.get(f"/api/v1/translations/{items[1]['id']}", headers=auth),
        "edit": lambda: api.patch(f"/api/v1/translations/{items[1]['id']}", json=text,
                                  headers={**auth, "If-Match": etag(items[1]["id"])}),
        "comment": lambda: api.post(f"/api/v1/translations/{items[1]['id']}/comments", json={"text": "ok"}, headers=auth),
        "approve": lambda: api.post(f"/api/v1/translations/{items[2]['id']}/approve",
                                    headers={**auth, "If-Match": etag(items[2]["id"])}),
        "reject": lambda: api.post(f"/api/v1/translations/{items[3]['id']}/reject", json={"reason": "no"},
                                   headers={**auth, "If-Match": etag(items[3]["id"])}),
        "export": lambda: api.get(f"/api/v1/articles/{SLUG}/export", params={"lang": "de", "format": "text"},
                                  headers=auth),
        "import": lambda: api.post("/api/v1/articles", files={"file": (f"{role}.txt", "A note.\n", "text/plain")},
                                   headers=auth),
        "report": lambda: api.get("/api/v1/report", params={"lang": "de"}, headers=auth),
    }
    with transaction(desk.database_url) as session:  # texts to approve and reject
        for number in (3, 4):
            review.edit(session, review.Target(SLUG, number, "de"), "Ein Satz.", "root")
    for action, send in requests.items():
        answer = send()
        if role in ROLE_MATRIX[action]:
            # approving "Ein Satz." meets the numbers check: refused for its QA error, not for the role
            assert answer.status_code in (200, 201, 400), (role, action, answer.status_code, answer.text)
            assert answer.status_code != 400 or action == "approve", (role, action, answer.text)
        else:
            assert answer.status_code == 403, (role, action, answer.status_code)
    if role != "admin":  # another language: not even there
        fr = api.get(f"/api/v1/articles/{SLUG}/segments", params={"lang": "fr"}, headers=root).json()["items"][1]
        assert api.get(f"/api/v1/translations/{fr['id']}", headers=auth).status_code == 404


def test_a_manager_manages_users_but_never_an_admin(desk):
    mona = client(desk, "mona")
    token = csrf(mona, "/users")
    page = mona.get("/users")
    assert page.status_code == 200 and 'data-user="anna"' in page.text
    assert '<option value="admin"' not in page.text  # a role she cannot give is not offered
    added = mona.post("/users", data={"csrf_token": token, "name": "nina", "role": "translator",
                                      "languages": ["de", "fr"], "password": "nina's password"})
    assert added.status_code == 303
    assert sign_in(client(desk), "nina", "nina's password").status_code == 303
    assert mona.post("/users/nina/change", data={"csrf_token": token, "role": "reviewer", "languages": ["de"]}
                     ).status_code == 303
    with transaction(desk.database_url, write=False) as session:
        nina = users.get_user(session, "nina")
        assert (nina.role, nina.languages) == (Role.REVIEWER, ["de"])
    # an admin stays out of her reach, whatever she sends
    assert mona.post("/users", data={"csrf_token": token, "name": "boss", "role": "admin"}).status_code == 403
    assert mona.post("/users/nina/change", data={"csrf_token": token, "role": "admin"}).status_code == 403
    for action in ("password", "remove"):
        assert mona.post(f"/users/root/{action}", data={"csrf_token": token, "password": "x" * 12}).status_code == 403
    short = mona.post("/users/nina/password", data={"csrf_token": token, "password": "short"})
    assert short.status_code == 422 and "at least 8 characters" in short.text
    assert mona.post("/users/nina/remove", data={"csrf_token": token}).status_code == 303
    assert sign_in(client(desk), "nina", "nina's password").status_code == 401
    # and a reviewer manages nobody
    assert client(desk, "rita").get("/users").status_code == 403


def test_serve_without_a_workspace_says_so_in_one_line(tmp_path):
    result = CliRunner().invoke(main, ["-w", str(tmp_path / "none"), "serve"])
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "translator.toml" in result.output or "workspace" in result.output


def test_each_request_is_one_json_log_line(desk, caplog):
    with caplog.at_level(logging.INFO, logger="translator.web"):
        client(desk, "anna").get(f"/articles/{SLUG}/de/2")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "translator.web"]
    assert {"method": "GET", "path": f"/articles/{SLUG}/de/2", "status": 200, "user": "anna"}.items() \
        <= lines[-1].items() and lines[-1]["ms"] >= 0


def test_the_session_cookie_is_secure_over_https(desk):
    browser = TestClient(create_app(desk), base_url="https://desk.example", follow_redirects=False)
    response = sign_in(browser, "anna")
    assert response.status_code == 303 and "secure" in response.headers["set-cookie"].lower()
    plain = TestClient(create_app(desk), follow_redirects=False)
    assert "secure" not in sign_in(plain, "anna").headers["set-cookie"].lower()


def test_downloads_cannot_name_anything_but_an_export(desk):
    eddy = client(desk, "eddy")
    for params in ({"lang": "../../etc", "format": "text"}, {"lang": "de", "format": "../passwd"},
                   {"lang": "de", "format": "text", "fallback": "/etc/passwd"}):
        answer = eddy.get(f"/articles/{SLUG}/download", params=params)
        assert answer.status_code == 400 and "attachment" not in answer.headers.get("content-disposition", "")
    assert eddy.get("/articles/%2E%2E/download", params={"lang": "de"}).status_code == 404
    assert eddy.get("/articles/..%2F..%2Fetc/download", params={"lang": "de"}).status_code == 404


def test_a_bug_is_one_line_in_the_shape_the_client_reads(desk, monkeypatch):
    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug")

    monkeypatch.setattr("translator.desk.segments", broken)
    api = TestClient(create_app(desk), raise_server_exceptions=False)
    answer = api.get(f"/api/v1/articles/{SLUG}/segments", params={"lang": "de"},
                     headers={"Authorization": f"Bearer {token_for(desk, 'root')}"})
    assert answer.status_code == 500 and answer.json()["error"]["code"] == "server-error"
    assert "Traceback" not in answer.text and "RuntimeError" not in answer.text


def test_a_client_failing_again_and_again_waits_whatever_the_names(desk):
    app = create_app(desk)
    app.state.throttle = ClientThrottle(limit=3)
    browser = TestClient(app, follow_redirects=False)
    for name in ("x1", "x2", "x3"):
        assert sign_in(browser, name, "guess guess").status_code == 401
    blocked = sign_in(browser, "anna")
    assert blocked.status_code == 429 and "too many failed sign-ins from this address" in blocked.text
    assert sign_in(client(desk), "anna").status_code == 303  # another server (a restart) starts afresh

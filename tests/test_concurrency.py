"""Two people at once, from two real processes: approving the same text of a shared sentence, and editing
one translation, with and without the version they read, on SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from translator import review
from translator.articles import import_files
from translator.db import get_engine, transaction
from translator.history import events
from translator.models import TMUnit
from translator.overview import article_segments, get_article

ROUNDS = 15
WAIT = 60  # seconds a process waits for the other one (then the barrier breaks): the test never hangs
SLUGS = ("morning-edition", "evening-edition")  # two articles sharing every sentence
EDITED = 2  # the segment both edit: the first sentence (segment 1 is the title)


def _sentence(i: int) -> str:
    return f"The council met for the {i}th time on Monday."


def _translation(i: int) -> str:
    return f"Der Rat tagte am Montag zum {i}. Mal."


def _approver(url: str, slug: str, numbers: list[int], barrier, results) -> None:  # type: ignore[no-untyped-def]
    outcomes = []
    for number in numbers:
        try:
            barrier.wait(WAIT)
            with transaction(url) as session:
                review.approve(session, review.Target(slug, number, "de"), f"reviewer of {slug}")
            outcomes.append("saved")
        except Exception as exc:  # whatever it is, the parent shows it
            outcomes.append(f"{type(exc).__name__}: {exc}")
    results.put((slug, outcomes))


def _editor(url: str, name: str, rounds: int, with_version: bool, barrier, results) -> None:  # type: ignore[no-untyped-def]
    target = review.Target(SLUGS[0], EDITED, "de")
    outcomes = []
    for i in range(rounds):
        expected = None
        try:
            barrier.wait(WAIT)
            if with_version:  # as a script reads it from 'show --json'
                with transaction(url, write=False) as session:
                    expected = article_segments(session, SLUGS[0], ["de"])[EDITED - 1].translations["de"]["version"]
            barrier.wait(WAIT)  # both have read before either writes
            with transaction(url) as session:
                review.edit(session, target, f"Der Rat tagte, Fassung {name} {i}.", name, expected)
            outcomes.append("saved")
        except review.Conflict:
            outcomes.append("conflict")
        except Exception as exc:  # whatever it is, the parent shows it
            outcomes.append(f"{type(exc).__name__}: {exc}")
    results.put((name, outcomes))


def _race(target, jobs: list[tuple]) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Run ``target(*job, barrier, results)`` in one fresh process per job; their outcomes by name."""
    context = multiprocessing.get_context("spawn")  # no database connection inherited from this process
    barrier, results = context.Barrier(len(jobs)), context.Queue()
    processes = [context.Process(target=target, args=(*job, barrier, results)) for job in jobs]
    for process in processes:
        process.start()
    try:
        return dict(results.get(timeout=3 * WAIT) for _ in processes)
    finally:
        for process in processes:
            process.join(timeout=WAIT)
            if process.is_alive():
                process.kill()


@pytest.fixture
def shared(workspace, tmp_path: Path):
    """Two articles with the same sentences, each translated into German with the same text."""
    text = "Council news\n\n" + "\n\n".join(_sentence(i) for i in range(1, ROUNDS + 1)) + "\n"
    paths = []
    for slug in SLUGS:
        paths.append(tmp_path / f"{slug}.txt")
        paths[-1].write_text(text)
    with transaction(workspace.database_url) as session:
        import_files(session, workspace, paths, "editor")
    german = {_sentence(i): _translation(i) for i in range(1, ROUNDS + 1)} | {"Council news": "Nachrichten aus dem Rat"}
    with transaction(workspace.database_url) as session:
        for slug in SLUGS:
            for row in article_segments(session, slug, ["de"]):
                review.edit(session, review.Target(slug, row.position + 1, "de"), german[row.source], "editor")
    get_engine(workspace.database_url).dispose()  # the processes get the database to themselves
    return workspace


def _segment_of(session, slug: str, i: int):  # type: ignore[no-untyped-def]
    return next(r for r in article_segments(session, slug, ["de"]) if r.source == _sentence(i))


def test_two_people_approving_the_same_text_of_a_shared_sentence_both_succeed(shared):
    url = shared.database_url
    with transaction(url, write=False) as session:
        numbers = {slug: [_segment_of(session, slug, i).position + 1 for i in range(1, ROUNDS + 1)] for slug in SLUGS}
    assert numbers[SLUGS[0]] == numbers[SLUGS[1]] == list(range(2, ROUNDS + 2))  # segment 1 is the title
    outcomes = _race(_approver, [(url, slug, numbers[slug]) for slug in SLUGS])
    assert outcomes == {slug: ["saved"] * ROUNDS for slug in SLUGS}
    with transaction(url, write=False) as session:
        for i in range(1, ROUNDS + 1):
            units = session.scalars(select(TMUnit).where(TMUnit.target_lang == "de",
                                                         TMUnit.source == _sentence(i))).all()
            assert [(u.target, u.approved) for u in units] == [(_translation(i), True)]
            for slug in SLUGS:
                assert _segment_of(session, slug, i).translations["de"]["status"] == "approved"
        approvals = [e for slug in SLUGS for e in events(session, get_article(session, slug).id) if e.action == "approve"]
        assert len(approvals) == 2 * ROUNDS


def _edit_history(url: str) -> list[str]:
    with transaction(url, write=False) as session:
        article = get_article(session, SLUGS[0])
        return [e.new_value for e in events(session, article.id) if e.action == "edit" and e.user in ("anna", "ben")]


def _version(url: str) -> int:
    with transaction(url, write=False) as session:
        return review.load(session, review.Target(SLUGS[0], EDITED, "de"))[2].version


def test_edits_naming_the_version_they_read_save_one_and_refuse_the_other(shared):
    url = shared.database_url
    before = _version(url)
    outcomes = _race(_editor, [(url, name, ROUNDS, True) for name in ("anna", "ben")])
    rounds = list(zip(outcomes["anna"], outcomes["ben"]))
    assert all(sorted(pair) == ["conflict", "saved"] for pair in rounds), rounds
    assert _version(url) == before + ROUNDS
    saved = _edit_history(url)
    assert len(saved) == ROUNDS
    with transaction(url, write=False) as session:
        current = review.load(session, review.Target(SLUGS[0], EDITED, "de"))[2].text
    assert current == saved[0]  # the history is newest first: the last saved text is the one in place


def test_edits_without_a_version_are_last_writer_wins_and_the_history_keeps_every_text(shared):
    url = shared.database_url
    before = _version(url)
    outcomes = _race(_editor, [(url, name, ROUNDS, False) for name in ("anna", "ben")])
    assert outcomes == {"anna": ["saved"] * ROUNDS, "ben": ["saved"] * ROUNDS}
    assert _version(url) == before + 2 * ROUNDS  # each save edited the version it read: none was lost
    saved = Counter(_edit_history(url))
    assert saved == Counter(f"Der Rat tagte, Fassung {name} {i}." for name in ("anna", "ben") for i in range(ROUNDS))

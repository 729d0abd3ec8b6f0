"""Apertium's stream format as we write and read it, against Apertium's own HTML deformatter and
reformatter (the programs ``apertium -f html`` runs around a pair)."""

from __future__ import annotations

import html
import random
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from translator.mt import apertium, apertium_stream
from translator.mt.apertium_pipeline import Pipeline

# words and single spaces most of all (the common case), and every character the formats treat apart
ALPHABET = [*"abcdefgh XYZ09,.?" * 6, *" \n\t\r\x0b\x0c\u00a0\u2009\u3000~&<>\"'\\[]{}^$@/|#*%`;:-_+=éñ中😀\x01\x7f",
            "&amp;", "&lt;", "&copy;", "&#39;", "<p>", "</p>", "<b>", "<!--", "-->", "...", ". ", "  "]


def random_texts(rng: random.Random) -> list[str]:
    texts = []
    for _ in range(rng.randint(1, 4)):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 30))).strip()
        # "{{": deshtml's template, which we keep as text (see test_engines)
        texts.append(re.sub(r"\{+", "{", text) or "a")
    return texts


def html_document(texts: list[str]) -> str:
    return "".join(f'<p id="s{i}">{html.escape(t, quote=False)}</p>\n' for i, t in enumerate(texts))


def run(tool: str, data: str) -> str:
    return subprocess.run([tool], input=data.encode(), capture_output=True, check=True, timeout=30).stdout.decode()


def paragraphs(document: str) -> list[str]:
    return [html.unescape(text) for text in re.findall(r'<p id="s\d+">(.*?)</p>', document, re.DOTALL)]


def test_read_gives_back_what_write_wrote() -> None:
    rng = random.Random(1)
    for _ in range(500):
        texts = random_texts(rng)
        assert paragraphs(apertium_stream.read(apertium_stream.write(texts))) == texts


def test_no_text_leaks_into_the_format_or_the_next_text() -> None:
    stream = apertium_stream.write(["a [b] \\ {{c", "d.[]e", "f"])
    # every special character escaped, every text in its own block
    assert stream == ('.[][<p id="s0">]a \\[b\\] \\\\ \\{\\{c.[][<\\/p>\n<p id="s1">]d.\\[\\]e.[][<\\/p>\n'
                      '<p id="s2">]f.[][<\\/p>\n]')
    assert "\0" not in apertium_stream.write(["a\0b"])


@pytest.mark.skipif(not shutil.which("apertium-deshtml"), reason="apertium is not installed")
def test_write_is_what_apertium_deshtml_makes_of_the_html_document() -> None:
    rng = random.Random(2)
    for _ in range(300):
        texts = random_texts(rng)
        assert apertium_stream.write(texts) == run("apertium-deshtml", html_document(texts)), texts


ENG_SPA = Path(apertium._datadir()) / "modes" / "eng-spa.mode"


def has_eng_spa() -> bool:
    return bool(shutil.which("apertium-rehtml")) and ENG_SPA.exists()


@pytest.mark.skipif(not has_eng_spa(), reason="apertium with eng-spa is not installed")
def test_read_is_what_apertium_rehtml_makes_of_a_translation() -> None:
    rng = random.Random(3)
    pipeline = Pipeline(ENG_SPA)
    try:
        answers = [pipeline.translate(apertium_stream.write(random_texts(rng)), timeout=30) for _ in range(200)]
    finally:
        pipeline.close()
    for answer in answers + ["a.[]b..[][x]", "\\{\\} \\< \\n [x\\/y] [[t]]z"]:
        assert apertium_stream.read(answer) == run("apertium-rehtml", answer), answer

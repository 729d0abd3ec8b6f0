"""The test models of ``modelkit``: real Argos packages that CTranslate2 and argostranslate load.

The copy model must decode exactly what ``copy_pieces`` predicts, with greedy search and beam
search, int8 and float32; argostranslate must install both packages and translate with them. That
part runs in a subprocess: argostranslate reads ``ARGOS_PACKAGES_DIR`` once, when first imported.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import ctranslate2
import pytest
import sentencepiece as spm

from modelkit import (
    COPY_CORPUS,
    build_copy_package,
    build_random_package,
    copy_pieces,
    copy_translation,
    news_corpus,
    train_sentencepiece,
    unpack,
)

LEXICON = {
    "President": "Präsident",
    "Chancellor": "Kanzler",
    "Prime Minister": "Premierminister",
    "Vladimir": "Wladimir",
}
EXTRA_WORDS = ["Bundeskanzler", "Poutine", "chancelier"]
TEXTS = [
    "Russian President Vladimir Putin and Chinese President Xi Jinping held a video call.",
    "The Prime Minister met Chancellor Scholz in Berlin on Wednesday.",
    'Zelensky (President of Ukraine) told reporters: "We will respond."',
    "Grüße aus München, sagte der Bundeskanzler.",
    "Bilateral trade reached $234 billion in 2025.",
    "Hi",
]


@pytest.fixture(scope="module")
def copy_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_copy_package(
        tmp_path_factory.mktemp("copy"), "en", "de", lexicon=LEXICON, extra_words=EXTRA_WORDS
    )


@pytest.fixture(scope="module")
def random_package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_random_package(tmp_path_factory.mktemp("random"), "en", "fr")


@pytest.fixture(scope="module")
def copy_translators(copy_package: Path, tmp_path_factory: pytest.TempPathFactory):
    """The unpacked copy model loaded by CTranslate2, by compute type."""
    folder = unpack(copy_package, tmp_path_factory.mktemp("unpacked"))
    return {
        compute: ctranslate2.Translator(str(folder / "model"), compute_type=compute)
        for compute in ("int8", "float32")
    }


def test_copy_translation_translates_the_lexicon_and_copies_the_rest(copy_package: Path):
    assert copy_translation(copy_package, TEXTS[0]) == (
        "Russian Präsident Wladimir Putin and Chinese Präsident Xi Jinping held a video call."
    )
    assert copy_translation(copy_package, TEXTS[1]) == (
        "The Premierminister met Kanzler Scholz in Berlin on Wednesday."
    )
    # glued to a bracket, the word is still one piece and still translated
    assert copy_translation(copy_package, TEXTS[2]) == (
        'Zelensky (Präsident of Ukraine) told reporters: "We will respond."'
    )


def test_lexicon_and_extra_words_are_single_pieces(copy_package: Path, tmp_path: Path):
    folder = unpack(copy_package, tmp_path)
    sp = spm.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
    for word in [*LEXICON, *LEXICON.values(), *EXTRA_WORDS]:
        assert sp.encode(word, out_type=str) == ["▁" + word.replace(" ", "▁")]
    # a name the model has never seen is copied piece by piece, as real models copy names
    assert len(sp.encode("Zelensky", out_type=str)) > 1


@pytest.mark.parametrize("compute", ["int8", "float32"])
@pytest.mark.parametrize("beam", [1, 4])
def test_copy_model_decodes_exactly(copy_package: Path, copy_translators, compute: str, beam: int):
    sources, expected = zip(*(copy_pieces(copy_package, text) for text in TEXTS))
    results = copy_translators[compute].translate_batch(
        list(sources), beam_size=beam, return_scores=True
    )
    assert [result.hypotheses[0] for result in results] == list(expected)
    assert all(result.scores[0] > -1e-3 for result in results)  # sure of every piece


def test_copy_model_keeps_long_sentences_whole(copy_package: Path, copy_translators):
    text = " ".join(["President Putin met the Chancellor in Berlin."] * 30)
    source, expected = copy_pieces(copy_package, text)
    source, expected = source[:256], expected[:256]
    (result,) = copy_translators["int8"].translate_batch([source], beam_size=4)
    assert result.hypotheses[0] == expected


def test_copy_model_resumes_after_a_target_prefix_at_the_same_position(
    copy_package: Path, copy_translators
):
    source, expected = copy_pieces(copy_package, TEXTS[1])
    prefix, _ = copy_pieces(copy_package, "Der Premierminister")  # pieces of the vocabulary
    assert len(prefix) > 2
    (result,) = copy_translators["int8"].translate_batch(
        [source], target_prefix=[prefix], beam_size=4
    )
    # the prefix replaces as many pieces as it has, whatever they say
    assert result.hypotheses[0] == prefix + expected[len(prefix):]


def test_copy_model_alternatives_are_far_behind(copy_package: Path, copy_translators):
    source, expected = copy_pieces(copy_package, TEXTS[0])
    (result,) = copy_translators["int8"].translate_batch(
        [source], beam_size=4, num_hypotheses=4, return_scores=True, length_penalty=0
    )
    assert result.hypotheses[0] == expected
    assert len(result.hypotheses) == 4
    # one wrong piece costs ~37 nats; a step past the source reads "</s>" and ends the hypothesis
    assert all(score < -20 for score in result.scores[1:])
    assert all(len(hypothesis) <= len(expected) + 1 for hypothesis in result.hypotheses)


def test_sentencepiece_training_is_deterministic():
    sentences = COPY_CORPUS.splitlines()
    assert train_sentencepiece(sentences, 600, hard_vocab_limit=False) == train_sentencepiece(
        sentences, 600, hard_vocab_limit=False
    )


def test_random_model_is_base_sized_and_translates_garbage(random_package: Path, tmp_path: Path):
    folder = unpack(random_package, tmp_path)
    assert (folder / "model" / "model.bin").stat().st_size > 40 * 1024**2
    sp = spm.SentencePieceProcessor(model_file=str(folder / "sentencepiece.model"))
    assert sp.get_piece_size() == 8000
    translator = ctranslate2.Translator(str(folder / "model"), compute_type="int8")
    sources = [sp.encode(text, out_type=str) for text in news_corpus(3, seed=7)]
    for beam in (1, 4):
        results = translator.translate_batch(sources, beam_size=beam, return_scores=True)
        for result in results:
            assert len(result.hypotheses[0]) <= 256
            assert all(sp.piece_to_id(piece) != sp.unk_id() for piece in result.hypotheses[0])
            assert math.isfinite(result.scores[0])


def test_random_package_is_reused_from_its_folder(random_package: Path):
    before = random_package.stat().st_mtime_ns
    assert build_random_package(random_package.parent, "en", "fr") == random_package
    assert random_package.stat().st_mtime_ns == before


ARGOS_SCRIPT = r"""
import json, math, sys
from pathlib import Path

import ctranslate2
from argostranslate import package, settings, translate


class OneSentence:
    # argos's sentencizers need models from the network; each text here is one sentence
    def split_sentences(self, text):
        return [text]


request = json.loads(sys.argv[1])
for path in request["install"]:
    package.install_from_path(Path(path))
packages = {f"{p.from_code}-{p.to_code}": p for p in package.get_installed_packages()}
answer = {"packages_dir": str(settings.package_data_dir), "installed": sorted(packages), "jobs": []}
for pair, text, beam in request["jobs"]:
    pkg = packages[pair]
    translator = ctranslate2.Translator(str(pkg.package_path / "model"))
    settings.beam_size = beam  # apply_packaged_translation searches with max(num_hypotheses, this)
    (hypothesis,) = translate.apply_packaged_translation(pkg, text, translator, OneSentence(), 1)
    answer["jobs"].append([hypothesis.value, math.isfinite(hypothesis.score)])
print(json.dumps(answer))
"""


def test_argostranslate_installs_and_translates_with_both_packages(
    copy_package: Path, random_package: Path, tmp_path: Path
):
    packages_dir = tmp_path / "argos-packages"
    home = tmp_path / "home"  # argos and onnxruntime write settings and caches under $HOME
    env = {
        **{key: value for key, value in os.environ.items() if not key.startswith(("ARGOS_", "XDG_"))},
        "HOME": str(home),
        "ARGOS_PACKAGES_DIR": str(packages_dir),
        "ARGOS_DEVICE_TYPE": "cpu",
    }
    texts = [text for text in TEXTS if "_" not in text]  # argos decodes "_" as a space
    jobs = [["en-de", text, beam] for beam in (1, 4) for text in texts]
    jobs.append(["en-fr", "The president said on Monday that talks would resume.", 4])
    request = {"install": [str(copy_package), str(random_package)], "jobs": jobs}
    run = subprocess.run(
        [sys.executable, "-c", ARGOS_SCRIPT, json.dumps(request)],
        env=env, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr
    answer = json.loads(run.stdout.splitlines()[-1])

    assert answer["packages_dir"] == str(packages_dir)
    assert answer["installed"] == ["en-de", "en-fr"]
    assert sorted(path.name for path in packages_dir.iterdir()) == [
        copy_package.stem, random_package.stem
    ]
    *copied, (garbage, finite) = answer["jobs"]
    expected = [copy_translation(copy_package, text) for _, text, _ in jobs[:-1]]
    assert [value for value, _ in copied] == expected
    assert isinstance(garbage, str) and finite

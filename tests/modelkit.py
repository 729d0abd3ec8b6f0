"""Real, tiny Argos Translate packages built from numpy weights, for tests and benchmarks.

``build_copy_package`` makes a one-layer CTranslate2 Transformer whose output is exactly its input,
piece by piece, except for a lexicon of whole words it "translates"; ``copy_translation`` says what
that output is. ``build_random_package`` makes a Transformer-base sized model with random weights.

Each package is a zip with one top-level folder holding ``metadata.json``, ``sentencepiece.model``,
``model/`` (CTranslate2, int8) and ``modelkit.json`` (how it was built), as ``install_from_path``
expects. Nothing here imports argostranslate: it reads ``ARGOS_PACKAGES_DIR`` once, at import time,
so tests that install packages set the environment first (``test_modelkit.py`` uses a subprocess).

Example::

    path = build_copy_package(tmp_path, "en", "de", lexicon={"President": "Präsident"})
    copy_translation(path, "President Putin called.")  # -> "Präsident Putin called."
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import random
import tempfile
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

SPACE = "\u2581"  # SentencePiece's word-boundary marker "▁"
ARGOS_VERSION = "1.9.0"
KIT_VERSION = 1  # part of the random package's cache key: bump it when its build changes

# One-hot geometry of the copy model: residual stream = [position dims | token dims].
QUERY_GAIN = 2.0  # the source position matching the decoder step leads by ~QUERY_GAIN * sqrt(d_model/2)
LOGIT_GAIN = 1.5  # the copied piece's logit leads by ~37: every other piece has probability < e^-35

# A few sentences in each language the tests use, so the shared SentencePiece model segments all
# of them into plausible pieces; the last line lists every character the copy model should know.
COPY_CORPUS = """\
Russian President Vladimir Putin and Chinese President Xi Jinping held a video call on Wednesday.
The leaders described their strategic partnership as exemplary and discussed trade, energy and security.
Bilateral trade reached 234 billion dollars in 2025, according to the ministry of commerce.
The Chancellor said the government would respond to the sanctions next week in Berlin.
"Our relations are stable," the minister told reporters after the meeting in Moscow.
Der russische Präsident Wladimir Putin und der chinesische Präsident Xi Jinping telefonierten am Mittwoch.
Der Bundeskanzler sagte, die Regierung werde nächste Woche in Berlin auf die Sanktionen reagieren.
Die beiden Staatschefs bezeichneten ihre strategische Partnerschaft als vorbildlich.
Le président russe Vladimir Poutine et le président chinois Xi Jinping se sont entretenus mercredi.
Le chancelier a déclaré que le gouvernement répondrait aux sanctions la semaine prochaine.
Les deux dirigeants ont qualifié leur partenariat stratégique d'exemplaire.
De Russische president Vladimir Poetin en de Chinese president Xi Jinping voerden woensdag een videogesprek.
De bondskanselier zei dat de regering volgende week op de sancties zou reageren.
El presidente ruso Vladímir Putin y el presidente chino Xi Jinping mantuvieron una videollamada el miércoles.
El canciller dijo que el gobierno respondería a las sanciones la próxima semana.
O presidente russo Vladimir Putin e o presidente chinês Xi Jinping realizaram uma videochamada na quarta-feira.
O chanceler disse que o governo responderia às sanções na próxima semana.
abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 .,;:!?'"()[]{}-–—/&%$€£@#*+=<>«»„“”‘’…
äöüß ÄÖÜ àâçéèêëîïôûùüÿœæ ÀÂÇÉÈÊËÎÏÔÛÙŒÆ áéíóúñ¿¡ ÁÉÍÓÚÑ ãõâêôàç ÃÕ åøÅØ ij
"""

LANGUAGE_NAMES = {
    "en": "English", "de": "German", "fr": "French", "nl": "Dutch", "es": "Spanish",
    "pt": "Portuguese", "it": "Italian", "ru": "Russian", "zh": "Chinese",
}


# -- the copy model -------------------------------------------------------------------------------


def build_copy_package(
    out_dir: str | os.PathLike[str],
    from_code: str = "en",
    to_code: str = "de",
    lexicon: Mapping[str, str] | None = None,
    extra_words: Iterable[str] = (),
    *,
    name: str | None = None,
    max_positions: int = 256,
    vocab_size: int = 600,
    quantization: str = "int8",
    version: str = "1.0",
) -> Path:
    """Build ``<out_dir>/<name>.argosmodel``: a model that copies its input, translating ``lexicon``.

    Source and target share one SentencePiece model trained on ``COPY_CORPUS`` plus the lexicon and
    ``extra_words``; every lexicon word (both sides; multi-word entries too) and every extra word is
    forced to be one piece, with the leading "▁" (a word start) and without it (glued to
    punctuation, as in "(President"). SentencePiece matches such pieces anywhere, even inside a
    longer word ("Presidents" is "▁President" "s"): keep lexicon words distinctive. The model maps
    each source piece to the same piece, except the lexicon's, then emits ``</s>``: decoder step t
    reads source position t, so a sentence of up to ``max_positions`` pieces is copied exactly and a
    longer one comes out cut after ``max_positions`` pieces. Returns the package path.
    """
    lexicon = dict(lexicon or {})
    out_dir = Path(out_dir)
    name = name or f"translate-{from_code}_{to_code}-copy"
    words = list(dict.fromkeys([*lexicon, *lexicon.values(), *extra_words]))
    sp_model = train_sentencepiece(
        [*COPY_CORPUS.splitlines(), *words], vocab_size, user_symbols=_word_symbols(words),
        hard_vocab_limit=False,
    )
    pieces = _pieces(sp_model)
    piece_map = _piece_map(lexicon)
    spec = copy_spec(pieces, piece_map, max_positions=max_positions)
    build = {"kind": "copy", "lexicon": lexicon, "words": words, "max_positions": max_positions}
    path = out_dir / f"{name}.argosmodel"
    metadata = _metadata(from_code, to_code, version)
    # the mostly-zero model.bin deflates ~500:1
    return _write_package(path, metadata, sp_model, spec, quantization, build, compress=True)


def copy_spec(pieces: list[str], piece_map: Mapping[str, str], *, max_positions: int = 256):
    """The CTranslate2 ``TransformerSpec`` of the copy model over vocabulary ``pieces``.

    One layer, one head, no scaled embeddings. Positions and tokens are one-hot in separate dims;
    self-attention and feed-forward outputs are zero; cross-attention matches the decoder position
    with the source position and carries that source token's one-hot into the token dims; the output
    projection sends source piece ``p`` to ``piece_map.get(p, p)``. Layer norms stay plain (gamma
    1, beta 0): they only rescale and shift a one-hot vector, and the gains above keep every
    attention and every logit decided by a wide margin, in float32 and in int8 alike.
    """
    from ctranslate2.specs import TransformerSpec

    index = {piece: i for i, piece in enumerate(pieces)}
    unknown = sorted(set(piece_map.values()) - index.keys())
    if unknown:
        raise ValueError(f"target pieces missing from the vocabulary: {unknown}")
    vocab, positions = len(pieces), max_positions
    d_model = positions + vocab
    token = slice(positions, d_model)

    def zeros(*shape: int) -> np.ndarray:
        return np.zeros(shape, dtype=np.float32)

    def block_identity(rows: slice, gain: float = 1.0) -> np.ndarray:
        weight = zeros(d_model, d_model)
        weight[rows, rows] = gain * np.eye(rows.stop - rows.start, dtype=np.float32)
        return weight

    spec = TransformerSpec.from_config(1, 1)
    spec.config.add_source_eos = True  # the step after the last source piece reads "</s>"
    # CTranslate2 refuses positions past the table: cover its default max_input_length (1024,
    # beyond max_decoding_length 256) with zero rows, which read "</s>" (see the standing key)
    encodings = zeros(max(positions + 1, 1024), d_model)
    encodings[:positions, :positions] = np.eye(positions, dtype=np.float32)
    for side in (spec.encoder, spec.decoder):
        side.scale_embeddings = False
        side.position_encodings.encodings = encodings
        _plain_norm(side.layer_norm, d_model)
    source_embeddings = zeros(vocab, d_model)
    source_embeddings[:, token] = np.eye(vocab, dtype=np.float32)
    spec.encoder.embeddings[0].weight = source_embeddings
    spec.decoder.embeddings.weight = zeros(vocab, d_model)  # the decoder only needs its position

    ffn_dim = 8  # the feed-forward outputs zero whatever its width
    layers = [spec.encoder.layer[0], spec.decoder.layer[0]]
    for layer in layers:
        _plain_norm(layer.self_attention.layer_norm, d_model)
        layer.self_attention.linear[0].weight = zeros(3 * d_model, d_model)
        layer.self_attention.linear[1].weight = zeros(d_model, d_model)
        _plain_norm(layer.ffn.layer_norm, d_model)
        layer.ffn.linear_0.weight = zeros(ffn_dim, d_model)
        layer.ffn.linear_1.weight = zeros(d_model, ffn_dim)

    cross = spec.decoder.layer[0].attention
    _plain_norm(cross.layer_norm, d_model)
    position = slice(0, positions)
    cross.linear[0].weight = block_identity(position, QUERY_GAIN)  # query: decoder position
    keys = block_identity(position)  # keys: source position; values: source token
    # A standing key on "</s>", worth half a position match: a decoder step past the end of the
    # source reads "</s>" and ends the hypothesis, so n-best lists hold short alternatives rather
    # than hypotheses running on to max_decoding_length.
    spare = positions  # a key dim no position uses
    keys[spare, positions + index["</s>"]] = 1.0
    cross.linear[0].bias = zeros(d_model)
    cross.linear[0].bias[spare] = QUERY_GAIN * _norm_gain(d_model, hot=1) / 2
    cross.linear[1].weight = np.concatenate([keys, block_identity(token)])
    cross.linear[2].weight = block_identity(token)

    projection = zeros(vocab, d_model)
    for i, piece in enumerate(pieces):
        projection[index[piece_map.get(piece, piece)], positions + i] = LOGIT_GAIN
    spec.decoder.projection.weight = projection

    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    return spec


def copy_pieces(package: str | os.PathLike[str], text: str) -> tuple[list[str], list[str]]:
    """The source pieces of ``text`` and the pieces the copy package at ``package`` outputs for them.

    ``package`` is a ``.argosmodel`` file or an installed package folder. The output has no
    ``</s>``, as CTranslate2 returns it.
    """
    processor, piece_map = _copy_model(Path(package))
    source = processor.encode(text, out_type=str)
    return source, [piece_map.get(piece, piece) for piece in source]


def copy_translation(package: str | os.PathLike[str], text: str) -> str:
    """The exact translation of ``text`` by the copy package at ``package``, decoded by SentencePiece.

    Argos decodes the same pieces but then turns every "_" into a space.
    """
    processor, piece_map = _copy_model(Path(package))
    return processor.decode_pieces([piece_map.get(p, p) for p in processor.encode(text, out_type=str)])


def _copy_model(package: Path):  # type: ignore[no-untyped-def]
    """The SentencePiece processor and piece map of a copy package."""
    sp_model, build = _read_package(package)
    if build.get("kind") != "copy":
        raise ValueError(f"{package} is not a copy package")
    return _processor(sp_model), _piece_map(build["lexicon"])


def _piece_map(lexicon: Mapping[str, str]) -> dict[str, str]:
    """Lexicon words as pieces: each word both at a word start ("▁President") and glued ("President")."""
    mapping = {}
    for source, target in lexicon.items():
        mapping[_as_piece(source)] = _as_piece(target)
        mapping[source.replace(" ", SPACE)] = target.replace(" ", SPACE)
    return mapping


def _word_symbols(words: Iterable[str]) -> list[str]:
    symbols = []
    for word in words:
        symbols += [_as_piece(word), word.replace(" ", SPACE)]
    return list(dict.fromkeys(symbols))


def _as_piece(word: str) -> str:
    return SPACE + word.replace(" ", SPACE)


def _norm_gain(d_model: int, hot: int) -> float:
    """What a layer norm multiplies a 0/1 vector of ``d_model`` dims with ``hot`` ones by."""
    mean = hot / d_model
    return 1.0 / float(np.sqrt(mean - mean * mean))


def _plain_norm(norm, d_model: int) -> None:  # type: ignore[no-untyped-def]
    norm.gamma = np.ones(d_model, dtype=np.float32)
    norm.beta = np.zeros(d_model, dtype=np.float32)


# -- the random model ------------------------------------------------------------------------------


def build_random_package(
    out_dir: str | os.PathLike[str],
    from_code: str = "en",
    to_code: str = "de",
    *,
    name: str | None = None,
    vocab_size: int = 8000,
    num_layers: int = 6,
    d_model: int = 512,
    num_heads: int = 8,
    ffn_dim: int = 2048,
    eos_bias: float = 10.0,
    seed: int = 0,
    quantization: str = "int8",
    version: str = "1.0",
) -> Path:
    """Build (or reuse) ``<out_dir>/<name>.argosmodel``: a Transformer-base model with random weights.

    Same shapes, vocabulary size and int8 weights as a real Argos package, so it loads and decodes
    at a realistic cost; its output is garbage. Logits are peaked like a trained model's, and
    ``eos_bias`` makes ``</s>`` win now and then, so outputs end after a few dozen pieces instead of
    running to ``max_decoding_length``. The build is deterministic; the default name ends with a
    digest of every parameter (and of ``KIT_VERSION``), and an existing file of that name is
    returned as is, so a benchmark can keep its builds in a cache folder.
    """
    shape = {"num_layers": num_layers, "d_model": d_model, "num_heads": num_heads, "ffn_dim": ffn_dim,
             "eos_bias": eos_bias, "seed": seed}
    build = {"kind": "random", "kit": KIT_VERSION, "vocab_size": vocab_size, **shape,
             "quantization": quantization, "from_code": from_code, "to_code": to_code, "version": version}
    digest = hashlib.sha256(json.dumps(build, sort_keys=True).encode()).hexdigest()[:8]
    name = name or f"translate-{from_code}_{to_code}-random-{num_layers}x{d_model}-{digest}"
    path = Path(out_dir) / f"{name}.argosmodel"
    if path.exists():
        return path
    sp_model = train_sentencepiece(news_corpus(seed=seed), vocab_size)
    spec = random_spec(_pieces(sp_model), **shape)
    metadata = _metadata(from_code, to_code, version)
    # random int8 weights barely deflate (57 MB to 53 MB) and deflating them takes seconds
    return _write_package(path, metadata, sp_model, spec, quantization, build, compress=False)


def random_spec(
    pieces: list[str],
    *,
    num_layers: int = 6,
    d_model: int = 512,
    num_heads: int = 8,
    ffn_dim: int = 2048,
    eos_bias: float = 10.0,
    seed: int = 0,
):
    """A pre-norm Transformer ``TransformerSpec`` with seeded random weights over ``pieces``.

    Linear weights are N(0, 0.02²) like a fresh initialisation, embeddings N(0, 1/d_model) (they
    are scaled by sqrt(d_model)), layer norms gamma 1 and beta 0, sinusoidal positions; the output
    projection is scaled so logits have a spread of ~5, as a confident model's do.
    """
    from ctranslate2.specs import TransformerSpec

    rng = np.random.default_rng(seed)
    vocab = len(pieces)

    def normal(*shape: int, std: float = 0.02) -> np.ndarray:
        return (rng.standard_normal(shape, dtype=np.float32) * std).astype(np.float32)

    spec = TransformerSpec.from_config(num_layers, num_heads)
    for side in (spec.encoder, spec.decoder):
        _plain_norm(side.layer_norm, d_model)
    spec.encoder.embeddings[0].weight = normal(vocab, d_model, std=d_model**-0.5)
    spec.decoder.embeddings.weight = normal(vocab, d_model, std=d_model**-0.5)
    for layer in [*spec.encoder.layer, *spec.decoder.layer]:
        attentions = [layer.self_attention]
        if hasattr(layer, "attention"):
            attentions.append(layer.attention)
        for attention in attentions:
            _plain_norm(attention.layer_norm, d_model)
            for linear in attention.linear:
                linear.weight = normal(d_model, d_model)
                linear.bias = np.zeros(d_model, dtype=np.float32)
        layer.self_attention.linear[0].weight = normal(3 * d_model, d_model)
        layer.self_attention.linear[0].bias = np.zeros(3 * d_model, dtype=np.float32)
        if hasattr(layer, "attention"):
            layer.attention.linear[1].weight = normal(2 * d_model, d_model)
            layer.attention.linear[1].bias = np.zeros(2 * d_model, dtype=np.float32)
        _plain_norm(layer.ffn.layer_norm, d_model)
        layer.ffn.linear_0.weight = normal(ffn_dim, d_model)
        layer.ffn.linear_0.bias = np.zeros(ffn_dim, dtype=np.float32)
        layer.ffn.linear_1.weight = normal(d_model, ffn_dim)
        layer.ffn.linear_1.bias = np.zeros(d_model, dtype=np.float32)
    # the final layer norm outputs unit-variance vectors: std 5/sqrt(d) gives logits of std ~5
    spec.decoder.projection.weight = normal(vocab, d_model, std=5.0 / d_model**0.5)
    bias = np.zeros(vocab, dtype=np.float32)
    bias[pieces.index("</s>")] = eos_bias
    spec.decoder.projection.bias = bias
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    return spec


_NEWS_SUBJECTS = [
    "the president", "the government", "the minister", "the central bank", "the company",
    "the chancellor", "the prime minister", "the committee", "the court", "the army", "officials",
    "the spokesman", "investors", "the union", "the council", "analysts", "the police",
]
_NEWS_VERBS = [
    "said", "announced", "warned", "confirmed", "denied", "reported", "agreed", "rejected",
    "proposed", "expected", "criticised", "welcomed", "approved", "signed", "discussed",
]
_NEWS_OBJECTS = [
    "a new agreement", "the sanctions", "the budget", "talks", "the election results", "a ceasefire",
    "interest rates", "the trade deal", "energy prices", "the reform", "a state visit", "the report",
    "military exercises", "the investigation", "exports", "the summit", "new measures",
]
_NEWS_TAILS = [
    "on {day}", "in {month} {year}", "after a meeting in {city}", "according to {name}",
    "despite criticism from {name}", "worth {n} billion dollars", "by {n} percent",
    "with {name} of {city}", "at a press conference in {city}", "for the {ordinal} time",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_ORDINALS = ["first", "second", "third", "fourth", "fifth", "tenth"]
_SYLLABLES = [
    "ka", "ro", "mi", "ten", "bur", "vla", "dim", "sha", "lin", "pe", "tor", "gan", "xi", "jin",
    "ber", "mos", "kow", "li", "an", "der", "son", "ma", "rie", "no", "va", "ski", "el", "sto",
    "chen", "wa", "lo", "ri", "du", "fel", "gra", "ham", "ke", "nor", "ust", "zen", "ba", "qui",
]


def news_corpus(sentences: int = 20000, *, seed: int = 0) -> list[str]:
    """A seeded synthetic English news corpus: template sentences with invented names and places.

    About 3 MB and several thousand distinct words, enough for an 8k SentencePiece vocabulary.
    """
    rng = random.Random(seed)

    def invented(low: int, high: int) -> str:
        return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(low, high))).capitalize()

    names = [f"{invented(1, 3)} {invented(2, 4)}" for _ in range(4000)]
    cities = [invented(2, 4) for _ in range(2000)]
    words = [invented(2, 4).lower() for _ in range(10000)]
    lines = []
    for _ in range(sentences):
        fields = {
            "day": rng.choice(_DAYS), "month": rng.choice(_MONTHS), "year": rng.randint(1990, 2030),
            "city": rng.choice(cities), "name": rng.choice(names), "n": rng.randint(2, 999),
            "ordinal": rng.choice(_ORDINALS),
        }
        subject = rng.choice(_NEWS_SUBJECTS + names)
        sentence = f"{subject} {rng.choice(_NEWS_VERBS)} {rng.choice(_NEWS_OBJECTS)}"
        sentence += " " + rng.choice(_NEWS_TAILS).format(**fields)
        sentence += f", the {rng.choice(words)} {rng.choice(words)} of {rng.choice(cities)}"
        lines.append(sentence[0].upper() + sentence[1:] + rng.choice([".", ".", ".", "?", "!"]))
    return lines


# -- SentencePiece and packaging ------------------------------------------------------------------


def train_sentencepiece(
    sentences: Iterable[str],
    vocab_size: int,
    *,
    user_symbols: Iterable[str] = (),
    hard_vocab_limit: bool = True,
) -> bytes:
    """Train a unigram SentencePiece model in memory with its own trainer; returns the model bytes.

    Single-threaded with a fixed seed, so the same sentences give the same model.
    """
    import sentencepiece as spm

    spm.set_random_generator_seed(1)
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(list(sentences)),
        model_writer=model,
        vocab_size=vocab_size,
        model_type="unigram",
        character_coverage=1.0,
        user_defined_symbols=list(user_symbols),
        hard_vocab_limit=hard_vocab_limit,
        num_threads=1,
        minloglevel=2,
    )
    return model.getvalue()


def _processor(sp_model: bytes):  # type: ignore[no-untyped-def]
    import sentencepiece as spm

    return spm.SentencePieceProcessor(model_proto=sp_model)


def _pieces(sp_model: bytes) -> list[str]:
    processor = _processor(sp_model)
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _metadata(from_code: str, to_code: str, version: str) -> dict:
    """``metadata.json`` as argostranslate.package reads it."""
    return {
        "package_version": version,
        "argos_version": ARGOS_VERSION,
        "from_code": from_code,
        "from_name": LANGUAGE_NAMES.get(from_code, from_code),
        "to_code": to_code,
        "to_name": LANGUAGE_NAMES.get(to_code, to_code),
        "type": "translate",
        "links": [],
    }


def _write_package(
    path: Path, metadata: dict, sp_model: bytes, spec, quantization: str,  # type: ignore[no-untyped-def]
    build: dict, *, compress: bool,
) -> Path:
    """Save ``spec`` and zip the package as ``path``, one folder named after it; atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    name = path.name.removesuffix(".argosmodel")
    with tempfile.TemporaryDirectory(dir=path.parent) as work:
        folder = Path(work) / name
        (folder / "model").mkdir(parents=True)
        spec.validate()
        spec.optimize(quantization=quantization)
        spec.save(str(folder / "model"))
        (folder / "sentencepiece.model").write_bytes(sp_model)
        (folder / "metadata.json").write_text(json.dumps(metadata, indent=2) + "\n")
        (folder / "modelkit.json").write_text(json.dumps(build, ensure_ascii=False, indent=2) + "\n")
        (folder / "README.md").write_text(f"Test model built by tests/modelkit.py: {build['kind']}.\n")
        partial = Path(work) / path.name
        method = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        with zipfile.ZipFile(partial, "w", method) as archive:
            for file in sorted(folder.rglob("*")):
                archive.write(file, file.relative_to(work))
        os.replace(partial, path)
    return path


def _read_package(package: Path) -> tuple[bytes, dict]:
    """The SentencePiece model and build record of a ``.argosmodel`` file or an installed folder."""
    if package.is_dir():
        return (package / "sentencepiece.model").read_bytes(), json.loads(
            (package / "modelkit.json").read_text()
        )
    with zipfile.ZipFile(package) as archive:
        (top,) = {Path(member).parts[0] for member in archive.namelist()}
        return archive.read(f"{top}/sentencepiece.model"), json.loads(
            archive.read(f"{top}/modelkit.json")
        )


def unpack(package: str | os.PathLike[str], into: str | os.PathLike[str]) -> Path:
    """Extract a ``.argosmodel`` into ``into`` the way ``install_from_path`` does; returns its folder."""
    with zipfile.ZipFile(package) as archive:
        (top,) = {Path(member).parts[0] for member in archive.namelist()}
        archive.extractall(into)
    return Path(into) / top


__all__ = [
    "build_copy_package", "build_random_package", "copy_pieces", "copy_spec", "copy_translation",
    "news_corpus", "random_spec", "train_sentencepiece", "unpack",
]

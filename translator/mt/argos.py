"""Argos Translate packages run directly on CTranslate2, in large length-sorted token batches.

Argos calls ``translate_batch`` once per paragraph with a 32-token budget, which translates news
sentences one at a time. Our segments are already sentences, so we tokenize them all with the
package's tokenizer and hand CTranslate2 thousands of tokens per batch. Decoding settings are
argos's own (beam 4, length penalty 0.2, unknowns replaced), so the output is the same as
``argostranslate.translate.apply_packaged_translation`` for each segment, except that we decode
SentencePiece pieces directly: argos's decoder turns every "_" into a space.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from ..workspace import Workspace
from .engine import Capabilities, EngineUnavailable, Hypothesis, MissingModel
from .packages import InstalledModel, canonical_code, find_model, installed_packages, missing_model_error

#: tokens per CTranslate2 batch: large enough to keep both cores busy on a Transformer-base model
BATCH_TOKENS = 1024
LENGTH_PENALTY = 0.2  # argos's value
# measured on 2 cores, Transformer-base, beam 4: 6.8 segments/s with (2, 1), 5.1 with (1, 2)
INTER_THREADS = int(os.environ.get("TRANSLATOR_INTER_THREADS", "2"))
INTRA_THREADS = int(os.environ.get("TRANSLATOR_INTRA_THREADS", "1"))


class ArgosEngine:
    """One installed Argos package: its tokenizer and one CTranslate2 ``Translator``, loaded once."""

    capabilities = Capabilities(batch=True, nbest=True, prefix=True, threads=INTER_THREADS)

    def __init__(self, model: InstalledModel) -> None:
        self.model = model
        self.id = f"argos {model.from_code}-{model.to_code} {model.version}"
        self.target_prefix = str(model.metadata.get("target_prefix") or "")
        self._tokenizer = _tokenizer(model)
        self._translator = _translator(str(model.model_dir))

    @classmethod
    def for_pair(cls, models_dir: Path, source: str, target: str) -> ArgosEngine:
        model = find_model(models_dir, source, target)
        if model is None:
            raise MissingModel(str(missing_model_error(source, target)))
        return cls(model)

    def encode(self, text: str) -> list[str]:
        return self._tokenizer.encode(text)

    def decode(self, pieces: list[str]) -> str:
        text = self._tokenizer.decode(pieces)
        if self.target_prefix and text.startswith(self.target_prefix):
            text = text[len(self.target_prefix):]
        return text[1:] if text.startswith(" ") else text

    def translate(
        self,
        texts: Sequence[str],
        *,
        beam_size: int = 4,
        num_hypotheses: int = 1,
        prefixes: Sequence[str | None] | None = None,
    ) -> list[list[Hypothesis]]:
        if not texts:
            return []
        tokens = [self.encode(t) for t in texts]
        target_prefix = None
        if self.target_prefix or (prefixes and any(prefixes)):
            head = [self.target_prefix] if self.target_prefix else []
            target_prefix = [head + (self.encode(p) if p else []) for p in (prefixes or [None] * len(texts))]
        results = self._translator.translate_batch(
            tokens,
            target_prefix=target_prefix,
            replace_unknowns=True,
            max_batch_size=BATCH_TOKENS,
            batch_type="tokens",
            beam_size=max(beam_size, num_hypotheses),
            num_hypotheses=num_hypotheses,
            length_penalty=LENGTH_PENALTY,
            return_scores=True,
        )
        return [
            [Hypothesis(self.decode(h), float(s)) for h, s in zip(r.hypotheses, r.scores)]
            for r in results
        ]


class _SentencePiece:
    """SentencePiece decoding without argos's underscore-to-space replacement."""

    def __init__(self, path: Path) -> None:
        import sentencepiece

        self.processor = sentencepiece.SentencePieceProcessor(model_file=str(path))

    def encode(self, text: str) -> list[str]:
        return self.processor.encode(text, out_type=str)

    def decode(self, pieces: list[str]) -> str:
        return self.processor.decode_pieces(pieces).replace("\u2581", " ")


def _tokenizer(model: InstalledModel):  # type: ignore[no-untyped-def]
    if model.tokenizer_kind == "sentencepiece":
        return _SentencePiece(model.tokenizer_path)
    from argostranslate.tokenizer import BPETokenizer  # Moses + BPE, as argos does it

    return BPETokenizer(model.tokenizer_path, model.from_code, model.to_code)


@lru_cache(maxsize=8)
def _translator(model_dir: str):  # type: ignore[no-untyped-def]
    import ctranslate2

    # compute_type "auto": int8 where the model was saved as int8, the best the CPU supports otherwise
    return ctranslate2.Translator(model_dir, device="cpu", compute_type="auto",
                                  inter_threads=INTER_THREADS, intra_threads=INTRA_THREADS)


class ArgosBackend:
    """Argos Translate packages installed in the workspace's models directory."""

    name = "argos"

    def status(self, workspace: Workspace):  # type: ignore[no-untyped-def]
        from importlib.util import find_spec

        from .registry import EngineStatus

        if find_spec("ctranslate2") is None or find_spec("sentencepiece") is None:
            return EngineStatus(False, "ctranslate2 and sentencepiece are not installed: pip install argostranslate")
        count = len(installed_packages(workspace.models_path))
        return EngineStatus(True, f"{count} model{'s' if count != 1 else ''} in {workspace.models_path}")

    def pairs(self, workspace: Workspace) -> set[tuple[str, str]]:
        if not self.status(workspace).available:
            return set()
        return {(canonical_code(m.from_code), canonical_code(m.to_code)) for m in installed_packages(workspace.models_path)}

    def load(self, workspace: Workspace, source: str, target: str) -> ArgosEngine:
        status = self.status(workspace)
        if not status.available:
            raise EngineUnavailable(f"argos: {status.detail}")
        return ArgosEngine.for_pair(workspace.models_path, source, target)


BACKEND = ArgosBackend()

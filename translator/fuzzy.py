"""Fuzzy matching against the translation memory: word tokens, the fuzzy score, and an in-memory index.

The score of two sentences is a word-level Levenshtein similarity::

    score(a, b) = 100 * (1 - d / max(len(wa), len(wb)))     where wa, wb = words(a), words(b)

and d is the edit distance counted in whole tokens (inserting, deleting or substituting one
token costs 1). Two empty texts score 100; an empty text against a non-empty one scores 0.
One substituted word in a 10-token sentence scores 90.0.

Each distinct token is mapped to one character, so a sentence becomes a short string that
rapidfuzz scores in C. ``FuzzyIndex`` only scores units that can reach the threshold: a score
>= t needs a token overlap of at least ceil(max(n, m) * t / 100), which bounds the length m and
lets the index look at the postings of a few rare query tokens only (prefix filtering). It
returns exactly what ``brute_force_search`` returns, just faster.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from .normalize import normalize

__all__ = ["FuzzyHit", "FuzzyIndex", "BruteForceIndex", "brute_force_search", "score", "words"]

_ASCII_TOKEN = re.compile(r"\d+(?:[.,:]\d+)*\w*(?:['-]\w+)*|\w+(?:['-]\w+)*|[^\w\s]")
# Chinese and Japanese have no spaces between words: one token per character is the usual fallback
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
# a query token the index has never seen cannot match any unit, so all of them may share one code
_UNKNOWN = "\0"
_FIRST_CODE = 1
_SURROGATES = range(0xD800, 0xE000)
# occurrence numbers live in the low bits of a posting key: (token, 3) -> code << 20 | 3
_OCCURRENCE_BITS = 20
# bounds are computed in floats; this keeps a unit exactly at the threshold from being cut by rounding
_EPSILON = 1e-9


@functools.cache
def _unicode_token_pattern() -> re.Pattern[str]:
    """Like the ASCII pattern, but combining marks stay inside their word (Hindi, Arabic, ...)."""
    marks = "".join(
        re.escape(chr(c)) for c in (*range(0x20000), *range(0xE0100, 0xE01F0)) if unicodedata.category(chr(c))[0] == "M"
    )
    word = rf"(?:[^\W{_CJK}]|[{marks}])"
    return re.compile(
        rf"[{_CJK}][{marks}]*"
        rf"|\d+(?:[.,:]\d+)*{word}*(?:['-]{word}+)*"
        rf"|{word}+(?:['-]{word}+)*"
        rf"|[^\w\s{marks}][{marks}]*"
    )


def words(text: str) -> list[str]:
    """The tokens of ``normalize(text)``: casefolded words, numbers and single punctuation marks.

    >>> words("The \u201cEU\u201d spent 1,200.5 million on COVID-19 vaccines.")
    ['the', '"', 'eu', '"', 'spent', '1,200.5', 'million', 'on', 'covid-19', 'vaccines', '.']
    """
    text = normalize(text).casefold()
    pattern = _ASCII_TOKEN if text.isascii() else _unicode_token_pattern()
    return pattern.findall(text)


def score(a: str, b: str) -> float:
    """The fuzzy score of two sentences, 0 to 100 (see the module docstring).

    >>> score("The minister met the press on Monday in Paris.", "The minister met the press on Friday in Paris.")
    90.0
    """
    vocabulary = _Vocabulary()
    return _score(vocabulary.encode(words(a)), vocabulary.encode(words(b)))


def _score(a: str, b: str) -> float:
    longest = max(len(a), len(b))
    if not longest:
        return 100.0
    # integer arithmetic first, so that 9 of 10 tokens is exactly 90.0
    return 100 * (longest - Levenshtein.distance(a, b)) / longest


@dataclass(frozen=True, order=False)
class FuzzyHit:
    """One TM unit that matched a query: its key (the TM unit id) and its score, 0 to 100."""

    key: int
    score: float


class _Vocabulary:
    """Distinct tokens, each mapped to one character, so that a sentence becomes a short string."""

    def __init__(self) -> None:
        self._chars: dict[str, str] = {}
        self._next = _FIRST_CODE

    def encode(self, tokens: Iterable[str]) -> str:
        """One character per token, adding tokens not seen before."""
        chars = self._chars
        return "".join([chars.get(token) or self._new(token) for token in tokens])

    def encode_query(self, tokens: Iterable[str]) -> str:
        """Like ``encode``, but without growing the vocabulary for tokens no unit has."""
        chars = self._chars
        return "".join([chars.get(token, _UNKNOWN) for token in tokens])

    def _new(self, token: str) -> str:
        code = self._next
        if code in _SURROGATES:
            code = _SURROGATES.stop
        if code > 0x10FFFF:
            raise OverflowError("more than a million distinct tokens in one fuzzy index")
        self._next = code + 1
        self._chars[token] = char = chr(code)
        return char


def _posting_keys(encoded: str) -> list[int]:
    """The unit's tokens numbered by occurrence, so that multiset overlap becomes set overlap."""
    seen: dict[str, int] = {}
    keys = []
    for char in encoded:
        occurrence = seen[char] = seen.get(char, 0) + 1
        keys.append(ord(char) << _OCCURRENCE_BITS | occurrence)
    return keys


def _length_band(n: int, threshold: float) -> tuple[int, float]:
    """The unit lengths m that can score >= threshold against a query of n tokens."""
    if threshold <= 0:
        return 0, math.inf
    return math.ceil(n * threshold / 100 - _EPSILON), math.floor(n * 100 / threshold + _EPSILON)


def _best(
    query: str, choices: Sequence[str], unit: Callable[[int], tuple[int, tuple]], threshold: float, limit: int | None
) -> list[FuzzyHit]:
    """Score the encoded ``choices`` and keep the best: score, then rank, then key, all descending.

    ``unit(i)`` gives the key and rank of ``choices[i]``.
    """
    found = process.extract(
        query,
        choices,
        scorer=Levenshtein.normalized_similarity,
        score_cutoff=max(threshold / 100 - _EPSILON, 0),
        limit=None,
    )
    n = len(query)
    ranked = []
    for encoded, similarity, i in found:
        longest = max(n, len(encoded))
        # recover the integer distance so that both search paths compute the score exactly as _score does
        value = 100 * (longest - round((1 - similarity) * longest)) / longest if longest else 100.0
        if value >= threshold:
            key, rank = unit(i)
            ranked.append((value, rank, key))
    ranked.sort(reverse=True)
    return [FuzzyHit(key, value) for value, _, key in ranked[:limit]]


class FuzzyIndex:
    """The TM units of one language pair, searchable by fuzzy score without scoring every unit.

    >>> index = FuzzyIndex()
    >>> index.add(1, "The minister met the press on Monday in Paris.")
    >>> index.add(2, "Heavy rain is expected in the north tomorrow.")
    >>> index.search("The minister met the press on Friday in Paris.")
    [FuzzyHit(key=1, score=90.0)]
    """

    # scoring this many candidates costs less than another pass of filtering them
    _FEW_ENOUGH = 64
    # posting entries read whole per indexed unit, beyond the prefix (tuned on bench_memory.py)
    _READ_BUDGET = 0.5

    def __init__(self) -> None:
        self._vocabulary = _Vocabulary()
        self._clear()

    def _clear(self) -> None:
        # units live in slots 0, 1, 2, ...; a discarded unit leaves a hole until _compact
        self._postings: dict[int, array] = {}
        self._encoded: list[str | None] = []
        self._ranks: list[tuple | None] = []
        self._keys: list[int | None] = []
        self._lengths = array("i")
        self._slots: dict[int, int] = {}

    def __len__(self) -> int:
        return len(self._slots)

    def add(self, key: int, text: str, rank: tuple = ()) -> None:
        """Index a TM unit; ``rank`` breaks ties between equal scores, larger first. Replaces ``key`` if present."""
        self.discard(key)
        self._insert(key, self._vocabulary.encode(words(text)), rank)

    def _insert(self, key: int, encoded: str, rank: tuple) -> None:
        slot = len(self._encoded)
        self._slots[key] = slot
        self._encoded.append(encoded)
        self._ranks.append(rank)
        self._keys.append(key)
        self._lengths.append(len(encoded))
        postings = self._postings
        for posting_key in _posting_keys(encoded):
            slots = postings.get(posting_key)
            if slots is None:
                postings[posting_key] = slots = array("i")
            slots.append(slot)

    def discard(self, key: int) -> None:
        """Remove the unit ``key``, if present."""
        slot = self._slots.pop(key, None)
        if slot is None:
            return
        self._encoded[slot] = self._ranks[slot] = self._keys[slot] = None
        self._lengths[slot] = -1
        holes = len(self._encoded) - len(self._slots)
        if holes > 1000 and holes > len(self._slots):
            self._compact()

    def _compact(self) -> None:
        """Rebuild the slots and postings without the holes left by discarded units."""
        live = [(k, e, r) for k, e, r in zip(self._keys, self._encoded, self._ranks) if k is not None]
        self._clear()
        for key, encoded, rank in live:
            self._insert(key, encoded, rank)

    def search(self, text: str, threshold: float = 75, limit: int | None = 5) -> list[FuzzyHit]:
        """Units scoring at least ``threshold`` against ``text``, best first, at most ``limit`` of them.

        Best first means score, then rank, then key, all descending.
        """
        if threshold > 100 or (limit is not None and limit <= 0) or not self._slots:
            return []
        query = self._vocabulary.encode_query(words(text))
        slots = self._candidates(query, threshold)
        keys, ranks = self._keys, self._ranks
        choices = [self._encoded[slot] for slot in slots]
        return _best(query, choices, lambda i: (keys[slots[i]], ranks[slots[i]]), threshold, limit)

    def _candidates(self, query: str, threshold: float) -> list[int]:
        """Slots of the units that may score >= threshold: in the length band and sharing enough tokens.

        Scoring >= t needs an overlap of ceil(max(n, m) * t / 100) of the query's n tokens, so a
        unit may miss at most n minus that. Any unit that qualifies holds one of the query's
        n - low + 1 rarest tokens (prefix filtering); the next rarest ones then weed out the
        candidates that miss too many, until few enough are left to score.
        """
        import numpy as np  # here, not at the top: numpy costs half a second of CLI start-up

        n = len(query)
        low, high = _length_band(n, threshold)
        lengths = np.frombuffer(self._lengths, dtype=np.int32)
        if low == 0:
            # every unit shares "at least 0 tokens": nothing to prune but the length
            return np.flatnonzero((lengths >= 0) & (lengths <= high)).tolist()
        postings = sorted((self._postings.get(k, ()) for k in _posting_keys(query)), key=len)
        prefix = n - low + 1
        # Reading a posting list whole is cheap while it is short: count those first ...
        read, budget = 0, self._READ_BUDGET * len(lengths)
        counted = 0
        while counted < n and (counted < prefix or read + len(postings[counted]) <= budget):
            read += len(postings[counted])
            counted += 1
        chosen = [np.frombuffer(p, dtype=np.int32) for p in postings[:counted] if len(p)]
        if not chosen:
            return []
        held = np.bincount(np.concatenate(chosen))
        del chosen  # release the views so that add() may grow the arrays again
        slots = np.flatnonzero(held > counted - prefix)
        held, m = held[slots], lengths[slots]
        in_band = (m >= low) & (m <= high)
        slots, held, m = slots[in_band], held[in_band], m[in_band]
        required = np.ceil(np.maximum(m, n) * (threshold / 100) - _EPSILON).astype(np.int32)
        spare = n - required - (counted - held)  # how many more query tokens the unit may lack
        keep = spare >= 0
        slots, spare = slots[keep], spare[keep]
        # ... then look the remaining candidates up in the longer lists, until few are left
        for posting in postings[counted:]:
            if len(slots) <= self._FEW_ENOUGH:
                break
            # postings are ascending (slots only grow), so membership is a binary search
            posting = np.frombuffer(posting, dtype=np.int32)
            at = np.searchsorted(posting, slots)
            at[at == len(posting)] = 0
            spare = spare - (posting[at] != slots)
            del posting
            keep = spare >= 0
            slots, spare = slots[keep], spare[keep]
        return slots.tolist()


class BruteForceIndex:
    """The same search as ``FuzzyIndex``, scoring every unit: the reference for tests and benchmarks."""

    def __init__(self, units: Iterable[tuple[int, str, tuple]]) -> None:
        self._vocabulary = _Vocabulary()
        self._choices: list[str] = []
        self._keys: list[int] = []
        self._ranks: list[tuple] = []
        for key, text, rank in units:
            self._choices.append(self._vocabulary.encode(words(text)))
            self._keys.append(key)
            self._ranks.append(rank)

    def search(self, text: str, threshold: float = 75, limit: int | None = 5) -> list[FuzzyHit]:
        """Units scoring at least ``threshold``, best first (score, rank, key descending)."""
        if threshold > 100 or (limit is not None and limit <= 0):
            return []
        query = self._vocabulary.encode_query(words(text))
        return _best(query, self._choices, lambda i: (self._keys[i], self._ranks[i]), threshold, limit)


def brute_force_search(
    units: Sequence[tuple[int, str, tuple]], text: str, threshold: float = 75, limit: int | None = 5
) -> list[FuzzyHit]:
    """Score ``text`` against every ``(key, text, rank)`` unit; what ``FuzzyIndex.search`` must return."""
    return BruteForceIndex(units).search(text, threshold, limit)

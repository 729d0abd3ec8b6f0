"""Fuzzy matches against the translation memory: word-level scores, their order, and a fast index that agrees with brute force."""

from __future__ import annotations

import random

import pytest

from translator.fuzzy import BruteForceIndex, FuzzyHit, FuzzyIndex, brute_force_search, score, words

MINISTER = "The minister met the press on Monday in Paris."  # 10 tokens: 9 words and the full stop


def index_of(*texts: str) -> FuzzyIndex:
    index = FuzzyIndex()
    for key, text in enumerate(texts, start=1):
        index.add(key, text)
    return index


def test_words_are_casefolded_and_punctuation_marks_are_tokens_of_their_own():
    assert words("\u201cWe\u2019ll see,\u201d the  EU said.") == ['"', "we'll", "see", ",", '"', "the", "eu", "said", "."]
    assert words("Prices rose 3.5% to 1,200 euros on 12:30 COVID-19 news") == [
        "prices", "rose", "3.5", "%", "to", "1,200", "euros", "on", "12:30", "covid-19", "news",
    ]
    assert words("") == [] and words("  \n ") == []


def test_words_keep_combining_marks_inside_the_word_and_split_chinese_per_character():
    assert words("हिन्दी समाचार।") == ["हिन्दी", "समाचार", "।"]
    assert words("Cafe\u0301 déjà vu") == ["café", "déjà", "vu"]
    assert words("北京会谈") == ["北", "京", "会", "谈"]


def test_one_word_substituted_in_a_ten_token_sentence_scores_90():
    assert score(MINISTER, "The minister met the press on Friday in Paris.") == 90.0


def test_insertions_and_deletions_cost_one_token_each():
    # 10 tokens against 11: one insertion, longest is 11
    assert score(MINISTER, "The minister met the foreign press on Monday in Paris.") == pytest.approx(100 * 10 / 11)
    # dropping "in Paris" from the 10 tokens leaves 8
    assert score(MINISTER, "The minister met the press on Monday.") == 80.0
    # swapping two words is two substitutions
    assert score(MINISTER, "The minister met the press in Monday on Paris.") == 80.0


def test_case_spacing_and_quote_style_do_not_count_as_differences():
    assert score("\u201cNo,\u201d she said.", '"no," SHE   said.') == 100.0


def test_empty_texts_score_100_together_and_0_against_anything_else():
    assert score("", "  ") == 100.0
    assert score("", "Hello.") == 0.0
    assert score("Hello.", "") == 0.0


def test_short_sentences():
    assert score("Yes.", "Yes!") == 50.0
    assert score("Thank you.", "Thank you!") == pytest.approx(100 * 2 / 3)
    assert score("No", "Yes") == 0.0


def test_search_finds_the_similar_sentence_only():
    index = index_of(MINISTER, "Heavy rain is expected in the north tomorrow.")
    assert index.search("The minister met the press on Friday in Paris.") == [FuzzyHit(1, 90.0)]
    assert index.search("Something else entirely.") == []


def test_hits_are_ordered_by_score_then_rank_then_key():
    index = FuzzyIndex()
    index.add(1, MINISTER, (False, 1))
    index.add(2, MINISTER, (True, 0))  # same text, approved: ranks higher
    index.add(3, MINISTER, (False, 1))  # ties with 1 on score and rank: higher key first
    index.add(4, "The minister met the press on Friday in Paris.", (True, 9))
    index.add(5, "The minister met the press on Monday in Paris", (True, 9))
    hits = index.search(MINISTER, threshold=50, limit=10)
    assert [h.key for h in hits] == [2, 3, 1, 5, 4]
    assert [h.score for h in hits] == [100.0, 100.0, 100.0, 90.0, 90.0]


def test_limit_keeps_the_best_hits():
    index = FuzzyIndex()
    for key in range(1, 8):
        index.add(key, MINISTER, (key % 3,))
    assert [h.key for h in index.search(MINISTER, limit=3)] == [5, 2, 7]
    assert len(index.search(MINISTER, limit=None)) == 7
    assert index.search(MINISTER, limit=0) == []


def test_threshold_is_inclusive():
    index = index_of(MINISTER)
    query = "The minister met the press on Friday in Paris."
    assert index.search(query, threshold=90) == [FuzzyHit(1, 90.0)]
    assert index.search(query, threshold=90.01) == []
    assert index.search(MINISTER, threshold=100) == [FuzzyHit(1, 100.0)]
    assert index.search(query, threshold=100) == []
    assert index.search(MINISTER, threshold=100.5) == []


def test_threshold_zero_finds_every_unit():
    index = index_of(MINISTER, "Heavy rain is expected.", "")
    assert sorted(h.key for h in index.search("Nothing alike", threshold=0, limit=None)) == [1, 2, 3]


def test_an_empty_query_matches_only_empty_units():
    index = index_of(MINISTER, "", " ")
    assert index.search("") == [FuzzyHit(3, 100.0), FuzzyHit(2, 100.0)]
    assert index_of(MINISTER).search("") == []


def test_very_short_sentences_match_only_closely():
    index = index_of("Yes.", "Yes!", "No.", "Thank you.")
    # "." is a token: "No." shares half of "Yes."
    assert index.search("Yes.", threshold=50, limit=None) == [FuzzyHit(1, 100.0), FuzzyHit(3, 50.0), FuzzyHit(2, 50.0)]
    assert index.search("Thank you!", threshold=60) == [FuzzyHit(4, pytest.approx(100 * 2 / 3))]
    assert index.search("Maybe.", threshold=50) == [FuzzyHit(3, 50.0), FuzzyHit(1, 50.0)]


def test_adding_an_existing_key_replaces_the_unit():
    index = index_of(MINISTER)
    index.add(1, "Heavy rain is expected in the north tomorrow.")
    assert len(index) == 1
    assert index.search(MINISTER) == []
    assert index.search("Heavy rain is expected in the north tomorrow.") == [FuzzyHit(1, 100.0)]


def test_discard_removes_a_unit_and_it_can_come_back():
    index = index_of(MINISTER, MINISTER)
    index.discard(1)
    index.discard(42)  # unknown keys are ignored
    assert len(index) == 1
    assert index.search(MINISTER) == [FuzzyHit(2, 100.0)]
    index.discard(2)
    assert len(index) == 0 and index.search(MINISTER) == []
    index.add(1, MINISTER)
    assert index.search(MINISTER) == [FuzzyHit(1, 100.0)]


def test_units_can_be_added_between_searches():
    index = index_of(MINISTER)
    index.search(MINISTER)
    index.add(2, MINISTER)
    assert [h.key for h in index.search(MINISTER)] == [2, 1]


def test_brute_force_search_is_the_same_search_over_a_list():
    units = [(1, MINISTER, ()), (2, "The minister met the press on Friday in Paris.", (1,)), (3, "Rain.", ())]
    assert brute_force_search(units, MINISTER) == [FuzzyHit(1, 100.0), FuzzyHit(2, 90.0)]
    assert brute_force_search(units, MINISTER, threshold=95) == [FuzzyHit(1, 100.0)]


# A small Zipf-ish vocabulary: common words in most units, many near-duplicates, a few rare tokens.
COMMON = "the , . of in to a and on said for that was with by".split()
RARE = [f"w{i}" for i in range(400)]


def synthetic_units(count: int, rng: random.Random) -> list[tuple[int, str, tuple]]:
    vocabulary = COMMON + RARE
    weights = [1 / (r + 1) for r in range(len(vocabulary))]
    units = []
    for key in range(1, count + 1):
        if units and rng.random() < 0.05:
            text = rng.choice(units)[1]  # the same sentence under another key
        else:
            text = " ".join(rng.choices(vocabulary, weights, k=rng.choice([1, 2, 3, rng.randint(4, 40)])))
        units.append((key, text, (rng.random() < 0.5, rng.randint(0, 2))))
    return units


def mutated(text: str, rng: random.Random) -> str:
    tokens = text.split()
    for _ in range(rng.randint(0, 4)):
        at = rng.randrange(len(tokens) + 1)
        op = rng.choice(["substitute", "insert", "delete"])
        if op == "insert" or at == len(tokens):
            tokens.insert(at, rng.choice(COMMON + RARE + ["unseen"]))
        elif op == "substitute":
            tokens[at] = rng.choice(COMMON + RARE + ["unseen"])
        else:
            del tokens[at]
    return " ".join(tokens)


@pytest.mark.parametrize("tuning", ["default", "filter every list", "read every list"])
def test_the_index_returns_exactly_what_brute_force_returns(tuning):
    rng = random.Random(20240611)
    units = synthetic_units(3000, rng)
    index = FuzzyIndex()
    if tuning == "filter every list":
        index._READ_BUDGET, index._FEW_ENOUGH = 0, 0
    elif tuning == "read every list":
        index._READ_BUDGET = float("inf")
    for key, text, rank in units:
        index.add(key, text, rank)
    # some units change after loading, as they do when translators edit the memory
    discarded = {key for key, _, _ in rng.sample(units, 300)}
    for key in discarded:
        index.discard(key)
    units = [unit for unit in units if unit[0] not in discarded]
    brute = BruteForceIndex(units)
    queries = [mutated(rng.choice(units)[1], rng) for _ in range(200)]
    for query in queries:
        threshold = rng.choice([50, 70, 75, 90, 100])
        assert index.search(query, threshold, limit=10) == brute.search(query, threshold, limit=10), query


def test_the_index_stays_exact_after_most_units_are_discarded():
    rng = random.Random(7)
    units = synthetic_units(3000, rng)
    index = FuzzyIndex()
    for key, text, rank in units:
        index.add(key, text, rank)
    kept = units[::5]
    for key, _, _ in units:
        if key % 5 != 1:
            index.discard(key)
    assert len(index) == len(kept)
    brute = BruteForceIndex(kept)
    for _ in range(50):
        query = mutated(rng.choice(kept)[1], rng)
        assert index.search(query, 60, limit=None) == brute.search(query, 60, limit=None)

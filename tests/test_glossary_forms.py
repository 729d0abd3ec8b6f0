"""Glossary forms are matched by string comparison on the case-folded text; the rule they follow is a
regular expression (``Form.regex``), and here both give the same answer on texts made to trip them:
other scripts, characters whose case folding is not one character, runs of spaces, either apostrophe,
any hyphen, genitives, compounds and forms that start or end with a mark."""

from __future__ import annotations

import random

import pytest

from translator.glossary.forms import Form, Forms

FORMS = ["Putin", "Vladimir Putin", "EE.UU.", "(ONU)", "Irã", "Straße", "İstanbul", "Σωκράτης", "UN",
         "Xi's", "O'Neill", "Abu-Dhabi", "von der Leyen", "ministro", "primeiro-ministro", "Kreml", "ſtar",
         "des", "-ish", "Dr.", "U.S.", "K9", "Ελλάδα", "Đukanović", "ǅemal"]
ALPHABET = list("aeisuAESUßẞſİıIΣσςéÉãÃǅǆǄ9_ .,-‐‑'’()\n\t") + ["Putin", "putin", "ONU", "es", "ES", "s",
                                                                  "Ministro", "primeiro", "xi"]


def texts(seed: int, count: int = 300) -> list[str]:
    rng = random.Random(seed)
    out = []
    for form in FORMS:  # each form inside random surroundings, in other cases and spacings
        for _ in range(count // len(FORMS) + 1):
            variant = "".join(c.upper() if rng.random() < 0.3 else c for c in form).replace(" ", rng.choice(
                [" ", "  ", "\n", "\t "]))
            variant = variant.replace("'", rng.choice("'’")).replace("-", rng.choice("-‐‑"))
            before = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 4))) + rng.choice(["", " "])
            after = rng.choice(["", " ", "s", "es", "'s", "ES "]) + "".join(
                rng.choice(ALPHABET) for _ in range(rng.randint(0, 4)))
            out.append(before + variant + after)
    return out


@pytest.mark.parametrize("case_sensitive", [False, True])
@pytest.mark.parametrize("genitive", [False, True])
def test_a_form_ends_where_its_pattern_ends(case_sensitive: bool, genitive: bool) -> None:
    for text in texts(1):
        for source in FORMS:
            form = Form(source, case_sensitive, genitive)
            folded = text.casefold() if len(text.casefold()) == len(text) else None
            for start in range(len(text) + 1):
                hit = form.pattern.match(text, start)
                assert form.end_at(text, folded, start) == (hit.end() if hit else None), (source, text, start)


@pytest.mark.parametrize("case_sensitive", [False, True])
@pytest.mark.parametrize("compound", [False, True])
def test_alternative_forms_are_found_where_their_pattern_finds_them(case_sensitive: bool, compound: bool) -> None:
    rng = random.Random(2)
    for text in texts(3):
        chosen = tuple(rng.sample(FORMS, 3)) + ("Putin", "ministro")
        forms = Forms(chosen, case_sensitive, compound)
        assert forms.spans(text) == [hit.span() for hit in forms.pattern.finditer(text)], (chosen, text)

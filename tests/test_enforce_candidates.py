"""How enforcement chooses among its candidates, on engines whose every output the test fixes: the engine's
own sentence is kept where only a term was wrong, a candidate never loses a term the plain translation had,
a rewrite beyond the terms is a visible warning with the plain MT beside it, and capabilities are obeyed."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

from translator.glossary import Glossary, GlossaryEntry
from translator.mt.engine import Capabilities, Hypothesis
from translator.mt.enforce import Enforcer, _word_spans

ENTRIES = [
    GlossaryEntry("name", {"en": ["Iran"], "pt": ["Irão", "Irã"]}),
    GlossaryEntry("name", {"en": ["United Nations", "UN"], "pt": ["Nações Unidas", "ONU"]}),
    GlossaryEntry("name", {"en": ["Ali Khamenei", "Khamenei"], "pt": ["Ali Khamenei", "Khamenei"]}),
    GlossaryEntry("name", {"en": ["Donald Trump", "Trump"], "es": ["Donald Trump", "Trump"]}),
    GlossaryEntry("title", {"en": ["Supreme Leader"], "pt": ["líder supremo"], "es": ["líder supremo"]}),
    GlossaryEntry("title", {"en": ["Minister"], "pt": ["ministro", "ministra"]}),
    GlossaryEntry("title", {"en": ["Prime Minister"], "pt": ["primeiro-ministro", "primeira-ministra"]}),
    GlossaryEntry("title", {"en": ["President"], "es": ["presidente", "presidenta"]}),
    GlossaryEntry("title", {"en": ["Vice President"], "es": ["vicepresidente", "vicepresidenta"]}),
]


class ScriptedEngine:
    """An engine whose outputs the test lists: an unexpected input fails the test."""

    def __init__(self, outputs: dict[str, str], capabilities: Capabilities = Capabilities(batch=True),
                 token: str = "Zxq{}") -> None:
        self.outputs, self.capabilities, self.token = outputs, capabilities, token
        self.id = "scripted"
        self.calls: list[str] = []

    def placeholder(self, index: int) -> str:
        return self.token.format(index + 1)

    def translate(self, texts: Sequence[str], *, beam_size=4, num_hypotheses=1, prefixes=None):
        assert prefixes is None or self.capabilities.prefix, "a prefix asked of an engine that has none"
        assert num_hypotheses == 1 or self.capabilities.nbest, "n-best asked of an engine that has none"
        self.calls += list(texts)
        return [[Hypothesis(self.outputs[t])] for t in texts]


def _glossary(target: str) -> Glossary:
    return Glossary(ENTRIES, "en", target)


def test_term_substitution_keeps_the_engines_sentence_and_its_variants():
    source = "Iran's Supreme Leader Ali Khamenei met the UN chief."
    plain = "O Guia Supremo do Irã, Ali Khamenei, reuniu-se com o chefe da ONU."
    engine = ScriptedEngine({
        source: plain,
        "Supreme Leader": "Guia Supremo", "Iran": "Irão", "UN": "ONU", "Ali Khamenei": "Ali Khamenei",
        # names written in their target form into the source: the sentence breaks around them
        "Irão's Supreme Leader Ali Khamenei met the ONU chief.": "O Guia Supremo de Irão Ali Khamenei cumpriu o ONU chefe.",
    })
    [draft] = Enforcer(engine, _glossary("pt"), "en", "pt").translate([source])
    # only the title was wrong (capitalised as the engine wrote it); "Irã", a variant the engine wrote, stays
    assert draft.text == "O Líder supremo do Irã, Ali Khamenei, reuniu-se com o chefe da ONU."
    assert (draft.candidate, draft.terms_kept, draft.terms) == ("substitution", 4, 4)
    assert draft.flags == [] and draft.plain == plain


def test_a_candidate_that_loses_a_term_plain_mt_had_never_wins():
    source = "Iran's Supreme Leader met the UN chief."
    engine = ScriptedEngine({
        source: "O chefe do Irã encontrou o chefe da ONU.",  # the title is lost, nowhere to substitute
        "Supreme Leader": "Guia Supremo", "Iran": "Irão", "UN": "ONU",
        # keeps the title but loses the UN, which plain MT had: more churn, no gain
        "Irão's Supreme Leader met the ONU chief.": "O líder supremo do Irão encontrou o chefe.",
    })
    [draft] = Enforcer(engine, _glossary("pt"), "en", "pt").translate([source])
    assert draft.text == "O chefe do Irã encontrou o chefe da ONU."
    assert draft.candidate == "plain"
    assert [f["source"] for f in draft.flags if f["check"] == "glossary-missing"] == ["Supreme Leader"]


def test_a_rewrite_beyond_the_terms_is_flagged_with_the_plain_translation_beside_it():
    source = "Donald Trump met the press."
    plain = "Triunfo de Donald se reunió con la prensa."
    engine = ScriptedEngine({
        source: plain, "Donald Trump": "Triunfo de Donald",
        "Donald Trump met the press.": plain,
    })
    [draft] = Enforcer(engine, _glossary("es"), "en", "es").translate([source])
    # the rendering of the name alone is found in the sentence and replaced: no rewrite
    assert draft.text == "Donald Trump se reunió con la prensa." and draft.flags == []

    engine = ScriptedEngine({source: "Se reunió con la prensa.", "Donald Trump": "Triunfo de Donald"},
                            Capabilities(batch=True, placeholders=True))
    engine.outputs["Zxq1 met the press."] = "Zxq1 encontró a la prensa."
    [draft] = Enforcer(engine, _glossary("es"), "en", "es").translate([source])
    assert (draft.text, draft.candidate) == ("Donald Trump encontró a la prensa.", "placeholders")
    [rewrite] = [f for f in draft.flags if f["check"] == "glossary-rewrite"]
    assert rewrite["alternative"] == "Se reunió con la prensa." and rewrite["severity"] == "warning"


def test_placeholders_are_only_used_by_engines_that_declare_them():
    source = "Donald Trump met the press."
    engine = ScriptedEngine({source: "Se reunió con la prensa.", "Donald Trump": "Triunfo de Donald"})
    [draft] = Enforcer(engine, _glossary("es"), "en", "es").translate([source])
    assert not any("Zxq" in call for call in engine.calls)
    assert [f["check"] for f in draft.flags] == ["glossary-missing"] and draft.text == "Se reunió con la prensa."


@pytest.mark.parametrize("target, text, kept", [
    ("pt", "O primeiro-ministro falou.", False),  # "ministro" inside "primeiro-ministro" is not the Minister
    ("pt", "O ministro falou.", True),
    ("es", "El vicepresidente habló.", False),  # "presidente" inside "vicepresidente" is not the President
    ("es", "El presidente habló.", True),
])
def test_a_form_inside_a_longer_glossary_term_does_not_count(target, text, kept):
    glossary = _glossary(target)
    source = {"pt": "The Minister spoke.", "es": "The President spoke."}[target]
    assert (glossary.missing(text, glossary.find(source)) == []) is kept


def test_a_title_inside_another_title_is_replaced_where_the_engine_wrote_it_alone():
    source = "The Minister and the Prime Minister spoke."
    engine = ScriptedEngine({source: "O secretário e o primeiro-ministro falaram.",
                             "Minister": "Secretário", "Prime Minister": "Primeiro-ministro"})
    [draft] = Enforcer(engine, _glossary("pt"), "en", "pt").translate([source])
    assert draft.text == "O ministro e o primeiro-ministro falaram." and draft.flags == []


@pytest.mark.parametrize("plain, carried, expected", [
    # a sentence that starts with a token: the engine capitalises the word after it and doubles a space;
    # neither "Donald Trump de Donald" (the rendering replaced inside the rest of it) nor "Donald Trump  Aceptó".
    # "de Donald" is gone, which no rendering the enforcer knows explains: the reviewer sees plain MT beside it
    ("Triunfo de Donald aceptó la invitación.", "Zxq1  Aceptó la invitación.", "Donald Trump aceptó la invitación."),
    # another word ("Aceptó" for "Acepto") and another mark beside the name: nothing is mixed, all is flagged
    ("Acepto la invitación.", "Zxq1 Aceptó la invitación!", "Donald Trump Aceptó la invitación!"),
])
def test_a_repair_keeps_plain_mts_case_and_spaces_and_a_rewrite_beyond_them_is_flagged(plain, carried, expected):
    source = "Donald Trump accepted the invitation."
    engine = ScriptedEngine({source: plain, "Donald Trump": "Triunfo", "Zxq1 accepted the invitation.": carried},
                            Capabilities(batch=True, placeholders=True))
    [draft] = Enforcer(engine, _glossary("es"), "en", "es").translate([source])
    assert (draft.text, draft.candidate) == (expected, "placeholders")
    assert [f["check"] for f in draft.flags] == ["glossary-rewrite"]


def test_an_abbreviation_keeps_one_full_stop_where_it_ends_the_sentence():
    entries = [GlossaryEntry("name", {"en": ["United States", "U.S."], "es": ["Estados Unidos", "EE. UU."]})]
    glossary = Glossary(entries, "en", "es")
    engine = ScriptedEngine({"U.S.": "EE.UU.",
                             "He met U.S. and UK envoys.": "Conoció enviados de EE.UU. y el Reino Unido.",
                             "It followed the U.S.": "Siguió a los EE.UU.."})
    mid, end = Enforcer(engine, glossary, "en", "es").translate(["He met U.S. and UK envoys.", "It followed the U.S."])
    assert mid.text == "Conoció enviados de EE. UU. y el Reino Unido."
    assert end.text == "Siguió a los EE. UU.." or end.text == "Siguió a los EE. UU."
    assert not [f for d in (mid, end) for f in d.flags if f["check"] == "glossary-rewrite"]


def test_an_engine_with_call_overhead_gets_one_call_and_then_only_what_it_needs():
    sources = ["Donald Trump met the press.", "Trump spoke."]
    outputs = {sources[0]: "Triunfo de Donald se reunió con la prensa.", sources[1]: "Trump habló.",
               "Donald Trump": "Triunfo de Donald", "Trump": "Triunfo",
               "Zxq1 met the press.": "Zxq1 se reunió con la prensa.", "Zxq1 spoke.": "Zxq1 habló."}

    class Counted(ScriptedEngine):
        batches: list[list[str]] = []

        def translate(self, texts, **options):  # type: ignore[no-untyped-def]
            self.batches.append(list(texts))
            return super().translate(texts, **options)

    engine = Counted(outputs, Capabilities(batch=True, placeholders=True, call_overhead=True))
    drafts = Enforcer(engine, _glossary("es"), "en", "es").translate(sources)
    assert [d.text for d in drafts] == ["Donald Trump se reunió con la prensa.", "Trump habló."]
    # each term alone (first: nothing before it to sway a rule-based engine), the sources and the segments
    # with names as placeholders: one call
    assert engine.batches == [["Donald Trump", "Trump", *sources, "Zxq1 met the press.", "Zxq1 spoke."]]
    # the engine kept (or substitution repaired) both names: a later chunk sends its sources alone
    engine.batches.clear()
    Enforcer(engine, _glossary("es"), "en", "es").translate(sources)
    assert engine.batches == [sources]


@pytest.mark.parametrize("cheap", [True, False])
def test_cheap_texts_go_with_the_first_call_and_an_nmt_engine_is_asked_only_what_a_segment_needs(cheap):
    sources = ["Ali Khamenei spoke.", "Iran waited."]
    # the engine loses the name and renders it alone otherwise than in the sentence: only placeholders keep it
    outputs = {sources[0]: "Alí Jamenei falou.", sources[1]: "O Irã esperou.", "Ali Khamenei": "Aiatolá Ali",
               "Iran": "Irã", "Zxq1 spoke.": "Zxq1 falou."}

    class Counted(ScriptedEngine):
        def translate(self, texts, **options):  # type: ignore[no-untyped-def]
            self.batches.append(list(texts))
            return super().translate(texts, **options)

    engine = Counted(outputs, Capabilities(batch=True, placeholders=True, cheap_texts=cheap))
    engine.batches = []
    for _ in range(2):  # a workspace's first run, then a later one that knows the name needs placeholders
        drafts = Enforcer(engine, _glossary("pt"), "en", "pt").translate(sources)
        assert [d.text for d in drafts] == ["Ali Khamenei falou.", "O Irã esperou."]
    if cheap:  # each term alone with the sources; later, the segment with the lost name too: one call
        assert engine.batches == [["Ali Khamenei", "Iran", *sources], ["Zxq1 spoke."], [*sources, "Zxq1 spoke."]]
    else:  # a search per sentence: the term of the segment that lacks it, then its placeholders
        assert engine.batches == [sources, ["Ali Khamenei"], ["Zxq1 spoke."], sources, ["Zxq1 spoke."]]


def test_what_an_engine_does_with_each_term_is_kept_between_runs(tmp_path):
    sources = ["Donald Trump met the press.", "Trump spoke."]
    outputs = {sources[0]: "Triunfo de Donald se reunió con la prensa.", sources[1]: "Trump habló.",
               "Donald Trump": "Triunfo de Donald", "Trump": "Triunfo",
               "Zxq1 met the press.": "Zxq1 se reunió con la prensa.", "Zxq1 spoke.": "Zxq1 habló."}
    overhead = Capabilities(batch=True, placeholders=True, call_overhead=True)
    first = ScriptedEngine(outputs, overhead)
    drafts = Enforcer(first, _glossary("es"), "en", "es", records=tmp_path).translate(sources)
    assert "Donald Trump" in first.calls and "Zxq1 spoke." in first.calls
    [kept] = list(tmp_path.glob("terms-*.json"))
    # another run (a new process, a new engine object of the same engine id) asks only for the sources
    second = ScriptedEngine(outputs, overhead)
    again = Enforcer(second, _glossary("es"), "en", "es", records=tmp_path).translate(sources)
    assert second.calls == sources and [d.text for d in again] == [d.text for d in drafts]
    # a damaged or foreign record is a cold start, never an error, and is written afresh
    for damaged in ("{not json", '{"version": 1, "engine": "another", "renderings": {"Trump": "X"}}',
                    '{"version": 1, "engine": "scripted", "renderings": ["Trump"], "unkept": {"Trump": 3}}'):
        kept.write_text(damaged, encoding="utf-8")
        third = ScriptedEngine(outputs, overhead)
        assert [d.text for d in Enforcer(third, _glossary("es"), "en", "es", records=tmp_path).translate(sources)] \
            == [d.text for d in drafts]
        assert "Donald Trump" in third.calls
    assert '"Donald Trump": "Triunfo de Donald"' in kept.read_text(encoding="utf-8")


def test_a_record_that_cannot_be_written_stays_in_memory(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    engine = ScriptedEngine({"Trump spoke.": "Triunfo habló.", "Trump": "Triunfo"})
    [draft] = Enforcer(engine, _glossary("es"), "en", "es", records=blocked / "cache").translate(["Trump spoke."])
    assert draft.text == "Trump habló."


def test_two_sentences_with_the_same_term_and_the_same_output_are_both_flagged():
    # the term at the same place in both: equal matches, and the glossary's answer for the first is reused
    engine = ScriptedEngine({"Trump spoke.": "Él habló.", "Trump left.": "Él habló.", "Trump": "Triunfo"})
    drafts = Enforcer(engine, _glossary("es"), "en", "es").translate(["Trump spoke.", "Trump left."])
    assert [[f["check"] for f in d.flags] for d in drafts] == [["glossary-missing"], ["glossary-missing"]]
    assert [d.terms_kept for d in drafts] == [0, 0]


def test_term_spans_are_found_where_the_word_pattern_finds_them():
    # enforcement looks forms up by string search on the case-folded text; it must find what the pattern
    # (?<!\w)FORM(?:e?s)?(?!\w) finds, case-insensitively: in other scripts, beside marks, after a genitive
    forms = ["Putin", "putin", "EE.UU.", "(ONU)", "Irã", "ß", "Straße", "İstanbul", "Σωκράτης", "UN", "des"]
    texts = ["Putins Putines Putin's PUTINES aputin putin_ putin", "los EE.UU. y EE.UU.s (ONU)(onu)",
             "IRÃ irã-irã Irãs", "STRASSE Straße strasse straßes", "İSTANBUL istanbul İstanbul'da",
             "ΣΩΚΡΆΤΗΣ σωκράτης Σωκράτηςες", "UN UNs uN unes UNESCO", "des desdes des"]
    for form in forms:
        for text in texts:
            for genitive in (False, True):
                pattern = re.compile(r"(?<!\w)" + re.escape(form) + (r"(?:e?s)?" if genitive else "") + r"(?!\w)",
                                     re.IGNORECASE)
                expected = [hit.span() for hit in pattern.finditer(text)]
                assert list(_word_spans(form, text, ignore_case=True, genitive=genitive)) == expected, (form, text)
            exact = [hit.span() for hit in re.finditer(r"(?<!\w)" + re.escape(form) + r"(?!\w)", text)]
            assert list(_word_spans(form, text, ignore_case=False)) == exact, (form, text)

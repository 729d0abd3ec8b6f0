"""An editor reviews translations of the Putin–Xi article: each QA check catches its bad case and
lets a good translation pass; checks are listed by id and can be switched off."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from translator.checks import CHECKS, CheckContext, Finding, check_ids, run_checks
from translator.cli.checks import checks
from translator.errors import TranslatorError
from translator.glossary import Glossary, GlossaryEntry

TRADE = "Bilateral trade reached $234 billion in 2025, making China Russia's largest trading partner."
TRADE_DE = ("Der bilaterale Handel erreichte 2025 234 Milliarden Dollar, "
            "was China zu Russlands größtem Handelspartner machte.")
GLOSSARY = Glossary([
    GlossaryEntry("name", {"en": ["Vladimir Putin", "Putin"], "de": ["Wladimir Putin", "Putin"]},
                  forbidden={"de": ["Vladimir Putin"]}),
    GlossaryEntry("title", {"en": ["President"], "de": ["Präsident"]}),
    GlossaryEntry("do-not-translate", {"en": ["SWP Berlin"]}),
    GlossaryEntry("name", {"en": ["Xi Jinping"], "de": ["Xi Jinping"]}),
], "en", "de")


def found(source: str, target: str, target_lang: str = "de", **context) -> dict[str, list[Finding]]:
    """The findings by check id."""
    by_check: dict[str, list[Finding]] = {}
    for finding in run_checks(CheckContext(source, target, "en", target_lang, **context)):
        by_check.setdefault(finding.check, []).append(finding)
    return by_check


def test_a_good_translation_passes_every_check():
    assert found(TRADE, TRADE_DE, glossary=GLOSSARY, others=[TRADE_DE]) == {}


def test_a_changed_number_is_an_error():
    findings = found(TRADE, TRADE_DE.replace("234", "243"))
    assert list(findings) == ["numbers"]
    [finding] = findings["numbers"]
    assert finding.as_flag() == {"check": "numbers", "severity": "error",
                                 "message": "missing number 234; the translation has 243 instead"}


def test_a_lost_year_is_an_error():
    assert "numbers" in found(TRADE, TRADE_DE.replace("2025 ", ""))


@pytest.mark.parametrize("target, lang", [
    ("Mehr als 1.000 Soldaten", "de"),
    ("Mehr als 1\u202f000 Soldaten", "de"),  # narrow no-break space
    ("Plus de 1\u202f000 soldats", "fr"),
    ("Plus de 1 000 soldats", "fr"),  # typed with a plain space
    ("Meer dan 1000 soldaten", "nl"),
])
def test_numbers_compare_by_value_whatever_the_locale_writes(target, lang):
    assert "numbers" not in found("More than 1,000 soldiers", target, lang)


def test_a_decimal_point_where_the_language_writes_a_comma_is_caught():
    assert "numbers" not in found("Growth was 2.5 percent", "Das Wachstum betrug 2,5 Prozent")
    assert "numbers" in found("Growth was 2.5 percent", "Das Wachstum betrug 2.5 Prozent")


def test_glossary_term_missing_each_time():
    source = "Putin spoke first, then Xi Jinping answered Putin."
    good = "Putin sprach zuerst, dann antwortete Xi Jinping Putin."
    assert found(source, good, glossary=GLOSSARY) == {}
    bad = found(source, "Putin sprach zuerst, dann antwortete ihm Xi Jinping.", glossary=GLOSSARY)
    assert [f.as_flag() for f in bad["glossary-missing"]] == [{
        "check": "glossary-missing", "severity": "error", "message": "'Putin' should be translated as 'Putin'",
        "source": "Putin", "required": "Putin"}]


def test_glossary_forbidden_form_used():
    bad = found("Vladimir Putin called.", "Vladimir Putin rief an.", glossary=GLOSSARY)
    assert bad["glossary-forbidden"][0].required == "Wladimir Putin"
    assert "glossary-missing" in bad


def test_do_not_translate_term_changed():
    source = "According to research from SWP Berlin, trade grew."
    assert found(source, "Laut Forschung der SWP Berlin wuchs der Handel.", glossary=GLOSSARY) == {}
    bad = found(source, "Laut Forschung der Stiftung Wissenschaft und Politik wuchs der Handel.", glossary=GLOSSARY)
    assert list(bad) == ["glossary-dnt"]


def test_lost_html_tag_is_an_error():
    source = "Putin called the relationship <em>exemplary</em>."
    assert "html-tags" not in found(source, "Putin nannte die Beziehung <em>vorbildlich</em>.")
    bad = found(source, "Putin nannte die Beziehung vorbildlich.")
    assert [f.message for f in bad["html-tags"]] == ["missing tag <em>", "missing tag </em>"]


def test_a_link_keeps_its_url_and_may_translate_its_title():
    source = 'Read <a href="https://swp-berlin.org/a" title="the study">the study</a>.'
    moved = 'Lesen Sie <a title="die Studie" href="https://swp-berlin.org/a">die Studie</a>.'
    assert "html-tags" not in found(source, moved)
    assert "html-tags" in found(source, 'Lesen Sie <a href="https://swp-berlin.org/b">die Studie</a>.')


def test_markdown_emphasis_and_link_urls():
    source = "Xi called Putin a *dear friend*, says [SWP](https://swp-berlin.org)."
    good = "Xi nannte Putin einen *lieben Freund*, so [die SWP](https://swp-berlin.org)."
    assert "markdown" not in found(source, good)
    assert "markdown" in found(source, "Xi nannte Putin einen lieben Freund, so [die SWP](https://swp-berlin.org).")
    assert "markdown" in found(source, "Xi nannte Putin einen *lieben Freund*, so [die SWP](https://swp-berlin.de).")


def test_placeholders_are_kept():
    source = "{name} and %s met %(count)d times."
    assert "placeholders" not in found(source, "%s und {name} trafen sich %(count)d Mal.")
    bad = found(source, "{Name} und %s trafen sich %(count)d Mal.")
    assert [f.message for f in bad["placeholders"]] == ["missing placeholder {name}", "extra placeholder {Name}"]


def test_a_percent_sign_is_no_placeholder():
    assert "placeholders" not in found("Trade grew 50% during the year.", "Der Handel wuchs um 50 % im Jahr.")


@pytest.mark.parametrize("target, lang", [
    ("Hat Putin angerufen?", "de"),
    ("¿Llamó Putin?", "es"),
    ("Poutine a-t-il appelé ?", "fr"),
    ("普京打电话了吗？", "zh"),
])
def test_ending_punctuation_of_the_same_kind_passes(target, lang):
    assert "ending-punctuation" not in found("Did Putin call?", target, lang)


def test_ending_punctuation_lost_or_changed_warns():
    bad = found("Did Putin call?", "Hat Putin angerufen.")
    assert bad["ending-punctuation"][0].severity == "warning"
    assert "ending-punctuation" in found("Putin called.", "Putin rief an")
    assert "ending-punctuation" in found("Strategic Partnership Deepens", "Strategische Partnerschaft vertieft sich.")


def test_quotes_follow_the_target_language():
    source = 'Putin called the partnership "exemplary."'
    assert "quotes" not in found(source, "Putin nannte die Partnerschaft „vorbildlich“.")
    assert "quotes" not in found(source, "Poutine a qualifié le partenariat d’« exemplaire ».", "fr")
    assert "quotes" not in found(source, "Putin llamó al acuerdo «ejemplar».", "es")
    straight = found(source, 'Putin nannte die Partnerschaft "vorbildlich".')
    assert straight["quotes"][0].message.startswith("straight quotes")
    assert "quotes" in found(source, "Putin nannte die Partnerschaft « vorbildlich ».")
    assert "quotes" in found(source, "Putin nannte die Partnerschaft „vorbildlich.")


def test_apostrophes_are_no_quotes():
    assert "quotes" not in found("China is Russia’s largest partner.", "La Chine est l’allié de Moscou.", "fr")


def test_brackets_balanced():
    source = "The call (1 hour 25 minutes) was long."
    assert "brackets" not in found(source, "Das Gespräch (1 Stunde 25 Minuten) war lang.")
    assert "brackets" in found(source, "Das Gespräch (1 Stunde 25 Minuten war lang.")


def test_whitespace():
    assert "edge-whitespace" in found("Putin called.", "Putin rief an. ")
    assert "double-space" in found("Putin called Xi.", "Putin rief  Xi an.")
    assert "double-space" not in found("Putin  called Xi.", "Putin  rief Xi an.")


def test_empty_translation_is_reported_once():
    assert list(found(TRADE, "  ")) == ["empty"]


def test_untranslated_unless_only_names_and_numbers():
    assert "untranslated" in found(TRADE, TRADE)
    assert "untranslated" not in found("Xi Jinping", "Xi Jinping", glossary=GLOSSARY)
    assert "untranslated" not in found("SWP Berlin, 2025", "SWP Berlin, 2025", glossary=GLOSSARY)
    assert "untranslated" not in found("2025", "2025")


def test_length_ratio_for_the_language_pair():
    assert "length-ratio" in found(TRADE, "Handel: 234 Mrd. (2025).")
    assert "length-ratio" not in found("Putin and Xi spoke.", "Sprachen.")  # too short to judge
    chinese = "2025年双边贸易额达到234美元，中国成为俄罗斯最大的贸易伙伴。"
    assert "length-ratio" not in found(TRADE, chinese, "zh")


def test_a_different_translation_of_the_same_source_is_inconsistent():
    other = TRADE_DE.replace("erreichte", "betrug")
    [finding] = found(TRADE, TRADE_DE, others=[TRADE_DE, other])["inconsistent"]
    assert other in finding.message


def test_the_registry():
    ids = [c.id for c in CHECKS]
    assert len(ids) == len(set(ids))
    assert all(c.name and c.description and c.severity in ("error", "warning") for c in CHECKS)


def test_a_check_switched_off_reports_nothing():
    bad = CheckContext(TRADE, TRADE_DE.replace("234", "243"), "en", "de")
    assert run_checks(bad, disabled={"numbers"}) == []


def test_an_unknown_check_id_is_refused_with_the_known_ones():
    with pytest.raises(TranslatorError, match="unknown check nmbers; the checks are: empty, numbers"):
        check_ids(["nmbers"])
    with pytest.raises(TranslatorError):
        run_checks(CheckContext("a", "b", "en", "de"), disabled=["nmbers"])


def test_checks_list_command():
    result = CliRunner().invoke(checks, ["list", "--json"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert [row["id"] for row in listed] == [c.id for c in CHECKS]
    assert listed[1] == {"id": "numbers", "name": "Numbers and dates", "severity": "error",
                         "description": CHECKS[1].description}
    table = CliRunner().invoke(checks, ["list"])
    assert table.exit_code == 0 and "glossary-missing" in table.output


def test_quotes_in_html_attributes_and_link_titles_are_markup_not_quotation_marks():
    source = 'Read the <a href="https://example.org/a" title="full text">statement</a>.'
    assert "quotes" not in found(source, 'Lesen Sie die <a href="https://example.org/a" title="Volltext">Erklärung</a>.')
    assert "quotes" not in found("See [the call](https://example.org \"Call\").",
                                 "Siehe [das Gespräch](https://example.org \"Gespräch\").")
    quoted = 'He called it <em class="q">“exemplary”</em>.'
    assert "quotes" not in found(quoted, 'Er nannte sie <em class="q">„vorbildlich“</em>.')
    assert found(quoted, 'Er nannte sie <em class="q">"vorbildlich"</em>.')["quotes"][0].message.startswith(
        "straight quotes")


def test_ending_punctuation_looks_past_closing_tags():
    assert "ending-punctuation" not in found("It <em>rained.</em>", "Es <em>regnete</em>.")
    assert "ending-punctuation" in found("It <em>rained.</em>", "Es <em>regnete</em>")

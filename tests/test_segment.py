"""An editor imports articles as text, markdown or HTML; they come back as blocks and sentences.

Whatever the format, the stored lead and separators must rebuild the file byte for byte.
"""

from pathlib import Path

import pytest

from translator.errors import TranslatorError
from translator.segment import BLOCK_KINDS, ParsedArticle, segment_article, split_sentences

EXAMPLE = Path(__file__).parent.parent / "examples" / "putin-xi-call.txt"

MARKDOWN = """---
title: Front matter is not translated. Ever.
---

# Rain Returns to the Valley #

The U.S. Weather Service said rain falls on Feb. 4. Farmers paid $2.5 million for **new pumps.** See
[the report](https://example.org/a.b) for `details`.

## What Farmers Say

> "We waited a long time," said Dr. Ana Ruiz. She smiled.
> Second quote line.

- Pumps are ready.
  Tanks are full.
- Roads are *closed*.
1. First numbered item

```python
print("Code is not translated. Never.")
```

    indented code. Also not.

<div>An HTML block. Not translated.</div>

***

Setext Heading
--------------
Last words
"""

HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Site &amp; Section</title>
<style>p { color: red; }</style>
<script>var text = "<p>Not a paragraph.</p> No.";</script>
</head>
<body>
<!-- Comments are never translated. -->
<h1>Rain &amp; <em>Snow</em> Return</h1>
<p>Dr. Smith met the U.S. envoy. The talks <a href="https://example.org/a.b">went well</a>.</p>
<p>It rained <em>a lot.</em> Then it&nbsp;snowed.</p>
<blockquote><p>"It is cold," she said. Nobody listened.</p></blockquote>
<ul><li>First item<li>Second <strong>item</strong></ul>
<pre><code>print("code. not text")</code></pre>
<h2>Outlook</h2>
<table><tr><td>Monday: rain.</td><td>Tuesday: sun.</td></tr></table>
<figure><img src="a.png" alt="A field"><figcaption>A flooded field.</figcaption></figure>
</body></html>
"""


def rows(article: ParsedArticle) -> list[tuple[int, str, str, str]]:
    return [(s.block_index, s.kind, s.source, s.separator) for s in article.segments]


def assert_exact(article: ParsedArticle, doc: str) -> None:
    """Rebuilds byte for byte, and every source sits, stripped, at its own place in the document."""
    assert article.rebuild() == doc
    pos = len(article.lead)
    for seg in article.segments:
        assert seg.source and seg.source == seg.source.strip()
        assert doc[pos:pos + len(seg.source)] == seg.source
        assert seg.kind in BLOCK_KINDS
        pos += len(seg.source) + len(seg.separator)
    assert pos == len(doc)
    assert [s.block_index for s in article.segments] == sorted(s.block_index for s in article.segments)


# the example article, a plain-text file with one paragraph per line

def test_example_article_blocks_and_segments():
    doc = EXAMPLE.read_text(encoding="utf-8")
    article = segment_article(doc, "text", "en")

    assert_exact(article, doc)
    assert article.blocks == 22
    assert len(article.segments) == 32
    assert article.title == "Strategic Partnership Deepens Amid Global Tensions"
    kinds = {}
    for seg in article.segments:
        kinds.setdefault(seg.block_index, seg.kind)
    assert kinds[0] == "title"
    assert [i for i, k in kinds.items() if k == "heading"] == [2, 5, 8, 12]
    assert [i for i, k in kinds.items() if k == "list_item"] == list(range(16, 22))
    headings = [s.source for s in article.segments if s.kind == "heading"]
    assert headings[0] == "'Stabilizing Factor in Global Turbulence'"
    assert headings[1] == "Economic Dependence and Strategic Alignment"
    items = [s.source for s in article.segments if s.kind == "list_item"]
    assert items == ["Nederlands", "English", "Deutsch", "Français", "Español", "Português"]


def test_example_article_sentence_boundaries():
    article = segment_article(EXAMPLE.read_text(encoding="utf-8"), "text", "en")
    sources = [s.source for s in article.segments]

    assert ("Bilateral trade reached $234 billion in 2025, making China Russia's largest trading partner."
            in sources)
    hegemony = next(s for s in article.segments if s.source.endswith("U.S. hegemony."))
    assert hegemony.source.startswith("This approach has drawn criticism")
    assert hegemony.separator == "\n"
    first = article.segments[1]
    assert first.source.endswith('"exemplary" strategic partnership.')
    assert first.separator == " "
    assert article.segments[-1].source == "Português" and article.segments[-1].separator == ""


@pytest.mark.parametrize("variant", [
    lambda d: d.replace("\n", "\r\n"),
    lambda d: d + "\n",
    lambda d: "\n\n  \n" + d,
    lambda d: d.replace(".\n", ".   \n"),
])
def test_example_article_rebuilds_from_every_variant(variant):
    doc = variant(EXAMPLE.read_text(encoding="utf-8"))
    article = segment_article(doc, "text", "en")
    assert_exact(article, doc)
    assert article.blocks == 22 and len(article.segments) == 32


# sentence splitting, per language

def test_english_abbreviations_decimals_currency_and_quotes():
    assert split_sentences(
        'Dr. Smith met the U.S. envoy on Feb. 4 in Washington. It cost $3.5 million. '
        'He said, "We will win. Nobody doubts it." Then he left.', "en_US") == [
        "Dr. Smith met the U.S. envoy on Feb. 4 in Washington.",
        "It cost $3.5 million.",
        'He said, "We will win. Nobody doubts it."',
        "Then he left.",
    ]


def test_german_dates_and_abbreviations():
    assert split_sentences(
        "Am 4. Februar telefonierte Putin mit Xi Jinping. Dr. Müller sagte, das sei z. B. wichtig. "
        "Danach ging er.", "de") == [
        "Am 4. Februar telefonierte Putin mit Xi Jinping.",
        "Dr. Müller sagte, das sei z. B. wichtig.",
        "Danach ging er.",
    ]


def test_portuguese_goes_through_sentencex():
    assert split_sentences('O Sr. Silva chegou às 10h. Ele disse: "Olá." Custou R$ 2,5 milhões.', "pt_BR") == [
        "O Sr. Silva chegou às 10h.",
        'Ele disse: "Olá."',
        "Custou R$ 2,5 milhões.",
    ]


def test_a_wrapped_line_is_not_a_sentence_end():
    assert split_sentences("The storm\nreached the coast. It\nrained.", "en") == [
        "The storm\nreached the coast.",
        "It\nrained.",
    ]


def test_blank_text_has_no_sentences_and_unpunctuated_text_is_one():
    assert split_sentences(" \n\t ", "en") == []
    assert split_sentences("Breaking news from the valley", "fr") == ["Breaking news from the valley"]


# plain text

def test_text_with_blank_lines_keeps_wrapped_paragraphs_together():
    doc = "Flood Warning\n\nRivers rose overnight\nacross the region. Roads closed.\n\nMore Soon\n\nUpdates follow.  "
    article = segment_article(doc, "text", "en")

    assert_exact(article, doc)
    assert rows(article) == [
        (0, "title", "Flood Warning", "\n\n"),
        (1, "paragraph", "Rivers rose overnight\nacross the region.", " "),
        (1, "paragraph", "Roads closed.", "\n\n"),
        (2, "heading", "More Soon", "\n\n"),
        (3, "paragraph", "Updates follow.", "  "),
    ]


def test_a_short_line_at_the_end_is_a_paragraph_not_a_heading():
    article = segment_article("Title\nA full sentence here.\nThe end", "text", "en")
    assert [s.kind for s in article.segments] == ["title", "paragraph", "paragraph"]


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
@pytest.mark.parametrize("doc", ["", "\n", "  \r\n\r\n ", "<!-- only a comment -->\n", "```\ncode\n```\n"])
def test_documents_without_translatable_text_keep_everything_in_the_lead(fmt, doc):
    article = segment_article(doc, fmt, "en")
    if article.segments:
        assert_exact(article, doc)  # a comment is text to the text format
    else:
        assert article.lead == doc and article.rebuild() == doc and article.title is None


# markdown

def test_markdown_blocks_and_markup():
    article = segment_article(MARKDOWN, "markdown", "en")

    assert_exact(article, MARKDOWN)
    assert article.title == "Rain Returns to the Valley"
    assert article.lead == "---\ntitle: Front matter is not translated. Ever.\n---\n\n# "
    assert rows(article) == [
        (0, "title", "Rain Returns to the Valley", " #\n\n"),
        (1, "paragraph", "The U.S. Weather Service said rain falls on Feb. 4.", " "),
        (1, "paragraph", "Farmers paid $2.5 million for **new pumps.**", " "),
        (1, "paragraph", "See\n[the report](https://example.org/a.b) for `details`.", "\n\n## "),
        (2, "heading", "What Farmers Say", "\n\n> "),
        (3, "quote", '"We waited a long time," said Dr. Ana Ruiz.', " "),
        (3, "quote", "She smiled.", "\n> "),
        (4, "quote", "Second quote line.", "\n\n- "),
        (5, "list_item", "Pumps are ready.", "\n  "),
        (5, "list_item", "Tanks are full.", "\n- "),
        (6, "list_item", "Roads are *closed*.", "\n1. "),
        (7, "list_item", "First numbered item",
         '\n\n```python\nprint("Code is not translated. Never.")\n```\n\n    indented code. Also not.\n\n'
         "<div>An HTML block. Not translated.</div>\n\n***\n\n"),
        (8, "heading", "Setext Heading", "\n--------------\n"),
        (9, "paragraph", "Last words", "\n"),
    ]


@pytest.mark.parametrize("variant", [
    lambda d: d,
    lambda d: d.replace("\n", "\r\n"),
    lambda d: d.rstrip("\n"),
    lambda d: "\n\n" + d.replace("---\n", "", 2).replace("title: ", ""),
    lambda d: d.replace("\n", "  \n"),
])
def test_markdown_rebuilds_and_never_puts_markers_in_a_source(variant):
    doc = variant(MARKDOWN)
    article = segment_article(doc, "markdown", "en")

    assert_exact(article, doc)
    for seg in article.segments:
        assert not seg.source.startswith((">", "- ", "#", "1. ", "```"))
        assert "\n>" not in seg.source and "Never." not in seg.source


def test_markdown_table_cells_and_nested_quotes():
    doc = "| City | Rain |\n|---|---|\n| Oslo | 3.5 mm |\n\n> > Deep quote. Still deep.\n"
    article = segment_article(doc, "markdown", "en")

    assert_exact(article, doc)
    assert [(s.kind, s.source) for s in article.segments] == [
        ("paragraph", "City"), ("paragraph", "Rain"), ("paragraph", "Oslo"), ("paragraph", "3.5 mm"),
        ("quote", "Deep quote."), ("quote", "Still deep."),
    ]
    assert article.title is None


# html

def test_html_blocks_inline_tags_and_entities():
    article = segment_article(HTML, "html", "en")

    assert_exact(article, HTML)
    assert article.title == "Rain & Snow Return"
    assert article.lead.endswith("<!-- Comments are never translated. -->\n<h1>")
    assert rows(article) == [
        (0, "title", "Rain &amp; <em>Snow</em> Return", "</h1>\n<p>"),
        (1, "paragraph", "Dr. Smith met the U.S. envoy.", " "),
        (1, "paragraph", 'The talks <a href="https://example.org/a.b">went well</a>.', "</p>\n<p>"),
        (2, "paragraph", "It rained <em>a lot.</em>", " "),
        (2, "paragraph", "Then it&nbsp;snowed.", "</p>\n<blockquote><p>"),
        (3, "quote", '"It is cold," she said.', " "),
        (3, "quote", "Nobody listened.", "</p></blockquote>\n<ul><li>"),
        (4, "list_item", "First item", "<li>"),
        (5, "list_item", "Second <strong>item</strong>",
         '</ul>\n<pre><code>print("code. not text")</code></pre>\n<h2>'),
        (6, "heading", "Outlook", "</h2>\n<table><tr><td>"),
        (7, "paragraph", "Monday: rain.", "</td><td>"),
        (8, "paragraph", "Tuesday: sun.", '</td></tr></table>\n<figure><img src="a.png" alt="A field"><figcaption>'),
        (9, "paragraph", "A flooded field.", "</figcaption></figure>\n</body></html>\n"),
    ]


def test_html_without_h1_takes_its_title_from_the_head():
    doc = HTML.replace("<h1>Rain &amp; <em>Snow</em> Return</h1>\n", "").replace("\n", "\r\n")
    article = segment_article(doc, "html", "en")

    assert_exact(article, doc)
    assert article.title == "Site & Section"
    assert (article.segments[0].kind, article.segments[0].source) == ("title", "Site &amp; Section")


def test_html_fragment_without_tags_around_text():
    doc = "  Loose text. More text.<br>Same block.\n<p>Own block</p>"
    article = segment_article(doc, "html", "en")

    assert_exact(article, doc)
    assert [(s.block_index, s.source) for s in article.segments] == [
        (0, "Loose text."), (0, "More text."), (0, "<br>Same block."), (1, "Own block"),
    ]


# formats

def test_unknown_format_is_a_one_line_error():
    with pytest.raises(TranslatorError) as caught:
        segment_article("Hello.", "docx", "en")
    assert str(caught.value) == "unknown format 'docx': use text, markdown or html"


# -- bounded work: long blocks, many blocks, deep markup (issue 12) ----------------------------------

LONG_PROSE = " ".join([
    "Dr. Smith met the U.S. envoy at 9 a.m. on Monday.", "He said: \"We will see.\" Then he left.",
    "The price rose 3.5 per cent, i.e. more than expected.", "Mr. J. R. R. Tolkien wrote it (see p. 12).",
    "It cost $4.99 vs. $5.25 last year.", "The talks, which began in Geneva, went on until late at night.",
] * 40)


def test_a_long_block_splits_as_it_would_whole():
    """Windows keep pysbd fast on long blocks without changing where the sentences end."""
    import pysbd

    import translator.segment as segment

    assert len(LONG_PROSE) > 4 * segment.WINDOW
    whole = [s.strip() for s in pysbd.Segmenter(language="en", clean=False).segment(LONG_PROSE) if s.strip()]
    assert split_sentences(LONG_PROSE, "en") == whole


@pytest.mark.parametrize("text", ["a. " * 13333, "x" * 50_000, "word " * 20_000])
def test_pathological_blocks_split_in_linear_time(text):
    article = segment_article("Title\n\n" + text + "\n", "text", "en")
    assert article.rebuild() == "Title\n\n" + text + "\n"
    assert all(len(s.source) <= 1_000 for s in article.segments)


def test_block_and_sentence_limits_are_one_line_errors():
    table = "# Results\n\n| a | b |\n| --- | --- |\n" + "".join(f"| r{i} | {i} |\n" for i in range(60))
    with pytest.raises(TranslatorError, match=r"^12\d blocks .* more than the 100 one article may have"):
        segment_article(table, "markdown", "en", max_blocks=100)
    with pytest.raises(TranslatorError, match="more than 50 sentences"):
        segment_article("Title\n\n" + "It rained. " * 60 + "\n", "text", "en", max_segments=50)


def test_deeply_nested_html_parses_in_linear_time():
    depth = 100_000
    doc = "<html><body>" + "<div>" * depth + "Deep <b>text</b>." + "</div>" * depth + "<h2>After</h2></body></html>"
    article = segment_article(doc, "html", "en")
    assert [(s.kind, s.source) for s in article.segments] == [("paragraph", "Deep <b>text</b>."), ("heading", "After")]
    assert article.rebuild() == doc

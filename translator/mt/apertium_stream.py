"""Apertium's stream format for a batch of texts, written and read in Python: what ``apertium-deshtml``
makes of our HTML documents, and what ``apertium-rehtml`` makes of a pipeline's answer.

A batch is one document, one HTML paragraph per text (``<p id="sN">``). In the stream, the paragraph's
tags are superblanks (``[...]``), and each text ends with the full stop and empty blank (``.[]``) that
the deformatter adds before a block's end, so that no rule reaches from one text into the next. Inside
a text, Apertium's special characters are escaped with a backslash; a run of blanks other than one
space, "~" (the generator's join mark) and the entities of "&", "<" and ">" are superblanks: the
pipeline gets the stream that ``apertium -f html`` gives it (a test compares the two on random texts).

One difference: deshtml takes "{{" for a template and everything after it, up to a "}}" or to the end
of the document, for format: one text with "{{" left the texts after it untranslated. Here braces are
text, as any other escaped character.

Written here, a batch starts no process: deshtml and rehtml take 4 ms each to start (ICU), as long as
the translation of a few sentences.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

# what deshtml takes for format inside a paragraph: blanks, the join mark, the entities html.escape writes
_FORMAT = re.compile(r"(?:[ \n\t\r~]|&(?:amp|lt|gt);)+")
# what makes a text's format more than its single spaces
_UNUSUAL = re.compile(r"[\n\t\r~&]|  ")
_SPECIAL = re.compile(r"([\\\[\]{}^$@/<>])")
# in a superblank, the characters that would end it or start an escape, and the "/" of a closing tag
_BLANK_SPECIAL = re.compile(r"([\\\[\]/])")
# an answer: an escape (rehtml restores the characters deshtml escapes, not "<" and ">"), a block's end
# mark, a superblank's bracket (wordbound blanks are brackets twice), or text
_ANSWER = re.compile(r"\\([\\\[\]{}^$@/])|\.\[\]|[\[\]]|\\|[^\\\[\].]+|\.")


def write(texts: Sequence[str]) -> str:
    """One document of ``texts`` (NUL, Apertium's flush mark, left out) in Apertium's stream format."""
    return ".[][" + "".join(map(_paragraph, range(len(texts)), texts)) + "]"


def _paragraph(index: int, text: str) -> str:
    """One text's paragraph, from inside the blank before it to inside the blank after it."""
    escaped = html.escape(text.replace("\0", ""), quote=False)
    if escaped[:1] not in ("", " ") and escaped[-1] != " " and not _UNUSUAL.search(escaped):
        # words and single spaces, as nearly every sentence is: no blank inside
        return f'<p id="s{index}">]' + _SPECIAL.sub(r"\\\1", escaped) + ".[][<\\/p>\n"
    pieces: list[tuple[bool, str]] = []  # (format?, piece)
    at = 0
    for run in _FORMAT.finditer(escaped):
        if run.start() > at:
            pieces.append((False, escaped[at:run.start()]))
        pieces.append((True, run.group()))
        at = run.end()
    if at < len(escaped):
        pieces.append((False, escaped[at:]))
    # format at a text's edges joins the paragraph's tags
    out = [_blank(f'<p id="s{index}">' + (pieces.pop(0)[1] if pieces and pieces[0][0] else ""))]
    trail = pieces.pop()[1] if pieces and pieces[-1][0] else ""
    if pieces:  # a text of format alone (an "&") gets no end mark, as deshtml writes it
        out.append("]")
        for is_format, piece in pieces:
            out.append(piece if piece == " " else f"[{_blank(piece)}]" if is_format else _SPECIAL.sub(r"\\\1", piece))
        out.append(".[][")
    out.append(_blank(trail + "</p>\n"))
    return "".join(out)


def read(stream: str) -> str:
    """A pipeline's answer to ``write`` as HTML, as ``apertium-rehtml`` prints it."""
    return "".join(hit.group(1) if hit.group(1) is not None else "" if hit.group() in (".[]", "[", "]") else hit.group()
                   for hit in _ANSWER.finditer(stream))


def _blank(text: str) -> str:
    return _BLANK_SPECIAL.sub(r"\\\1", text)

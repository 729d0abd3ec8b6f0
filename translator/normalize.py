"""Source text normalization and hashing, shared by segments and the translation memory.

Two sources that differ only in whitespace or quote style are the same sentence to a translator.
"""

import hashlib
import re
import unicodedata

_DOUBLE_QUOTES = dict.fromkeys(map(ord, "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e"), '"')
_SINGLE_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2039\u203a\u2032`"), "'")
_QUOTES = {**_DOUBLE_QUOTES, **_SINGLE_QUOTES}
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFC, straight quotes, single spaces, no outer whitespace.

    >>> normalize("  \u201cHello\u201d,\\n  she said ")
    '"Hello", she said'
    """
    text = unicodedata.normalize("NFC", text).translate(_QUOTES)
    return _SPACE.sub(" ", text).strip()


def source_hash(text: str) -> str:
    """A stable 40-hex-digit key for the normalized form of ``text``."""
    return hashlib.sha1(normalize(text).encode("utf-8")).hexdigest()

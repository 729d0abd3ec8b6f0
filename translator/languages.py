"""Language codes and names, through babel.

Codes are stored in one canonical BCP 47 form: ``pt_BR``, ``pt-br`` and ``PT-BR`` are all ``pt-BR``.
"""

from __future__ import annotations

import difflib
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.localedata import locale_identifiers

from .errors import TranslatorError
from .i18n import gettext as _


@lru_cache(maxsize=256)
def normalize_code(code: str) -> str:
    """The canonical form of a language code, or a TranslatorError suggesting close codes.

    >>> normalize_code("pt_br")
    'pt-BR'
    """
    raw = code.strip()
    parts = raw.replace("_", "-").split("-")
    if not raw or not all(p.isalnum() for p in parts):
        raise TranslatorError(f"invalid language code {code!r}")
    try:
        locale = Locale.parse("_".join(parts))
    except (UnknownLocaleError, ValueError):
        raise TranslatorError(_unknown_message(code)) from None
    # babel resolves old aliases with a default region (iw -> he_IL); keep only what was asked for
    subtags = [locale.language]
    if locale.script and len(parts) > 1:
        subtags.append(locale.script)
    if locale.territory and len(parts) > 1:
        subtags.append(locale.territory)
    return "-".join(subtags)


def normalize_codes(codes: str | list[str]) -> list[str]:
    """Normalize a comma-separated string or list of codes, keeping order and dropping repeats."""
    items = codes.split(",") if isinstance(codes, str) else codes
    result: list[str] = []
    for item in items:
        if item.strip():
            norm = normalize_code(item)
            if norm not in result:
                result.append(norm)
    return result


def among_targets(targets: list[str], wanted: str | list[str] | None) -> list[str]:
    """``wanted`` (comma-separated or a list) in canonical form, each one of ``targets``, or all
    ``targets`` when nothing is named; a code that is not a target is an error naming the targets."""
    if not wanted:
        return list(targets)
    languages = normalize_codes(wanted)
    unknown = [code for code in languages if code not in targets]
    if unknown:
        raise TranslatorError(_("not a target language of this workspace: {languages} (its targets: {targets})")
                              .format(languages=", ".join(unknown), targets=", ".join(targets)))
    return languages


def base_language(code: str) -> str:
    """The language subtag alone: ``pt-BR`` -> ``pt``."""
    return code.replace("_", "-").split("-")[0].lower()


def language_name(code: str, locale: str = "en") -> str:
    """The name of a language in ``locale``'s language, e.g. ``de`` in ``fr`` -> ``allemand``."""
    try:
        name = _locale(code).get_display_name(_locale(locale))
    except (UnknownLocaleError, ValueError):
        return code
    return name or code


def text_direction(code: str) -> str:
    """``ltr`` or ``rtl``."""
    return _locale(code).text_direction


def _locale(code: str) -> Locale:
    return Locale.parse(code.replace("-", "_"))


@lru_cache(maxsize=1)
def _known() -> dict[str, str]:
    """Base language codes with their English names."""
    known: dict[str, str] = {}
    for ident in locale_identifiers():
        lang = ident.split("_")[0]
        if lang not in known and lang != "root":
            known[lang] = Locale.parse(lang).get_display_name("en") or lang
    return known


def _unknown_message(code: str) -> str:
    known = _known()
    wanted = code.strip().lower()
    by_name = [c for c, name in known.items() if name.lower().startswith(wanted)] if len(wanted) > 2 else []
    close = by_name or difflib.get_close_matches(wanted.split("-")[0].split("_")[0], known, n=4, cutoff=0.5)
    hints = ", ".join(f"{c} ({known[c]})" for c in dict.fromkeys(close))
    message = f"unknown language code {code!r}"
    return f"{message}; did you mean {hints}?" if hints else message

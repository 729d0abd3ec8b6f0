"""The tool's own words in the user's language: gettext catalogs in ``locales/``, English as fallback.

Catalogs are ``locales/<lang>/LC_MESSAGES/translator.po``, kept with pybabel (``./dev i18n``:
extract, update, compile). An up-to-date compiled ``.mo`` is used; without one the ``.po`` is
compiled in memory, so a fresh checkout needs no build step. A message a catalog lacks stays English.

The language is ``--locale``, else the first of TRANSLATOR_LOCALE, LANGUAGE, LC_ALL, LC_MESSAGES
and LANG that is set (``de_DE.UTF-8`` -> ``de_DE``; ``C`` and ``POSIX`` mean English).
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from .errors import TranslatorError

DOMAIN = "translator"
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
ENV_VARS = ("TRANSLATOR_LOCALE", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")
ENGLISH = "en"

_current: str | None = None  # the UI language; None: read from the environment when first needed


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


def parse_locale(code: str) -> str:
    """``code`` in babel's form (``pt-br`` -> ``pt_BR``), or a TranslatorError.

    >>> parse_locale("de-CH")
    'de_CH'
    """
    parsed = _parse(code)
    if parsed is None:
        raise TranslatorError(gettext("unknown locale {code!r}; use a language code such as en, de, fr or pt_BR")
                              .format(code=code))
    return parsed


def _parse(code: str) -> str | None:
    from babel import Locale, UnknownLocaleError

    raw = code.strip().replace("-", "_")
    if not raw:
        return None
    try:
        return str(Locale.parse(raw))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def locale_from_env(environ: Mapping[str, str] | None = None) -> str:
    """The UI language the environment asks for, or English."""
    environ = os.environ if environ is None else environ
    for var in ENV_VARS:
        value = environ.get(var, "")
        if not value:
            continue
        for item in value.split(":"):  # LANGUAGE may list several, best first
            code = item.split(".")[0].split("@")[0]
            if code in ("C", "POSIX"):
                return ENGLISH
            parsed = _parse(code)
            if parsed:
                return parsed
    return ENGLISH


def set_locale(code: str | None) -> str:
    """Use ``code`` (or, with None, the environment's language) for the CLI's messages; returns it."""
    global _current
    _current = parse_locale(code) if code else locale_from_env()
    return _current


def current_locale() -> str:
    return _current if _current is not None else set_locale(None)


def translations(locale: str) -> _gettext.NullTranslations:
    """The catalog for ``locale`` (``pt_BR`` falls back to ``pt``); English has none."""
    return _translations(locale, LOCALES_DIR)


@lru_cache(maxsize=32)
def _translations(locale: str, directory: Path) -> _gettext.NullTranslations:
    language = locale.split("_")[0]
    for candidate in dict.fromkeys((locale, language)):
        po = directory / candidate / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.is_file():
            return load_catalog(po)
    return _gettext.NullTranslations()


def load_catalog(po: Path) -> _gettext.GNUTranslations:
    """The compiled catalog next to ``po`` if it is as new, else ``po`` compiled in memory."""
    mo = po.with_suffix(".mo")
    if mo.is_file() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as handle:
            return _gettext.GNUTranslations(handle)
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle)
    buffer = BytesIO()
    write_mo(buffer, catalog)  # fuzzy entries are left out, as msgfmt does
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def available() -> list[str]:
    """The languages with a catalog, e.g. ``['de', 'es', 'fr', 'nl', 'pt']``."""
    return sorted(p.parent.parent.name for p in LOCALES_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def gettext(message: str) -> str:
    """``message`` in the UI language."""
    return translations(current_locale()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_locale()).ngettext(singular, plural, n)


_ = gettext

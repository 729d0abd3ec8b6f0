"""The report's own words (headings, labels, definitions; marked for the gettext catalogs) and its
numbers, percentages, dates and language names in the reader's locale, through babel.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import ROUND_FLOOR, Decimal

from babel import Locale
from babel.dates import format_date, format_datetime, format_skeleton
from babel.numbers import format_decimal, format_percent

from ..i18n import N_, parse_locale, translations
from ..languages import language_name
from ..status import Status

TITLE = N_("Translation coverage")

STATUS_LABELS = {
    Status.UNTRANSLATED.value: N_("untranslated"),
    Status.MACHINE.value: N_("machine"),
    Status.FUZZY.value: N_("fuzzy"),
    Status.TRANSLATED.value: N_("translated"),
    Status.APPROVED.value: N_("approved"),
    Status.REJECTED.value: N_("rejected"),
    Status.STALE.value: N_("stale"),
}

# (id, term, definition): shown at the end of every report; the ids are the JSON keys
DEFINITIONS = [
    ("coverage", N_("Coverage"),
     N_("approved words / source words, in percent. Percentages are rounded down, so 100 % means all of it.")),
    ("source-words", N_("Source words"),
     N_("the words of the article's active segments. A word is a run of letters and digits; an apostrophe "
        "or hyphen inside it (Putin's, Russia-China) and a point or comma between digits (1,000.5) do not "
        "split it; markup is not counted; Chinese and Japanese count one word per character.")),
    ("status-percent", N_("Share"),
     N_("a status's words / the language's source words: the parts of the bar.")),
    ("untranslated", N_("untranslated"), N_("no translation yet.")),
    ("machine", N_("machine"),
     N_("a machine translation, or an exact translation-memory match from an unreviewed unit; to be checked.")),
    ("fuzzy", N_("fuzzy"),
     N_("marked as a draft that needs checking, e.g. a fuzzy entry of an imported PO or XLIFF file.")),
    ("translated", N_("translated"), N_("written or edited by a person, not approved yet.")),
    ("approved", N_("approved"), N_("approved by a reviewer: ready to publish.")),
    ("rejected", N_("rejected"), N_("refused by a reviewer, with a reason; to be redone.")),
    ("stale", N_("stale"), N_("the source changed after it was translated; to be checked against the new source.")),
    ("qa-issues", N_("QA issues"),
     N_("findings of the QA checks (errors and warnings) on translations that are not approved.")),
    ("glossary-misses", N_("Glossary misses"),
     N_("QA issues where a translation lacks a glossary term it must contain (check glossary-missing).")),
    ("last-activity", N_("Last activity"), N_("the latest change in the language's history. Times are in UTC.")),
    ("trend", N_("Approvals and edits"),
     N_("per day in UTC, from the history: approvals (one by one or in bulk), and edits and reverts by people.")),
]

DASH = "–"


class Formatter:
    r"""Words, numbers, percentages, dates and language names for one locale (``de``, ``pt_BR``).

    >>> Formatter("de").percent(66.66)
    '66,6\xa0%'
    """

    def __init__(self, locale: str):
        self.code = parse_locale(locale)
        self.locale = Locale.parse(self.code)
        self._translations = translations(self.code)
        pattern = self.locale.percent_formats[None].pattern.split(";")[0]
        last = pattern.rfind("0")
        self._percent = pattern[:last + 1] + ".0" + pattern[last + 1:]  # one decimal, in the locale's layout

    @property
    def language_tag(self) -> str:
        """The locale as an HTML ``lang`` value: ``pt-BR``."""
        return self.code.replace("_", "-")

    def _(self, message: str) -> str:
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translations.ngettext(singular, plural, n)

    def status(self, status: str) -> str:
        return self._(STATUS_LABELS[status])

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.locale)

    def percent(self, value: float | None) -> str:
        """A percentage from the figures (2 decimals), shown with 1, rounded down like the figures."""
        if value is None:
            return DASH
        tenths = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_FLOOR)
        return format_percent(tenths / 100, format=self._percent, locale=self.locale)

    def moment(self, value: datetime | None) -> str:
        if value is None:
            return DASH
        return format_datetime(value, "short", tzinfo=timezone.utc, locale=self.locale)

    def day(self, value: date) -> str:
        return format_date(value, "medium", locale=self.locale)

    def short_day(self, value: date) -> str:
        return format_skeleton("MMMd", value, locale=self.locale)

    def language(self, code: str) -> str:
        """``de`` -> ``Deutsch`` (in a German report), ``allemand`` (in a French one); capitalized."""
        name = language_name(code, self.code)
        return name[:1].upper() + name[1:]

    def definitions(self) -> list[tuple[str, str, str]]:
        """(id, term, definition) in this locale."""
        return [(key, self._(term), self._(text)) for key, term, text in DEFINITIONS]

"""The glossary: names, titles and do-not-translate terms per language, and finding them in text.

``entries`` holds one concept as files carry it (``GlossaryEntry``), ``matching`` the compiled
glossary of one language pair (``Glossary``: find terms in a source, check a translation), and
``service`` the stored glossary (import, export, add, remove).
"""

from ..models import ConceptKind
from .entries import CASE_SENSITIVE, GlossaryEntry, check_entry, format_forms, parse_forms
from .matching import (ForbiddenUse, Glossary, TermMatch, adherence, find_terms, forbidden_used, term_occurrences,
                       term_present)
from .service import (GlossaryImportReport, add_concept, export_glossary, import_glossary, import_glossary_files,
                      list_concepts, load_entries, read_glossary, remove_concept, write_glossary)

__all__ = [
    "CASE_SENSITIVE", "ConceptKind", "ForbiddenUse", "Glossary", "GlossaryEntry", "GlossaryImportReport", "TermMatch",
    "add_concept", "adherence", "check_entry", "export_glossary", "find_terms", "forbidden_used",
    "format_forms", "import_glossary", "import_glossary_files", "list_concepts", "load_entries",
    "parse_forms", "read_glossary", "remove_concept", "term_occurrences", "term_present", "write_glossary",
]

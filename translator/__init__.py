"""translator: an offline translation workflow for newsrooms.

Articles are imported and segmented, kept in a translation memory, machine-translated
with Argos models, reviewed and exported per language.
"""

__version__ = "0.1.0"

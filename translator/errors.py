"""The one exception type for user-facing errors.

The CLI prints its message on one line and exits with code 2; anything else is a bug.
"""


class TranslatorError(Exception):
    """A problem with the user's input or environment, explained in one line."""

    exit_code = 2


class NotFound(TranslatorError):
    """What the user named (an article, a segment, a user) does not exist."""

"""The one exception type that means "the user asked for something we cannot do".

The CLI turns it into a one-line message and exit code 2; anything else that escapes is a bug
in autoconv, not in the user's input.
"""


class AutoconvError(Exception):
    """Bad input: an unknown name, a missing file, a syntax error, an unsupported object."""

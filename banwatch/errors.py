"""The one exception type the CLI shows as a single line (no traceback): bad input, missing files."""


class BanwatchError(Exception):
    """A problem the user can fix: say what it is and what to do, in one line."""

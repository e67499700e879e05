"""Limits on what one SQL query can build, on every connection Datasette opens (prepare_connection).

Datasette's `sql_time_limit_ms` interrupts a query between virtual-machine steps, so a single step
that builds a huge value is never stopped: `replace(printf('%.*c', 200000000, 'x'), ...)` ran for
24 s and took the server to 4.3 GB. Two things close that:

- SQLITE_LIMIT_LENGTH caps every string and blob a query can make at MAX_VALUE_BYTES: `replace`,
  `zeroblob`, `randomblob`, `group_concat` and friends fail at once with "string or blob too big".
  kb.db's own values are far smaller (evidence sentences, titles; a --full-text build's longest
  article text is well under it).
- SQLite's printf (and its alias format) keeps looping over a `%c` precision after it gave up on the
  result: `printf('%.*c', 2147483647, 'x')` spends 10-14 s in one step even under the length limit.
  Both are replaced by a function that refuses a width or precision above MAX_VALUE_BYTES (it answers
  with a value one byte over the length limit, so SQLite reports the same "string or blob too big" as
  for any other oversized value) and hands everything else to SQLite's own printf (on a private
  in-memory connection), so results are unchanged.
"""
import re
import sqlite3
import threading

MAX_VALUE_BYTES = 10_000_000
# %[flags][width][.precision][length]type, with * taking the value from the next argument.
PRINTF_DIRECTIVE = re.compile(r"%([-+ 0#!,]*)(\*|\d+)?(?:\.(\*|\d+))?(?:ll|l)?([a-zA-Z%])")

_local = threading.local()
# One byte over the limit: SQLite refuses it as a result ("string or blob too big") at once.
TOO_BIG = b"\0" * (MAX_VALUE_BYTES + 1)


def _sqlite_printf():
    """A connection whose printf is SQLite's own (with the same length limit), one per thread."""
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
        _local.conn = conn
    return conn


def checked_printf(fmt=None, *args):
    """SQLite's printf, refusing widths and precisions that would build more than MAX_VALUE_BYTES."""
    if fmt is None:
        return None
    text = fmt if isinstance(fmt, str) else str(fmt)
    position = 0
    for match in PRINTF_DIRECTIVE.finditer(text):
        _, width, precision, kind = match.groups()
        for part in (width, precision):
            if part == "*":
                value = args[position] if position < len(args) else 0
                position += 1
            else:
                value = part
            try:
                number = abs(int(value or 0))
            except (TypeError, ValueError):
                number = 0
            if number > MAX_VALUE_BYTES:
                return TOO_BIG
        if kind != "%":
            position += 1
    marks = ", ".join("?" * (len(args) + 1))
    return _sqlite_printf().execute(f"select printf({marks})", (fmt, *args)).fetchone()[0]


def limit_connection(conn):
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    for name in ("printf", "format"):
        conn.create_function(name, -1, checked_printf, deterministic=True)

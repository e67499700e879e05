"""Every document gets a time and size budget in extraction: one hostile page must not stall a run.

A page over budget is recorded with the reason (a documents row with `error`, or an extract_errors
row) and is not tried again for the same bytes and extractor version; the rest of the batch is saved.
"""
import contextlib
import signal
import threading

MAX_HTML_BYTES = 5_000_000  # real article pages are far smaller; trafilatura took 48 s on a 9 MB page
MAX_PDF_PAGES = 60  # notices and orders are a few pages; longer PDFs are read up to here
MAX_PDF_CHARS = 500_000  # text taken from a PDF, however its pages share their content streams
SECONDS_PER_DOCUMENT = 20.0  # wall clock for reading one page, and again for finding its events


class OverBudget(Exception):
    """A document that would cost more than its budget (size, pages, characters or time)."""


@contextlib.contextmanager
def time_budget(seconds, what="the document"):
    """Raise OverBudget in this thread once `seconds` have passed (a no-op outside the main thread,
    where signals cannot be delivered: there the size budgets still hold)."""
    if seconds is None or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise OverBudget(f"{what} took more than its budget of {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_html_size(body):
    size = len(body)
    if size > MAX_HTML_BYTES:
        raise OverBudget(f"page too large to extract: {size / 1e6:.1f} MB (budget {MAX_HTML_BYTES / 1e6:g} MB)")

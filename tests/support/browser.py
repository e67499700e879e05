"""The sample knowledge base the publishing tests share, helpers to read its pages in process, a
`banwatch serve` they can start, and Chromium.

The facts are real (NASA blocked DeepSeek on 2025-01-31, the Navy told sailors to stay off it on
2025-01-24, Italy's Garante halted ChatGPT on 2023-03-30 and let it back on 2023-04-28, ...); the
sentences are written here for the tests. One document is hostile: its title, evidence and
scope carry <script>, onerror= and onload= payloads, which every page must show as text.
"""
import asyncio
import contextlib
import copy
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.support.kb import (
    REFERENCE,
    add_document,
    build,
    crawl_db,
    event,
    write_reference,
)

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"  # tests/artifacts (git-ignored)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]

NASA_CNBC = "https://www.cnbc.com/2025/01/31/nasa-becomes-latest-federal-agency-to-block-chinas-deepseek.html"
# The real reports' addresses (metadata only: every sentence below is written for these tests).
NASA_LATER = "https://evrimagaci.org/tpg/nasa-bans-chinas-deepseek-ai-over-security-risks-173290"
NAVY = "https://nypost.com/2025/01/28/us-news/us-navy-bans-members-from-using-chinas-deepseek-ai-app-out-of-security-fears/"
TEXAS = "https://gov.texas.gov/news/post/governor-abbott-bans-chinese-government-ai-and-social-media-apps"
NEW_YORK = ("https://longisland.com/news/02-10-25/governor-hochul-issues-statewide-ban-on-deepseek-artificial-"
            "intelligence-for-government-devices-and-networks.html")
TAIWAN = "https://www.rfa.org/english/china/2025/02/03/china-taiwan-deep-seek-ban"
KOREA = "https://www.thevanguardusa.com/1707/tech/south-korea-halts-deepseek-ai-downloads-over-data-privacy-concerns/"
ITALY_HALT = "https://www.reuters.com/technology/italy-data-protection-agency-opens-chatgpt-probe-privacy-concerns-2023-03-31/"
ITALY_BACK = "https://www.breakinglatest.news/technology/chatgpt-is-available-again-in-italy/"
HOUSE_COPILOT = "https://www.axios.com/2024/03/29/congress-house-strict-ban-microsoft-copilot-staffers"
HOUSE_BILL = ("https://gottheimer.house.gov/posts/release-gottheimer-lahood-introduce-new-bipartisan-legislation-to-"
              "protect-americans-from-deepseek")
AUSTRALIA = "https://www.tweaktown.com/news/103019/australian-government-bans-deepseek-due-to-national-security-risks/index.html"
JAPAN = "https://www.asahi.com/ajw/articles/15617392"

# A low-confidence reading (needs review: kept, left out of the default timeline, feeds and exports).
DOUBTFUL = "https://www.example-rumours.test/2025/02/20/virginia-university-deepseek"
DOUBTFUL_EVENT = "us-va-government--deepseek--restrict--2025-02"
TEXAS_EVENT = "us-tx-government--deepseek--ban--2025-01"  # confirmed by a curator in the sample: verified

HOSTILE_TITLE = 'Navy memo <script>alert("title-xss")</script> bars DeepSeek'
HOSTILE_EVIDENCE = 'The Navy told its sailors <img src=x onerror=alert("evidence-xss")> to keep off DeepSeek entirely.'
HOSTILE_SCOPE = 'work devices <svg onload=alert("scope-xss")>'
NAVY_EVENT = "us-navy--deepseek--ban--2025-01"
NASA_EVENT = "nasa--deepseek--ban--2025-01"


def sample_reference(directory):
    """The kb tests' reference data (REFERENCE, tests/support/kb.py) plus New York (a state, and its government)."""
    from banwatch.reference import load_reference

    data = copy.deepcopy(REFERENCE)
    data["jurisdictions"].append({"id": "us-ny", "name": "New York", "type": "state", "parent": "us", "iso": "US-NY"})
    data["agencies"].append({"id": "us-ny-government", "name": "State of New York", "type": "state_government",
                             "jurisdiction": "us-ny", "aliases": ["Governor of New York"], "people": ["Kathy Hochul"]})
    return load_reference(write_reference(directory, data))


def build_sample_kb(base):
    """Build base/data/kb.db from thirteen reports of twelve real measures (Texas's confirmed by a curator),
    plus one low-confidence reading that needs review; returns the data directory."""
    base = Path(base)
    data = base / "data"
    reference = sample_reference(base / "reference")
    db = crawl_db(data)
    add_document(db, NASA_CNBC, [event(
        "NASA", scope="government devices and networks", reasons=["national_security", "data_privacy"],
        reason_evidence={"national_security": "security and privacy concerns", "data_privacy": "privacy"},
        evidence="NASA's chief AI officer told staff that DeepSeek may not be used on agency devices or networks.")],
        published="2025-01-31", title="NASA joins the agencies blocking DeepSeek")
    add_document(db, NASA_LATER, [event(
        "NASA", date="2025-02-03", date_text="on Monday", scope="government devices",
        evidence="On Monday NASA said it had cut off DeepSeek for its employees.")],
        published="2025-02-04", title="NASA follows up on its DeepSeek block")
    add_document(db, NAVY, [event(
        "U.S. Navy", date="2025-01-24", date_text="Jan. 24", scope=HOSTILE_SCOPE,
        reasons=["national_security", "data_sovereignty"], evidence=HOSTILE_EVIDENCE)],
        published="2025-01-28", title=HOSTILE_TITLE)
    add_document(db, TEXAS, [event(
        "Texas", date="2025-01-28", scope="state-issued devices", reasons=["national_security", "data_sovereignty"],
        evidence="Governor Abbott ordered state agencies to remove DeepSeek from the devices the state issues.")],
        published="2025-01-28", title="Texas bans DeepSeek on state devices")
    add_document(db, NEW_YORK, [event(
        "New York", agency_id="us-ny-government", jurisdiction_id="us-ny", date="2025-02-10",
        scope="state devices and networks",
        evidence="Governor Hochul ordered DeepSeek off the devices and networks New York's state government runs.")],
        published="2025-02-10", title="New York keeps DeepSeek off state devices")
    add_document(db, TAIWAN, [event(
        "MODA", date="2025-01-31", scope="government agencies", reasons=["cybersecurity"],
        evidence="Taiwan's digital ministry told government departments they must not use DeepSeek.")],
        published="2025-02-03", title="Taiwan keeps DeepSeek out of government departments")
    add_document(db, KOREA, [event(
        "PIPC", action="suspend", date="2025-02-15", scope="new downloads", reasons=["data_privacy"],
        evidence="South Korea's privacy regulator paused new downloads of DeepSeek while it reviews the app.")],
        published="2025-02-17", title="South Korea pauses new DeepSeek downloads")
    add_document(db, ITALY_HALT, [event(
        "Garante", tool="ChatGPT", action="suspend", date="2023-03-30", scope="Italian users",
        reasons=["data_privacy", "legal_compliance"],
        evidence="Italy's data protection authority ordered OpenAI to stop processing Italian users' data in ChatGPT.")],
        published="2023-03-31", title="Italy halts ChatGPT over privacy")
    add_document(db, ITALY_BACK, [event(
        "Garante", tool="ChatGPT", action="lift", date="2023-04-28", scope="Italian users",
        reasons=["data_privacy"], evidence="ChatGPT is available in Italy again after OpenAI met the regulator's demands.")],
        published="2023-04-28", title="ChatGPT returns to Italy")
    add_document(db, HOUSE_COPILOT, [event(
        "House", tool="Copilot", action="restrict", date="2024-03", date_text="in March", scope="staff devices",
        reasons=["confidentiality", "unvetted"],
        evidence="House staff may not use Microsoft Copilot on their work devices, the chamber's officials said.")],
        published="2024-03-29", title="House staff barred from Copilot")
    add_document(db, HOUSE_BILL, [event(
        "House", stage="proposed", date="2025-02-06", scope="government devices",
        evidence="Two representatives introduced a bill that would ban DeepSeek on federal government devices.")],
        published="2025-02-06", title="A bill to ban DeepSeek on government devices")
    add_document(db, AUSTRALIA, [event(
        "Department of Home Affairs", country="Australia", date="2025-02-04", scope="government devices",
        evidence="Australia's home affairs department ordered DeepSeek removed from all government devices.")],
        published="2025-02-04", title="Australia removes DeepSeek from government devices")
    # No date in the text and none on the page: the one undated measure.
    add_document(db, JAPAN, [event(
        "Government of Japan", agency_id="jp-government", jurisdiction_id="jp", action="warn", date=None,
        date_text=None, date_source=None, scope="ministries and agencies", reasons=["data_privacy"],
        evidence="Japan's government asked its ministries to be careful with DeepSeek until its data handling is clear.")],
        published=None, title="Japan urges caution over DeepSeek")
    add_document(db, DOUBTFUL, [event(
        "Virginia", action="restrict", date="2025-02-20", scope="some staff", confidence=0.4,
        evidence="A post says Virginia may have limited DeepSeek somewhere, without naming a source.")],
        published="2025-02-21", title="Rumour: Virginia limits DeepSeek")
    curation = base / "curation"
    curation.mkdir(parents=True, exist_ok=True)
    (curation / "events.yml").write_text(f"- confirm: {TEXAS_EVENT}\n  note: Checked against the governor's order.\n")
    (curation / "entities.yml").write_text("")
    build(data, reference, curation_dir=curation)
    return data


def get(datasette, path):
    """GET path from a Datasette in this process (no server, no port); returns the httpx response."""
    return asyncio.run(datasette.client.get(path))


def cards(html):
    """The event IDs of a page's measure cards (timeline, entity and search pages), in page order."""
    return re.findall(r'<p class="banwatch-measure-title"><a href="/-/event/([^"]+)">', html)


def chromium_path():
    """Debian's chromium, or a failure that says how to get it (the browser tests do not skip)."""
    path = shutil.which("chromium")
    if not path:
        pytest.fail("Debian's chromium is not installed: run `make system-deps` "
                    "(apt-get install chromium) to run the browser tests")
    return path


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)


@contextlib.contextmanager
def running_server(data_dir, timeout=60):
    """`banwatch serve --port 0` in a subprocess; yields its base URL, stops it with SIGINT (Ctrl-C)."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "banwatch.cli", "serve", "--data-dir", str(data_dir), "--port", "0"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
    try:
        try:
            first = lines.get(timeout=timeout)
        except queue.Empty:
            process.kill()
            raise AssertionError(f"banwatch serve printed nothing in {timeout}s: {process.stderr.read()}") from None
        url = next((word for word in first.split() if word.startswith("http://127.0.0.1:")), None)
        assert url, f"no URL in the first line of banwatch serve: {first!r} {process.stderr.read() if process.poll() is not None else ''}"
        yield url.rstrip("/")
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        process.stderr.close()
        process.stdout.close()


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


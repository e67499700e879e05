"""``banwatch crawl``: run the spiders over the chosen sources into DATA_DIR/crawl.db.

One crawl per process: Scrapy runs on a Twisted reactor, which cannot be restarted once stopped, so
``run_crawl`` may be called once per Python process (the CLI, ``banwatch run`` and ``banwatch demo``
each call it once; tests and benches run it in a subprocess).

The spiders run one after another, one per source kind (feeds, news searches, GDELT, the Federal
Register, sitemaps, URL lists), so the per-site politeness limits of one crawler are never
multiplied by several crawlers hitting the same site at once.

With ``redis_url`` the process is one worker of a distributed crawl (``run_worker``; see
crawlers/distributed.py): no lock, no JOBDIR and no crawl.db, the frontier lives in Redis.

Interrupting: SIGINT/SIGTERM stop the crawl gracefully (press twice to force). The run is recorded
as ``interrupted`` and the pending requests stay in DATA_DIR/jobs/ (Scrapy's JOBDIR), so the same
command resumes. After a kill -9 that frontier cannot be trusted (Scrapy writes its queue state on
close) and is discarded; the resumed crawl then re-reads the stored listings (feeds, sitemaps, API
pages) from crawl.db and fetches only what is not stored yet, so nothing is lost or stored twice.
"""
from __future__ import annotations

import contextlib
import datetime
import fcntl
import hashlib
import logging
import os
import shutil
import signal
import socket
import time
from collections import Counter
from pathlib import Path

from banwatch.db import open_crawl_db
from banwatch.errors import BanwatchError
from banwatch.utils import utcnow
from crawlers import store
from crawlers.settings import crawl_settings
from crawlers.sources import (
    DEFAULT_SOURCES_FILE,
    adhoc_sources,
    allowing_own_hosts,
    load_sources,
    select_sources,
)

logger = logging.getLogger("banwatch.crawl")

CLEAN_STOP_MARKER = ".banwatch-clean-stop"
# Scrapy's start-up chatter (versions, enabled middlewares, overridden settings) is not for users.
QUIET_LOGGERS = ("scrapy.utils.log", "scrapy.middleware", "scrapy.crawler", "scrapy.addons",
                 "scrapy.extensions.telnet", "scrapy.core.downloader.tls")


class CrawlInterrupted(BanwatchError):
    """The crawl was stopped by a signal; what was fetched is stored and the same command resumes."""


def run_crawl(
    data_dir,
    sources=(),
    sources_file=None,
    feeds=(),
    urls=(),
    only=False,
    replay=None,
    archive=None,
    redis_url=None,
    max_pages=None,
    polite=True,
    since=None,
    allow_private=False,
) -> dict:
    """Crawl into DATA_DIR/crawl.db and return the run's stats.

    Which sources: ``sources`` (names) from ``sources_file`` (default crawlers/sources.yml), plus
    ad-hoc ``feeds`` and ``urls``. Given only ``--feed``/``--url`` (no ``--source``/``--sources``),
    the ad-hoc sources are crawled *instead of* the configured ones; ``only=True`` forces that.

    ``replay``: serve the crawl from this WARC instead of the network. ``archive``: also append every
    exchange to this .warc.gz. ``max_pages``: stop after about this many responses (resumable).
    ``polite=False`` drops robots.txt, AutoThrottle and per-site limits (local servers only).
    ``since`` (a date): backfill from then, instead of each source's own ``since`` (GDELT: time windows
    back to this date, 2017 at the earliest; Federal Register: documents published since; sitemaps:
    entries modified since). ``allow_private``: every chosen source may reach the loopback and private
    hosts of its own URLs (as ``allow_private: true`` in a sources file does for one; crawlers/safety.py).
    """
    if max_pages is not None and max_pages < 1:
        raise BanwatchError("--max-pages must be at least 1")
    if replay is not None and not Path(replay).is_file():
        raise BanwatchError(f"replay archive not found: {replay}")
    if since is not None and since > datetime.date.today():
        raise BanwatchError(f"--since {since.isoformat()} is in the future")
    chosen = choose_sources(sources, sources_file, feeds, urls, only)
    if allow_private:
        chosen = allowing_own_hosts(chosen)
    data_dir = Path(data_dir)
    args = {
        "sources": [s.name for s in chosen], "sources_file": str(sources_file) if sources_file else None,
        "feeds": list(feeds), "urls": list(urls), "only": only, "replay": str(replay) if replay else None,
        "archive": str(archive) if archive else None, "max_pages": max_pages, "polite": polite,
        "since": since.isoformat() if since else None, "allow_private": allow_private,
    }
    if redis_url:
        return run_worker(data_dir, redis_url, chosen, args, replay=replay, archive=archive,
                          max_pages=max_pages, polite=polite, since=since)
    with crawl_lock(data_dir):
        db = open_crawl_db(data_dir)
        dead = store.mark_dead_runs_interrupted(db)
        if dead:
            logger.info("marked %d earlier run(s) that died without closing as interrupted", dead)
        run_id = store.start_run(db, args)
        replay_server = None
        try:
            settings = crawl_settings(data_dir, polite=polite, archive=archive, sources=chosen)
            if replay:
                from crawlers.archive import ReplayServer

                replay_server = ReplayServer(replay).start()
                settings = crawl_settings(data_dir, polite=polite, archive=archive, replay_server=replay_server.url,
                                          sources=chosen)
                logger.info("replaying %s (%d responses) from %s", replay, len(replay_server.index), replay_server.url)
            started = time.monotonic()
            outcome = _run_spiders(data_dir, settings, group_by_kind(chosen), max_pages, since=since)
            stats = summarize(run_id, chosen, outcome, time.monotonic() - started)
        except BaseException:
            store.finish_run(db, run_id, "interrupted", {"error": "the crawl raised; see the log"})
            raise
        finally:
            if replay_server:
                replay_server.stop()
        store.finish_run(db, run_id, stats["status"], {**stats, "spiders": outcome["spiders"]})
        db.close()
    if outcome["signal"]:
        raise CrawlInterrupted(
            f"crawl interrupted after {stats['responses']} responses (run {run_id}); "
            "run the same command again to resume"
        )
    return stats


def run_worker(data_dir, redis_url, chosen, args, replay=None, archive=None, max_pages=None, polite=True,
               since=None) -> dict:
    """One worker of a distributed crawl (crawlers/distributed.py): the frontier is shared in Redis and
    what it fetches goes to `banwatch ingest`; it writes no SQLite, so any number run side by side."""
    import uuid

    from crawlers import distributed

    server = distributed.connect(redis_url)
    base = crawl_settings(data_dir, polite=polite, archive=archive, redis_url=redis_url, sources=chosen)
    worker = base["BANWATCH_WORKER"]
    run_key = f"{worker}:{uuid.uuid4().hex[:8]}"
    run = {"started_at": utcnow(), "args": {**args, "redis": redis_url, "worker": worker}}
    info = {"host": socket.gethostname(), "pid": os.getpid(), "started_at": run["started_at"]}
    replay_server = None
    with distributed.WorkerPresence(server, worker, base["BANWATCH_REDIS_LEASE_TTL"], info):
        distributed.send_run_record(server, worker, run_key, status="running", **run)
        try:
            extra = {"BANWATCH_REDIS_STARTED_AT": distributed.redis_now(server)}
            if replay:
                from crawlers.archive import ReplayServer

                replay_server = ReplayServer(replay).start()
                extra["BANWATCH_REPLAY_SERVER"] = replay_server.url
            settings = crawl_settings(data_dir, polite=polite, archive=archive, redis_url=redis_url,
                                      replay_server=replay_server.url if replay_server else None, sources=chosen,
                                      **extra)
            started = time.monotonic()
            outcome = _run_spiders(data_dir, settings, group_by_kind(chosen), max_pages, distributed=True, since=since)
            stats = summarize(run_key, chosen, outcome, time.monotonic() - started, distributed=True)
        except BaseException:
            distributed.send_run_record(server, worker, run_key, status="interrupted", finished_at=utcnow(),
                                        stats={"error": "the crawl raised; see the worker's log"}, **run)
            raise
        finally:
            if replay_server:
                replay_server.stop()
        distributed.send_run_record(server, worker, run_key, status=stats["status"], finished_at=utcnow(),
                                    stats={**stats, "spiders": outcome["spiders"]}, **run)
    if outcome["signal"]:
        raise CrawlInterrupted(
            f"crawl worker interrupted after {stats['responses']} responses; its requests are back in the "
            "shared queue: run the same command again to resume"
        )
    return stats


def choose_sources(names=(), sources_file=None, feeds=(), urls=(), only=False):
    """The sources a command works on: named ones from the sources file, plus ``--feed``/``--url``."""
    if only and not (feeds or urls):
        raise BanwatchError("--only needs at least one --feed or --url")
    configured, defaults = [], None
    wants_configured = not only and (names or sources_file or not (feeds or urls))
    if wants_configured or sources_file:
        path = sources_file or DEFAULT_SOURCES_FILE
        defaults, loaded = load_sources(path)
        if wants_configured:
            configured = select_sources(loaded, names, path)
    elif names:
        raise BanwatchError("--source selects from the sources file; it cannot be combined with --only")
    chosen = configured + adhoc_sources(feeds, urls, defaults)
    if not chosen:
        raise BanwatchError("no sources to crawl: the sources file lists none; add one or pass --feed/--url")
    return chosen


def group_by_kind(sources):
    """[(spider class, [sources of its kind])] in crawl order."""
    from crawlers.spiders import SPIDERS

    return [
        (spider, [s for s in sources if s.kind == spider.kind])
        for spider in SPIDERS
        if any(s.kind == spider.kind for s in sources)
    ]


@contextlib.contextmanager
def crawl_lock(data_dir: Path):
    """One crawl per data directory at a time (they would share the JOBDIR frontier)."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fh = open(data_dir / "crawl.lock", "a+")
    except OSError as e:
        raise BanwatchError(f"cannot write to the data directory {data_dir}: {e.strerror}") from None
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another process"
            raise BanwatchError(f"another crawl is running on {data_dir} ({holder}); wait for it or stop it") from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}")
        fh.flush()
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def jobdir_for(data_dir: Path, kind: str, sources, since=None) -> Path:
    """Scrapy's JOBDIR for this kind and selection of sources: rerunning the same command resumes it."""
    key = "\n".join(sorted(f"{s.name}|{s.url}|{s.query}|{','.join(s.urls)}" for s in sources))
    if since:
        key += f"\nsince {since.isoformat()}"
    return data_dir / "jobs" / f"{kind}-{hashlib.sha1(key.encode()).hexdigest()[:10]}"


def prepare_jobdir(jobdir: Path) -> None:
    if jobdir.exists():
        if (jobdir / CLEAN_STOP_MARKER).exists():
            logger.info("resuming the queued requests of an interrupted crawl (%s)", jobdir.name)
            (jobdir / CLEAN_STOP_MARKER).unlink()
        else:
            # Killed without closing: Scrapy had not written its queue state, so start the frontier
            # afresh; crawl.db tells the new crawl what is already stored.
            logger.info("discarding the frontier of a crawl that did not stop cleanly (%s)", jobdir.name)
            shutil.rmtree(jobdir)
    jobdir.mkdir(parents=True, exist_ok=True)


def close_jobdir(jobdir: Path, reason: str) -> None:
    if reason == "finished":
        shutil.rmtree(jobdir, ignore_errors=True)
    elif jobdir.exists():
        (jobdir / CLEAN_STOP_MARKER).write_text(reason)


def _run_spiders(data_dir: Path, settings: dict, plan, max_pages, distributed=False, since=None) -> dict:
    """Run the plan's spiders one after another on one reactor; returns per-spider outcomes.

    ``distributed``: the frontier is in Redis (keys named like the JOBDIR), not in DATA_DIR/jobs/."""
    import asyncio

    from scrapy import signals
    from scrapy.crawler import AsyncCrawlerProcess, Crawler
    from scrapy.settings import Settings

    for name in QUIET_LOGGERS:
        # A filter, not a level: Scrapy's logging set-up resets the levels of its own loggers.
        logging.getLogger(name).addFilter(_warnings_only)
    saved_handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    process = AsyncCrawlerProcess(settings)
    outcome = {"spiders": [], "signal": False, "error": None, "stopped": None}

    async def drive():
        try:
            remaining = max_pages
            for spidercls, sources in plan:
                if max_pages and remaining <= 0:
                    outcome["stopped"] = "max_pages"
                if outcome["stopped"]:
                    break
                jobdir = jobdir_for(data_dir, spidercls.kind, sources, since)
                crawler_settings = Settings(settings)
                per_crawler = {"BANWATCH_MAX_PAGES": remaining or 0, **spidercls.crawler_settings(sources, settings)}
                if distributed:
                    from crawlers.distributed import crawl_keys, worker_spider

                    keys = crawl_keys(jobdir.name)  # same kind and sources: same shared crawl
                    per_crawler.update(BANWATCH_REDIS_CRAWL=jobdir.name, SCHEDULER_QUEUE_KEY=keys["requests"],
                                       SCHEDULER_DUPEFILTER_KEY=keys["dupefilter"])
                else:
                    prepare_jobdir(jobdir)
                    per_crawler["JOBDIR"] = str(jobdir)
                # Above the process's own settings, which Scrapy merges into every crawler it runs.
                crawler_settings.setdict(per_crawler, priority="cmdline")
                crawler = Crawler(worker_spider(spidercls) if distributed else spidercls, crawler_settings)
                closed = {}
                crawler.signals.connect(
                    lambda spider, reason, closed=closed: closed.update(reason=reason),
                    signal=signals.spider_closed, weak=False,
                )
                logger.info("%s: crawling %d source(s): %s", spidercls.kind, len(sources),
                            ", ".join(s.name for s in sources[:8]) + (" ..." if len(sources) > 8 else ""))
                await process.crawl(crawler, sources=sources, since=since)
                reason = closed.get("reason", "shutdown")
                if not distributed:
                    close_jobdir(jobdir, reason)
                stats = {k: (v if isinstance(v, (int, float, str)) else str(v))
                         for k, v in crawler.stats.get_stats().items()}
                outcome["spiders"].append({"kind": spidercls.kind, "reason": reason, "stats": stats})
                if remaining:
                    remaining -= stats.get("banwatch/responses", 0)
                if reason != "finished":
                    outcome["stopped"] = reason
                    outcome["signal"] = reason == "shutdown"
        except Exception as e:  # noqa: BLE001 - re-raised below, once the reactor has stopped
            outcome["error"] = e
        finally:
            from twisted.internet import reactor

            reactor.callLater(0, _stop_reactor, reactor)

    asyncio.get_event_loop().create_task(drive())
    try:
        process.start(stop_after_crawl=False)
    finally:
        for signum, handler in saved_handlers.items():
            signal.signal(signum, handler)
    if outcome["error"] is not None:
        raise outcome["error"]
    if len(outcome["spiders"]) < len(plan) and not outcome["stopped"]:
        # The reactor stopped under us (a signal between two spiders).
        outcome["stopped"], outcome["signal"] = "shutdown", True
    return outcome


def _stop_reactor(reactor) -> None:
    from twisted.internet.error import ReactorNotRunning

    # A signal may have stopped it already (Scrapy stops it after a graceful shutdown).
    with contextlib.suppress(ReactorNotRunning, RuntimeError):
        reactor.stop()


def _warnings_only(record) -> bool:
    return record.levelno >= logging.WARNING


def summarize(run_id, sources, outcome, seconds, distributed=False) -> dict:
    totals = Counter()
    reasons = Counter()
    for spider in outcome["spiders"]:
        for key, value in spider["stats"].items():
            if key.startswith("banwatch/") and isinstance(value, int):
                totals[key[len("banwatch/"):]] += value
                if key.startswith("banwatch/failures/"):
                    reasons[key[len("banwatch/failures/"):]] += value
    stats = {
        "run_id": run_id,
        "status": "interrupted" if outcome["stopped"] else "finished",
        "sources": len(sources),
        "responses": totals["responses"],
        "pages_new": totals["pages/new"],
        "pages_changed": totals["pages/changed"],
        "pages_unchanged": totals["pages/unchanged"],
        "not_modified": totals["pages/not_modified"],
        "fresh_skipped": totals["fresh"],
        "irrelevant_skipped": totals["irrelevant"],
        "failures": totals["failures"],
        "seconds": round(seconds, 2),
        "failure_reasons": dict(sorted(reasons.items())),
    }
    if distributed:
        # A worker does not know what is new: `banwatch ingest` decides that when it stores the pages.
        for key in ("pages_new", "pages_changed", "pages_unchanged", "not_modified", "fresh_skipped"):
            del stats[key]
        stats["sent_to_ingest"] = totals["pages/queued"]
    if outcome["stopped"]:
        stats["stop_reason"] = outcome["stopped"]
    return stats

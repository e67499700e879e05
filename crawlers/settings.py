"""Scrapy settings for banwatch, as composable layers.

``BASE`` is always on: the banwatch components, storage, retries, size cap, timeouts, and what may
be requested at all (http(s) only; no loopback or private address unless a source allows it: see
crawlers/safety.py).
``POLITE`` is for the live web: robots.txt, AutoThrottle, one or two requests per site at a time.
``IMPOLITE`` is for local servers in tests and benches (``--no-polite``): no robots, no delays.
``REDIS`` is the distributed worker's layer on top (``--redis``): scrapy-redis's scheduler and seen-set
in Redis, and records sent to ``banwatch ingest`` instead of crawl.db; politeness, robots.txt, size
caps and relevance stay exactly as in BASE and POLITE.
``crawl_settings(...)`` stacks them with the per-run values.
"""
from __future__ import annotations

import os
import socket

USER_AGENT = "banwatch/0.1 (+https://github.com/banwatch/banwatch; research crawler of AI-tool bans)"

BASE = {
    "BOT_NAME": "banwatch",
    "USER_AGENT": USER_AGENT,
    "TELNETCONSOLE_ENABLED": False,
    "REMOTE_CONTROL_ENABLED": False,  # Scrapy's remote-control HTTP port: never open one
    "LOG_VERSIONS": [],
    "COOKIES_ENABLED": False,
    "LOG_LEVEL": "INFO",
    "LOG_FORMAT": "%(asctime)s %(levelname)s %(name)s: %(message)s",
    "LOG_DATEFORMAT": "%H:%M:%S",
    "LOGSTATS_INTERVAL": 0,  # banwatch's ProgressLog says more (new/changed/failed/skipped)
    "STATS_DUMP": False,  # the stats go to crawl_runs.stats instead of a log dump
    "URLLENGTH_LIMIT": 16384,  # Scrapy's 2083 would silently drop long feed/search links
    # Size and time limits: a page bigger than this is refused and recorded as too_big.
    "DOWNLOAD_MAXSIZE": 10 * 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 2 * 1024 * 1024,
    "DOWNLOAD_TIMEOUT": 30,
    "DNS_TIMEOUT": 20,
    # A transfer cut short keeps its partial body (flagged), so the store can record it with reason dataloss.
    "DOWNLOAD_FAIL_ON_DATALOSS": False,
    "RETRY_ENABLED": True,
    "RETRY_TIMES": 3,
    "RETRY_HTTP_CODES": [429, 500, 502, 503, 504, 408, 522, 524],
    "REDIRECT_MAX_TIMES": 10,
    # Only the web: Scrapy's handlers for local files, FTP, data: URIs and S3 are switched off, so no
    # listing can make the crawler read them (crawlers/safety.py).
    "DOWNLOAD_HANDLERS": {"file": None, "ftp": None, "data": None, "s3": None},
    "TWISTED_DNS_RESOLVER": "crawlers.safety.PrivateAddressResolver",
    "DOWNLOADER_MIDDLEWARES": {
        # Order: lower numbers see requests first and responses last (decoded, after redirects).
        "crawlers.safety.UrlGuardMiddleware": 40,
        "crawlers.middlewares.IncrementalMiddleware": 50,
        "crawlers.middlewares.RobotsRecorderMiddleware": 60,
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "crawlers.middlewares.BackoffRetryMiddleware": 550,
        "crawlers.archive.ArchiveMiddleware": 950,
        "crawlers.middlewares.WireHeadersMiddleware": 960,
    },
    "ITEM_PIPELINES": {"crawlers.pipelines.StorePipeline": 300},
    "SCHEDULER_DISK_QUEUE": "crawlers.queues.RequestDiskQueue",  # the JOBDIR frontier
    "EXTENSIONS": {"crawlers.extensions.ProgressLog": 500},
    # banwatch's own settings
    "BANWATCH_SINK": "crawlers.pipelines.SQLiteSink",  # REDIS swaps in crawlers.distributed.RedisSink
    "BANWATCH_DATA_DIR": "data",
    "BANWATCH_WORKER": f"{socket.gethostname()}:{os.getpid()}",
    "BANWATCH_DEFAULT_REFRESH": 12 * 3600,  # seconds, for requests no source configured (robots.txt)
    "BANWATCH_MAX_PAGES": 0,  # 0 = no limit
    "BANWATCH_ARCHIVE": None,  # path of a .warc.gz to append every exchange to
    "BANWATCH_REPLAY_SERVER": None,  # http://127.0.0.1:PORT serving a WARC (see crawlers.archive)
    "BANWATCH_PROGRESS_EVERY": 100,  # log a progress line every N stored responses...
    "BANWATCH_PROGRESS_INTERVAL": 30.0,  # ...and at least every N seconds
    "BANWATCH_RETRY_BACKOFF_BASE": 2.0,  # seconds; doubled on each retry unless Retry-After says otherwise
    "BANWATCH_RETRY_BACKOFF_MAX": 60.0,
    "BANWATCH_RETRY_AFTER_MAX": 120.0,  # a longer Retry-After gives up (recorded) instead of stalling the crawl
    # Loopback, private and link-local addresses are refused, except the host[:port]s listed here per
    # source (allow_private in the user's sources file, or the sources' own hosts with --allow-private);
    # only those host names may resolve to such addresses (crawlers/safety.py).
    "BANWATCH_REFUSE_PRIVATE": True,
    "BANWATCH_PRIVATE_ORIGINS": {},
    # GDELT asks for one request every 5 seconds: its API requests go through their own download slot.
    "BANWATCH_GDELT_INTERVAL": 5.0,
    "BANWATCH_LISTING_RETRIES": 3,  # a listing answered with a rate-limit notice is asked again this often
}

POLITE = {
    "ROBOTSTXT_OBEY": True,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 2.0,
    "AUTOTHROTTLE_MAX_DELAY": 60.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
    "DOWNLOAD_DELAY": 1.0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
}

IMPOLITE = {
    "ROBOTSTXT_OBEY": False,
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 32,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 32,
    "BANWATCH_RETRY_BACKOFF_BASE": 0.2,
    "BANWATCH_PROGRESS_INTERVAL": 10.0,
}

# Replaying an archive talks to our own local server: keep robots semantics, drop the delays.
REPLAY = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "BANWATCH_RETRY_BACKOFF_BASE": 0.2,
    "DOWNLOAD_HANDLERS": {
        **BASE["DOWNLOAD_HANDLERS"],
        "http": "crawlers.archive.ReplayDownloadHandler",
        "https": "crawlers.archive.ReplayDownloadHandler",
    },
}

# A distributed worker (crawlers/distributed.py). The per-crawl keys (SCHEDULER_QUEUE_KEY,
# SCHEDULER_DUPEFILTER_KEY, BANWATCH_REDIS_CRAWL) are set per spider by the runner.
REDIS = {
    "SCHEDULER": "crawlers.distributed.LeasingScheduler",
    "SCHEDULER_QUEUE_CLASS": "crawlers.distributed.RequestQueue",
    "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
    "SCHEDULER_PERSIST": True,  # the queue and seen-set belong to the whole crawl, not to one worker
    "ITEM_PIPELINES": {"crawlers.distributed.RedisStorePipeline": 300},
    "BANWATCH_SINK": "crawlers.distributed.RedisSink",
    "BANWATCH_REDIS_IDLE_EXIT": 3.0,  # seconds the crawl must stay complete before a worker closes
    "BANWATCH_REDIS_LEASE_TTL": 10.0,  # a worker silent this long is dead: its leases go back to the queue
}


def crawl_settings(data_dir, *, polite=True, replay_server=None, archive=None, redis_url=None, sources=(),
                   **extra) -> dict:
    """The settings of one banwatch crawl: BASE, then POLITE or IMPOLITE, then REPLAY, then REDIS, then extra.

    ``sources``: the crawl's sources; those with ``allow_private`` may reach the loopback and private
    hosts it lists (crawlers/safety.py)."""
    settings = {**BASE, **(POLITE if polite else IMPOLITE)}
    settings["BANWATCH_DATA_DIR"] = str(data_dir)
    settings["BANWATCH_PRIVATE_ORIGINS"] = {s.name: list(s.allow_private) for s in sources if s.allow_private}
    if replay_server:
        settings.update(REPLAY)
        settings["BANWATCH_REPLAY_SERVER"] = replay_server
    if archive:
        settings["BANWATCH_ARCHIVE"] = str(archive)
    if redis_url:
        settings.update(REDIS)
        settings["REDIS_URL"] = settings["BANWATCH_REDIS_URL"] = redis_url
    settings.update(extra)
    return settings

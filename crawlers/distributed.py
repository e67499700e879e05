"""The distributed crawl: many `banwatch crawl --redis URL` workers, one Redis, one `banwatch ingest`.

Workers share scrapy-redis's request queue and RFPDupeFilter in Redis and never write SQLite: each
response or failure record goes onto a Redis list that `banwatch ingest` (SQLite's single writer)
stores into crawl.db with the same ``crawlers.store`` functions as a local crawl. The spiders,
settings and middlewares (politeness, robots.txt, size caps, relevance) are the local crawl's.

Nothing is lost or stored twice when a process dies:

- *Leases.* A worker pops a request and records it under its own lease in one Lua script; the lease
  is released only after the response's new requests are queued, in the same MULTI as the push of
  its records (or, for a retry or redirect, with the push of the follow-up request). Each worker
  refreshes a heartbeat key; a survivor moves the leases of a worker whose heartbeat expired (kill
  -9, lost machine) back to the queue. A graceful stop (SIGTERM) hands its leases back at once.
- *Exactly-once records.* A record's id is fixed when its request is first queued (``rid`` in
  the request's meta, kept through retries, redirects and re-queues), so a request fetched again
  after its worker died yields the same ids; the ingester stores each id once (``ingest_log``).
- *Reliable ingest.* The ingester moves records to a processing list (BLMOVE), stores a batch in
  one SQLite transaction with their ids, and only then removes them; a killed ingester's batch is
  delivered again on restart and skipped where already stored.
- *Atomic enqueue and seeding.* Seen-set insert and queue push are one script (scrapy-redis does
  them as two calls, and a kill between them would lose the request). scrapy-redis still seeds the
  pre-2.13 way (``start_requests`` reading a Redis list of URLs); our spiders keep Scrapy 2.19's
  ``async start()`` and one worker seeds each crawl's sources in a single script guarded by a
  ``seeded`` key, so seeding happens once and never half-way.
- *Completion.* A crawl of one kind is done when its queue is empty and no worker holds a lease (no
  in-flight response can add work); workers then close after ``BANWATCH_REDIS_IDLE_EXIT`` seconds
  and the seen-set is cleared so the next run crawls afresh. A worker that opens a kind whose crawl
  completed while it was running skips it rather than crawling it alone a second time.

Keys: ``banwatch:<kind>-<sources hash>:{requests,dupefilter,seeded,completed_at,workers,leases:<worker>}``,
``banwatch:worker:<worker>`` (heartbeats), ``banwatch:ingest`` and ``banwatch:ingest:processing``
(records), ``banwatch:ingester`` (the one ingester).
"""
from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
import logging
import os
import signal
import socket
import sys
import threading
import time
import uuid
import zlib
from urllib.parse import urlsplit

import redis
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Request
from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

from banwatch.db import open_crawl_db
from banwatch.errors import BanwatchError
from banwatch.utils import parse_timestamp
from crawlers import store
from crawlers.items import FetchedPage, FetchFailure
from crawlers.pipelines import StorePipeline
from crawlers.queues import method_name

logger = logging.getLogger("banwatch.crawl")

PREFIX = "banwatch"
INGEST_KEY = f"{PREFIX}:ingest"
PROCESSING_KEY = f"{PREFIX}:ingest:processing"
INGESTER_KEY = f"{PREFIX}:ingester"
RID = "banwatch_rid"  # request meta: the id its records carry (kept through retries and re-queues)
LEASE = "banwatch_lease"  # request meta: this worker's lease on it (never serialised)


def heartbeat_key(worker: str) -> str:
    return f"{PREFIX}:worker:{worker}"


def crawl_keys(crawl: str) -> dict:
    base = f"{PREFIX}:{crawl}"
    return {name: f"{base}:{name}" for name in
            ("requests", "dupefilter", "seeded", "completed_at", "workers")} | {"leases": f"{base}:leases:"}


def connect(redis_url: str) -> redis.Redis:
    """A client for REDIS_URL that has answered a PING, or a one-line BanwatchError."""
    if urlsplit(redis_url or "").scheme not in ("redis", "rediss", "unix"):
        raise BanwatchError(f"--redis wants a URL like redis://HOST:PORT/DB, got {redis_url!r}")
    try:
        server = redis.Redis.from_url(redis_url, socket_connect_timeout=10, socket_timeout=60,
                                      health_check_interval=30)
        server.ping()
    except (redis.RedisError, ValueError) as e:
        raise BanwatchError(f"cannot reach Redis at {redis_url}: {e}") from None
    return server


def redis_now(server) -> float:
    """Redis's clock: workers on several machines agree on it."""
    seconds, micros = server.time()
    return seconds + micros / 1e6


# -- records: what workers send the ingester ------------------------------------------------------


def encode_record(item, record_id: str, worker: str) -> bytes:
    """A FetchedPage or FetchFailure as JSON (the body zlib'd and base64'd), or a run record (dict)."""
    if isinstance(item, FetchedPage):
        fields = dataclasses.asdict(item)
        body = fields.pop("body")
        fields["body_z"] = base64.b64encode(zlib.compress(body, 6)).decode("ascii") if body is not None else None
        record = {"type": "response", **fields}
    elif isinstance(item, FetchFailure):
        record = {"type": "failure", **dataclasses.asdict(item)}
    elif isinstance(item, dict) and item.get("type") in ("run", "worker_lost"):
        record = dict(item)
    else:
        raise TypeError(f"cannot send {type(item).__name__} to the ingester")
    record.update(id=record_id, worker=worker)
    return json.dumps(record, ensure_ascii=False).encode("utf-8")


def decode_record(raw: bytes) -> dict:
    record = json.loads(raw)
    if record.get("type") == "response":
        body_z = record.pop("body_z", None)
        record["body"] = zlib.decompress(base64.b64decode(body_z)) if body_z is not None else None
        if record.get("failure"):
            record["failure"] = tuple(record["failure"])
    return record


def store_record(db, record: dict) -> str:
    """Store one record in crawl.db, once: returns the store's outcome, or "duplicate"."""
    with db.atomic():
        if not store.claim_record(db, record["id"], record.get("worker")):
            return "duplicate"
        kind = record["type"]
        if kind == "response":
            return store.save_response(
                db, url=record["url"], status=record["status"], headers=record["headers"], body=record["body"],
                final_url=record["final_url"], canonical_url=record["canonical_url"], source=record["source"],
                kind=record["kind"], meta=record["meta"], fetched_at=record["fetched_at"],
                worker=record["worker"], partial=record["partial"], failure=record["failure"],
                store_page=record.get("store_page", True),
            )
        if kind == "failure":
            store.save_failure(db, url=record["url"], reason=record["reason"], detail=record["detail"],
                               source=record["source"], status=record["status"], at=record["at"],
                               worker=record["worker"], meta=record.get("meta"))
            return "failure"
        if kind == "run":
            store.save_worker_run(db, record["run_key"], started_at=record["started_at"],
                                  finished_at=record.get("finished_at"), status=record["status"],
                                  args=record["args"], stats=record.get("stats"))
            return "run"
        if kind == "worker_lost":
            store.mark_worker_runs_interrupted(db, record["lost"])
            return "run"
        raise ValueError(f"unknown record type {kind!r}")


# -- the shared frontier ------------------------------------------------------------------------------

# Pop the best request and lease it to this worker, atomically.
POP = """
local popped = redis.call('ZPOPMIN', KEYS[1])
if popped[1] == nil then return false end
redis.call('ZADD', KEYS[2], popped[2], popped[1])
redis.call('SADD', KEYS[3], ARGV[1])
return popped[1]
"""
# Seen-set + queue (+ release of the lease the request came from), atomically.
ENQUEUE = """
local added = 1
if ARGV[5] == '1' then added = redis.call('SADD', KEYS[1], ARGV[1]) end
if added == 1 then redis.call('ZADD', KEYS[2], ARGV[2], ARGV[3]) end
if ARGV[4] ~= '' then redis.call('ZREM', KEYS[3], ARGV[4]) end
return added
"""
# Seed a crawl once: KEYS seeded, completed_at, dupefilter, queue; ARGV worker, worker start, then
# (fingerprint, score, member) per seed. Returns 1 seeded, 0 joined a running crawl, -1 completed
# while this worker ran.
SEED = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local completed = tonumber(redis.call('GET', KEYS[2]) or '0')
if completed >= tonumber(ARGV[2]) then return -1 end
redis.call('SET', KEYS[1], ARGV[1])
for i = 3, #ARGV, 3 do
  if redis.call('SADD', KEYS[3], ARGV[i]) == 1 then redis.call('ZADD', KEYS[4], ARGV[i + 1], ARGV[i + 2]) end
end
return 1
"""
# A dead worker's leases back to the queue (unless its heartbeat is back).
RECOVER = """
if redis.call('EXISTS', KEYS[4]) == 1 then return -1 end
local leased = redis.call('ZRANGE', KEYS[2], 0, -1, 'WITHSCORES')
for i = 1, #leased, 2 do redis.call('ZADD', KEYS[1], leased[i + 1], leased[i]) end
redis.call('DEL', KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
return #leased / 2
"""
# Nothing queued and nothing leased: nobody can add work any more.
COMPLETE = """
if redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('ZCARD', ARGV[1] .. worker) > 0 then return 0 end
end
return 1
"""
# ... and then, in the same step, forget the seen-set and seeding, and note when (for stragglers).
FINISH = """
if redis.call('ZCARD', KEYS[1]) > 0 then return 0 end
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if redis.call('ZCARD', ARGV[1] .. worker) > 0 then return 0 end
end
redis.call('DEL', KEYS[3], KEYS[4])
local now = redis.call('TIME')
redis.call('SET', KEYS[5], now[1] .. '.' .. string.format('%06d', now[2]))
return 1
"""


class Frontier:
    """One crawl's share of Redis, as seen by one worker: queue, seen-set, leases, seeding, completion."""

    def __init__(self, server, crawl: str, worker: str, started_at: float, idle_exit: float):
        self.server, self.crawl, self.worker = server, crawl, worker
        self.started_at, self.idle_exit = started_at, idle_exit
        self.keys = crawl_keys(crawl)
        self.my_leases = self.keys["leases"] + worker
        self.leased: dict[str, bytes] = {}  # lease id -> the queue member it stands for
        self.lock = threading.Lock()  # the heartbeat thread recovers while the reactor leases
        self.queue = self.dupefilter = None
        self.idle_since = None
        self.scripts = {name: server.register_script(text) for name, text in
                        (("pop", POP), ("enqueue", ENQUEUE), ("seed", SEED), ("recover", RECOVER),
                         ("complete", COMPLETE), ("finish", FINISH))}

    def open(self, queue, dupefilter):
        self.queue, self.dupefilter = queue, dupefilter
        # Leases under our own id are a previous process's (a reused pid): give them back.
        self._return_leases()
        WorkerPresence.watch(self)

    def close(self):
        """Graceful stop: what this worker still holds goes back to the queue."""
        WorkerPresence.watch(None)
        returned = self._return_leases()
        if returned:
            logger.info("returned %d leased request(s) to the shared queue", returned)

    def _return_leases(self) -> int:
        with self.lock:
            self.leased.clear()
            # RECOVER with a heartbeat key that never exists: unconditionally give our leases back.
            return self.scripts["recover"](
                keys=[self.keys["requests"], self.my_leases, self.keys["workers"], f"{PREFIX}:no-such-key"],
                args=[self.worker])

    # requests

    def _member(self, request) -> bytes:
        request.meta.pop(LEASE, None)
        request.meta.setdefault(RID, uuid.uuid4().hex)
        return self.queue._encode_request(request)

    def enqueue(self, request) -> bool:
        lease = request.meta.get(LEASE)
        member = self._member(request)
        with self.lock:
            released = self.leased.pop(lease, b"") if lease else b""
            added = self.scripts["enqueue"](
                keys=[self.dupefilter.key, self.keys["requests"], self.my_leases],
                args=[self.dupefilter.request_fingerprint(request), -request.priority, member, released,
                      "0" if request.dont_filter else "1"])
        return bool(added)

    def pop(self):
        with self.lock:
            member = self.scripts["pop"](keys=[self.keys["requests"], self.my_leases, self.keys["workers"]],
                                         args=[self.worker])
            if member is None:
                return None
            lease = uuid.uuid4().hex
            self.leased[lease] = member
        request = self.queue._decode_request(member)
        request.meta[LEASE] = lease
        return request

    def release(self, request, records=()):
        """Push the request's records and end its lease, in one MULTI."""
        with self.lock:
            member = self.leased.pop(request.meta.get(LEASE), None)
            with self.server.pipeline(transaction=True) as pipe:
                if records:
                    pipe.lpush(INGEST_KEY, *records)
                if member is not None:
                    pipe.zrem(self.my_leases, member)
                pipe.execute()

    def seed(self, requests) -> int:
        args = [self.worker, repr(self.started_at)]
        for request in requests:
            args += [self.dupefilter.request_fingerprint(request), -request.priority, self._member(request)]
        return self.scripts["seed"](keys=[self.keys["seeded"], self.keys["completed_at"], self.dupefilter.key,
                                          self.keys["requests"]], args=args)

    # liveness and completion

    def recover_dead(self) -> int:
        """Re-queue the leases of workers whose heartbeat has expired; returns how many."""
        recovered = 0
        for worker in self.server.smembers(self.keys["workers"]):
            worker = worker.decode()
            if worker == self.worker:
                continue
            with self.lock:
                n = self.scripts["recover"](keys=[self.keys["requests"], self.keys["leases"] + worker,
                                                  self.keys["workers"], heartbeat_key(worker)], args=[worker])
            if n >= 0:  # it was dead: its runs are over too
                logger.warning("worker %s stopped answering: %d of its requests are back in the queue", worker, n)
                self.server.lpush(INGEST_KEY, encode_record({"type": "worker_lost", "lost": worker},
                                                            uuid.uuid4().hex, self.worker))
            recovered += max(n, 0)
        return recovered

    def complete(self) -> bool:
        return bool(self.scripts["complete"](keys=[self.keys["requests"], self.keys["workers"]],
                                             args=[self.keys["leases"]]))

    def on_idle(self):
        """spider_idle: keep the spider open until the whole crawl is done (for idle_exit seconds)."""
        self.recover_dead()
        if not self.complete():
            self.idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.idle_exit:
            raise DontCloseSpider
        # Done: clear the seen-set so the next run crawls afresh, and note when, for stragglers.
        if not self.scripts["finish"](keys=[self.keys["requests"], self.keys["workers"], self.keys["seeded"],
                                            self.dupefilter.key, self.keys["completed_at"]],
                                      args=[self.keys["leases"]]):
            self.idle_since = None
            raise DontCloseSpider

    def status(self) -> dict:
        return {"queued": self.server.zcard(self.keys["requests"]),
                "leased": self.server.zcard(self.my_leases)}


def frontier_for(crawler) -> Frontier:
    frontier = getattr(crawler, "_banwatch_frontier", None)
    if frontier is None:
        settings = crawler.settings
        frontier = Frontier(WorkerPresence.current_server(settings), settings["BANWATCH_REDIS_CRAWL"],
                            settings["BANWATCH_WORKER"], settings.getfloat("BANWATCH_REDIS_STARTED_AT"),
                            settings.getfloat("BANWATCH_REDIS_IDLE_EXIT"))
        crawler._banwatch_frontier = frontier
    return frontier


class RequestQueue(PriorityQueue):
    """scrapy-redis's priority queue, naming callbacks the fast way (see crawlers/queues.py)."""

    def _encode_request(self, request):
        callback, errback = request.callback, request.errback
        data = request.replace(callback=None, errback=None).to_dict()
        data["callback"] = method_name(self.spider, callback)
        data["errback"] = method_name(self.spider, errback)
        return self.serializer.dumps(data)


class LeasingScheduler(Scheduler):
    """scrapy-redis's scheduler with leases, atomic enqueue and crawl-wide completion."""

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.frontier = frontier_for(crawler)
        # An idle engine only looks at its scheduler on this heartbeat (5 s by default); other workers
        # fill the shared queue at any time, so look every second.
        crawler.engine._SLOT_HEARTBEAT_INTERVAL = 1.0
        crawler.signals.connect(scheduler.frontier.on_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider):
        super().open(spider)
        self.frontier.open(self.queue, self.df)

    def close(self, reason):
        self.frontier.close()  # persist: the shared queue and seen-set outlive any one worker

    def enqueue_request(self, request):
        if not self.frontier.enqueue(request):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self):
        request = self.frontier.pop()
        if request is not None and self.stats:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request


# -- spiders, items and the sink on a worker -------------------------------------------------------


@dataclasses.dataclass
class Settled:
    """Everything a response (or failure) produced, handed to the store at once with its request."""

    request: Request
    items: list

    def __repr__(self):
        return f"<Settled {self.request.url} {len(self.items)} item(s)>"


class LeasedSpider:
    """Mixed into a SourceSpider on a worker: seeds once per crawl, and settles each response last."""

    async def start(self):
        frontier = frontier_for(self.crawler)
        outcome = frontier.seed(list(self.seed_requests()))
        if outcome == 1:
            logger.info("%s: seeded the shared queue with %d source(s)", self.name, len(self.sources))
        elif outcome == -1:
            logger.info("%s: this crawl completed while this worker ran; nothing to do", self.name)
        return
        yield  # an async generator that yields nothing: the requests are in Redis

    def parse_listing(self, response):
        return self._settle(super().parse_listing(response), response.request)

    def parse_article(self, response):
        return self._settle(super().parse_article(response), response.request)

    def on_error(self, failure):
        return self._settle(super().on_error(failure), failure.request)

    def _settle(self, output, request):
        # New requests first (queued synchronously as they are yielded), then the records together
        # with the lease: a worker killed in between leaves the lease, and the request is redone.
        items = []
        try:
            for produced in output or ():
                if isinstance(produced, Request):
                    yield produced
                else:
                    items.append(produced)
        except Exception:  # noqa: BLE001 - logged as Scrapy would; the lease must still end
            logger.exception("spider error on %s", request.url)
            self.crawler.stats.inc_value("spider_exceptions/count")
        yield Settled(request, items)


def worker_spider(spidercls):
    """The worker's variant of a spider class (same name, so the same Redis keys)."""
    return type(f"Leased{spidercls.__name__}", (LeasedSpider, spidercls), {"__doc__": spidercls.__doc__})


class RedisSink:
    """The worker's sink: records go to the ingest list; it knows no stored pages (every page is fetched)."""

    def __init__(self, crawler):
        self.frontier = frontier_for(crawler)
        self.worker = crawler.settings["BANWATCH_WORKER"]

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def save(self, item) -> str:
        """A record from outside any lease (robots.txt): its own id."""
        self.frontier.server.lpush(INGEST_KEY, encode_record(item, uuid.uuid4().hex, self.worker))
        return "queued"

    def settle(self, settled: Settled) -> None:
        rid = settled.request.meta.get(RID) or uuid.uuid4().hex
        records = [encode_record(item, f"{rid}:{i}", self.worker) for i, item in enumerate(settled.items)]
        self.frontier.release(settled.request, records)

    def find_page(self, url):
        return None

    def body(self, sha256):
        return None

    def close(self):
        pass


class RedisStorePipeline(StorePipeline):
    def process_item(self, item):
        if isinstance(item, Settled):
            self.sink.settle(item)
            for each in item.items:
                self.count(each, "queued")
            return item
        return super().process_item(item)


# -- worker presence ---------------------------------------------------------------------------------


class WorkerPresence:
    """A worker process's heartbeat (and dead-worker recovery), on a thread so a busy reactor can't
    make a live worker look dead."""

    _current = None

    def __init__(self, server, worker: str, ttl: float, info: dict):
        self.server, self.worker, self.ttl, self.info = server, worker, ttl, info
        self.frontier = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._beat, name="banwatch-heartbeat", daemon=True)

    @classmethod
    def current_server(cls, settings):
        if cls._current is not None:
            return cls._current.server
        return connect(settings["BANWATCH_REDIS_URL"])

    @classmethod
    def watch(cls, frontier):
        if cls._current is not None:
            cls._current.frontier = frontier

    def _beat(self):
        value = json.dumps(self.info)
        last_recovery = 0.0
        while not self.stopping.is_set():
            try:
                self.server.set(heartbeat_key(self.worker), value, px=int(self.ttl * 1000))
                frontier = self.frontier
                if frontier is not None and time.monotonic() - last_recovery >= self.ttl / 2:
                    last_recovery = time.monotonic()
                    frontier.recover_dead()
            except redis.RedisError as e:
                logger.warning("heartbeat to Redis failed: %s", e)
            self.stopping.wait(self.ttl / 5)

    def __enter__(self):
        self.server.set(heartbeat_key(self.worker), json.dumps(self.info), px=int(self.ttl * 1000))
        WorkerPresence._current = self
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join(timeout=5)
        WorkerPresence._current = None
        with contextlib.suppress(redis.RedisError):
            self.server.delete(heartbeat_key(self.worker))


def send_run_record(server, worker: str, run_key: str, **fields) -> None:
    record = {"type": "run", "run_key": run_key, **fields}
    with contextlib.suppress(redis.RedisError):  # the run log must not break the crawl
        server.lpush(INGEST_KEY, encode_record(record, f"run:{run_key}:{fields['status']}", worker))


# -- status -----------------------------------------------------------------------------------------


def _scan(server, pattern):
    return [key.decode() for key in server.scan_iter(match=pattern, count=500)]


def frontier_status(server) -> dict:
    """What an operator watches: queued and leased requests per crawl, live workers, ingest backlog."""
    crawls = {}
    for key in _scan(server, f"{PREFIX}:*:requests"):
        crawl = key[len(PREFIX) + 1:-len(":requests")]
        keys = crawl_keys(crawl)
        leased = sum(server.zcard(k) for k in _scan(server, keys["leases"] + "*"))
        crawls[crawl] = {"queued": server.zcard(key), "in_flight": leased}
    oldest = server.lindex(INGEST_KEY, -1)
    lag = None
    if oldest is not None:
        with contextlib.suppress(ValueError, KeyError, TypeError):
            record = json.loads(oldest)
            stamp = record.get("fetched_at") or record.get("at")
            lag = max(0.0, time.time() - parse_timestamp(stamp).timestamp()) if stamp else None
    return {
        "workers": len(_scan(server, heartbeat_key("*"))),
        "crawls": crawls,
        "ingest_queue": server.llen(INGEST_KEY),
        "ingest_in_progress": server.llen(PROCESSING_KEY),
        "ingest_lag_seconds": round(lag, 1) if lag is not None else None,
    }


# -- the ingester ------------------------------------------------------------------------------------


@contextlib.contextmanager
def ingester_claim(server, ttl: float = 15.0):
    """One ingester per Redis (two would split the pages between two crawl.db files)."""
    me = f"{socket.gethostname()}:{os.getpid()}"
    if not server.set(INGESTER_KEY, me, nx=True, px=int(ttl * 1000)):
        holder = (server.get(INGESTER_KEY) or b"").decode()
        host, _, pid = holder.rpartition(":")
        if host == socket.gethostname() and pid.isdigit() and not _pid_alive(int(pid)):
            server.set(INGESTER_KEY, me, px=int(ttl * 1000))  # it died on this machine: take over
        else:
            raise BanwatchError(f"another `banwatch ingest` is reading this Redis ({holder}); run only one")
    stopping = threading.Event()

    def beat():
        while not stopping.wait(ttl / 5):
            with contextlib.suppress(redis.RedisError):
                server.set(INGESTER_KEY, me, px=int(ttl * 1000))

    thread = threading.Thread(target=beat, name="banwatch-ingester", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stopping.set()
        thread.join(timeout=5)
        with contextlib.suppress(redis.RedisError):
            if server.get(INGESTER_KEY) == me.encode():
                server.delete(INGESTER_KEY)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_ingest(data_dir, redis_url, idle_exit=None, batch_size=200, progress_every=10.0) -> dict:
    """Store the records crawl workers push to Redis into DATA_DIR/crawl.db, until stopped.

    With ``idle_exit``, return once the queue has been empty, with no crawl worker alive, for that
    many seconds. SIGTERM/SIGINT stop after the batch in hand is committed.
    """
    if idle_exit is not None and idle_exit < 0:
        raise BanwatchError("--idle-exit must be zero or more seconds")
    server = connect(redis_url)
    outcomes: dict[str, int] = {}
    stop = {"signal": None}
    started = last_progress = time.monotonic()
    idle_since = None

    def on_signal(signum, frame):
        stop["signal"] = signal.Signals(signum).name

    saved = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        with ingester_claim(server), contextlib.closing(open_crawl_db(data_dir)) as db:
            # A batch a killed ingester had taken but not finished is delivered again first.
            pending = server.lrange(PROCESSING_KEY, 0, -1)
            if pending:
                print(f"ingest: re-reading {len(pending)} record(s) an earlier ingester left unfinished",
                      file=sys.stderr, flush=True)
                _ingest_batch(server, db, pending, outcomes)
            while not stop["signal"]:
                raw = server.blmove(INGEST_KEY, PROCESSING_KEY, 1.0, "RIGHT", "LEFT")
                if raw is None:
                    if idle_exit is not None:
                        busy = server.llen(INGEST_KEY) or _scan(server, heartbeat_key("*"))
                        idle_since = None if busy else (idle_since or time.monotonic())
                        if idle_since is not None and time.monotonic() - idle_since >= idle_exit:
                            break
                    continue
                idle_since = None
                batch = [raw]
                while len(batch) < batch_size:
                    more = server.lmove(INGEST_KEY, PROCESSING_KEY, "RIGHT", "LEFT")
                    if more is None:
                        break
                    batch.append(more)
                _ingest_batch(server, db, batch, outcomes)
                if time.monotonic() - last_progress >= progress_every:
                    last_progress = time.monotonic()
                    print(f"ingest: {_progress(outcomes, frontier_status(server))}", file=sys.stderr, flush=True)
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)
    seconds = time.monotonic() - started
    total = sum(outcomes.values())
    return {
        "status": f"stopped by {stop['signal']}" if stop["signal"] else "idle",
        "records": total,
        "pages_new": outcomes.get("new", 0),
        "pages_changed": outcomes.get("changed", 0),
        "pages_unchanged": outcomes.get("unchanged", 0) + outcomes.get("not_modified", 0),
        "failures": outcomes.get("failure", 0),
        "duplicates_skipped": outcomes.get("duplicate", 0),
        "records_per_second": round(total / seconds, 1) if seconds else 0.0,
        "seconds": round(seconds, 2),
        "outcomes": outcomes,
    }


def _ingest_batch(server, db, batch, outcomes) -> None:
    """One SQLite transaction for the batch; the records leave Redis only after it commits."""
    with db.atomic():
        for raw in batch:
            try:
                record = decode_record(raw)
                outcome = store_record(db, record)
            except (ValueError, KeyError, TypeError, zlib.error) as e:
                # A record this version cannot read is logged and dropped, not retried forever.
                print(f"ingest: skipped an unreadable record ({type(e).__name__}: {e})", file=sys.stderr)
                outcome = "unreadable"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    with server.pipeline(transaction=True) as pipe:
        for raw in batch:
            pipe.lrem(PROCESSING_KEY, 1, raw)
        pipe.execute()


def _progress(outcomes, status) -> str:
    queued = sum(c["queued"] for c in status["crawls"].values())
    in_flight = sum(c["in_flight"] for c in status["crawls"].values())
    lag = status["ingest_lag_seconds"]
    return (f"{sum(outcomes.values())} records ({outcomes.get('new', 0)} new, {outcomes.get('failure', 0)} failures, "
            f"{outcomes.get('duplicate', 0)} duplicates skipped); {status['ingest_queue']} waiting"
            f"{f' (oldest {lag:.0f}s)' if lag is not None else ''}; frontier {queued} queued, {in_flight} in flight, "
            f"{status['workers']} worker(s) alive")


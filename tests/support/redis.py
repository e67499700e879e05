"""A real Redis server for the distributed-crawl tests."""
import shutil
import socket
import subprocess
import time

import pytest
import redis


class RedisServer:
    """Debian's redis-server on a free 127.0.0.1 port, no persistence, its files in a temp dir."""

    def __init__(self, directory):
        binary = shutil.which("redis-server")
        if binary is None:
            pytest.fail("redis-server is missing: install Debian's redis-server (`make install` does)")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        directory.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(directory), "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.client = redis.Redis(host="127.0.0.1", port=self.port)
        deadline = time.monotonic() + 10
        while True:
            try:
                self.client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    self.stop()
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

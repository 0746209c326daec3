"""A Redis of the test's own, to stop and start as a broker outage would, without touching the
machine's shared Redis. It binds 127.0.0.1 on a free port of PORTS and keeps nothing on disk, so
a restart loses every message it held, as a Redis without persistence does."""

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
import redis

PORTS = range(
    int(os.environ.get("TEST_REDIS_PORT_FROM", "9700")), int(os.environ.get("TEST_REDIS_PORT_TO", "9800"))
)


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail(f"No free port in {PORTS} for a private Redis.")


class PrivateRedis:
    def __init__(self, folder):
        self.binary = shutil.which("redis-server")
        if self.binary is None:
            pytest.skip("redis-server is not installed")
        self.folder, self.port, self.process = folder, _free_port(), None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                time.sleep(0.05)
        pytest.fail("The private Redis did not start.")

    def kill(self):
        """As abrupt as the broker's machine losing power."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

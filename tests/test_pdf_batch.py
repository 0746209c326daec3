"""The rendering processes an export starts die with the worker that started them, however it dies."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A stand-in for a worker: starts a pool of two rendering processes, keeps both busy at once (so
# both have started), gives each a long job (a batch still rendering), prints their ids and waits
# to be killed.
WORKER = """
import os, sys, time
import django
django.setup()
from glenwood.pdf_batch import BatchPool
from glenwood.seal import SealConfig
pool = BatchPool(2, SealConfig.from_settings())
busy = [pool._pool.apply_async(time.sleep, (1,)) for _ in range(2)]
[b.get() for b in busy]
rendering = [pool._pool.apply_async(time.sleep, (300,)) for _ in range(2)]
time.sleep(1)
print(" ".join(str(p.pid) for p in pool._pool._pool), flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status  # a zombie has died, only not yet been reaped


def test_rendering_processes_die_when_their_worker_is_killed_mid_batch(signing_files):
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    environment.update(
        DJANGO_SETTINGS_MODULE="glenwood.settings", DEBUG="true",
        SIGNING_CERT_PATH=str(signing_files[0]), SIGNING_KEY_PATH=str(signing_files[1]),
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "-c", WORKER], cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True
    )
    try:
        children = [int(pid) for pid in worker.stdout.readline().split()]
        assert len(children) == 2 and all(_alive(pid) for pid in children)
        worker.send_signal(signal.SIGKILL)  # the worker alone, not its process group
        worker.wait(timeout=30)
        deadline = time.monotonic() + 30
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in children)
    finally:
        if worker.poll() is None:
            worker.kill()

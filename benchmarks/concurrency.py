"""Signing under load: 20 clients against gunicorn, each pupil's form submitted twice at once (a
double click), over real HTTP. Counts signatures a second, errors and duplicates."""

import os
import re
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
PER_CLIENT = 10


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sessions_for(people) -> dict[int, str]:
    """A logged-in session per person, made directly (a password hash per log-in would be measured
    instead of signing)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend
    from django.contrib.sessions.backends.db import SessionStore

    # The backend a signed-in session names must load users (the first, the lock-out check, only refuses).
    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(b), "get_user"))
    keys = {}
    for person in people:
        session = SessionStore()
        session[SESSION_KEY] = str(person.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = person.get_session_auth_hash()
        session.create()
        keys[person.pk] = session.session_key
    return keys


def _sign(base, session_key, path, name, witness, outcomes, lock):
    http = requests.Session()
    http.cookies.set("sessionid", session_key)
    page = http.get(f"{base}{path}", timeout=60)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    sha = re.search(r'name="shown_sha256" value="([0-9a-f]{64})"', page.text)
    if page.status_code != 200 or not token or not sha:
        with lock:
            outcomes["errors"].append(f"sign page {page.status_code}")
        return
    data = {
        "csrfmiddlewaretoken": token.group(1), "shown_sha256": sha.group(1), "consent": "on",
        "typed_name": name, "witness": str(witness),
    }  # fmt: skip

    def post():
        try:
            return http.post(f"{base}{path}", data=data, allow_redirects=False, timeout=60).status_code
        except requests.RequestException as exc:
            return repr(exc)

    with ThreadPoolExecutor(2) as pair:  # the double click: both at once
        statuses = list(pair.map(lambda _: post(), range(2)))
    with lock:
        for status in statuses:
            if status not in (200, 302):
                outcomes["errors"].append(f"POST {status}")
        outcomes["posts"] += len(statuses)


def signing_under_load(trust, *, clients: int = 20) -> dict:
    from django.db.models import Count
    from django.urls import reverse

    from agreements.models import Signature
    from people.models import Person

    people = []
    # The first school's pupils were used by the sequential signing POSTs; take the others'.
    for school in list(trust["schools"].values())[1:]:
        people += [(p, school) for p in Person.objects.filter(pk__in=school["unsigned_pupils"])]
    people = people[: clients * PER_CLIENT]
    sessions = _sessions_for([p for p, _ in people])
    teachers = {
        s["logins"]["teacher"]: Person.objects.get(username=s["logins"]["teacher"]).pk
        for s in trust["schools"].values()
    }
    jobs = []
    for person, school in people:
        kind = "ks3" if person.year_group <= 9 else "ks4"
        path = reverse("agreements:sign", args=[school["agreements"][kind]])
        jobs.append(
            (sessions[person.pk], path, person.get_full_name(), teachers[school["logins"]["teacher"]])
        )
    before = Signature.objects.filter(person__in=[p for p, _ in people]).count()

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    (ROOT / "bench").mkdir(exist_ok=True)
    log = (ROOT / "bench" / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603 (our own command line)
        [str(Path(sys.executable).parent / "gunicorn"), "benchmarks.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(max(2, 2 * (os.cpu_count() or 1))), "--timeout", "120"],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings"}, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"{base}/healthz", timeout=10).ok:
                    break
            except requests.RequestException:  # still starting
                time.sleep(0.2)
        outcomes, lock = {"errors": [], "posts": 0}, threading.Lock()
        started = time.perf_counter()
        with ThreadPoolExecutor(clients) as pool:
            for job in jobs:
                pool.submit(_sign, base, *job, outcomes, lock)
        seconds = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    signed = Signature.objects.filter(person__in=[p for p, _ in people])
    made = signed.count() - before
    duplicates = signed.values("person", "version").annotate(n=Count("id")).filter(n__gt=1).count()
    return {
        "clients": clients,
        "people": len(jobs),
        "posts": outcomes["posts"],
        "signatures": made,
        "signatures_per_second": round(made / seconds, 1),
        "errors": len(outcomes["errors"]),
        "error_samples": outcomes["errors"][:5],
        "duplicates": duplicates,
        "gunicorn_workers": max(2, 2 * (os.cpu_count() or 1)),
    }

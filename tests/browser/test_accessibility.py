"""Every page of the portal, as every demo role and as a visitor who is not signed in, passes
axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules, is sound HTML, and reflows without sideways
scrolling at WCAG's reflow width (320 px), on a phone (390 px) and a laptop (1280 px).

The pages are found, not listed: the URL configuration is walked as the hostile-corpus test walks
it (tests/hostile/crawl.py), from every URL that needs no id, following links to reach the pages
that need a real id, on the demo school with one record of each kind (tests/support/records.py).
A form's action that is not linked is asked for too: a page it shows is walked, and one that only
takes a POST (405) or answers with a file is not a page. Every URL name of the portal must end up
walked, or be one of those, or be named in NOT_PAGES with the reason (a URL only a script calls,
or one behind a token from an email), so a new page is checked the day it is added. The error
pages are walked too: 404 and a page each role is refused (403) as served, 500 and the expired-form
page as Django's handlers render them.

Then each role's browser visits each page it was shown once, in one signed-in context: axe at
1280 px, the markup checks of markup_check.js, and the page's width at 320, 390 and 1280 px. Every
problem on every page is collected and reported together at the end.
"""

import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from django.urls import reverse

from agreements.certificates import certificate_for
from agreements.models import Signature
from people.models import Person
from tests.browser.conftest import log_in
from tests.hostile.crawl import ANONYMOUS, crawl, url_names
from tests.support.records import matching_pages, one_of_each_kind

pytestmark = pytest.mark.browser

# The jobs the portal serves, one of each, and a visitor who is not signed in.
ROLES = ["head", "dsl", "admin", "trustadmin", "chair", "governor", "teacher", "supply", "pupil7",
         "pupil10", ANONYMOUS]  # fmt: skip
# Two pages of each kind (two signatures, two cases): enough to see that a title names its own record.
PER_NAME = 2
WIDTHS = [320, 390, 1280]  # WCAG's reflow width, a phone, a laptop
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
MARKUP_CHECK = (Path(__file__).parent / "markup_check.js").read_text()

# URL names that are not walked, and why. Files, JSON and POST-only steps are found by their answer
# and need no entry; these are the pages the walk cannot open as a person with a link would.
NOT_PAGES = {
    "healthz": "a probe for the load balancer (plain text)",
    "agreements:export_progress": "JSON for the progress bar, named in a data attribute",
    "reminders:notification_open": "a redirect to what the notification is about",
    # The kiosk's signing page exists only in a device session after a pupil's one-time code.
    "agreements:kiosk_sign": "reached only inside a kiosk session, after a pupil's code",
    "agreements:kiosk_cancel": "a redirect back to the kiosk",
    # Names kept for links written before allauth: the same views as account_login/_change_password.
    "login": "the same page as account_login",
    "password_change": "the same page as account_change_password",
    "logout": "the same page as account_logout",
    # Linked only from pages the demo does not give a reason to show.
    "people:import_rejected": "a CSV download of an import's rejected rows (tests/people)",
    "people:invite": "a POST-only button on the page of a person not yet invited (tests/people)",
    # Behind a single-use token or code in an email, a second factor, or an identity provider.
    "account_confirm_email": "a link in an email (nobody registers or changes their email here)",
    "account_confirm_login_code": "a code sent by email (not offered)",
    "account_confirm_reauthentication_code": "a code sent by email (not offered)",
    "account_request_reauthentication_code": "a code sent by email (not offered)",
    "account_email": "shut: a person's email comes from the school",
    "account_reset_password_from_key": "the single-use link in a reset email",
    "account_set_password": "only for a person with no password, signed in by single sign-on",
    "join": "the single-use link in an invitation email",
    "mfa_authenticate": "the second factor of signing in: each leader's log-in below passes it",
    "mfa_view_recovery_codes": "reached after re-authenticating with a second factor",
    "mfa_edit_webauthn": "needs a passkey, which no test device holds",
    "mfa_reauthenticate_webauthn": "needs a passkey, which no test device holds",
    "mfa_remove_webauthn": "needs a passkey, which no test device holds",
    "openid_connect_login": "a redirect to the school's identity provider",
    "openid_connect_callback": "the identity provider's redirect back",
    "socialaccount_connections": "shut: a school account is linked by the school's button only",
    "socialaccount_login_error": "shown after an identity provider's error",
    "socialaccount_signup": "nobody registers themselves",
    "audit:acknowledge": "a form shown only after a failed evidence check",
}


def off_the_browser_thread(function, *args):
    """Sealing a PDF runs its own event loop, which cannot start in the thread where Playwright's
    runs: call it from another thread (with its own database connection, closed after)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def call():
        try:
            return function(*args)
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(call).result()


@pytest.fixture
def school(live_demo):
    return off_the_browser_thread(one_of_each_kind, live_demo)


def find_pages(school):
    """Each role's pages (path → URL name), the pages refused to someone (for the 403 page), and the
    URL names seen that are not pages (POST-only, files, redirects), with what they answered."""
    names = url_names()
    start_names = [n for n, pattern in names.items() if "<" not in pattern and n not in NOT_PAGES]
    signature = Signature.objects.filter(person__username="y7pupil1").first()
    code = certificate_for(signature, actor=school["head"]).code
    answers = []
    forms, _seen = crawl(
        ROLES,
        start_names=start_names,
        skip_names=set(NOT_PAGES),
        extra_paths=[reverse("verify_code", args=[code]), *matching_pages()],
        per_name=4,  # as the hostile corpus: enough to reach every kind of record's page
        answers=answers,
    )
    # A form's action, asked for as the first role shown the form: a page, or a step that only posts.
    for (named, _method, _fields), (form, roles) in forms.items():
        if named is None or named[0] in NOT_PAGES:
            continue
        if any(a[0] == roles[0] and a[1] == form.action for a in answers):
            continue
        client = Client()
        if roles[0] != ANONYMOUS:
            client.force_login(Person.objects.get(username=roles[0]))
        response = client.get(form.action)
        answers.append(
            (roles[0], form.action, named[0], response.status_code, response.get("Content-Type", ""))
        )

    pages, refused, not_pages = defaultdict(dict), {}, {}
    per = Counter()
    for role, path, name, status, content_type in answers:
        if status == 200 and content_type.startswith("text/html"):
            if path not in pages[role] and per[(role, name)] < PER_NAME:
                pages[role][path] = name
                per[(role, name)] += 1
        elif status == 403 and role != ANONYMOUS:
            refused.setdefault(role, path)
        elif status == 405:
            not_pages.setdefault(name, "takes only a POST")
        elif status == 200:
            not_pages.setdefault(name, f"a file ({content_type.split(';')[0]})")
        elif status in (301, 302, 303):
            not_pages.setdefault(name, f"answers a GET with a redirect ({status})")
    walked = {name for by_path in pages.values() for name in by_path.values()}
    for name in walked:
        not_pages.pop(name, None)
    missing = set(names) - walked - set(not_pages) - set(NOT_PAGES)
    return pages, refused, not_pages, missing


def fresh_session(context, live_server, username):
    """A new signed-in session for the same person, for when a page changed the last one (a class
    signing kiosk locks the device's session to the kiosk)."""
    client = Client()
    client.force_login(Person.objects.get(username=username))
    context.clear_cookies()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def check_page(page, axe, problems, where):
    """axe's WCAG A and AA rules, the markup checks, and the width at each size."""
    page.set_viewport_size({"width": 1280, "height": 900})
    result = axe.run(
        page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    )
    for violation in result.response["violations"]:
        targets = [", ".join(" ".join(t) if isinstance(t, list) else t for t in node["target"])
                   for node in violation["nodes"]]  # fmt: skip
        problems.append((where, "axe", violation["id"], "; ".join(targets[:6])))
    for check, detail in page.evaluate(MARKUP_CHECK):
        problems.append((where, "html", check, detail))
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        if overflow > 0:
            wide = page.evaluate(
                """(width) => [...document.querySelectorAll('body *')]
                    .filter(el => el.getBoundingClientRect().right > width + 1)
                    .filter(el => el.parentElement.getBoundingClientRect().right <= width + 1)
                    .slice(0, 4).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                        (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : ''))""",
                width,
            )
            problems.append((where, "reflow", f"{width}px", f"{overflow}px too wide: {', '.join(wide)}"))
    return page.title()


def error_pages():
    """The error pages as they are served: 404 and 500 (rendered by Django's own handlers, since no
    page of the portal fails on purpose) and the failed-form-check (CSRF) page."""
    from django.middleware.csrf import _get_failure_view
    from django.test import RequestFactory
    from django.views import defaults

    request = RequestFactory().get("/")
    return {
        "500 (server error)": defaults.server_error(request).content.decode(),
        "403 (form expired)": _get_failure_view()(request, reason="").content.decode(),
    }


def test_every_page_for_every_role_is_accessible_and_valid(school, live_server, browser, capsys):
    started = time.monotonic()
    pages, refused, not_pages, missing = off_the_browser_thread(find_pages, school)
    assert missing == set(), (
        f"URLs no role reached as a page, nor a file, POST or redirect: {sorted(missing)}"
    )
    found = time.monotonic()

    axe = Axe()
    problems, titles, walked, by_name = [], defaultdict(lambda: defaultdict(list)), 0, Counter()
    for role in ROLES:
        context = browser.new_context(locale="en-GB", timezone_id="Europe/London")
        context.set_default_timeout(20_000)
        page = context.new_page()
        if role != ANONYMOUS:
            log_in(page, live_server, role)
        visits = list(pages[role].items())
        if role == ANONYMOUS:
            visits.append(("/no-such-page/", "404 (not found)"))
        elif role in refused:
            visits.append((refused[role], "403 (refused)"))
        for path, name in visits:
            where = f"{role} {path}"
            response = page.goto(f"{live_server.url}{path}")
            if urlsplit(page.url).path != path and role != ANONYMOUS:
                fresh_session(context, live_server, role)  # a page before this one changed the session
                response = page.goto(f"{live_server.url}{path}")
            if urlsplit(page.url).path != path:
                problems.append((where, "walk", "redirected", f"to {page.url}"))
                continue
            expected = {"404 (not found)": 404, "403 (refused)": 403}.get(name, 200)
            if response.status != expected:
                problems.append((where, "walk", "status", f"{response.status}, not {expected}"))
            titles[role][check_page(page, axe, problems, where)].append(path)
            walked += 1
            by_name[name] += 1
        if role == ANONYMOUS:
            for name, html in error_pages().items():
                page.goto(f"{live_server.url}/healthz")
                page.set_content(html)
                titles[role][check_page(page, axe, problems, f"{role} {name}")].append(name)
                walked += 1
                by_name[name] += 1
        context.close()
    for role, by_title in titles.items():
        for title, paths in by_title.items():
            if len(paths) > 1:
                problems.append((f"{role} {', '.join(paths)}", "html", "same-title", f'"{title}"'))

    error_names = [n for n in by_name if n[0].isdigit()]
    assert by_name["403 (refused)"] and by_name["404 (not found)"], "the error pages were not walked"
    with capsys.disabled():
        print(
            f"\nAccessibility walk: {walked} pages × roles ({len(by_name) - len(error_names)} URL names and "
            f"the error pages {', '.join(f'{n} ×{by_name[n]}' for n in error_names)}; {len(ROLES)} roles), "
            f"{len(problems)} problems; not pages: {len(not_pages)}, named: {len(NOT_PAGES)} "
            f"(find {found - started:.0f}s, total {time.monotonic() - started:.0f}s). "
            f"By rule: {dict(Counter(p[2] for p in problems).most_common())}"
        )
    report = "\n".join(f"{where} → {kind} {rule} → {detail}" for where, kind, rule, detail in problems)
    assert not problems, f"{len(problems)} problems:\n{report}"

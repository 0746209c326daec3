"""Finding every form of the portal: walk the URL configuration, fetch each page as each role
(following links to reach pages that need a real id), and read the forms off the pages."""

import datetime
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import timezone

from people.models import Person

ANONYMOUS = "anonymous"


def url_names() -> dict[str, str]:
    """Every named URL of the portal (the Django admin aside) and its pattern."""

    def walk(patterns, prefix="", namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if str(p.pattern).startswith("admin/"):
                    continue  # Django's own admin, for the trust administrator: not the portal's forms
                ns = f"{namespace}:{p.namespace}" if namespace and p.namespace else p.namespace or namespace
                yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern) and p.name:
                yield (f"{namespace}:{p.name}" if namespace else p.name), prefix + str(p.pattern)

    return dict(walk(get_resolver().url_patterns))


def url_name(path: str) -> tuple[str, tuple] | None:
    """The URL's name, and its non-numeric arguments (a case step's slug), or None if not ours."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.view_name.startswith("admin:"):
        return None
    return match.view_name, tuple(sorted((k, v) for k, v in match.kwargs.items() if not isinstance(v, int)))


@dataclass
class Form:
    page: str  # where it was found
    action: str
    method: str
    fields: list = field(default_factory=list)  # (tag, type, name, value, options, checked, accept)

    @property
    def key(self):
        name = url_name(self.action)
        return (name, self.method, tuple(sorted({f[2] for f in self.fields})))


class _PageParser(HTMLParser):
    def __init__(self, page_url):
        super().__init__(convert_charrefs=True)
        self.page_url, self.forms, self.links = page_url, [], []
        self.form = None
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page_url, a["href"]))
        elif tag == "form":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            self.form = Form(self.page_url, action, (a.get("method") or "get").lower())
            self.forms.append(self.form)
        elif self.form is None:
            return
        elif tag == "input" and a.get("name"):
            self.form.fields.append(
                ("input", (a.get("type") or "text").lower(), a["name"], a.get("value") or "", [],
                 "checked" in a, a.get("accept") or "")
            )  # fmt: skip
        elif tag == "button" and a.get("name"):
            self.form.fields.append(("button", "submit", a["name"], a.get("value") or "", [], False, ""))
        elif tag == "textarea" and a.get("name"):
            self.textarea = [a["name"], ""]
        elif tag == "select" and a.get("name"):
            self.select = ("select", "multiple" if "multiple" in a else "one", a["name"], "", [], False, "")
        elif tag == "option" and self.select is not None:
            self.select[4].append((a.get("value", ""), "selected" in a))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            self.form.fields.append(
                ("textarea", "textarea", self.textarea[0], self.textarea[1], [], False, "")
            )
            self.textarea = None
        elif tag == "select" and self.select is not None and self.form is not None:
            self.form.fields.append(self.select)
            self.select = None


def parse_page(url, html):
    parser = _PageParser(url)
    parser.feed(html)
    return parser.forms, parser.links


def client_for(username) -> Client:
    """A fresh client per request, so nothing one page does to a session (a kiosk's lock) leaks."""
    client = Client()
    if username != ANONYMOUS:
        client.force_login(Person.objects.get(username=username))
    return client


def crawl(roles, *, start_names, skip_names, extra_paths=(), per_name=4, answers=None):
    """Fetch every page reachable as each role, starting from the URLs that need no id.
    Returns (forms by key with the roles that saw them, the URL names seen). Every answer fetched
    is added to `answers`, if given, as (role, path, URL name, status, content type)."""
    from django.urls import reverse

    forms, seen_names = {}, set()
    for role in roles:
        queue = [reverse(name) for name in start_names] + list(extra_paths)
        visited, per = set(), {}
        while queue:
            path = urlsplit(queue.pop(0)).path
            named = url_name(path)
            if path in visited or named is None or named[0] in skip_names:
                continue
            if per.get(named, 0) >= per_name:
                continue
            visited.add(path)
            response = client_for(role).get(path)
            if answers is not None:
                answers.append((role, path, named[0], response.status_code, response.get("Content-Type", "")))
            if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
                continue
            per[named] = per.get(named, 0) + 1
            seen_names.add(named[0])
            page_forms, links = parse_page("http://testserver" + path, response.content.decode())
            for form in page_forms:
                form.action = urlsplit(form.action).path
                if form.key[0] is None or form.key[0][0] in skip_names:
                    continue
                forms.setdefault(form.key, (form, []))[1].append(role)
                seen_names.add(form.key[0][0])
            queue.extend(link for link in links if urlsplit(link).netloc in ("", "testserver"))
    return forms, seen_names


def default_value(kind, name, value):
    now = timezone.localtime() - datetime.timedelta(hours=2)
    if value:
        return value
    return {
        "email": "hostile-test@example.org",
        "number": "1",
        "date": timezone.localdate().isoformat(),
        "datetime-local": now.strftime("%Y-%m-%dT%H:%M"),
        "time": "10:00",
        "url": "https://example.org/",
    }.get(kind, "")

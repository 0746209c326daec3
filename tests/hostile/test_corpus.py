"""Every hostile input of the corpus through every form and import of the portal.

The forms are found, not listed: the URL configuration is walked from every URL that needs no id,
as each role (the demo school's, with a few more records so that every kind of page exists), and
links are followed to reach the pages that need a real id; every form on every page is collected,
with the roles that were shown it. Every URL of the portal must be reached, as a page or as the
action of a form, or be named below as not a form, so a new form cannot be missed.

Inputs × fields: every input goes through every form once. A form's free-text fields (text,
textarea, search, new passwords) share the inputs out: a submission carries as many inputs as the
form has such fields, one to a field, turning round so each field gets inputs of every kind, while
the other fields keep valid values (the first choice of a list, today's date), so a form either
refuses an input with a message or stores it. A file takes the submission's first input in its
name and its content (a CSV or JSON cell for an import, the file name of a screenshot). A form
with no free-text field gets a sample of the inputs, a few of each kind, as tampered choices (a
select's or radio's value): a choice is refused the same way whatever its text. The
roles shown a form take turns, so every role is exercised on every form it can use, rather than
every input as every role (which would multiply the run by twelve for no new path). That is some
1,500 submissions, in about two minutes.

Each answer must be below 500 and, when a page, show the input harmlessly (never the raw markup,
never a javascript: or data: link); a PDF made from the inputs (an evidence pack, a signature's
evidence, Markdown as the evidence PDFs print it) must open.
"""

import io
import json
import re
import time

import pytest
from django.urls import reverse
from pypdf import PdfReader

from agreements.certificates import certificate_for
from agreements.models import Signature
from breaches.models import Case
from people.seed import DEMO_PASSWORD
from tests.support.records import matching_pages, one_of_each_kind

from .corpus import CORPUS
from .crawl import ANONYMOUS, client_for, crawl, default_value, url_names

ROLES = ["head", "dsl", "admin", "trustadmin", "chair", "governor", "teacher", "supply", "pupil7",
         "staff01", "staff05", ANONYMOUS]  # fmt: skip
# Reached by the crawl but not forms: files, JSON, and the way out.
NOT_FORMS = {
    "logout": "signs the tester out",
    "healthz": "a probe for the load balancer",
    "agreements:signature_evidence": "a PDF (opened below)",
    "agreements:dashboard_csv": "a CSV download",
    "agreements:export_download": "a ZIP download",
    "agreements:export_progress": "JSON for the progress bar",
    "people:import_sample": "a CSV download",
    "breaches:pdf": "a PDF (opened below)",
    "breaches:download": "an evidence file download",
    "breaches:people_search": "JSON for the concern form (given every input below)",
    "policies:preview": "JSON for the policy editor's preview (given every input below)",
    "reminders:notification_open": "a redirect to what the notification is about",
    # The kiosk's signing page exists only in a device session after a pupil's one-time code is
    # accepted (a POST the crawl does not make); the kiosk's code form itself is covered.
    "agreements:kiosk_sign": "reached only inside a kiosk session, after a pupil's code",
    "agreements:kiosk_cancel": "reached only inside a kiosk session, after a pupil's code",
    # Names kept for links written before allauth: the same views as account_login/_change_password.
    "login": "the same page as account_login",
    "password_change": "the same page as account_change_password",
    # Pages behind a single-use token or code in an email, a second factor the crawl does not hold,
    # or an identity provider's redirect: each has its own tests (tests/accounts, tests/people).
    "account_confirm_email": "a link in an email (nobody registers or changes their email here)",
    "account_confirm_login_code": "a code sent by email (not offered)",
    "account_confirm_reauthentication_code": "a code sent by email (not offered)",
    "account_request_reauthentication_code": "a code sent by email (not offered)",
    "account_email": "shut: a person's email comes from the school",
    "account_reset_password_from_key": "the single-use link in a reset email (tests/accounts)",
    "account_set_password": "only for a person with no password, signed in by single sign-on",
    "join": "the single-use link in an invitation email (tests/people/test_invitations.py)",
    "mfa_authenticate": "the second-factor step of signing in (tests/accounts/test_two_factor.py)",
    "mfa_download_recovery_codes": "a text download",
    "mfa_view_recovery_codes": "reached after re-authenticating with a second factor",
    "mfa_edit_webauthn": "needs a passkey, which no test device holds",
    "mfa_reauthenticate_webauthn": "needs a passkey, which no test device holds",
    "mfa_remove_webauthn": "needs a passkey, which no test device holds",
    "openid_connect_login": "a redirect to the school's identity provider (tests/accounts)",
    "openid_connect_callback": "the identity provider's redirect back (tests/accounts)",
    "socialaccount_connections": "shut: a school account is linked by the school's button only",
    "socialaccount_login_error": "shown after an identity provider's error (tests/accounts)",
    "socialaccount_signup": "nobody registers themselves",
    "audit:acknowledge": "a form shown only after a failed evidence check (tests/audit)",
    "people:import_sample_kind": "a CSV download",
    "people:import_rejected": "a CSV download of the rows to correct",
    "people:invite": "a button with no fields on a person's page (tests/people/test_invitations.py)",
    "retention:access_download": "a ZIP download",
    "public_policy_pdf": "a PDF of a published policy (tests/policies/test_public_page.py opens it)",
}
# A form with nothing to type in gets every sixth input as a tampered choice: the corpus is grouped
# by kind, so that is a few of each kind (markup, SQL, paths, NUL and surrogates, bidi, CRLF,
# formulas, long and nested), and a choice is refused the same way whatever its text.
CHOICE_SAMPLE = CORPUS[::6]
BOUNDARY = "HostileCorpusBoundary7MA4YWxkTrZu0gW"
# A base64 image (the authenticator's QR code) is the portal's own, and an image cannot run script.
RAW_LINK = re.compile(
    r"""(?:href|src)\s*=\s*["']?\s*(?:javascript:|vbscript:|data:(?!image/(?:png|gif|jpeg|svg\+xml);base64,))""",
    re.I,
)


def raw(text: str) -> bytes:
    # As an attacker's own client sends it: a lone surrogate too, which no browser would.
    return text.encode("utf-8", "surrogatepass")


def png_bytes() -> bytes:
    from tests.breaches.files import image_bytes

    return image_bytes("PNG", "hostile")


def data_file(field_name: str, text: str, index: int) -> tuple[str, bytes, str]:
    """An import file carrying the input in its cells: people from the MIS, or monitoring flags."""
    if field_name == "file":
        return (
            "mis.csv",
            b"first_name,last_name,email,role\n"
            + _csv_row([text, "Hostile", f"hostile{index}@example.org", "staff"]),
            "text/csv",
        )
    if index % 2:  # the monitoring import reads JSON as well as CSV: half the inputs go each way
        rows = [{"time": "2026-11-19T10:02:00Z", "device": text, "account": "pupil10", "phrase": text}]
        return "flags.json", json.dumps(rows).encode(), "application/json"
    return (
        "flags.csv",
        b"time,device,account,phrase\n" + _csv_row(["2026-11-19 10:02", text, "pupil10", text]),
        "text/csv",
    )


def _csv_row(cells) -> bytes:
    return b",".join(b'"' + raw(c).replace(b'"', b'""') + b'"' for c in cells) + b"\n"


def is_free_text(tag, kind, name) -> bool:
    return tag == "textarea" or (tag == "input" and kind in ("text", "search", "tel", "password")
                                 and name != "old_password")  # fmt: skip


def free_text_fields(form) -> list[str]:
    return [f[2] for f in form.fields if is_free_text(f[0], f[1], f[2])]


def fill(form, inputs: dict, index: int):
    """The form's fields: each free-text field its own input (`inputs` by field name), a file the
    first of them, and valid values elsewhere; with no free-text field, the input goes into every
    choice instead, as a tampered value."""
    first = next(iter(inputs.values()))
    choices_tampered = not free_text_fields(form)
    data, files, chosen = [], [], set()
    for tag, kind, name, value, options, checked, accept in form.fields:
        if is_free_text(tag, kind, name):
            data.append((name, inputs[name]))
        elif kind == "password":
            data.append((name, DEMO_PASSWORD))
        elif kind == "hidden":
            data.append((name, value))
        elif kind == "file":
            if "csv" in accept or "json" in accept:
                files.append((name, *data_file(name, first, index)))
            else:
                files.append((name, first[:150] or "unnamed", png_bytes(), "image/png"))
        elif kind in ("checkbox", "radio") or tag == "select":
            if name in chosen:
                continue
            chosen.add(name)
            picked = (
                [v for v, selected in options if selected] or [v for v, _ in options if v] or [value or "on"]
            )
            data.append((name, first if choices_tampered else picked[0]))
        elif tag == "button":
            if name not in chosen:
                chosen.add(name)
                data.append((name, value))
        elif tag == "input" and kind not in ("submit", "reset", "button", "image"):
            data.append((name, default_value(kind, name, value)))
    return data, files


def rounds(form):
    """Submissions that take every input of the corpus through this form once: with F free-text
    fields, each submission carries F inputs, one to a field, turning round so every field gets
    inputs of every kind."""
    fields = free_text_fields(form) or ["(choices)"]
    corpus = CORPUS if free_text_fields(form) else CHOICE_SAMPLE
    count = -(-len(corpus) // len(fields))
    for k in range(count):
        picked = {field: corpus[(k * len(fields) + j) % len(corpus)] for j, field in enumerate(fields)}
        yield k, {field: text for field, (_, text) in picked.items()}, [name for name, _ in picked.values()]


def multipart(data, files) -> tuple[bytes, str]:
    b = BOUNDARY.encode()
    parts = []
    for name, value in data:
        parts += [b"--" + b, b'Content-Disposition: form-data; name="' + raw(name) + b'"', b"", raw(value)]
    for name, filename, content, content_type in files:
        parts += [
            b"--" + b,
            b'Content-Disposition: form-data; name="%s"; filename="%s"' % (raw(name), raw(filename)),
            b"Content-Type: " + content_type.encode(),
            b"",
            content,
        ]
    parts += [b"--" + b + b"--", b""]
    return b"\r\n".join(parts), f"multipart/form-data; boundary={BOUNDARY}"


def query(data) -> str:
    from urllib.parse import urlencode

    return urlencode([(raw(k), raw(v)) for k, v in data])


def assert_harmless(response, text, where):
    assert response.status_code < 500, where
    if response.get("Content-Type", "").startswith("text/html"):
        body = response.content.decode("utf-8", "replace")
        if "<" in text and len(text) <= 2_000:
            assert text not in body, f"{where}: shown raw"
        assert not RAW_LINK.search(body), f"{where}: a script link was rendered"


def submit(client, form, inputs, index):
    data, files = fill(form, inputs, index)
    if form.method == "get":
        return client.get(f"{form.action}?{query(data)}", follow=True)
    body, content_type = multipart(data, files)
    return client.post(form.action, data=body, content_type=content_type, follow=True)


@pytest.fixture
def school(demo, django_capture_on_commit_callbacks):
    """The demo school, as `make run` seeds it, with one record of each kind a page needs."""
    return one_of_each_kind(demo)


@pytest.mark.parametrize("half", [0, 1], ids=["first half of the forms", "second half of the forms"])
def test_every_hostile_input_through_every_form(school, capsys, half):
    """In two halves (alternate forms), so the two cores of `make test -n 2` share the work."""
    started = time.monotonic()
    names = url_names()
    start_names = [name for name, pattern in names.items() if "<" not in pattern and name not in NOT_FORMS]
    code = certificate_for(
        Signature.objects.filter(person__username="y7pupil1").first(), actor=school["head"]
    ).code
    forms, seen = crawl(
        ROLES,
        start_names=start_names,
        skip_names=set(NOT_FORMS),
        extra_paths=[reverse("verify_code", args=[code]), *matching_pages()],
    )
    not_reached = set(names) - seen - set(NOT_FORMS)
    assert not_reached == set(), f"URLs no role reached as a page or a form: {sorted(not_reached)}"
    crawled = time.monotonic()
    if half == 0:
        # The policy editor's preview is not a form either: every input is previewed as the head
        # (first, while the head still has the second factor a hostile form may take away).
        head = client_for("head")
        for name, text in CORPUS:
            response = head.post(reverse("policies:preview"), data=multipart([("text", text)], [])[0],
                                 content_type=multipart([], [])[1])  # fmt: skip
            assert response.status_code == 200, name
            preview = response.json()["html"]
            assert "<script" not in preview.lower() and not RAW_LINK.search(preview), name

    submissions, slowest = 0, []
    mine = sorted(forms.items(), key=lambda item: str(item[0]))[half::2]
    for (url, method, _fields), (form, roles) in mine:
        clients, form_started = {}, time.monotonic()
        for index, inputs, names_sent in rounds(form):
            role = roles[index % len(roles)]
            client = clients.setdefault(role, client_for(role))
            where = f"{method.upper()} {form.action} as {role} with {names_sent}"
            try:
                response = submit(client, form, inputs, index)
            except Exception as exc:
                raise AssertionError(f"{where} raised {exc!r}") from exc
            for text in inputs.values():
                assert_harmless(response, text, where)
            submissions += 1
        slowest.append((time.monotonic() - form_started, f"{method.upper()} {form.action}"))

    # The search behind "Who is it?" is not a form of its own: every input goes through it too.
    search = client_for("teacher")
    for name, text in CORPUS:
        response = search.get(f"{reverse('breaches:people_search')}?{query([('q', text)])}")
        assert response.status_code == 200 and isinstance(response.json()["results"], list), name

    pdfs = open_pdfs_made_from_the_inputs(school, started)
    with capsys.disabled():
        print(
            f"\nHostile corpus, half {half + 1} of 2: {len(CORPUS)} inputs through {len(mine)} of the "
            f"{len(forms)} forms found on "
            f"{len(seen)} URLs as {len(ROLES)} roles: {submissions} submissions, none a 500; "
            f"{pdfs} PDFs made from them opened (crawl {crawled - started:.0f}s, "
            f"total {time.monotonic() - started:.0f}s). Slowest forms: "
            + ", ".join(f"{name} {seconds:.1f}s" for seconds, name in sorted(slowest, reverse=True)[:8])
        )


def open_pdfs_made_from_the_inputs(demo, since) -> int:
    from django.utils.html import escape

    from glenwood.pdf_batch import render
    from policies.markdown import markdown_problems, render_markdown

    opened = 0

    def opens(pdf: bytes, what):
        nonlocal opened
        assert pdf.startswith(b"%PDF") and len(PdfReader(io.BytesIO(pdf)).pages) > 0, what
        opened += 1

    # Every input as the evidence PDFs print text: Markdown (if it may be saved) and plain text.
    sections = []
    for name, text in CORPUS:
        printable = text.encode("utf-8", "replace").decode("utf-8")
        sections.append(f"<h2>{escape(name)}</h2><p>{escape(printable)}</p>")
        if not markdown_problems(printable):
            sections.append(render_markdown(printable))
    html = "<!doctype html><html><body>" + "".join(sections) + "</body></html>"
    opens(render(html).write_pdf(), "the corpus as Markdown and text")

    # Evidence packs of the cases the hostile reports, flags and notes made, and signatures' evidence.
    dsl = client_for("dsl")
    cases = Case.objects.filter(school=demo["glenwood"]).order_by("-pk")
    for case in list(cases[:4]) + list(cases.order_by("pk")[:2]):
        response = dsl.get(reverse("breaches:pdf", args=[case.pk]))
        if response.status_code == 200:
            opens(b"".join(response.streaming_content) if response.streaming else response.content, case)
    for signature in Signature.objects.exclude(comment="").select_related("person")[:2]:
        response = client_for(signature.person.username).get(
            reverse("agreements:signature_evidence", args=[signature.pk])
        )
        assert response.status_code == 200
        opens(b"".join(response.streaming_content) if response.streaming else response.content, signature)
    return opened

"""WeasyPrint fetches nothing but our static files while making evidence PDFs: hostile URLs in an
agreement's Markdown, in HTML that reached the template unsanitised, or in what a signer's browser
sent, are refused, and the PDF is still made."""

import pytest
from weasyprint.urls import URLFetcher

from agreements import services
from agreements.certificates import certificate_for
from agreements.evidence import EvidenceMaker, for_evidence
from agreements.models import Signature
from glenwood.pdf import BASE_URL, FetchRefused, StaticFilesOnly
from policies.models import PolicyVersion
from tests.agreements.evidence_helpers import pdf_text

PASSWD = "file:///etc/passwd"
METADATA = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"
STYLESHEET = f"{BASE_URL}static/css/evidence.css"

HOSTILE_MARKDOWN = f"""Everything below points somewhere a PDF must never reach.

![passwd]({PASSWD})

![metadata]({METADATA})

[The cloud metadata service]({METADATA})

<img src="{PASSWD}"><link rel="stylesheet" href="{METADATA}">
<style>@import url("{METADATA}"); body {{ background: url({PASSWD}); }}</style>

The last line is still rendered.
"""

HOSTILE_HTML = (
    f'<p>Unsanitised HTML.</p><img src="{PASSWD}"><img src="{METADATA}">'
    f'<link rel="stylesheet" href="{METADATA}"><link rel="stylesheet" href="{PASSWD}">'
    f'<style>@import url("{METADATA}"); @import url("{PASSWD}"); p {{ background: url({METADATA}); }}</style>'
    f'<p style="background-image: url({PASSWD})">The last line is still rendered.</p>'
)


@pytest.fixture
def fetched(monkeypatch):
    """Every URL WeasyPrint asks for, with what happened: only our fetcher may answer, never its own."""
    requests = []
    answer = StaticFilesOnly.fetch

    def recording_fetch(self, url, headers=None):
        try:
            response = answer(self, url, headers)
        except FetchRefused:
            requests.append((url, "refused"))
            raise
        requests.append((url, "served"))
        return response

    def network_fetch(self, url, headers=None):
        raise AssertionError(f"WeasyPrint's own fetcher was asked for {url}")

    monkeypatch.setattr(StaticFilesOnly, "fetch", recording_fetch)
    monkeypatch.setattr(URLFetcher, "fetch", network_fetch)
    return requests


def test_hostile_urls_in_an_agreements_markdown_are_never_fetched(
    demo, publish_new_version, ks3_aua, fetched
):
    version = publish_new_version(ks3_aua, HOSTILE_MARKDOWN)
    assert PASSWD not in version.body_html  # the sanitiser drops images, styles and file: links...
    assert METADATA in version.body_html  # ...but a link stays a link: WeasyPrint never fetches links
    signature = services.signature_record(
        signer=demo["pupil7"], agreement=ks3_aua, version=version, shown_sha256=version.sha256,
        consent_given=True, typed_name="Jamie Cole", witness=demo["teacher"],
        evidence=services.Evidence("10.0.0.9", f'<img src="{PASSWD}">', "", "witnessed"),
    )  # fmt: skip

    certificate = certificate_for(signature, actor=demo["head"])
    with certificate.pdf.open("rb") as f:
        text = pdf_text(f.read())
    assert "The last line is still rendered." in text
    assert "Jamie Cole" in text
    assert f'<img src="{PASSWD}">' in text  # the user agent is shown as text, never loaded
    assert "root:" not in text
    assert {url for url, outcome in fetched if outcome == "served"} == {STYLESHEET}
    assert not [url for url, _ in fetched if "169.254" in url or url.startswith("file:")]


def test_hostile_html_reaching_the_template_is_refused_and_the_pdf_still_renders(
    demo, ks3_aua, fetched, caplog
):
    policy = ks3_aua.policy
    unsanitised = PolicyVersion(policy=policy, number=99, label="Hostile", body="", body_html=HOSTILE_HTML)
    text = pdf_text(EvidenceMaker().text_pdf(unsanitised))
    assert "The last line is still rendered." in text
    assert "root:" not in text
    refused = {url for url, outcome in fetched if outcome == "refused"}
    assert {PASSWD, METADATA} <= refused
    assert {url for url, outcome in fetched if outcome == "served"} == {STYLESHEET}
    assert PASSWD in caplog.text and METADATA in caplog.text  # logged as refused


def test_a_batch_of_certificates_fetches_only_the_stylesheet_once(demo, fetched):
    signatures = list(for_evidence(Signature.objects.all()))
    made = list(EvidenceMaker(batch_size=100).make(signatures))
    assert len(made) == len(signatures)
    served = [url for url, outcome in fetched if outcome == "served"]
    # One render of each version's text and one of the whole batch of certificate pages.
    assert served == [STYLESHEET] * (len({s.version_id for s in signatures}) + 1)

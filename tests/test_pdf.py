"""glenwood.pdf: a real render, and a fetcher that refuses everything but our static files."""

import io
import logging

import pytest
from pypdf import PdfReader
from weasyprint.urls import URLFetcher

from glenwood.pdf import BASE_URL, FetchRefused, StaticFilesOnly, render_pdf, static_path_for

HOSTILE = ["file:///etc/passwd", "http://169.254.169.254/latest/meta-data/iam/security-credentials/"]


def text_of(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_renders_a_real_pdf_with_our_stylesheet():
    pdf = render_pdf('<link rel="stylesheet" href="/static/css/portal.css"><h1>Evidence pack</h1>')
    assert pdf.startswith(b"%PDF")
    assert "Evidence pack" in text_of(pdf)


def test_hostile_urls_in_the_html_are_refused_and_nothing_is_fetched(monkeypatch, caplog):
    def network_fetch(self, url, headers=None):
        raise AssertionError(f"WeasyPrint's own fetcher was asked for {url}")

    monkeypatch.setattr(URLFetcher, "fetch", network_fetch)  # our subclass must never call it
    html = "".join(
        f'<img src="{url}"><link rel="stylesheet" href="{url}"><p style="background: url({url})">x</p>'
        for url in HOSTILE
    )
    with caplog.at_level(logging.WARNING, logger="glenwood.pdf"):
        pdf = render_pdf(html + "<p>still rendered</p>")
    assert pdf.startswith(b"%PDF")
    assert "still rendered" in text_of(pdf)
    assert "root:" not in text_of(pdf)
    refused = " ".join(r.getMessage() for r in caplog.records if r.name == "glenwood.pdf")
    for url in HOSTILE:
        assert url in refused


@pytest.mark.parametrize(
    "url",
    [
        *HOSTILE,
        "https://pdf.glenwood.invalid/static/../../glenwood/settings.py",
        "https://pdf.glenwood.invalid/static/%2e%2e/%2e%2e/glenwood/settings.py",
        "https://pdf.glenwood.invalid/media/evidence/1/x.png",
        "https://example.com/static/css/portal.css",
        "data:text/css,body{}",
    ],
)
def test_the_fetcher_refuses_anything_outside_static_files(url):
    assert static_path_for(url) is None
    with pytest.raises(FetchRefused):
        StaticFilesOnly().fetch(url)


def test_the_fetcher_serves_a_static_file():
    response = StaticFilesOnly().fetch(f"{BASE_URL}static/css/portal.css")
    assert b"redline" in response.read().lower()
    assert response.content_type == "text/css"

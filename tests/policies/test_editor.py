"""The policy editor: a toolbar and a preview over the Markdown textarea, loaded only on the pages
that write a policy's text, from the portal's own files (the Content Security Policy allows no
other), and a preview that is the portal's own rendering of the text, as it will be published."""

import datetime
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from policies import services
from policies.markdown import MAX_NESTING, render_markdown

EDITOR_JS = "/static/vendor/easymde/easymde.min.js"
DEEP = "\n".join("    " * i + "- level" for i in range(MAX_NESTING + 2))


@pytest.fixture
def draft(demo, social_media):
    return services.version_draft(
        actor=demo["head"], policy=social_media, reviewed_on=datetime.date(2026, 11, 20)
    )


def test_editor_is_vendored_with_its_licence_and_loaded_from_the_portal_only():
    vendor = Path(settings.BASE_DIR) / "static" / "vendor" / "easymde"
    assert "MIT License" in (vendor / "LICENSE").read_text()
    assert (vendor / "easymde.min.js").stat().st_size > 100_000
    script = (Path(settings.BASE_DIR) / "static" / "js" / "markdown-editor.js").read_text()
    # Nothing from the network: no icon font from a CDN, no spell-checker dictionaries.
    assert "autoDownloadFontAwesome: false" in script and "spellChecker: false" in script


def test_edit_and_add_pages_load_the_editor_without_inline_script(demo, login, draft):
    client = login("head")
    for url in (f"/policies/versions/{draft.pk}/edit/", "/policies/new/"):
        response = client.get(url)
        page = response.content.decode()
        assert EDITOR_JS in page and "/static/js/markdown-editor.js" in page, url
        assert 'data-markdown-editor=""' in page and 'data-preview-url="/policies/preview/"' in page
        assert 'for="id_body"' in page  # the textarea keeps its label, and works without script
        assert "<script>" not in page and "<script>" not in page.replace("<script src=", "")
        csp = response["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    # Other pages do not load it.
    assert EDITOR_JS not in client.get(f"/policies/versions/{draft.pk}/").content.decode()


def test_preview_is_the_published_rendering_sanitised(demo, login):
    client = login("head")
    text = "## Purpose\n\nStaff use *TikTok*.\n\n<script>alert(1)</script>\n\n[x](javascript:alert(1))"
    response = client.post("/policies/preview/", {"text": text})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data == {"html": render_markdown(text), "problems": []}
    assert "<h2>Purpose</h2>" in data["html"] and "<em>TikTok</em>" in data["html"]
    assert "<script" not in data["html"] and "javascript:" not in data["html"]


def test_preview_says_what_would_stop_the_text_being_saved(demo, login):
    data = login("head").post("/policies/preview/", {"text": DEEP}).json()
    assert data["problems"] and "levels deep" in data["problems"][0]
    too_long = login("head").post("/policies/preview/", {"text": "x" * 200_001}).json()
    assert too_long["html"] == "" and "characters long" in too_long["problems"][0]


def test_preview_needs_a_policy_writer_a_post_and_the_csrf_token(demo, login):
    assert login("teacher").post("/policies/preview/", {"text": "Hi"}).status_code == 403
    assert login("chair").post("/policies/preview/", {"text": "Hi"}).status_code == 403
    assert login("head").get("/policies/preview/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(demo["head"])
    assert strict.post("/policies/preview/", {"text": "Hi"}).status_code == 403
    assert Client().post("/policies/preview/", {"text": "Hi"}).status_code == 302  # to the login page

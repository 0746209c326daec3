from policies.markdown import render_markdown, text_sha256
from policies.redline import redline

HOSTILE = """## Heading

<script>alert('x')</script>

<img src="x.png" onerror="alert(1)">

<p onclick="steal()">Click me</p>

[Click here](javascript:alert(document.cookie)) and [safe](https://example.org/page).

<a href="JaVaScRiPt:alert(1)">sneaky</a>
"""


def test_markdown_loses_script_event_handlers_and_javascript_links():
    html = render_markdown(HOSTILE).lower()
    assert "<script" not in html
    assert "onerror" not in html and "onclick" not in html
    assert "javascript:" not in html
    assert "<h2>heading</h2>" in html
    assert 'href="https://example.org/page"' in html
    assert "click me" in html


def test_hash_is_of_the_exact_text():
    assert text_sha256("Policy text") != text_sha256("Policy text ")
    assert text_sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_redline_marks_words_within_a_changed_paragraph_and_escapes_html():
    rows = redline(
        "Staff use Facebook.\n\nKept paragraph.", "Staff use TikTok <b>now</b>.\n\nKept paragraph."
    )
    changed = rows[0]
    assert changed["kind"] == "changed"
    assert "<del>Facebook.</del>" in changed["html"]
    assert "<ins>TikTok &lt;b&gt;now&lt;/b&gt;.</ins>" in changed["html"]
    assert rows[1] == {"kind": "same", "html": "Kept paragraph."}


def test_redline_marks_added_and_removed_paragraphs():
    rows = redline("One.\n\nTwo.", "One.\n\nThree is new.\n\nTwo.")
    assert [r["kind"] for r in rows] == ["same", "added", "same"]
    rows = redline("One.\n\nTwo.", "One.")
    assert rows[1] == {"kind": "removed", "html": "<del>Two.</del>"}

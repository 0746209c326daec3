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


DELETED = '<del><span class="visually-hidden">deleted: </span>'
INSERTED = '<ins><span class="visually-hidden">inserted: </span>'


def test_redline_marks_words_within_a_changed_paragraph_and_escapes_html():
    rows = redline(
        "Staff use Facebook.\n\nKept paragraph.", "Staff use TikTok <b>now</b> &lt;i&gt;.\n\nKept paragraph."
    )
    changed = rows[0]
    assert changed["kind"] == "changed"
    assert f"<p>Staff use {DELETED}Facebook.</del>" in changed["html"]
    # Raw HTML in the text is dropped by the sanitiser; written-out markup stays words, escaped.
    assert f"{INSERTED}TikTok now &lt;i&gt;.</ins></p>" in changed["html"]
    assert "<b>" not in changed["html"] and "<i>" not in changed["html"]
    assert rows[1] == {"kind": "same", "html": "<p>Kept paragraph.</p>"}


def test_redline_marks_added_and_removed_paragraphs():
    rows = redline("One.\n\nTwo.", "One.\n\nThree is new.\n\nTwo.")
    assert [r["kind"] for r in rows] == ["same", "added", "same"]
    assert rows[1]["html"] == f"<p>{INSERTED}Three is new.</ins></p>"
    rows = redline("One.\n\nTwo.", "One.")
    assert rows[1] == {"kind": "removed", "html": f"<p>{DELETED}Two.</del></p>"}


def test_redline_shows_the_rendered_text_not_the_markdown():
    rows = redline(
        "## Social media\n\nStaff use *MySpace*, Facebook.\n\n- Phones\n- Cameras",
        "## Online media\n\nStaff use *TikTok*, Facebook.\n\n- Phones\n- Tablets\n- Cameras",
    )
    html = "".join(r["html"] for r in rows)
    assert "##" not in html and "*" not in html
    assert rows[0]["html"] == f"<h2>{DELETED}Social</del>{INSERTED}Online</ins> media</h2>"
    # The emphasis stays emphasis, around the words that changed.
    assert f"<em>{DELETED}MySpace</del>{INSERTED}TikTok</ins></em>, Facebook." in rows[1]["html"]
    # List items stay list items; the new one alone is marked.
    assert [r["kind"] for r in rows[2:]] == ["same", "added", "same"]
    assert rows[3]["html"] == f"<ul><li>{INSERTED}Tablets</ins></li></ul>"


def test_redline_numbered_list_keeps_its_numbers_and_tables_their_cells():
    table = "\n\n| a | b |\n|---|---|\n| 1 | {} |"
    rows = redline("1. First\n2. Second step" + table.format(2), "1. First\n2. Later step" + table.format(3))
    assert rows[1]["html"] == f'<ol start="2"><li>{DELETED}Second</del>{INSERTED}Later</ins> step</li></ol>'
    assert f"<td>{DELETED}2</del>{INSERTED}3</ins></td>" in rows[2]["html"]


def test_redline_is_safe_with_hostile_text():
    rows = redline("Plain.", HOSTILE)
    html = "".join(r["html"] for r in rows).lower()
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html
    assert "onclick" not in html
    assert 'href="https://example.org/page"' in html

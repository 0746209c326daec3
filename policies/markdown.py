"""Markdown to safe HTML: what a policy author writes can never run script in a reader's browser.

Nor can it break a record. Text is checked for size and nesting depth before it is saved
(`markdown_problems`), because Markdown, browsers and WeasyPrint all recurse once per level: a few
thousand nested quotes or list items pass the sanitiser and then crash the PDF of a permanent,
published version. A text saved before these limits existed is rendered with its nesting
flattened (`flatten_html`), and the evidence certificate says so.
"""

import hashlib
import html
import re
from html.parser import HTMLParser

import markdown as md
import nh3

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote",
    "em", "strong", "code", "pre", "a", "table", "thead", "tbody", "tr", "th", "td", "ins", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}

# A policy of 60 pages is some 150,000 characters; the limit leaves room and bounds the work.
MAX_MARKDOWN_CHARS = 200_000
# Lists inside lists, quotes inside quotes and emphasis inside emphasis, counted together. Real
# policies use three or four; Markdown, browsers and PDF rendering all cope easily with ten.
MAX_NESTING = 10
# Tags that count as a level of nesting.
NESTING_TAGS = {"ul", "ol", "blockquote", "em", "strong", "del", "ins", "code"}
VOID_TAGS = {"br", "hr"}
# Before Markdown sees the text at all: quote and list markers at the start of a line, and
# indentation, counted generously (a code block indented in a list counts too), so a text that
# would make Markdown recurse thousands of times is refused before it is parsed.
_LINE_MARKER = re.compile(r"[ \t]*(?:>|[-*+][ \t]|\d{1,9}[.)][ \t])")
_SOURCE_NESTING_GUARD = 3 * MAX_NESTING
# Markdown looks for the end of a link at every "[" and "(", which takes minutes for thousands of
# them left open: brackets nest at most this deep.
MAX_BRACKET_NESTING = 2 * MAX_NESTING
_BRACKET = re.compile(r"[\[\]()]")


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for match in _BRACKET.finditer(text):
        depth = depth + 1 if match.group() in "[(" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def _source_depth(line: str) -> int:
    expanded = line.expandtabs(4)
    depth = (len(expanded) - len(expanded.lstrip(" "))) // 4
    position = 0
    while match := _LINE_MARKER.match(line, position):
        depth += 1
        position = match.end()
    return depth


def _parse(text: str) -> str:
    text = text.encode("utf-8", "replace").decode("utf-8")  # a lone surrogate is not text: "?" instead
    html_out = md.markdown(text, extensions=["sane_lists", "tables"], output_format="html")
    return nh3.clean(
        html_out,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )


def markdown_problems(text: str) -> list[str]:
    """What stops this text being saved, each said as what to change; empty when it is fine."""
    if len(text) > MAX_MARKDOWN_CHARS:
        return [
            f"The text is {len(text):,} characters long; the most a policy or agreement may have is "
            f"{MAX_MARKDOWN_CHARS:,}. Split it into separate documents, or move appendices elsewhere."
        ]
    brackets = _bracket_depth(text)
    if brackets > MAX_BRACKET_NESTING:
        return [
            f"The text has {brackets} brackets “[” or “(” open at once; at most {MAX_BRACKET_NESTING} are "
            "allowed. Close each bracket, or remove the ones that are not needed."
        ]
    deepest = max((_source_depth(line) for line in text.splitlines()), default=0)
    try:
        levels = html_nesting(_parse(text)) if deepest <= _SOURCE_NESTING_GUARD else deepest
    except RecursionError:
        levels = deepest or _SOURCE_NESTING_GUARD + 1
    if levels > MAX_NESTING:
        return [
            f"The text nests lists, quotes or emphasis {levels} levels deep; at most {MAX_NESTING} are "
            "allowed. Remove some of the “>”, “-” or “*” marks at the start of lines (or indentation), "
            "or the “*” and “_” around words inside other emphasis."
        ]
    return []


def render_markdown(text: str) -> str:
    """Safe HTML for the text. A text within the limits renders as written; anything deeper (only
    ever a text saved before the limits) is rendered line by line and flattened, so it never fails."""
    deepest = max((_source_depth(line) for line in text.splitlines()), default=0)
    if deepest <= _SOURCE_NESTING_GUARD and _bracket_depth(text) <= MAX_BRACKET_NESTING:
        try:
            return flatten_html(_parse(text))[0]
        except RecursionError:
            pass
    paragraphs = "".join(f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip())
    return paragraphs


class _Walker(HTMLParser):
    """Walks sanitised HTML without recursion, keeping each tag until `limit` levels deep."""

    def __init__(self, limit: int):
        super().__init__(convert_charrefs=True)
        self.limit, self.depth, self.deepest, self.flattened = limit, 0, 0, False
        self.kept: list[bool] = []  # one per open tag: whether it was written out
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in VOID_TAGS:
            self.out.append(self.get_starttag_text())
            return
        counts = tag in NESTING_TAGS
        level = self.depth + counts
        self.deepest = max(self.deepest, level)
        keep = level <= self.limit
        if counts:
            self.depth = level
        self.kept.append((keep, counts))
        if keep:
            self.out.append(self.get_starttag_text())
        else:
            self.flattened = True
            if tag in ("li", "p", "blockquote", "pre"):
                self.out.append("<br>")

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag in VOID_TAGS or not self.kept:
            return
        keep, counts = self.kept.pop()
        if counts:
            self.depth -= 1
        if keep:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(html.escape(data, quote=False))


def _walk(html_text: str, limit: int) -> _Walker:
    walker = _Walker(limit)
    walker.feed(html_text)
    walker.close()
    return walker


def html_nesting(html_text: str) -> int:
    """How many levels of lists, quotes and emphasis the deepest part of this HTML has."""
    return _walk(html_text, limit=10**9).deepest


def flatten_html(html_text: str, limit: int = MAX_NESTING) -> tuple[str, bool]:
    """The HTML with every level past `limit` removed (its text kept), and whether any was."""
    walker = _walk(html_text, limit)
    if not walker.flattened:
        return html_text, False
    return "".join(walker.out), True


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

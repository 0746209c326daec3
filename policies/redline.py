"""A redline of two policy texts as readers see them: headings as headings, lists as lists.

Both texts are rendered (and sanitised) by the portal's Markdown first, so no "##" or "*" shows.
Blocks (paragraphs, headings, list items, quotes, tables) are matched first; within a changed
block the words are compared, each keeping the formatting it has (bold, emphasis, a link), and
every change is marked with <ins> or <del> and a hidden cue a screen reader reads out, so a
change is never shown by colour alone. Only tags from the sanitised HTML are written back, and
all text is escaped, so the result is safe to show.
"""

import html
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from html.parser import HTMLParser

from .markdown import VOID_TAGS, render_markdown

_WORDS = re.compile(r"\S+|\s+")
LISTS = ("ul", "ol")
CUES = {"ins": "inserted: ", "del": "deleted: "}
# A pair of changed blocks less alike than this is shown as one removed and one added.
ALIKE = 0.3


class Tag(str):
    """A void tag (<br>, <hr>) among the words: written as it is, where words are escaped."""


@dataclass
class Block:
    """A top-level element, or one item of a top-level list (kept with its list's opening tag)."""

    tag: str
    html: str = ""
    tokens: list = field(default_factory=list)  # (text, stack); stack is ((id, start tag, tag), ...)
    list_tag: str = ""  # "<ul>" or '<ol start="3">' for a list item

    @property
    def key(self):
        return self.tag, "".join(t for t, _ in self.tokens)


class _Blocks(HTMLParser):
    def __init__(self, side: str):
        super().__init__(convert_charrefs=True)
        self.side, self.serial = side, 0
        self.blocks: list[Block] = []
        self.stack: list[tuple] = []  # open elements: (id, start tag text, tag)
        self.block: Block | None = None
        self.list_start: tuple[str, int] | None = None  # the top-level list open and its next number

    def _raw(self, text):
        if self.block is not None:
            self.block.html += text

    def _inner(self):
        # Inside a list-item block the <ul> and <li> are the block's own frame, not its content.
        return tuple(self.stack[2:] if self.list_start else self.stack[1:])

    def handle_starttag(self, tag, attrs):
        text = self.get_starttag_text()
        if tag in VOID_TAGS:
            if not self.stack:
                self.blocks.append(Block(tag, text, [(Tag(text), ())]))
            elif self.block is not None:
                self._raw(text)
                self.block.tokens.append((Tag(text), self._inner()))
            return
        self.serial += 1
        depth = len(self.stack)
        if depth == 0:
            if tag in LISTS:
                start = dict(attrs).get("start") or "1"
                self.list_start = (tag, int(start) if start.isdigit() else 1)
            else:
                self.block = Block(tag)
        elif depth == 1 and self.list_start and tag == "li":
            kind, number = self.list_start
            opening = f'<ol start="{number}">' if kind == "ol" else "<ul>"
            self.block = Block("li", list_tag=opening)
            self.list_start = (kind, number + 1)
        self.stack.append((f"{self.side}{self.serial}", text, tag))
        self._raw(text)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID_TAGS or not self.stack:
            return
        self._raw(f"</{tag}>")
        self.stack.pop()
        depth = len(self.stack)
        if self.block is not None and (depth == 0 or (depth == 1 and self.list_start)):
            self.blocks.append(self.block)
            self.block = None
        if depth == 0:
            self.list_start = None

    def handle_data(self, data):
        if self.block is None:
            return  # white space between blocks
        self._raw(html.escape(data, quote=False))
        inner = self._inner()
        self.block.tokens += [(word, inner) for word in _WORDS.findall(data)]


def blocks_of(markdown_text: str, side: str = "b") -> list[Block]:
    parser = _Blocks(side)
    parser.feed(render_markdown(markdown_text))
    parser.close()
    return parser.blocks


def _key(token):
    text, stack = token
    return text, tuple(start for _, start, _ in stack)


def _emit(tokens) -> str:
    """Write (text, stack, mark) tokens as HTML: each element opened and closed around its words,
    and each mark innermost, so the nesting is always valid."""
    out, open_stack, mark = [], [], None

    def close_mark():
        nonlocal mark
        if mark:
            out.append(f"</{mark}>")
            mark = None

    for text, stack, want in tokens:
        common = 0
        while common < min(len(open_stack), len(stack)) and open_stack[common][0] == stack[common][0]:
            common += 1
        if common < len(open_stack) or len(stack) > common:
            close_mark()
        for _, _, tag in reversed(open_stack[common:]):
            out.append(f"</{tag}>")
        for _, start, _ in stack[common:]:
            out.append(start)
        open_stack = list(stack)
        if want != mark:
            close_mark()
            if want:
                out.append(f'<{want}><span class="visually-hidden">{CUES[want]}</span>')
                mark = want
        out.append(text if isinstance(text, Tag) else html.escape(text, quote=False))
    close_mark()
    for _, _, tag in reversed(open_stack):
        out.append(f"</{tag}>")
    return "".join(out)


def _words(old: Block | None, new: Block | None) -> str:
    a, b = (old.tokens if old else []), (new.tokens if new else [])
    opcodes = SequenceMatcher(None, [_key(t) for t in a], [_key(t) for t in b], autojunk=False).get_opcodes()
    # An element of the old text that holds some of the same words is the same element in the new.
    same = {}
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            for (_, sa), (_, sb) in zip(a[i1:i2], b[j1:j2], strict=True):
                same.update((x[0], y) for x, y in zip(sa, sb, strict=True))
    # Words replaced in place (a table cell's number, an emphasised word) stay in their element.
    for op, i1, _, j1, _ in opcodes:
        if op == "replace":
            for x, y in zip(a[i1][1], b[j1][1], strict=False):
                if x[2] == y[2]:
                    same.setdefault(x[0], y)
    tokens = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            tokens += [(text, stack, None) for text, stack in b[j1:j2]]
            continue
        if op in ("delete", "replace"):
            tokens += [(text, tuple(same.get(x[0], x) for x in stack), "del") for text, stack in a[i1:i2]]
        if op in ("insert", "replace"):
            tokens += [(text, stack, "ins") for text, stack in b[j1:j2]]
    return _emit(tokens)


def _row(kind, old: Block | None, new: Block | None) -> dict:
    shown = new or old
    if kind == "same":
        inner = new.html
    elif shown.tag in VOID_TAGS:
        inner = _words(old, new)  # a rule: marked as a whole
    else:
        opening = shown.html[: shown.html.index(">") + 1]
        inner = f"{opening}{_words(old, new)}</{shown.tag}>"
    if shown.list_tag:
        closing = "</ol>" if shown.list_tag.startswith("<ol") else "</ul>"
        inner = f"{shown.list_tag}{inner}{closing}"
    return {"kind": kind, "html": inner}


def redline(old: str, new: str) -> list[dict]:
    """Each block as {"kind": same|changed|added|removed, "html": ...}, in the new text's order."""
    a, b = blocks_of(old, "a"), blocks_of(new, "b")
    rows = []
    for op, i1, i2, j1, j2 in SequenceMatcher(
        None, [x.key for x in a], [y.key for y in b], autojunk=False
    ).get_opcodes():
        if op == "equal":
            rows += [_row("same", None, y) for y in b[j1:j2]]
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for k in range(max(len(olds), len(news))):
            old = olds[k] if k < len(olds) else None
            new = news[k] if k < len(news) else None
            if old and new and old.tag == new.tag and old.list_tag[:3] == new.list_tag[:3]:
                alike = SequenceMatcher(None, old.key[1], new.key[1], autojunk=False).ratio()
                if alike >= ALIKE:
                    rows.append(_row("changed", old, new))
                    continue
            if old:
                rows.append(_row("removed", old, None))
            if new:
                rows.append(_row("added", None, new))
    return rows

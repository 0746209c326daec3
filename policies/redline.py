"""A redline of two policy texts: paragraphs matched first, then words within changed paragraphs.

Works on the Markdown source and escapes every piece, so the result is safe to show as HTML.
"""

import re
from difflib import SequenceMatcher

from django.utils.html import escape

_WORDS = re.compile(r"\S+|\s+")


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]


def _ins(text):
    return f"<ins>{escape(text)}</ins>"


def _del(text):
    return f"<del>{escape(text)}</del>"


def redline_words(old: str, new: str) -> str:
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    out = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
        if op in ("delete", "replace"):
            out.append(_del("".join(a[i1:i2])))
        if op in ("insert", "replace"):
            out.append(_ins("".join(b[j1:j2])))
    return "".join(out)


def redline(old: str, new: str) -> list[dict]:
    """Each paragraph as {"kind": same|changed|added|removed, "html": ...}."""
    a, b = _paragraphs(old), _paragraphs(new)
    rows = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            rows += [{"kind": "same", "html": escape(p)} for p in a[i1:i2]]
        elif op == "delete":
            rows += [{"kind": "removed", "html": _del(p)} for p in a[i1:i2]]
        elif op == "insert":
            rows += [{"kind": "added", "html": _ins(p)} for p in b[j1:j2]]
        else:
            old_part, new_part = a[i1:i2], b[j1:j2]
            for k in range(max(len(old_part), len(new_part))):
                if k < len(old_part) and k < len(new_part):
                    rows.append({"kind": "changed", "html": redline_words(old_part[k], new_part[k])})
                elif k < len(old_part):
                    rows.append({"kind": "removed", "html": _del(old_part[k])})
                else:
                    rows.append({"kind": "added", "html": _ins(new_part[k])})
    return rows

"""Bounds on what an imported file may hold, checked before any of it is used.

Every import (people from the MIS, monitoring flags) reads its file through these, so a file
nested a hundred thousand levels deep, with a million rows, a megabyte in one cell or a character
that is not Unicode gets a message saying what to change rather than a crash. Nothing here
recurses: the depth of JSON is counted before `json.loads` sees it.
"""

import csv
import json
import re

from glenwood.services import ServiceError

MAX_JSON_DEPTH = 8
MAX_CELL_CHARS = 1000
# A JSON string (skipped whole, escapes included) or one bracket.
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class ImportTooLarge(ServiceError):
    """The file is beyond what an import takes; the message says what to change."""


def describe(text: str, limit: int = 40) -> str:
    """A piece of text safe to quote in a message: short, with unreadable characters escaped."""
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return shown.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")


def check_unicode(text: str, where: str) -> None:
    """Refuse text with a lone surrogate (a half of a character, as "\\ud800" in JSON writes it)
    or a NUL character, which no database column can store."""
    if "\x00" in text:
        raise ImportTooLarge(
            f"{where} has a NUL character (\\x00), which is not text. Export the file again, or delete it."
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = text[exc.start]
        raise ImportTooLarge(
            f"{where} has a character that is not valid Unicode (\\u{ord(bad):04x}, half of a pair). "
            "Export the file again from the original system, or delete that character."
        ) from None


def check_cell(text: str, where: str, max_chars: int = MAX_CELL_CHARS) -> None:
    check_unicode(text, where)
    if len(text) > max_chars:
        raise ImportTooLarge(
            f"{where} holds {len(text):,} characters; a cell may hold at most {max_chars:,}. "
            "Check that the columns are separated properly, or shorten it."
        )


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in this JSON text, counted without parsing it."""
    depth = deepest = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in ("]", "}"):
            depth -= 1
    return deepest


def load_json(text: str, *, max_depth: int = MAX_JSON_DEPTH):
    """The parsed JSON, once its depth is checked; every string in it is checked as Unicode."""
    depth = json_depth(text)
    if depth > max_depth:
        raise ImportTooLarge(
            f"The JSON nests lists or objects {depth:,} levels deep; an import takes at most {max_depth}. "
            'Export a plain list of records, such as [{"time": ..., "account": ...}, ...].'
        )
    data = json.loads(text)  # json.JSONDecodeError is the caller's to word
    stack = [(data, "The file")]
    while stack:  # an explicit stack: no recursion, whatever the shape
        value, where = stack.pop()
        if isinstance(value, str):
            check_unicode(value, where)
        elif isinstance(value, dict):
            for key, item in value.items():
                check_unicode(key, f"{where} (a field name)")
                stack.append((item, where if where != "The file" else f"The field “{describe(key)}”"))
        elif isinstance(value, list):
            stack.extend((item, where) for item in value)
    return data


def csv_rows(lines, *, max_rows: int, max_cell: int = MAX_CELL_CHARS, **reader_options):
    """csv.reader over `lines`, refusing more than `max_rows` rows or an oversized cell, with the
    row number in the message (row 1 is the headings, as a spreadsheet counts)."""
    reader = csv.reader(lines, **reader_options)
    for number, cells in enumerate(_guarded(reader), start=1):
        if number > max_rows + 1:
            raise ImportTooLarge(
                f"The file has more than {max_rows:,} rows; import at most {max_rows:,} at a time. Split it."
            )
        for column, cell in enumerate(cells, start=1):
            check_cell(cell, f"Row {number}, column {column}", max_cell)
        yield cells


def _guarded(reader):
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" not in str(exc):
                raise
            raise ImportTooLarge(
                f"Near line {reader.line_num} a cell holds more than {csv.field_size_limit():,} characters; "
                f"a cell may hold at most {MAX_CELL_CHARS:,}. Check the file's quotes and separators."
            ) from None

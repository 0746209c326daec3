"""Numbered clauses of a text, so a breach report can cite "clause 4 of the staff AUA, version 2"."""

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_NUMBERED = re.compile(r"^(\d+)\.\s+(.*)$")
_BULLET = re.compile(r"^[-*+]\s+(.*)$")


@dataclass(frozen=True)
class Clause:
    number: int
    heading: str
    text: str

    def __str__(self):
        return f"{self.number}. {self.text}"


def clauses(body: str) -> list[Clause]:
    """An agreement's numbered list items; for a policy without one, its bullet points in order."""
    numbered, bullets, heading = [], [], ""
    for line in body.splitlines():
        line = line.strip()
        if match := _HEADING.match(line):
            heading = match.group(1).strip()
        elif match := _NUMBERED.match(line):
            numbered.append(Clause(int(match.group(1)), heading, match.group(2).strip()))
        elif match := _BULLET.match(line):
            bullets.append(Clause(len(bullets) + 1, heading, match.group(1).strip()))
    return numbered or bullets


def clause(body: str, number: int) -> Clause | None:
    return next((c for c in clauses(body) if c.number == number), None)

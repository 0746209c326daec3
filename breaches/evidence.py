"""The exact words a case concerns: the policy clause, and the agreement the person signed."""

import datetime
import re
from dataclasses import dataclass

from django.utils import timezone

from agreements.models import Signature
from policies.clauses import clause, clauses

from .choices import CLAUSE_KEYWORDS

_EMPHASIS = re.compile(r"\*\*|__|(?<!\w)\*|\*(?!\w)")


def incident_moment(happened_on, happened_time=None, otherwise=None):
    """When it happened, as exactly as it is known; `otherwise` (the report or capture) when not at all."""
    if happened_on is None:
        return otherwise or timezone.now()
    if happened_time is not None:
        return timezone.make_aware(datetime.datetime.combine(happened_on, happened_time))
    # Only the day is known: an agreement signed that day may have come after, so it is not "before".
    return timezone.make_aware(datetime.datetime.combine(happened_on, datetime.time.min))


def signature_for(person, before=None):
    """The agreement in force for this person at `before` (the incident): the latest signed before it.

    An agreement signed after the incident is not the one they broke; None when there was none.
    """
    if person is None:
        return None
    signatures = Signature.objects.filter(person=person)
    if before is not None:
        signatures = signatures.filter(signed_at__lt=before)
    return (
        signatures.select_related("version", "agreement", "agreement__policy")
        .order_by("-signed_at", "-pk")
        .first()
    )


def no_agreement_wording(case) -> str:
    """What the case and the evidence pack say, plainly, when nothing was signed before the incident."""
    if case.subject_person_id is None:
        return ""
    when = case.happened_on or timezone.localtime(case.reported_at).date()
    return (
        f"No agreement signed before the incident: {case.subject_person} had not signed an "
        f"Acceptable Use Agreement before {when:%-d %B %Y}."
    )


def suggest_clause(body: str, category) -> int | None:
    """The first clause that speaks of the category, for the lead to confirm or correct."""
    words = [w.lower() for w in CLAUSE_KEYWORDS.get(category, [])]
    for c in clauses(body or ""):
        text = c.text.lower()
        if any(w in text for w in words):
            return c.number
    return None


def clause_choices(body: str, *, width=110) -> list[tuple[int, str]]:
    return [(c.number, _short(f"{c.number}. {plain(c.text)}", width)) for c in clauses(body or "")]


def plain(text: str) -> str:
    """A clause as words: without the Markdown emphasis marks of the policy's source."""
    return _EMPHASIS.sub("", text)


def _short(text, width):
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@dataclass
class Cited:
    """One citation, ready for a page or the evidence pack."""

    document: str
    version: str
    number: int | None
    text: str


def cited_policy(case) -> Cited | None:
    version = case.policy_version
    if version is None:
        return None
    found = clause(version.body, case.policy_clause) if case.policy_clause else None
    return Cited(version.policy.title, version.label, case.policy_clause, plain(found.text) if found else "")


def cited_agreement(case) -> Cited | None:
    signature = case.signature
    if signature is None:
        return None
    found = clause(signature.version.body, case.agreement_clause) if case.agreement_clause else None
    return Cited(
        signature.agreement.title,
        signature.version.label,
        case.agreement_clause,
        plain(found.text) if found else "",
    )

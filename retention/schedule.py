"""The schedule the portal starts with, from the IRMS Academies toolkit and KCSIE.

Seeded once by a data migration; after that the trust administrator owns it (the portal's
retention page), so a change here reaches no existing installation, except a kind that has no
rule at all, which gets its default back (`rules_in_force`).
"""

IRMS = "IRMS Information Management Toolkit for Academies (2024)"
KCSIE = "Keeping Children Safe in Education (2025)"

DEFAULT_RULES = [
    {
        "kind": "signature",
        "counted_from": "the day the person left the school",
        "years": 6,
        "action": "delete",
        "source": f"{IRMS}: staff and pupil records, end of relationship + 6 years",
        "notes": "A signature whose case still cites it is kept until the case goes.",
    },
    {
        "kind": "decline",
        "counted_from": "the day the person left the school",
        "years": 6,
        "action": "delete",
        "source": f"{IRMS}: staff and pupil records, end of relationship + 6 years",
    },
    {
        "kind": "child_protection",
        "counted_from": "the pupil's date of birth (the leaving date when no date of birth is held)",
        "years": 25,
        "action": "review",
        "source": f"{IRMS}: child protection information, date of birth of the child + 25 years, then review; {KCSIE} Part 2",
        "notes": "Without a date of birth the portal counts from the leaving date, which keeps the record longer.",
    },
    {
        "kind": "staff_allegation",
        "counted_from": "the allegation: until normal pension age or 10 years, whichever is longer",
        "years": 10,
        "pension_age": 67,
        "action": "review",
        "source": f"{KCSIE} Part 4; {IRMS}: allegations against staff, normal pension age or 10 years, then review",
        "notes": "Allegations found malicious or false are removed, not kept.",
    },
    {
        "kind": "low_level_concern",
        "counted_from": "the day the person left the school",
        "action": "delete",
        "source": f"{KCSIE} Part 4 section 2: kept at least until the individual leaves employment",
    },
    {
        "kind": "monitoring_flag",
        "counted_from": "the day its case was closed with nothing further done",
        "months": 6,
        "action": "delete",
        "source": "UK GDPR Article 5(1)(e), storage limitation: the trust's own period (no toolkit line)",
    },
    {
        "kind": "import_file",
        "counted_from": "the day the file was uploaded",
        "days": 28,
        "action": "anonymise",
        "source": "UK GDPR Article 5(1)(e), storage limitation: the raw MIS file is needed only to check and apply it",
    },
    {
        "kind": "audit_entry",
        "counted_from": "the day the entry was written",
        "years": 7,
        "action": "review",
        "source": f"{IRMS}: management of the school, audit records, current year + 6 years",
        "notes": "Audit entries are links of a hash chain: reaching the date asks for a decision, recorded; the chain is not cut.",
    },
]


def rules_in_force():
    """Every kind of record's rule, the default put back for any kind that has none (a database
    restored from an old backup, say): a kind without a rule would never be reviewed at all."""
    from .models import RetentionRule

    have = set(RetentionRule.objects.values_list("kind", flat=True))
    for rule in DEFAULT_RULES:
        if rule["kind"] not in have:
            RetentionRule.objects.get_or_create(kind=rule["kind"], defaults=rule)
    return RetentionRule.objects.all()

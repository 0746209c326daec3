"""Letters to the member of staff concerned (Acas Code): made from templates, kept on the case,
emailed and shown in the portal. A letter is written inside the step's transaction; it is sent
once that transaction commits (reminders.receivers), so a step undone sends nothing."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ..choices import EntryKind, LetterKind
from ..models import Letter
from ..signals import letter_written
from .common import add_entry, keep

SUBJECTS = {
    LetterKind.INVESTIGATION_MEETING: "Invitation to an investigation meeting",
    LetterKind.SUSPENSION: "Suspension on full pay while the allegation is investigated",
    LetterKind.SUSPENSION_REVIEW: "Review of your suspension",
    LetterKind.HEARING: "Invitation to a disciplinary hearing",
    LetterKind.OUTCOME: "The outcome of the disciplinary hearing",
    LetterKind.APPEAL_HEARING: "Invitation to your appeal hearing",
    LetterKind.APPEAL_OUTCOME: "The outcome of your appeal",
}


def write_letter(*, actor, case, kind, dated=None, **details) -> Letter | None:
    """The letter of this step to the person concerned. Call inside the step's transaction."""
    person = case.subject_person
    if person is None:
        return None  # nobody at the school to write to (an external person is written to by post)
    dated = dated or timezone.localdate()
    subject = f"{SUBJECTS[kind]} ({case.reference})"
    context = {
        "case": case, "person": person, "school": case.school, "dated": dated, "sender": actor,
        "portal": settings.SITE_URL.rstrip("/") + reverse("breaches:concerning_detail", args=[case.pk]),
        **details,
    }  # fmt: skip
    body = render_to_string(f"breaches/letters/{kind}.txt", context).strip()
    entry = add_entry(case, actor=actor, kind=EntryKind.LETTER, text=f"Letter to {person}: {SUBJECTS[kind]}.")
    letter = keep(
        case,
        Letter.objects.create(
            case=case,
            entry=entry,
            recipient=person,
            kind=kind,
            subject=subject,
            body=body,
            dated=dated,
            sent_by=actor,
        ),
    )
    letter_written.send(sender=Letter, letter=letter)  # receivers write to the outbox, in this transaction
    return letter

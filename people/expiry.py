"""What a locked-out account is told, in one place for the log-in form and the middleware."""

from django.utils.dateformat import format as format_date


def expired_message(person) -> str:
    if person.has_left:
        return (
            f"Your account closed when you left {person.school} on {format_date(person.leaving_date, 'j F Y')}. "
            "If you still need access, ask the school office."
        )
    return (
        f"Your account expired on {format_date(person.access_expires_on, 'j F Y')}. "
        "If you still need access, ask the school office to extend it."
    )

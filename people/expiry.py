"""What an expired account is told, in one place for the log-in form and the middleware."""

from django.utils.dateformat import format as format_date


def expired_message(person) -> str:
    return (
        f"Your account expired on {format_date(person.access_expires_on, 'j F Y')}. "
        "If you still need access, ask the school office to extend it."
    )

"""What every app's forms share: crispy Bootstrap 5 layout with one submit button."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit


class CrispyForm:
    submit_label = "Save"
    submit_class = "btn-primary"
    form_tag = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = self.form_tag
        submit = Submit("submit", self.submit_label)
        # Crispy's Submit is always "btn-primary"; another style replaces it rather than fighting it.
        submit.field_classes = f"btn {self.submit_class}"
        self.helper.add_input(submit)


def search_text(request, name="q", limit=100) -> str:
    """What was typed in a search box, trimmed and bounded (it goes into a LIKE), without the NUL
    characters PostgreSQL refuses in text."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:limit]


def posted_text(request, name, limit=2000) -> str:
    """A short note posted without a form of its own (a reason, an acknowledgement), trimmed and
    bounded, without NUL characters; the service decides whether it is enough."""
    return request.POST.get(name, "").replace("\x00", "").strip()[:limit]

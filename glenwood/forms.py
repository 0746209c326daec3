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

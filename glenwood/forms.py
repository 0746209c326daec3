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
        self.helper.add_input(Submit("submit", self.submit_label, css_class=self.submit_class))

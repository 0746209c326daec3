from django import forms

from glenwood.forms import CrispyForm

from .models import ReminderSettings


class ReminderSettingsForm(CrispyForm, forms.ModelForm):
    submit_label = "Save reminder settings"

    class Meta:
        model = ReminderSettings
        fields = ["review_days_before", "overdue_every_days", "chase_after_days", "chase_every_days",
                  "chase_at_most", "digest_weekday"]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("overdue_every_days", "chase_every_days"):
            self.fields[name].min_value = 1
            self.fields[name].widget.attrs["min"] = 1

    def clean_review_days_before(self):
        value = self.cleaned_data["review_days_before"]
        parts = [p.strip() for p in value.split(",") if p.strip()]
        if not parts or not all(p.isdigit() and 0 < int(p) <= 365 for p in parts):
            raise forms.ValidationError(
                "Give whole numbers of days from 1 to 365, separated by commas, e.g. 60,30,7."
            )
        return ",".join(str(d) for d in sorted({int(p) for p in parts}, reverse=True))

    def clean(self):
        data = super().clean()
        for name in ("overdue_every_days", "chase_every_days"):
            if data.get(name) == 0:
                self.add_error(name, "Must be at least 1 day.")
        return data

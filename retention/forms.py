from django import forms

from glenwood.forms import CrispyForm

from .models import RetentionRule


class RuleForm(CrispyForm, forms.ModelForm):
    submit_label = "Save this rule"

    class Meta:
        model = RetentionRule
        fields = ["counted_from", "years", "months", "days", "pension_age", "action", "source", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


HOLDABLE = {
    "people.person": "A person (every record about them)",
    "breaches.case": "A case",
    "agreements.signature": "A signature",
    "agreements.decline": "A decline",
}


class HoldForm(CrispyForm, forms.Form):
    submit_label = "Place the legal hold"

    record_type = forms.ChoiceField(label="What is held", choices=list(HOLDABLE.items()))
    record_id = forms.IntegerField(label="Its number", min_value=1)
    reason = forms.CharField(
        label="The investigation, appeal or claim", max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=1000, required=False)


class AccessRequestForm(CrispyForm, forms.Form):
    submit_label = "Start the export"

    person = forms.ModelChoiceField(queryset=None, label="Whose data")
    requested_on = forms.DateField(
        label="The day the request reached the school", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people

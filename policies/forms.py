from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse_lazy

from glenwood.forms import CrispyForm
from people.models import GoverningBody

from .markdown import markdown_problems
from .models import Decision, Policy, PolicyVersion
from .services import DETAIL_FIELDS

# The textarea the policy editor (static/js/markdown-editor.js) takes over; plain without script.
EDITOR = {"data-markdown-editor": "", "data-preview-url": reverse_lazy("policies:preview")}


def clean_markdown_body(text: str) -> str:
    """Refuse, before it is saved, a text too long or too deeply nested to render or print."""
    problems = markdown_problems(text or "")
    if problems:
        raise forms.ValidationError(problems)
    return text


class PolicyForm(CrispyForm, forms.ModelForm):
    submit_label = "Add policy and start its first draft"
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 14, **EDITOR}), help_text="Markdown.")
    reviewed_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), label="Reviewed"
    )

    class Meta:
        model = Policy
        fields = [
            "title", "category", "reviewer_role", "approval_body", "review_interval_months",
            "for_staff", "for_pupils", "for_visitors", "for_governors", "public", "related",
        ]  # fmt: skip

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["approval_body"].queryset = GoverningBody.objects.filter(school=school)
        self.fields["related"].queryset = Policy.objects.filter(school=school)
        self.fields["related"].required = False

    def clean_body(self):
        return clean_markdown_body(self.cleaned_data["body"])

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if Policy.objects.filter(school=self.school, title__iexact=title).exists():
            raise forms.ValidationError("The school already has a policy with this title.")
        return title


class PolicyDetailsForm(CrispyForm, forms.ModelForm):
    """The details set when a policy was added, changed later; the text changes by a new version."""

    submit_label = "Save details"

    class Meta:
        model = Policy
        fields = [*DETAIL_FIELDS, "related"]  # what the service may change, and the links
        help_texts = {
            "review_interval_months": "Counted from each review: a change applies from the next version.",
            "reviewer_role": "Who drafts its revisions and submits them to the governors.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        policy = self.instance
        self.fields["approval_body"].queryset = GoverningBody.objects.filter(school_id=policy.school_id)
        self.fields["related"].queryset = Policy.objects.filter(school_id=policy.school_id).exclude(
            pk=policy.pk
        )
        self.fields["related"].required = False
        self.fields["review_interval_months"].max_value = 60
        self.fields["review_interval_months"].min_value = 1
        self.fields["review_interval_months"].validators += [MinValueValidator(1), MaxValueValidator(60)]

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        others = Policy.objects.filter(school_id=self.instance.school_id, title__iexact=title)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError("The school already has a policy with this title.")
        return title


class DraftForm(CrispyForm, forms.ModelForm):
    submit_label = "Save draft"

    class Meta:
        model = PolicyVersion
        fields = ["label", "reviewed_on", "next_review_on", "change_summary", "body"]
        widgets = {
            "reviewed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "next_review_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "change_summary": forms.Textarea(attrs={"rows": 3}),
            "body": forms.Textarea(attrs={"rows": 24, **EDITOR}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The text is hashed exactly as written: keep its leading and trailing white space.
        self.fields["body"].strip = False

    def clean_body(self):
        return clean_markdown_body(self.cleaned_data["body"])

    def clean(self):
        data = super().clean()
        reviewed, next_review = data.get("reviewed_on"), data.get("next_review_on")
        if reviewed and next_review and next_review <= reviewed:
            self.add_error("next_review_on", "The next review must come after the review date.")
        return data


class StartRevisionForm(CrispyForm, forms.Form):
    submit_label = "Start a revision"
    form_tag = False  # the page supplies the <form>, posting to the policy's revise URL
    reviewed_on = forms.DateField(
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), label="Reviewed"
    )
    change_summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SubmitForm(forms.Form):
    """The head's "Submit for approval": the governors' meeting date is optional."""

    meeting_on = forms.DateField(
        required=False, label="Governors' meeting (optional)",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip


class DecisionForm(CrispyForm, forms.Form):
    submit_label = "Record my decision"
    decision = forms.ChoiceField(choices=Decision.choices, widget=forms.RadioSelect)
    minute_reference = forms.CharField(
        max_length=80, required=False, help_text="Needed to approve, e.g. FGB/2026/14."
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, help_text="Needed to request changes."
    )
    shown_sha256 = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("decision") == Decision.APPROVE and not data.get("minute_reference", "").strip():
            self.add_error("minute_reference", "Give the minute reference of the meeting.")
        if data.get("decision") == Decision.REQUEST_CHANGES and not data.get("comment", "").strip():
            self.add_error("comment", "Say what should change.")
        return data

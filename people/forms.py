from django import forms

from glenwood.forms import CrispyForm

from . import grants
from .imports import COLUMN_LABELS, KIND_COLUMNS, MAX_UPLOAD_BYTES
from .models import DEFAULT_YEAR_AGREEMENTS, ImportKind, PupilAgreement, Role, VisitorKind
from .rules import YEAR_GROUPS, field_problems
from .services import EDITABLE_FIELDS


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(CrispyForm, forms.Form):
    """The school details an administrator looks after. A plain form, so the person it edits is
    untouched until the service saves it and records the change."""

    submit_label = "Save changes"
    roles = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, required=False, help_text=grants.PROTECTED_HELP
    )
    year_group = forms.TypedChoiceField(
        choices=[("", "Not a pupil")] + [(y, f"Year {y}") for y in YEAR_GROUPS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    tutor_group = forms.CharField(max_length=20, required=False, help_text='Pupils: e.g. "7G".')
    visitor_kind = forms.ChoiceField(
        label="Visitor type", choices=[("", "Not a visitor"), *VisitorKind.choices], required=False
    )
    date_of_birth = forms.DateField(
        widget=_date_input(),
        required=False,
        help_text="Pupils: child-protection records are kept until 25 years after it, then reviewed.",
    )
    leaving_date = forms.DateField(
        widget=_date_input(),
        required=False,
        help_text="From this day the person owes nothing more; what they signed is kept.",
    )
    access_expires_on = forms.DateField(
        label="Account works until",
        widget=_date_input(),
        required=False,
        help_text="Supply staff and trainees: the account stops working after this day. "
        "Leave blank for no end date.",
    )

    def __init__(self, *args, person, actor, **kwargs):
        self.person, self.actor = person, actor
        self.current_roles = frozenset(person.role_assignments.values_list("role", flat=True))
        initial = {name: getattr(person, name) for name in EDITABLE_FIELDS}
        super().__init__(*args, initial={**initial, "roles": sorted(self.current_roles)}, **kwargs)
        # Only a trust administrator hands out the trust-wide role; for everyone else it is kept as is.
        self.fields["roles"].choices = [
            (value, label)
            for value, label in Role.choices
            if actor.is_trust_admin or value != Role.TRUST_ADMIN
        ]

    def clean_roles(self):
        roles = frozenset(self.cleaned_data["roles"])
        if not self.actor.is_trust_admin:
            roles |= self.current_roles & {Role.TRUST_ADMIN}
        if not roles:
            raise forms.ValidationError("Give the person at least one role.")
        return roles

    def _role_change_problems(self, roles):
        """Who may give or take away each role ticked or unticked, as the role services check it."""
        added, removed = roles - self.current_roles, self.current_roles - roles
        problems = [
            grants.who_problem(self.actor, self.person, r, granting=r in added) for r in added | removed
        ]
        problems += [grants.last_head_problem(self.person, r) for r in removed]
        return sorted(filter(None, problems))

    def clean_tutor_group(self):
        return self.cleaned_data["tutor_group"].strip()

    def clean(self):
        data = super().clean()
        if "roles" in data:
            roles = data["roles"]
            problems = field_problems(
                roles=roles,
                year_group=data.get("year_group"),
                visitor_kind=data.get("visitor_kind", ""),
                start_date=self.person.start_date,
                leaving_date=data.get("leaving_date"),
                date_of_birth=born
                if (born := data.get("date_of_birth")) != self.person.date_of_birth
                else None,
            )
            for name, message in problems.items():
                self.add_error(name, message)
            for message in self._role_change_problems(roles):
                self.add_error("roles", message)
            leaving = grants.head_leaving_problem(
                self.person,
                roles=roles,
                leaving_date=data.get("leaving_date"),
                access_expires_on=data.get("access_expires_on"),
            )
            if leaving and "leaving_date" not in self.errors:
                self.add_error("leaving_date", leaving)
        return data


class ImportUploadForm(CrispyForm, forms.Form):
    submit_label = "Check the file"
    kind = forms.ChoiceField(
        label="Who is in the file",
        choices=ImportKind.choices,
        initial=ImportKind.PUPILS,
        widget=forms.RadioSelect,
        help_text="A pupil list needs no Role column; in a staff list everyone is staff unless a Role "
        "column says supply, trainee, external or governor.",
    )
    file = forms.FileField(
        label="CSV file exported from your MIS",
        help_text="Saved as CSV UTF-8. Nothing changes until you have seen what the import would do.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1024 / 1024:.1f} MB; the largest the portal takes is "
                f"{MAX_UPLOAD_BYTES // 1024 // 1024} MB. Export fewer columns, or split the file by role."
            )
        return upload


class ImportMatchForm(CrispyForm, forms.Form):
    """One choice per heading the portal did not recognise: which of its columns it holds, or none."""

    submit_label = "Save and check the file"

    def __init__(self, *args, headings, kind, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "Ignore this column")] + [
            (c, COLUMN_LABELS[c].capitalize()) for c in KIND_COLUMNS[kind]
        ]
        self.headings = headings
        for index, heading in enumerate(headings):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=f"“{heading}” holds", choices=choices, required=False
            )

    def choices(self) -> dict[str, str]:
        return {heading: self.cleaned_data[f"column_{i}"] for i, heading in enumerate(self.headings)}


class YearGroupsForm(CrispyForm, forms.Form):
    submit_label = "Save"

    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        for year in YEAR_GROUPS:
            default = PupilAgreement(DEFAULT_YEAR_AGREEMENTS.get(year, "")).label
            self.fields[f"year_{year}"] = forms.ChoiceField(
                label=f"Year {year}",
                choices=PupilAgreement.choices,
                initial=current[year],
                required=False,
                help_text=f"Default: {default}." if year < 12 else "Sixth form: the school's choice.",
            )

    def choices(self) -> dict[int, str]:
        return {year: self.cleaned_data[f"year_{year}"] for year in YEAR_GROUPS}

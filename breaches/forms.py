"""The report forms (a full one, and a simpler one for pupils), flag entry and import."""

from django import forms
from django.conf import settings
from django.urls import reverse

from glenwood.forms import CrispyForm
from people.models import Person
from policies.models import PolicyKind, PolicyVersion, VersionStatus

from . import naming
from .choices import Category, Concerns
from .evidence import clause_choices
from .uploads import UploadRefused, check_upload

DATE = {"type": "date"}
DATETIME = {"type": "datetime-local"}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, max_files=None, **kwargs):
        self.max_files = max_files
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp,application/pdf"}),
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple) and self.max_files and len(data) > self.max_files:
            # Counted before any file is opened: the work a request does stays bounded.
            raise forms.ValidationError(
                f"You chose {len(data)} files; attach at most {self.max_files} at a time "
                "(send more afterwards from the report's page)."
            )
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def documents_field(label="Documents or screenshots"):
    limit = settings.BREACH_UPLOAD_MAX_BYTES // (1024 * 1024)
    return MultipleFileField(
        label=label,
        max_files=settings.BREACH_UPLOAD_MAX_FILES,
        help_text=f"Images (PNG, JPEG, GIF, WebP) or PDFs, up to {limit} MB each; you can choose several.",
    )


def sort_files(files):
    """Split chosen files into those accepted and the messages for those refused."""
    accepted, refused = [], []
    for upload in files:
        try:
            check_upload(upload)
            accepted.append(upload)
        except UploadRefused as exc:
            refused.append(str(exc))
    return accepted, refused


def policy_clause_choices(school):
    """Each current policy of the school, as a whole or clause by clause, grouped by policy."""
    versions = (
        PolicyVersion.objects.filter(
            policy__school=school, policy__kind=PolicyKind.POLICY, status=VersionStatus.PUBLISHED
        )
        .select_related("policy")
        .order_by("policy__title")
    )
    choices = [("", "Not sure, or none")]
    for v in versions:
        options = [(f"{v.pk}:0", f"{v.policy.title} as a whole")]
        options += [(f"{v.pk}:{n}", label) for n, label in clause_choices(v.body)]
        choices.append((f"{v.policy.title} ({v.label})", options))
    return choices


def parse_policy_clause(value, school):
    if not value:
        return None, None
    version_pk, _, number = value.partition(":")
    version = PolicyVersion.objects.select_related("policy").get(pk=int(version_pk), policy__school=school)
    return version, int(number) or None


class PersonChoiceField(forms.ModelChoiceField):
    """The person chosen, by id: filled in by the search (JavaScript), or chosen from the few
    matches shown when several people fit the name typed (without JavaScript)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reporter = None

    def label_from_instance(self, person):
        return naming.label(person, for_reporter=self.reporter)


def people_at(school):
    return Person.objects.current().filter(school=school).order_by("last_name", "first_name")


class EvidenceMixin:
    """A report keeps the files that pass and lists the ones refused, rather than losing the report."""

    def clean_evidence(self):
        accepted, self.refused_files = sort_files(self.cleaned_data.get("evidence") or [])
        if len(accepted) > settings.BREACH_UPLOAD_MAX_FILES:
            raise forms.ValidationError(f"Attach at most {settings.BREACH_UPLOAD_MAX_FILES} files.")
        return accepted


class ReportForm(EvidenceMixin, CrispyForm, forms.Form):
    submit_label = "Send the report"
    concerns = forms.ChoiceField(
        label="Whom does it concern?", choices=Concerns.choices, widget=forms.RadioSelect
    )
    subject_search = forms.CharField(
        label="Who is it?", max_length=100, required=False,
        help_text="Type at least three letters of their name.",
    )  # fmt: skip
    subject_person = PersonChoiceField(
        label="Which of these is it?", queryset=Person.objects.none(), required=False,
        empty_label="Choose one", widget=forms.HiddenInput,
    )  # fmt: skip
    subject_description = forms.CharField(
        label="Or describe them", max_length=200, required=False,
        help_text="For someone not at the school: a name, an account name, a former pupil.",
    )  # fmt: skip
    category = forms.ChoiceField(
        label="What kind of concern is it?", choices=[("", "Choose"), *Category.choices]
    )
    immediate_risk = forms.BooleanField(
        label="A child is at immediate risk of harm", required=False,
        help_text="Every DSL is emailed at once and it is dealt with today. If a child is in danger now, call 999 too.",
    )  # fmt: skip
    what_happened = forms.CharField(label="What happened?", widget=forms.Textarea(attrs={"rows": 6}))
    happened_on = forms.DateField(
        label="When did it happen?", required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    happened_time = forms.TimeField(
        label="At what time? (if you know)", required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )  # fmt: skip
    where = forms.CharField(
        label="Where?",
        max_length=200,
        required=False,
        help_text="e.g. Instagram, a school laptop in room 12.",
    )
    policy_clause = forms.ChoiceField(
        label="Which part of a policy does it concern?", required=False,
        help_text="If you are not sure, leave it: the headteacher or DSL will choose.",
    )  # fmt: skip
    evidence = documents_field("Evidence (screenshots or documents)")

    def __init__(self, *args, school, reporter, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.reporter = reporter
        # Never the roster: only the person chosen is looked up, among those this reporter may name.
        self.fields["subject_person"].queryset = naming.nameable_people(reporter)
        self.fields["subject_person"].reporter = reporter
        self.fields["subject_search"].help_text = (
            "Type at least three letters of their name: a member of staff, a pupil or a visitor."
            if naming.may_name_pupils(reporter)
            else "Type at least three letters of the name of a member of staff."
        )
        search = self.fields["subject_search"].widget.attrs
        search.update({"data-person-search": reverse("breaches:people_search"), "autocomplete": "off"})
        self.fields["policy_clause"].choices = policy_clause_choices(school)

    def _person_from_name(self, typed):
        """Without JavaScript: the name typed decides when it fits one person; when it fits a few,
        they are offered to choose from (never more than naming.MAX_MATCHES)."""
        matches = naming.matching_people(self.reporter, typed)
        if len(matches) == 1:
            return matches[0]
        field = self.fields["subject_person"]
        if not matches:
            letters = (
                ""
                if len("".join(naming.search_words(typed))) >= naming.MIN_LETTERS
                else " Type at least three letters."
            )
            self.add_error("subject_search", f"Nobody you can name here matches “{typed}”.{letters}")
            return None
        field.queryset = field.queryset.filter(pk__in=[p.pk for p in matches])
        field.widget = forms.Select(choices=field.choices)
        self.add_error("subject_person", f"{len(matches)} people match “{typed}”: choose one.")
        return None

    def clean(self):
        data = super().clean()
        if self.errors.pop("subject_person", None):
            # A hidden id that is not one this reporter may name: said where they can see it.
            self.add_error("subject_search", "Choose the person again by typing their name.")
            return data
        typed = (data.get("subject_search") or "").strip()
        if data.get("subject_person") is None and typed and data.get("concerns") != Concerns.UNKNOWN:
            data["subject_person"] = self._person_from_name(typed)
            if data["subject_person"] is None:
                return data
        concerns, person = data.get("concerns"), data.get("subject_person")
        if concerns and concerns != Concerns.UNKNOWN and person is None:
            self.add_error(
                "subject_search",
                "Choose the person: type their name, or choose “An unknown or external person”.",
            )
        if concerns == Concerns.UNKNOWN and person is not None:
            self.add_error("subject_search", "Leave this empty for someone not at the school.")
        return data

    def service_kwargs(self):
        data = self.cleaned_data
        version, clause = parse_policy_clause(data["policy_clause"], self.school)
        return {
            "category": data["category"], "concerns": data["concerns"], "subject_person": data["subject_person"],
            "subject_description": data["subject_description"], "what_happened": data["what_happened"],
            "happened_on": data["happened_on"], "happened_time": data["happened_time"],
            "where": data["where"], "policy_version": version,
            "policy_clause": clause, "documents": data["evidence"], "immediate_risk": data["immediate_risk"],
        }  # fmt: skip


# A pupil chooses from words they would use; each maps onto the policy's categories.
PUPIL_CATEGORIES = [
    (Category.PUPIL_CONTACT, "An adult from school contacted me on social media"),
    (Category.HARASSMENT, "Someone is bullying me or being unkind to me online"),
    (Category.IMAGES, "Photos or videos of me or other people were shared"),
    (Category.EXPLOITATION, "Someone online asked me for pictures, to meet, or to keep a secret"),
    (Category.OTHER, "Something else online worried me"),
]


class PupilReportForm(EvidenceMixin, CrispyForm, forms.Form):
    submit_label = "Send"
    category = forms.ChoiceField(
        label="What is it about?", choices=PUPIL_CATEGORIES, widget=forms.RadioSelect
    )
    what_happened = forms.CharField(label="Tell us what happened", widget=forms.Textarea(attrs={"rows": 5}))
    who = forms.CharField(label="Who was it? (if you know)", max_length=200, required=False)
    happened_on = forms.DateField(
        label="When? (if you know)", required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    where = forms.CharField(label="Where? For example, which app or website", max_length=200, required=False)
    evidence = documents_field("Screenshots (if you have them)")

    def __init__(self, *args, school=None, reporter=None, **kwargs):
        super().__init__(*args, **kwargs)

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "category": data["category"], "concerns": Concerns.UNKNOWN, "subject_description": data["who"],
            "what_happened": data["what_happened"], "happened_on": data["happened_on"], "where": data["where"],
            "documents": data["evidence"],
        }  # fmt: skip


class EvidenceForm(CrispyForm, forms.Form):
    """The reporter sends more evidence to an open report."""

    submit_label = "Send the files"
    documents = documents_field("More evidence")
    text = forms.CharField(
        label="Anything to add? (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_documents(self):
        files = self.cleaned_data.get("documents") or []
        _, refused = sort_files(files)
        if refused:
            raise forms.ValidationError(refused)
        if not files:
            raise forms.ValidationError("Choose a file to send.")
        return files


class FlagForm(CrispyForm, forms.Form):
    submit_label = "Record the flag"
    captured_at = forms.DateTimeField(
        label="Time of the capture", widget=forms.DateTimeInput(attrs=DATETIME, format="%Y-%m-%dT%H:%M")
    )
    account = forms.CharField(
        label="User account", max_length=150, help_text="The username the monitoring shows."
    )
    device = forms.CharField(label="Device name", max_length=120, help_text="e.g. ICT2-PC14")
    location = forms.CharField(label="Location", max_length=120, required=False, help_text="e.g. ICT Suite 2")
    matched_phrase = forms.CharField(label="Matched word or phrase", max_length=200)
    source_category = forms.CharField(
        label="The monitoring service's category", max_length=100, required=False,
        help_text="As the monitoring console names it, e.g. Suicide, Bullying, Radicalisation.",
    )  # fmt: skip
    screenshot = forms.FileField(
        label="Screenshot", required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}),
    )  # fmt: skip

    def clean_screenshot(self):
        shot = self.cleaned_data.get("screenshot")
        if shot:
            try:
                check_upload(shot)
            except UploadRefused as exc:
                raise forms.ValidationError(str(exc)) from exc
        return shot


class FlagImportForm(CrispyForm, forms.Form):
    submit_label = "Import"
    data_file = forms.FileField(
        label="Export file (CSV or JSON)",
        help_text="Columns: time, device, location, account, phrase, screenshot (the screenshot's file name).",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json,text/csv,application/json"}),
    )
    screenshots = MultipleFileField(label="Screenshots named in the file")

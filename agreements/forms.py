from django import forms
from django.conf import settings

from glenwood.forms import CrispyForm
from people.audiences import STAFF_ROLES
from people.models import Person, Role
from people.rules import YEAR_GROUPS
from policies.models import PolicyVersion, VersionStatus

from .models import Agreement, AgreementKind, ExportGroup


class SignForm(CrispyForm, forms.Form):
    submit_label = "Sign the agreement"
    consent = forms.BooleanField(required=True)
    typed_name = forms.CharField(
        label="Type your full name", max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    comment = forms.CharField(
        label="Comment (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text='For example: "My signature confirms receipt, not agreement."',
    )
    witness = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        label="Which member of staff talked this agreement through with you?",
        required=False,
    )
    shown_sha256 = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, agreement, signer, witness_known=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = agreement.consent_wording
        self.helper.form_id = "sign-form"
        self.helper.attrs = {"data-once": "true"}
        if signer.has_role(Role.PUPIL) and not witness_known:
            self.fields["witness"].required = True
            self.fields["witness"].queryset = (
                Person.objects.current()
                .filter(school_id=signer.school_id, role_assignments__role__in=STAFF_ROLES)
                .distinct()
                .order_by("last_name", "first_name")
            )
        else:
            del self.fields["witness"]
        if signer.has_role(Role.PUPIL):
            del self.fields["comment"]


class DeclineForm(CrispyForm, forms.Form):
    submit_label = "Decline"
    submit_class = "btn-outline-danger"
    reason = forms.CharField(label="Why are you declining?", widget=forms.Textarea(attrs={"rows": 3}))
    shown_sha256 = forms.CharField(widget=forms.HiddenInput)


class SessionOpenForm(CrispyForm, forms.Form):
    submit_label = "Open the session and make codes"
    agreement = forms.ModelChoiceField(queryset=Agreement.objects.none())
    year_group = forms.TypedChoiceField(
        choices=[("", "—")] + [(y, f"Year {y}") for y in YEAR_GROUPS],  # the sixth form too
        coerce=int,
        required=False,
        empty_value=None,
    )
    tutor_group = forms.CharField(max_length=20, required=False, help_text='Or a tutor group, e.g. "7G".')

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = Agreement.objects.filter(
            school=school, kind__in=[AgreementKind.KS3, AgreementKind.KS4]
        ).select_related("policy")

    def clean(self):
        data = super().clean()
        if not data.get("year_group") and not data.get("tutor_group"):
            raise forms.ValidationError("Choose a year group or a tutor group.")
        return data


class KioskCodeForm(CrispyForm, forms.Form):
    submit_label = "Start"
    code = forms.CharField(
        label="Your code", max_length=12, required=False, help_text="The code on your slip, e.g. ABC-234."
    )
    username = forms.CharField(label="Or your username", max_length=150, required=False)
    password = forms.CharField(label="and password", widget=forms.PasswordInput, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("code") and not (data.get("username") and data.get("password")):
            raise forms.ValidationError("Type the code from your slip, or your username and password.")
        return data


class KioskExitForm(CrispyForm, forms.Form):
    submit_label = "Leave the kiosk"
    password = forms.CharField(
        label="Teacher's password", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class ExportForm(CrispyForm, forms.Form):
    submit_label = "Make the export"
    agreement = forms.ModelChoiceField(queryset=Agreement.objects.none(), label="Agreement")
    version = forms.ModelChoiceField(
        queryset=PolicyVersion.objects.none(), required=False, empty_label="Every version"
    )
    group = forms.ChoiceField(choices=ExportGroup.choices, label="Who signed")
    signed_from = forms.DateField(
        required=False, label="Signed from", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    signed_to = forms.DateField(
        required=False,
        label="Signed up to",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, agreements, show_school=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_id = "export-form"
        self.helper.attrs = {"data-once": "true"}
        field = self.fields["agreement"]
        field.queryset = Agreement.objects.filter(pk__in=[a.pk for a in agreements]).select_related(
            "policy", "school"
        )
        field.label_from_instance = lambda a: f"{a.title} ({a.school})" if show_school else a.title
        versions = self.fields["version"]
        versions.queryset = (
            PolicyVersion.objects.filter(
                policy__agreement__in=field.queryset,
                status__in=[VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED],
            )
            .select_related("policy")
            .order_by("policy__title", "-number")
        )
        versions.label_from_instance = lambda v: f"{v.policy.title}: {v.label}"

    def clean(self):
        data = super().clean()
        agreement, version = data.get("agreement"), data.get("version")
        if agreement and version and version.policy_id != agreement.policy_id:
            self.add_error("version", "That version belongs to another agreement.")
        return data


class VerifyCodeForm(forms.Form):
    code = forms.CharField(
        label="Verification code", max_length=20, help_text="As printed, e.g. ABCD-EFGH-JKLM."
    )


class VerifyUploadForm(forms.Form):
    document = forms.FileField(label="The PDF", help_text="The evidence PDF exactly as you received it.")

    def clean_document(self):
        document = self.cleaned_data["document"]
        limit = settings.VERIFY_UPLOAD_MAX_BYTES
        if document.size > limit:
            raise forms.ValidationError(
                f"That file is larger than {limit // (1024 * 1024)} MB; an evidence PDF is far smaller."
            )
        head = document.read(5)
        document.seek(0)
        if head != b"%PDF-":
            raise forms.ValidationError("That file is not a PDF. Upload the evidence PDF itself.")
        return document

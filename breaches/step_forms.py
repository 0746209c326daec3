"""One form per step on a case. Each carries a note and documents for the chronology."""

from dataclasses import dataclass

from django import forms
from django.utils import timezone

from glenwood.forms import CrispyForm
from people.audiences import STAFF_ROLES
from people.models import Person, Role

from . import services
from .choices import (
    Agency,
    AllegationOutcome,
    AppealResult,
    Category,
    ConcernLevel,
    Concerns,
    Finding,
    LeavingReason,
    Outcome,
    ParentsToldBy,
    Sanction,
    Track,
)
from .evidence import clause_choices
from .forms import (
    DATE,
    PersonChoiceField,
    documents_field,
    parse_policy_clause,
    people_at,
    policy_clause_choices,
    sort_files,
)


def _date(label, **kwargs):
    return forms.DateField(label=label, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), **kwargs)


def _text(label, rows=4, required=True, **kwargs):
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class StepForm(CrispyForm, forms.Form):
    """Documents go last; a refused file refuses the step and the form is shown again, text kept."""

    documents = documents_field()

    def __init__(self, *args, case, actor, **kwargs):
        self.case, self.actor = case, actor
        super().__init__(*args, **kwargs)
        self.fields["documents"] = self.fields.pop("documents")

    def clean_documents(self):
        files = self.cleaned_data.get("documents") or []
        _, refused = sort_files(files)
        if refused:
            raise forms.ValidationError([*refused, "Nothing was saved: choose the files again."])
        return files

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)  # field names are the service's keyword arguments

    def independent_people(self, *roles):
        """People free of the case: not the person it concerns, nor its reporter."""
        exclude = [self.case.subject_person_id, self.case.reported_by_id]
        return (
            people_at(self.case.school)
            .filter(role_assignments__role__in=roles)
            .exclude(pk__in=[pk for pk in exclude if pk])
            .distinct()
        )


class TriageForm(StepForm):
    submit_label = "Record the triage"
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("accept", "Accept: open a case"), ("close", "Close with no further action")],
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(label="Category", choices=Category.choices)
    track = forms.ChoiceField(
        label="Track", choices=Track.choices, help_text="Which procedure the case follows."
    )
    change_reason = _text(
        "Reason for changing the category or track", rows=2, required=False,
        help_text="Needed when you change either; it goes into the chronology.",
    )  # fmt: skip
    concern_level = forms.ChoiceField(
        label="About an adult: is it an allegation?", required=False, widget=forms.RadioSelect,
        choices=ConcernLevel.choices,
        help_text=(
            "An allegation (they may have harmed a child, or behaved in a way that suggests a risk) is "
            "referred to the LADO within one working day. A low-level concern is kept in its own "
            "confidential record."
        ),
    )  # fmt: skip
    immediate_risk = forms.BooleanField(label="A child is at immediate risk of harm", required=False)
    subject_person = PersonChoiceField(
        label="The person it concerns", queryset=Person.objects.none(), required=False,
        help_text="Name them if the report could not.",
    )  # fmt: skip
    policy_clause = forms.ChoiceField(label="Policy and clause", required=False)
    agreement_clause = forms.TypedChoiceField(
        label="Clause of the agreement they signed", coerce=int, required=False, empty_value=None
    )
    allegation = _text(
        "The allegation, as it will be put to the person concerned", rows=3, required=False,
        help_text="They will read this. The report's own words, and who made it, stay confidential.",
    )  # fmt: skip
    reason = _text("Reason for closing", rows=2, required=False, help_text="Needed to close it.")
    note = _text("Note for the chronology", rows=3, required=False)

    def __init__(self, *args, case, actor, **kwargs):
        super().__init__(*args, case=case, actor=actor, **kwargs)
        self.initial.setdefault("track", case.track)
        self.initial.setdefault("category", case.category)
        self.initial.setdefault("immediate_risk", case.immediate_risk)
        if case.concerns not in (Concerns.STAFF, Concerns.VISITOR) and case.subject_person_id:
            del self.fields["concern_level"]
        elif case.child_protection:
            self.initial.setdefault("concern_level", ConcernLevel.ALLEGATION)
        if case.subject_person_id:
            del self.fields["subject_person"]
        else:
            self.fields["subject_person"].queryset = people_at(case.school).exclude(pk=actor.pk)
        self.fields["policy_clause"].choices = policy_clause_choices(case.school)
        if case.policy_version_id:
            self.initial.setdefault("policy_clause", f"{case.policy_version_id}:{case.policy_clause or 0}")
        if case.signature_id:
            self.fields["agreement_clause"].choices = [
                ("", "None"),
                *clause_choices(case.signature.version.body),
            ]
            self.fields[
                "agreement_clause"
            ].label = f"Clause of the {case.signature.agreement.title} they signed"
            self.initial.setdefault("agreement_clause", case.agreement_clause)
        else:
            del self.fields["agreement_clause"]

    def clean(self):
        data = super().clean()
        if data.get("decision") == "close" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason for closing it.")
        return data

    def service_kwargs(self):
        data = self.cleaned_data
        version, clause = parse_policy_clause(data.get("policy_clause"), self.case.school)
        kwargs = {
            "accept": data["decision"] == "accept", "track": data["track"], "reason": data["reason"],
            "category": data["category"], "change_reason": data["change_reason"],
            "concern_level": data.get("concern_level") or "", "immediate_risk": data["immediate_risk"],
            "subject_person": data.get("subject_person"), "policy_version": version, "policy_clause": clause,
            "allegation": data["allegation"], "note": data["note"], "documents": data["documents"],
        }  # fmt: skip
        if "agreement_clause" in self.fields:
            kwargs["agreement_clause"] = data.get("agreement_clause") or 0
        return kwargs


class AssignForm(StepForm):
    submit_label = "Assign"
    investigator = PersonChoiceField(label="Investigating officer", queryset=Person.objects.none())
    note = _text("Note for the chronology", rows=3, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["investigator"].queryset = self.independent_people(*STAFF_ROLES)
        self.initial.setdefault("investigator", self.case.investigator_id)


class FindingForm(StepForm):
    submit_label = "Record the finding"
    finding = forms.ChoiceField(label="Finding", choices=Finding.choices, widget=forms.RadioSelect)
    summary = _text("What the investigation found", rows=6)


class ArrangeHearingForm(StepForm):
    submit_label = "Arrange the hearing and send the invitation"
    hearing_on = _date("Date of the hearing", help_text="At least five working days after the invitation.")
    hearing_time = forms.TimeField(
        label="Time", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    where = forms.CharField(label="Where", max_length=120, required=False)
    panel = forms.ModelMultipleChoiceField(
        label="Hearing panel", queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text="Staff or governors; never the investigating officer.",
    )  # fmt: skip
    evidence = _text("The evidence the panel will consider", rows=4, help_text="Listed in the letter.")
    notice_sent_on = _date(
        "Invitation sent on", required=False, help_text="Today, unless the letter was sent earlier."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = self.independent_people(
            *STAFF_ROLES, Role.GOVERNOR, Role.CHAIR
        ).exclude(pk=self.case.investigator_id)


class MeetingForm(StepForm):
    submit_label = "Record the meeting"
    meeting_on = _date(
        "Date of the investigation meeting", help_text="A date already past records a meeting held."
    )
    meeting_time = forms.TimeField(
        label="Time", required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    where = forms.CharField(label="Where", max_length=120, required=False)
    notes = _text("Notes", rows=4, required=False, help_text="For a meeting already held: what was said.")


class SuspensionForm(StepForm):
    submit_label = "Suspend and send the letter"
    suspended_on = _date("Suspended from")
    review_on = _date("First review on")
    reason = _text("Why suspension is needed", rows=3, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["documents"]
        self.initial.setdefault("suspended_on", timezone.localdate())


class SuspensionReviewForm(StepForm):
    submit_label = "Record the review and send the letter"
    lift = forms.BooleanField(label="Lift the suspension", required=False)
    next_review_on = _date("Next review on", required=False, help_text="If the suspension continues.")
    notes = _text("Notes", rows=3, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["documents"]


class ArrangeAppealForm(StepForm):
    submit_label = "Appoint the appeal panel"
    appeal_panel = forms.ModelMultipleChoiceField(
        label="Appeal panel", queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text="Only people not involved in the case before; for a governors' panel, its appeal committee.",
    )  # fmt: skip
    appeal_hearing_on = _date("Appeal hearing on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["documents"]
        involved = services.procedure.involved_ids(self.case)
        self.fields["appeal_panel"].queryset = (
            people_at(self.case.school)
            .filter(role_assignments__role__in=[*STAFF_ROLES, Role.GOVERNOR, Role.CHAIR])
            .exclude(pk__in=involved)
            .distinct()
        )


class LeavingForm(StepForm):
    submit_label = "Record it and end their access"
    reason = forms.ChoiceField(
        label="Employment ended because", choices=LeavingReason.choices, widget=forms.RadioSelect
    )
    access_ends_on = _date("Their access to the portal ends on")
    notes = _text("Notes", rows=3, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["documents"]


class InvolveTrustForm(StepForm):
    submit_label = "Involve them"
    person = PersonChoiceField(label="The trust's nominated person", queryset=Person.objects.none())
    note = _text("Note for the chronology", rows=3, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["documents"]
        self.fields["person"].queryset = (
            Person.objects.current()
            .filter(school__trust_id=self.case.school.trust_id, role_assignments__role=Role.TRUST_ADMIN)
            .distinct()
        )


class LadoAdviceForm(StepForm):
    submit_label = "Record the LADO's advice"
    advised_on = _date("The LADO advised on")
    reference = forms.CharField(label="Their reference", max_length=80, required=False)
    advice = _text("The LADO's advice", rows=5)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["documents"]
        self.initial.setdefault("advised_on", timezone.localdate())


class HearingForm(StepForm):
    submit_label = "Record the hearing"
    held_on = _date("Held on")
    panel = forms.ModelMultipleChoiceField(
        label="Panel", queryset=Person.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    notes = _text("Notes of the hearing", rows=8)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = self.independent_people(
            *STAFF_ROLES, Role.GOVERNOR, Role.CHAIR
        ).exclude(pk=self.case.investigator_id)
        self.initial.setdefault("panel", list(self.case.panel.values_list("pk", flat=True)))
        self.initial.setdefault("held_on", self.case.hearing_on)


class OutcomeForm(StepForm):
    submit_label = "Record the outcome"
    outcome = forms.ChoiceField(label="Outcome", choices=Outcome.choices, widget=forms.RadioSelect)
    reasons = _text("Reasons")


class AppealForm(StepForm):
    submit_label = "Lodge the appeal"
    grounds = _text("Grounds of appeal", rows=5)
    received_on = _date(
        "Received on", required=False, help_text="Today, unless it arrived earlier by letter."
    )


class AppealDecisionForm(StepForm):
    submit_label = "Record the decision"
    result = forms.ChoiceField(label="The appeal is", choices=AppealResult.choices, widget=forms.RadioSelect)
    outcome_after_appeal = forms.ChoiceField(
        label="Outcome after an upheld appeal", choices=[("", "—"), *Outcome.choices], required=False
    )
    reasons = _text("Reasons")


class CloseForm(StepForm):
    submit_label = "Close the case"
    reason = _text("Why it is closed", rows=3)
    allegation_outcome = forms.ChoiceField(
        label="Outcome of the allegation (KCSIE Part 4)",
        choices=[("", "—"), *AllegationOutcome.choices],
        required=False,
        widget=forms.RadioSelect,
        help_text="A false or malicious allegation is removed from the records, not kept.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.case.takes_allegation_outcome:
            del self.fields["allegation_outcome"]
        elif self.case.needs_allegation_outcome:
            self.fields["allegation_outcome"].required = True
            self.fields["allegation_outcome"].choices = AllegationOutcome.choices


class NoteForm(StepForm):
    submit_label = "Add to the chronology"
    text = _text("Note", rows=5, required=False)


class ActionForm(StepForm):
    submit_label = "Record the action"
    action = _text("Action taken", rows=5)


class ReferralForm(StepForm):
    submit_label = "Record the referral"
    agency = forms.ChoiceField(label="Referred to", choices=Agency.choices, widget=forms.RadioSelect)
    referred_on = _date("Referred on")
    reference = forms.CharField(label="Their reference", max_length=80, required=False)
    notes = _text("Notes", rows=3, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("referred_on", timezone.localdate())
        if self.case.track == Track.DISCIPLINARY:
            self.fields["agency"].choices = [
                (a, a.label) for a in (Agency.LADO, Agency.POLICE, Agency.DBS, Agency.TRA)
            ]
        else:
            self.fields["agency"].choices = [
                (a, a.label) for a in (Agency.SOCIAL_CARE, Agency.POLICE, Agency.LADO)
            ]


class SafeguardingOutcomeForm(StepForm):
    submit_label = "Record the outcome"
    outcome = _text("Outcome", rows=5)


class SanctionForm(StepForm):
    submit_label = "Record the sanction"
    sanction = forms.ChoiceField(label="Sanction under the Behaviour Policy", choices=Sanction.choices)
    parents_told_on = _date("Parents or carers told on")
    parents_told_how = forms.ChoiceField(label="How they were told", choices=ParentsToldBy.choices)
    notes = _text("Notes", rows=3, required=False)


@dataclass(frozen=True)
class Step:
    title: str
    form: type
    service: object
    done: str


STEPS = {
    "triage": Step("Triage the report", TriageForm, services.triage_report, "Triage recorded."),
    "assign": Step("Assign an investigating officer", AssignForm, services.assign_investigator, "Investigating officer assigned."),
    "finding": Step("Record the finding", FindingForm, services.record_finding, "Finding recorded."),
    "hearing": Step("Record the hearing", HearingForm, services.record_hearing, "Hearing recorded."),
    "outcome": Step("Record the outcome", OutcomeForm, services.record_outcome, "Outcome recorded."),
    "appeal": Step("Lodge an appeal", AppealForm, services.lodge_appeal, "Appeal lodged."),
    "appeal_decision": Step("Decide the appeal", AppealDecisionForm, services.decide_appeal, "Appeal decided."),
    "action": Step("Record a safeguarding action", ActionForm, services.record_safeguarding_action, "Action recorded."),
    "referral": Step("Record a referral", ReferralForm, services.make_referral, "Referral recorded."),
    "safeguarding_outcome": Step(
        "Record the safeguarding outcome", SafeguardingOutcomeForm, services.record_safeguarding_outcome, "Outcome recorded."
    ),
    "sanction": Step("Record a sanction", SanctionForm, services.record_sanction, "Sanction recorded."),
    "meeting": Step("Investigation meeting", MeetingForm, services.hold_investigation_meeting, "Meeting recorded."),
    "suspension": Step("Suspend on full pay", SuspensionForm, services.suspend_staff, "Suspension recorded; the letter is on its way."),
    "suspension_review": Step("Review the suspension", SuspensionReviewForm, services.review_suspension, "Review recorded; the letter is on its way."),
    "arrange_hearing": Step("Arrange the hearing", ArrangeHearingForm, services.arrange_hearing, "Hearing arranged; the invitation is on its way."),
    "arrange_appeal": Step("Appoint the appeal panel", ArrangeAppealForm, services.arrange_appeal, "Appeal panel appointed."),
    "leaving": Step("Dismissal or resignation", LeavingForm, services.end_employment, "Recorded; their access ends on the day set."),
    "involve_trust": Step("Involve the trust's nominated person", InvolveTrustForm, services.involve_trust, "The trust's nominated person is involved."),
    "lado_advice": Step("Record the LADO's advice", LadoAdviceForm, services.record_lado_advice, "The LADO's advice is recorded."),
    "close": Step("Close the case", CloseForm, services.close_case, "Case closed."),
    "note": Step("Add a note or documents", NoteForm, services.add_case_note, "Added to the chronology."),
}  # fmt: skip

"""Who owes which agreement, and whether they have signed, declined or are outstanding.

Who owes follows from role and year group: staff sign the staff agreement, pupils the agreement
their school chose for their year group (by default Years 7-9 the KS3 one and 10-11 the KS4 one, so a
pupil moving into Year 10 owes KS4; the sixth form what the school chooses), visitors and governors theirs.
A new version must be signed again unless its publisher marked it a minor change: the version
that binds is the latest one not marked minor, and any signature of it or a later one counts.
"""

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from people.audiences import STAFF_ROLES
from people.models import Person, Role, RoleAssignment
from people.year_groups import agreement_for_year, year_agreements, years_signing
from policies.models import PolicyVersion, VersionStatus

from .models import Agreement, AgreementKind, Decline, Signature

PUPIL_KINDS = (AgreementKind.KS3, AgreementKind.KS4)


def kinds_owed_by(person) -> list[str]:
    kinds = []
    if person.has_role(*STAFF_ROLES):
        kinds.append(AgreementKind.STAFF)
    if person.has_role(Role.PUPIL):
        kind = agreement_for_year(year_agreements(person.school_id), person.year_group)
        if kind:
            kinds.append(kind)
    if person.has_role(Role.VISITOR):
        kinds.append(AgreementKind.VISITOR)
    if person.has_role(Role.GOVERNOR, Role.CHAIR):
        kinds.append(AgreementKind.GOVERNOR)
    return kinds


def _holds(*roles):
    return Exists(RoleAssignment.objects.filter(person=OuterRef("pk"), role__in=roles))


def _in_role(school_id, *roles) -> Q:
    # One set of the school's holders, built once per query: it also serves inside the per-agreement
    # counts of a single aggregate, where a subquery per person would run again for every count.
    holders = RoleAssignment.objects.filter(role__in=roles, person__school_id=school_id)
    return Q(pk__in=holders.values("person_id"))


def bound(agreement, by_year: dict[int, str] | None = None) -> Q:
    """The condition on a current person that they must sign this agreement (`by_year`: the school's
    year-group choices, when the caller has them already)."""
    school = agreement.school_id
    here = Q(school_id=school)
    if agreement.kind == AgreementKind.STAFF:
        return here & _in_role(school, *STAFF_ROLES)
    if agreement.kind in PUPIL_KINDS:
        if by_year is None:
            years = years_signing(school, agreement.kind)
        else:
            years = [year for year, kind in by_year.items() if kind == agreement.kind]
        return here & _in_role(school, Role.PUPIL) & Q(year_group__in=years)
    if agreement.kind == AgreementKind.VISITOR:
        return here & _in_role(school, Role.VISITOR)
    return here & _in_role(school, Role.GOVERNOR, Role.CHAIR)


def people_bound_by(agreement) -> QuerySet:
    """Everyone still at the school who must sign this agreement."""
    return Person.objects.current().filter(bound(agreement))


def binding_version(agreement):
    """The latest published version that everyone must have signed (or signed a later one of)."""
    return (
        agreement.policy.versions.filter(
            status__in=[VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED], is_minor_change=False
        )
        .order_by("-number")
        .first()
    )


def binding_versions(agreements) -> dict:
    """binding_version for many agreements in one query: {agreement pk: version or None}."""
    by_policy = {}
    candidates = PolicyVersion.objects.filter(
        policy__in=[a.policy_id for a in agreements],
        status__in=[VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED],
        is_minor_change=False,
    ).order_by("policy_id", "number")
    for version in candidates:
        by_policy[version.policy_id] = version  # the highest number comes last
    return {a.pk: by_policy.get(a.policy_id) for a in agreements}


def satisfying(model, agreement, version) -> QuerySet:
    """Who has signed (or declined) the binding version or a later one."""
    return model.objects.filter(agreement=agreement, version__number__gte=version.number).values("person_id")


def with_status(people, agreement, version):
    """Annotate people with has_signed and has_declined for this agreement's binding version.

    Each is one set the database builds once and looks every person up in (`id IN (...)`), not a
    subquery run per person: a school of 2,000 costs one pass over the agreement's signatures.
    """
    return people.annotate(
        has_signed=ExpressionWrapper(
            Q(pk__in=satisfying(Signature, agreement, version)), output_field=BooleanField()
        ),
        has_declined=ExpressionWrapper(
            Q(pk__in=satisfying(Decline, agreement, version)), output_field=BooleanField()
        ),
    )


def outstanding(agreement, version=None):
    version = version or binding_version(agreement)
    if version is None:
        return Person.objects.none()
    return with_status(people_bound_by(agreement), agreement, version).filter(has_signed=False)


def agreements_owed_by(person) -> list[dict]:
    """For a person's own page: each agreement they are bound by, with their state."""
    rows = []
    agreements = Agreement.objects.filter(school_id=person.school_id, kind__in=kinds_owed_by(person))
    for agreement in agreements.select_related("policy__current_version"):
        version = binding_version(agreement)
        if version is None:
            continue
        mine = Q(person=person, agreement=agreement, version__number__gte=version.number)
        signature = Signature.objects.filter(mine).select_related("version").first()
        decline = None if signature else Decline.objects.filter(mine).first()
        rows.append(
            {
                "agreement": agreement,
                "current": agreement.policy.current_version,
                "signature": signature,
                "decline": decline,
                "last_signed": signature
                or Signature.objects.filter(person=person, agreement=agreement)
                .select_related("version")
                .first(),
            }
        )
    return rows


def is_bound_by(person, agreement) -> bool:
    if person.school_id != agreement.school_id or agreement.kind not in kinds_owed_by(person):
        return False
    return Person.objects.current().filter(pk=person.pk).exists()

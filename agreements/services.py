"""Signing, declining and class signing sessions: each step one function of the house shape."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from audit.services import audit_record
from glenwood import outbox
from glenwood.services import NotAllowed, ServiceError
from people.audiences import STAFF_ROLES
from people.models import Person, Role
from people.year_groups import agreement_for_year, year_agreements, years_signing
from policies.models import VersionStatus

from . import obligations
from .models import AuthMethod, Decline, Signature, SigningCode, SigningSession, WitnessConfirmation
from .signals import witness_named
from .snapshots import snapshot_for


class AlreadySigned(ServiceError):
    def __init__(self, signature):
        self.signature = signature
        super().__init__(
            f"You signed this version on {timezone.localtime(signature.signed_at):%-d %B %Y at %H:%M}."
        )


@dataclass(frozen=True)
class Evidence:
    """How the signer reached us, taken from the request that carried the signature."""

    ip_address: str | None
    user_agent: str
    session_hash: str
    auth_method: str

    @classmethod
    def from_request(cls, request, auth_method=None):
        key = request.session.session_key or ""
        return cls(
            ip_address=request.META.get("REMOTE_ADDR") or None,
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:1000],
            session_hash=hashlib.sha256(key.encode()).hexdigest() if key else "",
            auth_method=auth_method or request.session.get("auth_method", AuthMethod.PASSWORD),
        )


def evidence_queue(record) -> None:
    """Seal a new signature's or decline's evidence PDF in the worker once this transaction commits.

    The one place evidence is queued, through the outbox: written with the signature, so a broker
    that is down delays the seal and never loses it."""
    outbox.enqueue("agreements.tasks.seal_evidence", record._meta.model_name, record.pk)


def _normalised(name: str) -> str:
    return " ".join(name.split()).casefold()


def _check_can_sign(signer, agreement, version, shown_sha256):
    if not obligations.is_bound_by(signer, agreement):
        raise NotAllowed("This agreement is not one you are asked to sign.")
    if version.status != VersionStatus.PUBLISHED or agreement.policy.current_version_id != version.pk:
        raise ServiceError(
            "A newer version of this agreement has been published: please read it and sign that."
        )
    if shown_sha256 != version.sha256:
        raise ServiceError("The text you were shown is not the current text: please read it again.")


def signature_record(
    *, signer, agreement, version, shown_sha256, consent_given, typed_name, evidence: Evidence,
    comment="", witness=None, signing_session=None,
) -> Signature:  # fmt: skip
    """Record that `signer` signed this exact version. A second submission raises AlreadySigned."""
    _check_can_sign(signer, agreement, version, shown_sha256)
    if not consent_given:
        raise ServiceError("Tick the box to confirm you agree.")
    if _normalised(typed_name) != _normalised(signer.get_full_name()):
        raise ServiceError("Type your full name exactly as the school has it.")
    if signer.has_role(Role.PUPIL):
        if witness is None:
            raise ServiceError("Choose the member of staff who talked this agreement through with you.")
        if witness.school_id != signer.school_id or not witness.has_role(*STAFF_ROLES):
            raise ServiceError("The witness must be a member of this school's staff.")
    try:
        with transaction.atomic():
            signature = Signature.objects.create(
                school_id=agreement.school_id, agreement=agreement, version=version, person=signer,
                text_sha256=version.sha256, consent_wording=agreement.consent_wording,
                typed_name=" ".join(typed_name.split()), year_group=signer.year_group,
                comment=comment.strip(), signed_at=timezone.now(),
                ip_address=evidence.ip_address, user_agent=evidence.user_agent,
                session_hash=evidence.session_hash, auth_method=evidence.auth_method,
                witness=witness, signing_session=signing_session,
                snapshot=snapshot_for(person=signer, agreement=agreement, version=version, witness=witness,
                                      signing_session=signing_session),
            )  # fmt: skip
            audit_record(
                actor=signer, action="agreement.signed", record=signature, school=agreement.school,
                detail={"version": version.label, "sha256": version.sha256, "auth": evidence.auth_method,
                        "witness": witness.pk if witness else None},
            )  # fmt: skip
            evidence_queue(signature)
            if signature.witness_needs_confirming:
                # The named member of staff was not there: ask them (through the outbox, with the signature).
                witness_named.send(sender=Signature, signature=signature)
    except IntegrityError:
        # The database's unique constraint is the guard: a double click or a second tab lands here.
        existing = Signature.objects.filter(person=signer, version=version).first()
        if existing is None:
            raise
        raise AlreadySigned(existing) from None
    return signature


def witness_confirm(*, witness, signature) -> WitnessConfirmation:
    """The member of staff a pupil named confirms they talked the agreement through with them."""
    if signature.witness_id != witness.pk:
        raise NotAllowed("Only the member of staff the pupil named can confirm.")
    if not signature.witness_needs_confirming:
        raise ServiceError("This signature was witnessed in a class signing session; nothing to confirm.")
    existing = WitnessConfirmation.objects.filter(signature=signature).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            confirmation = WitnessConfirmation.objects.create(
                signature=signature,
                school_id=signature.school_id,
                witness=witness,
                confirmed_at=timezone.now(),
            )
            audit_record(
                actor=witness, action="signature.witness_confirmed", record=signature,
                school=signature.school, detail={"witness": witness.pk}, evidence=[confirmation],
            )  # fmt: skip
    except IntegrityError:
        return WitnessConfirmation.objects.get(signature=signature)
    return confirmation


def decline_record(*, person, agreement, version, shown_sha256, reason) -> Decline:
    _check_can_sign(person, agreement, version, shown_sha256)
    if not reason.strip():
        raise ServiceError("Say why you are declining, so the school can follow it up.")
    if Signature.objects.filter(person=person, version=version).exists():
        raise ServiceError("You have already signed this version.")
    try:
        with transaction.atomic():
            decline = Decline.objects.create(
                school_id=agreement.school_id, agreement=agreement, version=version, person=person,
                reason=reason.strip(), declined_at=timezone.now(),
                snapshot=snapshot_for(person=person, agreement=agreement, version=version),
            )  # fmt: skip
            audit_record(
                actor=person, action="agreement.declined", record=decline, school=agreement.school,
                detail={"version": version.label},
            )  # fmt: skip
            evidence_queue(decline)
    except IntegrityError:
        raise ServiceError("You have already declined this version.") from None
    return decline


# Class signing -------------------------------------------------------------------------------

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I/L to misread from a slip of paper
SESSION_LENGTH = timedelta(hours=2)


def _new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
    return f"{raw[:3]}-{raw[3:]}"


def _years_covered(agreement) -> list[int]:
    """The year groups that sign this agreement, as the school has mapped them (people/year_groups)."""
    return years_signing(agreement.school_id, agreement.kind)


def signing_session_open(*, teacher, agreement, year_group=None, tutor_group="") -> SigningSession:
    """Open a class signing session and give each pupil in the group who still owes a one-time code."""
    if not teacher.has_role(*STAFF_ROLES) or teacher.school_id != agreement.school_id:
        raise NotAllowed("Only the school's staff open class signing sessions.")
    if agreement.kind not in (obligations.AgreementKind.KS3, obligations.AgreementKind.KS4):
        raise ServiceError("Class signing is for the pupils' agreements.")
    years = _years_covered(agreement)
    if not years:
        raise ServiceError(f"No year group signs the {agreement.title}: choose them on the Year groups page.")
    if year_group and int(year_group) not in years:
        # A session for pupils the agreement does not cover would find nobody "still to sign".
        other = agreement_for_year(year_agreements(agreement.school_id), int(year_group))
        instead = f" Year {year_group} pupils sign the {other.upper()} agreement." if other else ""
        raise ServiceError(
            f"The {agreement.title} is for Years {years[0]} to {years[-1]}, not Year {year_group}.{instead}"
        )
    if tutor_group:
        in_group = Person.objects.current().filter(
            school_id=agreement.school_id, tutor_group__iexact=tutor_group.strip()
        )
        if not in_group.exists():
            raise ServiceError(f"Nobody at the school is in tutor group {tutor_group.strip()}.")
        if not in_group.filter(year_group__in=years).exists():
            raise ServiceError(
                f"Nobody in tutor group {tutor_group.strip()} is in Years {years[0]} to {years[-1]}, "
                f"so none of them signs the {agreement.title}."
            )
    pupils = obligations.outstanding(agreement)
    if tutor_group:
        pupils = pupils.filter(tutor_group__iexact=tutor_group.strip())
    elif year_group:
        pupils = pupils.filter(year_group=year_group)
    else:
        raise ServiceError("Choose a year group or a tutor group.")
    pupils = list(pupils)
    if not pupils:
        raise ServiceError("Every pupil in that group has already signed.")
    with transaction.atomic():
        session = SigningSession.objects.create(
            school_id=agreement.school_id, agreement=agreement, opened_by=teacher,
            year_group=year_group or None, tutor_group=tutor_group.strip(),
            closes_at=timezone.now() + SESSION_LENGTH,
        )  # fmt: skip
        codes, used = [], set()
        for pupil in pupils:
            code = _new_code()
            while code in used:
                code = _new_code()
            used.add(code)
            codes.append(SigningCode(session=session, pupil=pupil, code=code))
        SigningCode.objects.bulk_create(codes)
        audit_record(
            actor=teacher, action="signing_session.opened", record=session, school=agreement.school,
            detail={"pupils": len(codes)},
        )  # fmt: skip
    return session


def signing_session_close(*, teacher, session) -> SigningSession:
    if session.opened_by_id != teacher.pk:
        raise NotAllowed("Only the teacher who opened the session closes it.")
    if session.closed_at:
        return session
    with transaction.atomic():
        closed = SigningSession.objects.filter(pk=session.pk, closed_at__isnull=True).update(
            closed_at=timezone.now()
        )
        if closed:
            session.refresh_from_db(fields=["closed_at"])
            audit_record(
                actor=teacher, action="signing_session.closed", record=session, school=session.school
            )
    return session


def is_open(session) -> bool:
    return session.closed_at is None and session.closes_at > timezone.now()


def find_code(session, code: str) -> SigningCode | None:
    code = code.strip().upper().replace(" ", "")
    if len(code) == 6:
        code = f"{code[:3]}-{code[3:]}"
    return session.codes.select_related("pupil").filter(code=code, used_at__isnull=True).first()


def kiosk_signature_record(*, session, pupil, witness, code=None, **signing) -> Signature:
    """A pupil signs on the class device; the teacher is the witness and the code is spent once."""
    if not is_open(session):
        raise ServiceError("This signing session has closed.")
    if witness.pk != session.opened_by_id:
        raise NotAllowed("Only the teacher running the session witnesses its signatures.")
    if not session.codes.filter(pupil=pupil).exists():
        # The session is for one group; its codes list exactly who belongs in it.
        raise ServiceError("This signing session is for another group. Ask your teacher.")
    with transaction.atomic():
        if code is not None:
            spent = SigningCode.objects.filter(pk=code.pk, used_at__isnull=True).update(
                used_at=timezone.now()
            )
            if not spent:
                raise ServiceError("That code has already been used.")
        else:
            # Signed by logging in: the pupil's slip is spent too, so nobody else can use it.
            SigningCode.objects.filter(session=session, pupil=pupil, used_at__isnull=True).update(
                used_at=timezone.now()
            )
        return signature_record(
            signer=pupil, agreement=session.agreement, witness=witness, signing_session=session, **signing
        )

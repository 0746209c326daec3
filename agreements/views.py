"""A person's own agreements: read, sign or decline, and the receipt of what they signed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.views.decorators.cache import never_cache

from audit.looks import record_look
from glenwood.services import ServiceError
from people.access import visible_schools
from people.models import LEADERSHIP_ROLES, Role
from policies.redline import redline

from . import certificates, obligations, services
from .forms import DeclineForm, SignForm
from .models import Agreement, Signature, SignatureCertificate
from .snapshots import snapshot_of


@login_required
def my_agreements(request):
    return render(
        request, "agreements/my_agreements.html", {"rows": obligations.agreements_owed_by(request.user)}
    )


def _agreement_for(person, pk):
    agreement = get_object_or_404(
        Agreement.objects.select_related("policy__current_version", "school"),
        pk=pk,
        school_id=person.school_id,
    )
    if not obligations.is_bound_by(person, agreement) or agreement.policy.current_version is None:
        raise Http404
    return agreement


def signing_context(agreement, person, version):
    """What a signer sees: the whole text, and what changed since the version they last signed."""
    last = Signature.objects.filter(person=person, agreement=agreement).select_related("version").first()
    changes = None
    if last and last.version_id != version.pk:
        changes = redline(last.version.body, version.body)
    # A pupil needs the words, not a 64-character fingerprint; the receipt and certificate keep it.
    show_hash = not person.has_role(Role.PUPIL)
    return {"agreement": agreement, "version": version, "last_signed": last, "changes": changes,
            "show_hash": show_hash}  # fmt: skip


@never_cache
@login_required
def sign(request, pk):
    agreement = _agreement_for(request.user, pk)
    version = agreement.policy.current_version
    already = Signature.objects.filter(person=request.user, version=version).first()
    if already:
        return render(request, "agreements/already_signed.html", {"signature": already}, status=200)
    form = SignForm(
        request.POST or None,
        agreement=agreement,
        signer=request.user,
        initial={"shown_sha256": version.sha256},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signature = services.signature_record(
                signer=request.user, agreement=agreement, version=version,
                shown_sha256=data["shown_sha256"], consent_given=data["consent"], typed_name=data["typed_name"],
                comment=data.get("comment", ""), witness=data.get("witness"),
                evidence=services.Evidence.from_request(request),
            )  # fmt: skip
        except services.AlreadySigned as exc:
            return render(request, "agreements/already_signed.html", {"signature": exc.signature})
        except ServiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Thank you. You signed {agreement.title}, {version.label}.")
            return redirect("agreements:signature", pk=signature.pk)
    # Its own ids: both forms carry shown_sha256, and an id may appear only once on a page.
    decline_form = DeclineForm(initial={"shown_sha256": version.sha256}, auto_id="decline-%s")
    context = signing_context(agreement, request.user, version) | {"form": form, "decline_form": decline_form}
    return render(request, "agreements/sign.html", context)


@login_required
def decline(request, pk):
    agreement = _agreement_for(request.user, pk)
    version = agreement.policy.current_version
    form = DeclineForm(request.POST or None, initial={"shown_sha256": version.sha256})
    if request.method == "POST" and form.is_valid():
        try:
            services.decline_record(
                person=request.user, agreement=agreement, version=version, **form.cleaned_data
            )
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.info(request, "Your decision to decline has been recorded; the school will be in touch.")
        return redirect("agreements:mine")
    return render(
        request, "agreements/decline.html", {"form": form, "agreement": agreement, "version": version}
    )


def _signature_for(request, pk):
    """The signer's own signature, or any of their schools' for its leaders; otherwise a 404."""
    signature = get_object_or_404(
        Signature.objects.select_related(
            "person", "version", "agreement__policy", "witness", "school", "certificate"
        ),
        pk=pk,
        school__in=visible_schools(request.user),
    )
    if signature.person_id != request.user.pk and not request.user.has_role(*LEADERSHIP_ROLES):
        raise Http404
    return signature


@login_required
def signature_detail(request, pk):
    """The signer's receipt; the school's leaders see any of their school's signatures. If the sealed
    PDF is not made yet (the worker is behind, or the time-stamping authority was down), the page
    says so and asks the worker again: making it is idempotent, from the frozen record."""
    signature = _signature_for(request, pk)
    record_look(actor=request.user, action="signature.viewed", record=signature)
    sealed = SignatureCertificate.objects.filter(signature=signature).first()
    if sealed is None:
        services.evidence_queue(signature)
    return render(request, "agreements/signature_detail.html", {"signature": signature, "sealed": sealed})


@login_required
def signature_evidence(request, pk):
    """The sealed evidence PDF of one signature: made when the signature committed, or now, from
    the same frozen record, if the worker has not made it yet."""
    signature = _signature_for(request, pk)
    try:
        certificate = certificates.certificate_for(signature, actor=request.user)
    except ServiceError as exc:  # the time-stamping authority is down: say so, lose nothing
        messages.error(request, str(exc))
        return redirect("agreements:signature", pk=signature.pk)
    record_look(
        actor=request.user, action="signature.pdf_downloaded", record=signature,
        detail={"pdf_sha256": certificate.pdf_sha256},
    )  # fmt: skip
    name = f"signed-{signature.agreement.kind}-{slugify(snapshot_of(signature)['signer_name'])}-{signature.pk}.pdf"
    return FileResponse(certificate.pdf.open("rb"), filename=name, content_type="application/pdf")


@login_required
def witness_confirm(request, pk):
    """The member of staff a pupil named as witness, and only they, confirm it here."""
    signature = get_object_or_404(
        Signature.objects.select_related("person", "version", "agreement__policy", "school"),
        pk=pk,
        witness=request.user,
        signing_session__isnull=True,
    )
    if request.method == "POST":
        try:
            services.witness_confirm(witness=request.user, signature=signature)
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, f"Thank you. You confirmed you talked the {signature.agreement.title} through "
                f"with {signature.person.get_full_name()}."
            )  # fmt: skip
        return redirect("home")
    return render(request, "agreements/witness_confirm.html", {"signature": signature})

"""The school's public policies page: the policies it marks public, as published, for anyone.

No sign-in: parents and the school's website read these. Only the current published version of a
policy marked public is ever shown; drafts, versions with the governors and policies the school keeps
to itself are a 404 like an unknown school. The pages may be framed by any site (the school embeds
the list), so they carry nothing but the published text: no menus, no names, no forms.
"""

from csp.decorators import csp_replace
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.views.decorators.cache import cache_control
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from people.models import School

from .models import Policy, PolicyKind, VersionStatus

PDF_CACHE_SECONDS = 24 * 3600


def embeddable(view):
    """Any website may frame these pages; the same for everyone, so shared caches may keep them."""
    view = csp_replace({"frame-ancestors": ["*"]})(view)
    view = xframe_options_exempt(view)
    view = cache_control(public=True, max_age=300)(view)
    return require_safe(view)


def public_policies(school):
    """The school's public policies that have a published version, with it."""
    return (
        Policy.objects.filter(
            school=school,
            public=True,
            kind=PolicyKind.POLICY,
            current_version__status=VersionStatus.PUBLISHED,
        )
        .select_related("current_version")
        .order_by("title")
    )


def _policy(school, pk):
    return get_object_or_404(public_policies(school), pk=pk)


@embeddable
def policy_list(request, school):
    school = get_object_or_404(School, slug=school)
    page_url = request.build_absolute_uri()
    return render(
        request,
        "policies/public/list.html",
        {"school": school, "policies": public_policies(school), "page_url": page_url.split("?")[0]},
    )


@embeddable
def policy_page(request, school, pk):
    school = get_object_or_404(School, slug=school)
    policy = _policy(school, pk)
    return render(
        request,
        "policies/public/policy.html",
        {"school": school, "policy": policy, "version": policy.current_version},
    )


@embeddable
def policy_pdf(request, school, pk):
    school = get_object_or_404(School, slug=school)
    policy = _policy(school, pk)
    version = policy.current_version
    # A published version's text never changes, so its PDF is made once and kept a day.
    key = f"public-policy-pdf:{version.pk}:{version.sha256}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = policy_pdf_bytes(school, policy, version)
        cache.set(key, pdf, PDF_CACHE_SECONDS)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{slugify(policy.title)}-{slugify(version.label)}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def policy_pdf_bytes(school, policy, version) -> bytes:
    from glenwood.pdf import render_pdf  # WeasyPrint loads only when a PDF is made

    html = render_to_string(
        "policies/public/pdf.html", {"school": school, "policy": policy, "version": version}
    )
    return render_pdf(html)

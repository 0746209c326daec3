from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from .attention import attention_for
from .home import home_for


@login_required
def home(request):
    from audit.checks import ANSWERABLE, unacknowledged_failure

    failed = unacknowledged_failure() if request.user.has_role(*ANSWERABLE) else None
    context = {"items": attention_for(request.user), "failed_check": failed, **home_for(request.user)}
    return render(request, "home.html", context)


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def not_offered(request):
    raise Http404("Not offered on this portal.")

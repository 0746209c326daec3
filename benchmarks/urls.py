"""The portal's URLs plus the floor: the cheapest page behind the same middleware and log-in check."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.urls import path

from glenwood.urls import urlpatterns as portal


@login_required
def floor(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/floor/", floor), *portal]

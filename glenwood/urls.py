from allauth.account import views as account_views
from django.contrib import admin
from django.urls import include, path

from agreements import verify_views
from people.join_views import join
from policies import public_views

from . import views

admin.site.site_header = "Glenwood compliance portal"
admin.site.site_title = "Glenwood admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Signing in, out, resetting a password, second factors and single sign-on (django-allauth).
    # A person's email comes from the school (the MIS), and a school account is linked by the school's
    # own sign-in button only: allauth's pages to change the email or link other accounts are shut.
    path("accounts/email/", views.not_offered),
    path("accounts/3rdparty/", views.not_offered),
    path("accounts/social/connections/", views.not_offered),
    path("accounts/", include("allauth.urls")),
    # The names the portal used before allauth, kept so that older templates and links still work.
    path("accounts/login/", account_views.login, name="login"),
    path("accounts/logout/", account_views.logout, name="logout"),
    path("accounts/password/change/", account_views.password_change, name="password_change"),
    path("access/", include("accounts.urls")),
    path("join/<str:token>/", join, name="join"),
    path("policies/", include("policies.urls")),
    path("agreements/", include("agreements.urls")),
    path("reminders/", include("reminders.urls")),
    path("people/", include("people.urls")),
    path("breaches/", include("breaches.urls")),
    path("audit/", include("audit.urls")),
    path("retention/", include("retention.urls")),
    path("verify/", verify_views.verify, name="verify"),
    path("verify/<str:code>/", verify_views.verify, name="verify_code"),
    path("admin/", admin.site.urls),
    # The school's public policies: no sign-in, and any website may frame them.
    path("schools/<slug:school>/policies/", public_views.policy_list, name="public_policies"),
    path("schools/<slug:school>/policies/<int:pk>/", public_views.policy_page, name="public_policy"),
    path("schools/<slug:school>/policies/<int:pk>.pdf", public_views.policy_pdf, name="public_policy_pdf"),
]

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from agreements import verify_views
from people.forms import LoginForm

from . import views

admin.site.site_header = "Glenwood compliance portal"
admin.site.site_title = "Glenwood admin"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
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
]

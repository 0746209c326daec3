from django.contrib import admin

from glenwood.admin import ReadOnlyAdminMixin

from .models import SchoolSignIn, SignedInSession, SignInSettings


@admin.register(SchoolSignIn)
class SchoolSignInAdmin(admin.ModelAdmin):
    """Which allauth OpenID Connect app signs in which school's people (set up by the technical team)."""

    list_display = ["school", "provider", "app"]
    list_filter = ["provider", "school"]


@admin.register(SignInSettings)
class SignInSettingsAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the school changes its rules on its Sign-in rules page, where the change is audited."""

    list_display = ["school", "staff_idle_minutes", "pupil_idle_minutes", "password_rule"]


@admin.register(SignedInSession)
class SignedInSessionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["person", "signed_in_at", "method", "ip_address"]
    list_select_related = ["person"]
    exclude = ["session_key"]  # a live session key is a credential
    readonly_fields = ["person", "signed_in_at", "method", "ip_address"]

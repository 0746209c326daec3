from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied

from glenwood.admin import ReadOnlyAdminMixin

from .models import GoverningBody, ImportBatch, Person, RoleAssignment, School, Trust


@admin.register(Trust)
class TrustAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "trust", "urn"]
    list_filter = ["trust"]
    search_fields = ["name", "urn"]
    prepopulated_fields = {"slug": ["name"]}


class RoleInline(admin.TabularInline):
    """Shown, never changed here: roles are given in the portal (people/grants.py), where who may give
    which role is checked, and each grant is audited and emailed."""

    model = RoleAssignment
    extra = 0
    can_delete = False
    readonly_fields = ["role"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PersonAddForm(forms.ModelForm):
    """A new person gets no password from the admin: they are sent a link and choose their own."""

    class Meta:
        model = Person
        fields = ["username", "school", "first_name", "last_name", "email"]

    def save(self, commit=True):
        person = super().save(commit=False)
        person.set_unusable_password()
        if commit:
            person.save()
        return person


@admin.register(Person)
class PersonAdmin(UserAdmin):
    # Nobody, not even a trust administrator, sets another person's password: there is no password
    # field or page here, only the "send a password reset link" action (audited).
    add_form = PersonAddForm
    actions = ["send_reset_link"]
    list_display = ["username", "last_name", "first_name", "school", "year_group", "role_list", "is_active"]
    list_filter = ["school", "role_assignments__role", "year_group", "visitor_kind", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email", "upn", "admission_number"]
    inlines = [RoleInline]
    fieldsets = (
        (None, {"fields": ["username"]}),
        *UserAdmin.fieldsets[1:],
        (
            "School",
            {
                "fields": [
                    "school",
                    "job_title",
                    "year_group",
                    "tutor_group",
                    "visitor_kind",
                    "admission_number",
                    "upn",
                    "start_date",
                    "leaving_date",
                    "access_expires_on",
                ]
            },
        ),
    )
    add_fieldsets = ((None, {"fields": ["username", "school", "first_name", "last_name", "email"]}),)

    def user_change_password(self, request, id, form_url=""):
        raise PermissionDenied("Passwords are never set for someone else: send them a reset link.")

    @admin.action(description="Send a password reset link")
    def send_reset_link(self, request, queryset):
        from accounts.services import person_send_reset_link
        from glenwood.services import NotAllowed, ServiceError

        for person in queryset:
            try:
                person_send_reset_link(actor=request.user, person=person, request=request)
            except (NotAllowed, ServiceError) as error:
                self.message_user(request, f"{person}: {error}", messages.ERROR)
            else:
                self.message_user(request, f"A reset link was emailed to {person}.", messages.SUCCESS)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("school").prefetch_related("role_assignments")

    @admin.display(description="Roles")
    def role_list(self, obj):
        return ", ".join(a.get_role_display() for a in obj.role_assignments.all())


@admin.register(GoverningBody)
class GoverningBodyAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "school", "rule", "chair"]
    list_filter = ["school", "rule"]
    search_fields = ["short_name", "name"]
    filter_horizontal = ["members"]
    autocomplete_fields = ["chair"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: an import is checked and applied through the portal, where it is audited."""

    list_display = ["uploaded_at", "school", "filename", "uploaded_by", "status", "rows", "new", "changed",
                    "leavers", "errors", "applied_at"]  # fmt: skip
    list_filter = ["status", "school"]
    search_fields = ["filename", "sha256", "uploaded_by__username", "uploaded_by__last_name"]
    date_hierarchy = "uploaded_at"
    list_select_related = ["school", "uploaded_by"]
    readonly_fields = ["school", "uploaded_by", "uploaded_at", "filename", "sha256", "status", "summary",
                       "applied_at", "applied_by", "csv_text"]  # fmt: skip
    fields = readonly_fields

    def _count(self, obj, key):
        return obj.summary.get("counts", {}).get(key, "–")

    @admin.display(description="Rows")
    def rows(self, obj):
        return self._count(obj, "rows")

    @admin.display(description="New")
    def new(self, obj):
        return self._count(obj, "new")

    @admin.display(description="Changed")
    def changed(self, obj):
        return self._count(obj, "changed")

    @admin.display(description="Leavers")
    def leavers(self, obj):
        return self._count(obj, "leavers")

    @admin.display(description="Rows with errors")
    def errors(self, obj):
        return self._count(obj, "errors")

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import GoverningBody, Person, RoleAssignment, School, Trust


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
    model = RoleAssignment
    extra = 1


@admin.register(Person)
class PersonAdmin(UserAdmin):
    list_display = ["username", "last_name", "first_name", "school", "year_group", "role_list", "is_active"]
    list_filter = ["school", "role_assignments__role", "year_group", "visitor_kind", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email", "upn", "admission_number"]
    inlines = [RoleInline]
    fieldsets = (
        *UserAdmin.fieldsets,
        (
            "School",
            {
                "fields": [
                    "school",
                    "job_title",
                    "year_group",
                    "visitor_kind",
                    "admission_number",
                    "upn",
                    "start_date",
                    "leaving_date",
                ]
            },
        ),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        ("School", {"fields": ["school", "first_name", "last_name", "email"]}),
    )

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

import django_filters
from django import forms
from django.db.models import Q

from .models import Person, Role
from .rules import YEAR_GROUPS


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search", max_length=100)  # bounds the LIKE
    role = django_filters.ChoiceFilter(choices=Role.choices, method="with_role", empty_label="Any role")
    year_group = django_filters.ChoiceFilter(
        choices=[(str(y), f"Year {y}") for y in YEAR_GROUPS], empty_label="Any year"
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[("current", "Current"), ("leavers", "Leavers"), ("expired", "Account expired")],
        method="by_status",
        empty_label="Everyone",
    )
    invitation = django_filters.ChoiceFilter(
        label="Joined",
        choices=[("not_invited", "Not invited"), ("invited", "Invited, not joined"), ("joined", "Joined")],
        method="by_invitation",
        empty_label="Anyone",
    )
    school = django_filters.ModelChoiceFilter(queryset=None, empty_label="Every school")

    class Meta:
        model = Person
        fields = ["q", "role", "year_group", "status", "invitation", "school"]

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["school"].queryset = schools
        for name in ("role", "year_group", "status", "invitation", "school"):
            self.filters[name].extra["widget"] = forms.Select(attrs={"class": "form-select"})

    def search(self, queryset, name, value):
        # Every word must match somewhere, so "Jamie Cole" finds Jamie Cole.
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(username__icontains=word)
                | Q(upn__icontains=word)
                | Q(admission_number__icontains=word)
            )
        return queryset

    def with_role(self, queryset, name, value):
        return queryset.with_role(value)

    def by_status(self, queryset, name, value):
        return {"current": queryset.current, "leavers": queryset.leavers, "expired": queryset.expired}[
            value
        ]()

    def by_invitation(self, queryset, name, value):
        return {"not_invited": queryset.not_invited, "invited": queryset.invited, "joined": queryset.joined}[
            value
        ]()

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from .models import Audience, Policy, PolicyKind
from .selectors import DUE_SOON_DAYS


class PolicyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Search", max_length=100)  # bounds the LIKE
    kind = django_filters.ChoiceFilter(
        label="Show",
        choices=[(PolicyKind.POLICY, "Policies"), (PolicyKind.AGREEMENT, "Agreements")],
        empty_label="All",
    )
    category = django_filters.ChoiceFilter(empty_label="Any category")
    audience = django_filters.ChoiceFilter(
        choices=Audience.choices, method="for_audience", empty_label="Anyone"
    )
    review = django_filters.ChoiceFilter(
        label="Review",
        choices=[
            ("overdue", "Overdue"),
            ("due_soon", f"Due within {DUE_SOON_DAYS} days"),
            ("none", "Not yet published"),
        ],
        method="by_review",
        empty_label="Any",
    )

    class Meta:
        model = Policy
        fields = ["q", "kind", "category", "audience", "review"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = self.queryset.exclude(category="").values_list("category", flat=True).distinct()
        self.filters["category"].extra["choices"] = [(c, c) for c in sorted(set(categories))]
        for name in ("kind", "category", "audience", "review"):
            self.filters[name].extra["widget"] = forms.Select(attrs={"class": "form-select"})

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value)
            | Q(category__icontains=value)
            | Q(current_version__body__icontains=value)
        )

    def for_audience(self, queryset, name, value):
        return queryset.filter(**{f"for_{value}": True})

    def by_review(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(current_version__next_review_on__lt=today)
        if value == "due_soon":
            return queryset.filter(
                current_version__next_review_on__gte=today,
                current_version__next_review_on__lte=today + timedelta(days=DUE_SOON_DAYS),
            )
        return queryset.filter(current_version__isnull=True)

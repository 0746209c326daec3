from datetime import timedelta

import django_filters
from django import forms
from django.utils import timezone

from .choices import Category, Status, Track
from .models import Case

AGES = [
    ("week", "Reported in the last 7 days"),
    ("month", "8 to 30 days old"),
    ("older", "Over 30 days old"),
    ("quarter", "Over 90 days old"),
]


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Reference", max_length=100)  # bounds the LIKE
    status = django_filters.ChoiceFilter(choices=Status.choices, empty_label="Any status")
    state = django_filters.ChoiceFilter(
        label="Open or closed",
        choices=[("open", "Open"), ("closed", "Closed"), ("overdue", "Overdue")],
        method="by_state",
        empty_label="All",
    )
    category = django_filters.ChoiceFilter(choices=Category.choices, empty_label="Any category")
    track = django_filters.ChoiceFilter(choices=Track.choices, empty_label="Any track")
    age = django_filters.ChoiceFilter(choices=AGES, method="by_age", empty_label="Any age")

    class Meta:
        model = Case
        fields = ["q", "status", "state", "category", "track", "age"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("status", "state", "category", "track", "age"):
            self.filters[name].extra["widget"] = forms.Select(attrs={"class": "form-select"})

    def search(self, queryset, name, value):
        digits = "".join(ch for ch in value if ch.isdigit())
        return queryset.filter(pk=int(digits)) if digits else queryset

    def by_state(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        if value == "closed":
            return queryset.filter(status=Status.CLOSED)
        return queryset.overdue()

    def by_age(self, queryset, name, value):
        now = timezone.now()
        days = lambda n: now - timedelta(days=n)  # noqa: E731
        if value == "week":
            return queryset.filter(reported_at__gte=days(7))
        if value == "month":
            return queryset.filter(reported_at__lt=days(7), reported_at__gte=days(30))
        if value == "older":
            return queryset.filter(reported_at__lt=days(30))
        return queryset.filter(reported_at__lt=days(90))

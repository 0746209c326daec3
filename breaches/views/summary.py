"""Governors' view: anonymised counts, never a name, a reference or a description."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from glenwood.services import NotAllowed

from .. import permissions, selectors
from ..choices import Category, Outcome, Sanction, Track


@login_required
def summary(request):
    if not permissions.may_see_summary(request.user):
        raise NotAllowed
    since = selectors.school_year_start()
    counts = selectors.anonymised_counts(request.user.school, since)
    labels = {
        **dict(Category.choices),
        **dict(Track.choices),
        **dict(Outcome.choices),
        **dict(Sanction.choices),
    }
    for key in ("by_category", "by_track", "outcomes", "sanctions"):
        counts[key] = [
            {
                **row,
                "label": labels[
                    row.get("category") or row.get("track") or row.get("standing") or row.get("sanction")
                ],
            }
            for row in counts[key]
        ]
    return render(request, "breaches/summary.html", {"counts": counts, "since": since})

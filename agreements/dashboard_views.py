"""The compliance dashboard and its CSV export, for the headteacher, admins and the trust."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from audit.looks import record_list_look
from glenwood.forms import search_text
from glenwood.pagination import page_of, query_without_page
from glenwood.services import NotAllowed
from glenwood.spreadsheets import UTF8_BOM, spreadsheet_safe
from people.access import visible_schools
from people.models import Role

from . import dashboard

DASHBOARD_ROLES = (Role.HEADTEACHER, Role.SCHOOL_ADMIN, Role.TRUST_ADMIN)
PAGE_SIZE = 50


def _filters(request, agreements):
    chosen = next((a for a in agreements if str(a.pk) == request.GET.get("agreement")), None)
    chosen = chosen or (agreements[0] if agreements else None)
    status = request.GET.get("status", "outstanding")
    if status not in dict(dashboard.STATUSES):
        status = "outstanding"
    year = request.GET.get("year")
    year = int(year) if year and year.isdigit() else None
    return chosen, status, year, search_text(request)


@login_required
def compliance(request):
    if not request.user.has_role(*DASHBOARD_ROLES):
        raise NotAllowed
    agreements = dashboard.agreements_for(request.user)
    summaries = dashboard.summaries(agreements)
    gaps = dashboard.gaps(list(visible_schools(request.user)))
    chosen, status, year, search = _filters(request, agreements)
    version = next((s.version for s in summaries if s.agreement == chosen), None)
    page = None
    if chosen and version:
        people = dashboard.people_list(chosen, version, status=status, year_group=year, search=search)
        page, _ = page_of(request, people, PAGE_SIZE)
    return render(
        request,
        "agreements/dashboard.html",
        {
            "summaries": summaries, "agreements": agreements, "chosen": chosen, "version": version,
            "status": status, "year": year, "search": search, "statuses": dashboard.STATUSES,
            "page": page, "query_string": query_without_page(request), "now": timezone.now(), "gaps": gaps,
        },
    )  # fmt: skip


class _Echo:
    def write(self, value):
        return value


@login_required
def compliance_csv(request):
    if not request.user.has_role(*DASHBOARD_ROLES):
        raise NotAllowed
    agreements = dashboard.agreements_for(request.user)
    chosen, status, year, search = _filters(request, agreements)
    version = dashboard.binding_version(chosen) if chosen else None
    writer = csv.writer(_Echo())

    def rows():
        yield UTF8_BOM
        yield writer.writerow(["School", "Agreement", "Version", "Last name", "First name", "Year group",
                               "Status", "Signed at (UTC)", "Outstanding since", "Days outstanding", "Decline reason"])  # fmt: skip
        if version is None:
            return
        people = dashboard.people_list(chosen, version, status=status, year_group=year, search=search)
        for p in people.iterator(chunk_size=500):
            state = "signed" if p.has_signed else ("declined" if p.has_declined else "outstanding")
            waiting = "" if p.has_signed else dashboard.days_outstanding(p.outstanding_since)
            yield writer.writerow([spreadsheet_safe(cell) for cell in [
                chosen.school.name, chosen.title, version.label, p.last_name, p.first_name, p.year_group or "",
                state, p.signed_at.isoformat() if p.signed_at else "",
                p.outstanding_since.date().isoformat() if not p.has_signed else "", waiting,
                p.decline_reason or "",
            ]])  # fmt: skip

    name = f"agreements-{chosen.kind if chosen else 'none'}-{status}-{timezone.localdate():%Y-%m-%d}.csv"
    record_list_look(actor=request.user, action="dashboard.csv_downloaded", request=request)
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

"""Refused attempts on a case, a signature or a person are written to the audit log."""

from .looks import record_refused

# URL name -> the kind of record its `pk` names
WATCHED = {
    "breaches:case": "breaches.case",
    "breaches:chronology": "breaches.case",
    "breaches:pdf": "breaches.case",
    "breaches:step": "breaches.case",
    "breaches:receipt": "breaches.case",
    "breaches:add_evidence": "breaches.case",
    "breaches:concerning_detail": "breaches.case",
    "breaches:download": "breaches.attachment",
    "agreements:signature": "agreements.signature",
    "agreements:signature_evidence": "agreements.signature",
    "people:detail": "people.person",
    "people:edit": "people.person",
}


class RefusedAttemptMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code in (403, 404):
            self._record(request, response)
        return response

    def _record(self, request, response):
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or user is None or not user.is_authenticated or match.view_name not in WATCHED:
            return
        record_type, pk = WATCHED[match.view_name], match.kwargs.get("pk", "")
        record_refused(
            actor=user, record_type=record_type, record_id=pk, label=f"{record_type.split('.')[1]} {pk}",
            detail={"page": match.view_name, "status": response.status_code, "method": request.method},
        )  # fmt: skip

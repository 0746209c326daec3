"""Every step on a breach or concern report, one function each, in the shape of STYLE.md habit 1:
check the person and the state, then in one transaction save the changed fields, add the
chronology entry and the audit entry. No step sends email yet (that is another issue's work).
"""

from .casework import close_case, triage_report
from .common import add_case_note, record_case_view, record_download
from .disciplinary import (
    assign_investigator,
    decide_appeal,
    lodge_appeal,
    record_finding,
    record_hearing,
    record_outcome,
)
from .flags import ImportRefused, import_flags, record_flag
from .procedure import (
    arrange_appeal,
    arrange_hearing,
    end_employment,
    hold_investigation_meeting,
    involve_trust,
    record_lado_advice,
    review_suspension,
    suspend_staff,
)
from .reporting import add_evidence, report_concern
from .welfare import make_referral, record_safeguarding_action, record_safeguarding_outcome, record_sanction

__all__ = [
    "ImportRefused",
    "add_case_note",
    "add_evidence",
    "arrange_appeal",
    "arrange_hearing",
    "assign_investigator",
    "close_case",
    "decide_appeal",
    "end_employment",
    "hold_investigation_meeting",
    "import_flags",
    "involve_trust",
    "lodge_appeal",
    "make_referral",
    "record_case_view",
    "record_download",
    "record_finding",
    "record_flag",
    "record_hearing",
    "record_lado_advice",
    "record_outcome",
    "record_safeguarding_action",
    "record_safeguarding_outcome",
    "record_sanction",
    "report_concern",
    "review_suspension",
    "suspend_staff",
    "triage_report",
]

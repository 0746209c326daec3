"""Nothing of a case is in the Django admin: not cases, chronology entries, documents, referrals or
monitoring flags, not even for a superuser.

Case files are read in the portal, where each view is checked against need to know (the
headteacher, the DSLs, the investigator and the hearing panel) and written to the audit log. The
Django admin is for the technical administrator, who has no need to know, and its pages have no such
checks. tests/test_admin_content.py walks every admin page to prove none of it shows.
"""

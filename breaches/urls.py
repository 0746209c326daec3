from django.urls import path

from .views import cases, monitoring, reports, summary

app_name = "breaches"
urlpatterns = [
    path("report/", reports.report_concern, name="report"),
    path("people/search/", reports.people_search, name="people_search"),
    path("mine/", reports.my_reports, name="mine"),
    path("reports/<int:pk>/", reports.receipt, name="receipt"),
    path("reports/<int:pk>/evidence/", reports.add_evidence, name="add_evidence"),
    path("concerning-me/", reports.concerning_me, name="concerning_me"),
    path("concerning-me/<int:pk>/", reports.concerning_detail, name="concerning_detail"),
    path("cases/", cases.case_list, name="cases"),
    path("cases/low-level-concerns/", cases.low_level_record, name="low_level"),
    path("cases/<int:pk>/", cases.case_detail, name="case"),
    path("cases/<int:pk>/chronology/", cases.case_chronology, name="chronology"),
    path("cases/<int:pk>/evidence-pack.pdf", cases.case_pdf, name="pdf"),
    path(
        "cases/<int:pk>/evidence-pack/disclose-reporter/", cases.disclose_reporter, name="disclose_reporter"
    ),
    path("cases/<int:pk>/<slug:step>/", cases.case_step, name="step"),
    path("documents/<int:pk>/", cases.download, name="download"),
    path("flags/new/", monitoring.flag_new, name="flag_new"),
    path("flags/import/", monitoring.flag_import, name="flag_import"),
    path("summary/", summary.summary, name="summary"),
]

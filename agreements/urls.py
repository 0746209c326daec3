from django.urls import path

from . import class_views, dashboard_views, export_views, views

app_name = "agreements"
urlpatterns = [
    path("", views.my_agreements, name="mine"),
    path("<int:pk>/sign/", views.sign, name="sign"),
    path("<int:pk>/decline/", views.decline, name="decline"),
    path("signatures/<int:pk>/", views.signature_detail, name="signature"),
    path("signatures/<int:pk>/witness/", views.witness_confirm, name="witness_confirm"),
    path("signatures/<int:pk>/evidence.pdf", views.signature_evidence, name="signature_evidence"),
    path("sessions/", class_views.sessions, name="sessions"),
    path("sessions/<int:pk>/", class_views.session_detail, name="session"),
    path("sessions/<int:pk>/close/", class_views.session_close, name="session_close"),
    path("sessions/<int:pk>/kiosk/", class_views.kiosk, name="kiosk"),
    path("sessions/<int:pk>/kiosk/sign/", class_views.kiosk_sign, name="kiosk_sign"),
    path("sessions/<int:pk>/kiosk/cancel/", class_views.kiosk_cancel, name="kiosk_cancel"),
    path("sessions/<int:pk>/kiosk/exit/", class_views.kiosk_exit, name="kiosk_exit"),
    path("dashboard/", dashboard_views.compliance, name="dashboard"),
    path("dashboard.csv", dashboard_views.compliance_csv, name="dashboard_csv"),
    path("exports/", export_views.export_list, name="exports"),
    path("exports/<int:pk>/", export_views.export_detail, name="export"),
    path("exports/<int:pk>/progress.json", export_views.export_progress, name="export_progress"),
    path("exports/<int:pk>/restart/", export_views.export_restart, name="export_restart"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export_download"),
]

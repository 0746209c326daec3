from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("evidence/", views.evidence, name="evidence"),
    path("evidence/<int:pk>/acknowledge/", views.evidence_acknowledge, name="acknowledge"),
]

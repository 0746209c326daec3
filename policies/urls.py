from django.urls import path

from . import views

app_name = "policies"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("new/", views.policy_create, name="create"),
    path("preview/", views.markdown_preview, name="preview"),
    path("reviews/", views.review_schedule, name="reviews"),
    path("<int:pk>/", views.policy_detail, name="detail"),
    path("<int:pk>/details/", views.policy_edit, name="edit"),
    path("<int:pk>/revise/", views.version_start, name="version_start"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:pk>/redline/", views.version_redline, name="version_redline"),
    path("versions/<int:pk>/submit/", views.version_submit, name="version_submit"),
    path("versions/<int:pk>/decide/", views.version_decide, name="version_decide"),
    path("versions/<int:pk>/publish/", views.version_publish, name="version_publish"),
    path("versions/<int:pk>/retire/", views.version_retire, name="version_retire"),
]

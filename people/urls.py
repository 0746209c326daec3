from django.urls import path

from . import invite_views, views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("invite/", invite_views.list_invite, name="list_invite"),
    path("year-groups/", views.year_groups, name="year_groups"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("<int:pk>/invite/", invite_views.person_invite, name="invite"),
    path("import/", views.import_upload, name="import"),
    path("import/sample.csv", views.import_sample, name="import_sample"),
    path("import/sample-<str:kind>.csv", views.import_sample, name="import_sample_kind"),
    path("import/<int:pk>/", views.import_batch, name="import_batch"),
    path("import/<int:pk>/columns/", views.import_match, name="import_match"),
    path("import/<int:pk>/apply/", views.import_apply, name="import_apply"),
    path("import/<int:pk>/discard/", views.import_discard, name="import_discard"),
    path("import/<int:pk>/rows-to-correct.csv", views.import_rejected, name="import_rejected"),
    path("import/<int:pk>/invite/", invite_views.import_invite, name="import_invite"),
]

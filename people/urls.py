from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/edit/", views.person_edit, name="edit"),
    path("import/", views.import_upload, name="import"),
    path("import/sample.csv", views.import_sample, name="import_sample"),
    path("import/<int:pk>/", views.import_batch, name="import_batch"),
    path("import/<int:pk>/apply/", views.import_apply, name="import_apply"),
]

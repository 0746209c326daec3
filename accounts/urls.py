from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("settings/", views.sign_in_settings, name="settings"),
    path("people/<int:pk>/", views.person_access, name="person_access"),
    path("people/<int:pk>/<slug:action>/", views.person_access_action, name="person_access_action"),
]

from django.urls import path

from . import views

app_name = "reminders"
urlpatterns = [
    path("", views.reminders, name="list"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
]

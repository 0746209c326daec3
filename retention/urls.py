from django.urls import path

from . import views

app_name = "retention"
urlpatterns = [
    path("schedule/", views.schedule, name="schedule"),
    path("schedule/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("queue/", views.queue, name="queue"),
    path("queue/confirm/", views.batch_confirm, name="batch_confirm"),
    path("queue/<int:pk>/confirm/", views.item_confirm, name="item_confirm"),
    path("queue/<int:pk>/decide/", views.item_decide, name="item_decide"),
    path("holds/", views.holds, name="holds"),
    path("holds/<int:pk>/lift/", views.hold_lift, name="hold_lift"),
    path("access/", views.access_requests, name="access"),
    path("access/<int:pk>/", views.access_detail, name="access_detail"),
    path("access/<int:pk>/download/", views.access_download, name="access_download"),
]

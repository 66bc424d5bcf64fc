from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("new/", views.request_create, name="request_create"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/export/", views.prepare_export, name="prepare_export"),
    path("<int:pk>/export/download/", views.export_download, name="export_download"),
    path("<int:pk>/complete/", views.complete, name="complete"),
    path("<int:pk>/refuse/", views.refuse, name="refuse"),
    path("retention/", views.retention_log, name="retention_log"),
]

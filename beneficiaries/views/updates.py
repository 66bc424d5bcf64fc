"""Changes the beneficiary reports (DU-4) and the annual update (DU-5)."""

from django.urls import path


def record_change(request, pk):
    raise NotImplementedError  # helper C


def annual_updates(request):
    raise NotImplementedError  # helper C


def annual_update_new(request):
    raise NotImplementedError  # helper C


def annual_update_detail(request, pk):
    raise NotImplementedError  # helper C


def update_request_complete(request, pk):
    raise NotImplementedError  # helper C


urlpatterns = [
    path("<int:pk>/changes/new/", record_change, name="record_change"),
    path("annual-updates/", annual_updates, name="annual_updates"),
    path("annual-updates/new/", annual_update_new, name="annual_update_new"),
    path("annual-updates/<int:pk>/", annual_update_detail, name="annual_update_detail"),
    path("update-requests/<int:pk>/complete/", update_request_complete, name="update_request_complete"),
]

"""The file list and search, the overdue list, the file page and document downloads."""

from django.urls import path


def file_list(request):
    raise NotImplementedError  # helper B


def overdue(request):
    raise NotImplementedError  # helper B


def file_detail(request, pk):
    raise NotImplementedError  # helper B


def document_upload(request, pk):
    raise NotImplementedError  # helper B


def document_download(request, pk):
    raise NotImplementedError  # helper B


def researcher_card(request, pk):
    raise NotImplementedError  # helper B


urlpatterns = [
    path("", file_list, name="file_list"),
    path("overdue/", overdue, name="overdue"),
    path("<int:pk>/", file_detail, name="file_detail"),
    path("<int:pk>/documents/upload/", document_upload, name="document_upload"),
    path("documents/<int:pk>/download/", document_download, name="document_download"),
    path("<int:pk>/researcher-card/", researcher_card, name="researcher_card"),
]

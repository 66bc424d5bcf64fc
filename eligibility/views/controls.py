"""Service controls (SC-1…SC-12) and certificates: exclude, freeze, lift, death; download and
verify certificates."""

from django.urls import path


def controls(request, pk):
    raise NotImplementedError  # helper E


def exclude(request, pk):
    raise NotImplementedError  # helper E


def freeze(request, pk):
    raise NotImplementedError  # helper E


def lift_freeze(request, pk):
    raise NotImplementedError  # helper E


def record_death(request, pk):
    raise NotImplementedError  # helper E


def freezes(request):
    raise NotImplementedError  # helper E


def exclusions(request):
    raise NotImplementedError  # helper E


def certificate_download(request, pk):
    raise NotImplementedError  # helper E


urlpatterns = [
    path("files/<int:pk>/controls/", controls, name="controls"),
    path("files/<int:pk>/exclude/", exclude, name="exclude"),
    path("files/<int:pk>/freeze/", freeze, name="freeze"),
    path("freezes/<int:pk>/lift/", lift_freeze, name="lift_freeze"),
    path("files/<int:pk>/death/", record_death, name="record_death"),
    path("freezes/", freezes, name="freezes"),
    path("exclusions/", exclusions, name="exclusions"),
    path("certificates/<int:pk>/download/", certificate_download, name="certificate_download"),
]

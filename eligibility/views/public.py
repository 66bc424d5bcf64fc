"""The public certificate verification page: validity, date and association only."""

from django.urls import path


def verify_certificate(request):
    raise NotImplementedError  # helper E


urlpatterns = [path("", verify_certificate, name="verify_certificate")]

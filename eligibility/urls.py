"""URLs of eligibility and the service controls (staff); the public verification page is
mounted separately at /verify/."""

from .views import cancellation, controls, handover, study

app_name = "eligibility"

urlpatterns = [*study.urlpatterns, *controls.urlpatterns, *handover.urlpatterns, *cancellation.urlpatterns]

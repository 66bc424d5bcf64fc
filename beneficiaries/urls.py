"""URLs of the beneficiary file. Each view module declares its own patterns."""

from .views import files, intake, research, updates

app_name = "beneficiaries"

urlpatterns = [*intake.urlpatterns, *files.urlpatterns, *research.urlpatterns, *updates.urlpatterns]

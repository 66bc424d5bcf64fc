"""URLs of the beneficiary file. Each view module declares its own patterns."""

from .aid import views as aid_views
from .programmes import views as programme_views
from .views import files, intake, research, updates

app_name = "beneficiaries"

urlpatterns = [*intake.urlpatterns, *files.urlpatterns, *research.urlpatterns, *updates.urlpatterns,
               *aid_views.urlpatterns, *programme_views.urlpatterns]

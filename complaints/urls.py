"""Staff URLs of complaints, mounted at /staff/complaints/ (CP-2, CP-4, CP-6…CP-10)."""

from .views import staff, suggestions

app_name = "complaints"

urlpatterns = staff.urlpatterns + suggestions.staff_urlpatterns

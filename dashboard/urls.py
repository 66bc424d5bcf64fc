"""URLs of the executive director's dashboard, mounted at /dashboard/."""

from .views import urlpatterns

app_name = "dashboard"

__all__ = ["app_name", "urlpatterns"]

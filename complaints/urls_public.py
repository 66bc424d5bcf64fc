"""Public URLs of complaints, mounted at /complaints/: no login (CP-4, RT-9)."""

from .views import public, suggestions

app_name = "complaints_public"

urlpatterns = public.urlpatterns + suggestions.public_urlpatterns

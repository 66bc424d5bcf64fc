"""URLs of programmes, under /files/programmes/ as before the app had a room of its own."""

from . import views

app_name = "programmes"

urlpatterns = [*views.urlpatterns]

"""URLs of aid, under /files/aid/ as before aid became an app of its own. Each view module
declares its own patterns."""

from .views import campaigns, cards, disbursements, equality, funds, recommendations

app_name = "aid"

urlpatterns = [*disbursements.urlpatterns, *cards.urlpatterns, *funds.urlpatterns, *campaigns.urlpatterns,
               *recommendations.urlpatterns, *equality.urlpatterns]

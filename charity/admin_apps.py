from django.contrib.admin.apps import AdminConfig


class CharityAdminConfig(AdminConfig):
    """Django admin, titled with the association's name."""

    default_site = "charity.admin_site.CharityAdminSite"

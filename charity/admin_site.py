from django.contrib import admin
from django.utils.translation import gettext as _


class CharityAdminSite(admin.AdminSite):
    """The admin site, titled with the active association's name on every page."""

    def each_context(self, request):
        from .models import PolicyProfile

        context = super().each_context(request)
        profile = PolicyProfile.objects.filter(is_active=True).first()
        name = profile.name if profile else _("Beneficiary case management")
        context.update(site_header=name, site_title=name)
        return context

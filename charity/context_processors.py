from .models import PolicyProfile
from .navigation import groups_for
from .roles import user_roles


def association(request):
    """Give every template the active profile, the user's roles and their navigation."""
    user = getattr(request, "user", None)
    return {
        "association": PolicyProfile.objects.filter(is_active=True).first(),
        "user_roles": user_roles(user) if user is not None else [],
        "nav_groups": groups_for(user) if user is not None else [],
    }

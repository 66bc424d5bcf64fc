"""Pages of the installation: the role homes, the association's policy, the public charter."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import calendar
from .charter import charter
from .models import PolicyProfile, WorkerHeartbeat
from .navigation import items_for
from .policy import Channel
from .roles import ROLE_DUTIES, Role, user_roles

HEARTBEAT_STALE_AFTER = timezone.timedelta(minutes=15)


@login_required
def home(request):
    """The signed-in user's home: one panel per role with its duties and tools."""
    roles = user_roles(request.user)
    panels = [{"role": role, "duties": ROLE_DUTIES[role]} for role in roles]
    tools = [item for item in items_for(request.user) if item.url_name != "home"]
    context = {"today": calendar.today(), "panels": panels, "tools": tools}
    if Role.ADMIN in roles or request.user.is_superuser:
        beat = WorkerHeartbeat.objects.order_by("-last_seen").first()
        context["heartbeat"] = beat
        context["heartbeat_stale"] = beat is None or timezone.now() - beat.last_seen > HEARTBEAT_STALE_AFTER
    return render(request, "charity/home.html", context)


@login_required
def policy(request):
    """The active policy profile: who decides, channels, categories, periods (PR)."""
    profile = PolicyProfile.objects.active()
    channels = [Channel(code).label for code in profile.channels if code in Channel.values]
    return render(request, "charity/policy.html", {"profile": profile, "channels": channels,
                                                    "categories": profile.categories.all()})


@require_GET
def charter_page(request):
    """Public: the beneficiaries' rights and duties and how complaints are settled (RT-9)."""
    return render(request, "charity/charter.html", {"charter": charter()})


@require_GET
def healthz(request):
    """Liveness for the load balancer: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})

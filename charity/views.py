"""Pages of the installation: the role homes, the association's policy, the public charter."""

import sys

from django.contrib.auth.decorators import login_required, permission_required
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import Http404, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import requires_csrf_token
from django.views.decorators.http import require_GET

from . import calendar
from .charter import charter
from .downloads import private_download
from .jobs import recent_interruptions
from .models import PolicyProfile, StaffTool, WorkerHeartbeat
from .navigation import items_for
from .policy import SECTION_RULES, Channel, Section
from .roles import ROLE_DUTIES, Role, user_roles
from .storage import StorageFullError
from .uploads import UPLOAD_NOT_SAVED

HEARTBEAT_STALE_AFTER = timezone.timedelta(minutes=15)


@require_GET
def home(request):
    """The signed-in user's home: one panel per role with its duties and tools. A visitor who is
    not signed in gets the public home: the association, the complaint link, the charter,
    certificate verification, «my file», and the staff login one click away (RT-9)."""
    if not request.user.is_authenticated:
        return render(request, "charity/public_home.html")
    roles = user_roles(request.user)
    panels = [{"role": role, "duties": ROLE_DUTIES[role]} for role in roles]
    tools = [item for item in items_for(request.user) if item.url_name != "home"]
    context = {"today": calendar.today(), "panels": panels, "tools": tools,
               "staff_tools": _uploaded_staff_tools(request.user)}
    if Role.ADMIN in roles or request.user.is_superuser:
        beat = WorkerHeartbeat.objects.order_by("-last_seen").first()
        context["heartbeat"] = beat
        context["heartbeat_stale"] = beat is None or timezone.now() - beat.last_seen > HEARTBEAT_STALE_AFTER
        context["interrupted_jobs"] = recent_interruptions(now=timezone.now())[:5]
    return render(request, "charity/home.html", context)


def _uploaded_staff_tools(user) -> list[StaffTool]:
    """«Staff tools»: the active profile's documents the admin has uploaded, for the staff home."""
    if not user.has_perm("charity.view_stafftool"):
        return []
    return list(StaffTool.objects.filter(profile__is_active=True, versions__isnull=False).distinct()
                .order_by("position", "id"))


@login_required
@permission_required("charity.view_stafftool", raise_exception=True)
@require_GET
def staff_tool(request, pk):
    """«Staff tools»: the newest upload of one of the active profile's documents, for staff only."""
    tool = get_object_or_404(StaffTool, pk=pk, profile__is_active=True)
    version = tool.current()
    if version is None:
        raise Http404
    return private_download(version.stored, filename=f"{tool.name_ar}.{version.extension}",
                            content_type=version.content_type)


@login_required
def policy(request):
    """The active policy profile: who decides, channels, categories, the sections its board
    adopted (PR «Sections per profile»), periods."""
    profile = PolicyProfile.objects.active()
    channels = [Channel(code).label for code in profile.channels if code in Channel.values]
    adoptions = profile.adoptions()
    sections = [{"section": s, "rules": SECTION_RULES[s], "adoption": adoptions.get(s.value)} for s in Section]
    return render(request, "charity/policy.html", {"profile": profile, "channels": channels, "sections": sections,
                                                    "categories": profile.categories.all()})


@require_GET
def charter_page(request):
    """Public: the beneficiaries' rights and duties and how complaints are settled (RT-9), each
    said adopted by the board's decision or not adopted (PR «Sections per profile»)."""
    return render(request, "charity/charter.html", {"charter": charter()})


@require_GET
def healthz(request):
    """Liveness for the load balancer: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# The errors a database that is restarting, unreachable or out of connections raises.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60


@requires_csrf_token
def server_error(request):
    """handler500. When the database is unreachable (restarting, failed over), say so — a 503
    instead of the generic page. After a page: it could not be shown, nothing was lost. After
    a form: what was sent may not have been saved (the connection can drop after the commit),
    so check before sending again; on the public complaint form, the receipt's text message is
    the proof it arrived. A full disk while saving an upload says that the file was not kept
    (507). Rendered without the request context: no query is made."""
    exception = sys.exc_info()[1]
    unavailable = isinstance(exception, DATABASE_UNAVAILABLE) or (
        isinstance(exception, DatabaseError) and isinstance(exception.__cause__, DATABASE_UNAVAILABLE))
    if isinstance(exception, StorageFullError):
        page = loader.render_to_string("507.html", {"path": request.path, "message": UPLOAD_NOT_SAVED})
        return HttpResponseServerError(page, status=507)
    if unavailable:
        sent = request.method not in ("GET", "HEAD", "OPTIONS")
        complaint_form = request.path == reverse("complaints_public:file")
        page = loader.render_to_string("503.html", {"path": request.path, "sent": sent,
                                                    "complaint_form": complaint_form})
        response = HttpResponseServerError(page, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))

"""The file list and search, the overdue list, the file page and document downloads.

RT-6, RT-10: every read goes through BeneficiaryFile.objects.visible_to (404 for anyone
else) and every file page, download and print writes an access-log row. RT-7, RT-8: the
researcher's name, title and contacts on the file page and the printable card. IN-5: the
overdue list. DU-1: documents uploaded after intake.
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from charity import calendar, replica, searches
from charity.audit import get_in_scope, log_access
from charity.downloads import private_download
from charity.models import AccessLog
from charity.paging import paginate

from .. import errors, policy, services
from ..filters import FileFilter
from ..forms.files import DocumentUploadForm
from ..models import BeneficiaryFile, Document
from ..policy import Relationship
from .common import active_profile, visible_file

PER_PAGE = 25
MAX_PER_PAGE = 100
HISTORY_LIMIT = 20
# DU-1 after intake: a file that is finished no longer takes documents.

DOCUMENT_UPLOADED = _("The document was added to the file.")


def _require_perm_or_404(user, perm: str) -> None:
    """Answer 404, like for a file outside the user's scope, when the role lacks `perm`."""
    if not user.has_perm(perm):
        raise Http404


def _per_page(request) -> int:
    try:
        value = int(request.GET.get("per_page", PER_PAGE))
    except (TypeError, ValueError):
        return PER_PAGE
    return max(1, min(value, MAX_PER_PAGE))


def _paginate(request, queryset):
    return paginate(request, queryset, _per_page(request))


def _list_queryset(user):
    """The user's scope with what the list shows, in a fixed number of queries."""
    return BeneficiaryFile.objects.visible_to(user).select_related("researcher").prefetch_related("categories")


@login_required
@permission_required("beneficiaries.view_beneficiaryfile", raise_exception=True)
@require_http_methods(["GET", "POST"])
def file_list(request):
    """Every file the user may see, with search and filters. Lists are not access-logged;
    each file page opened from them is. The search words are posted and sealed in the session
    (charity.searches): no identity number, mobile or name ever appears in a URL."""
    if sealed := searches.sealing_redirect(request):
        return sealed
    today = calendar.today()
    # Newest first: the primary key follows creation and its index serves ORDER BY ... LIMIT.
    scope = _list_queryset(request.user).order_by("-pk")
    with replica.reading_from_replica():  # the filter's choices, rendered below, too
        filterset = FileFilter(searches.search_data(request), queryset=scope, request=request, today=today)
        page = _paginate(request, filterset.qs)
        for file in page:
            file.decision_overdue = policy.decision_is_overdue(file.status, file.decision_due_on, today)
        return render(request, "beneficiaries/file_list.html", {"filter": filterset, "page": page, "today": today})


@login_required
@permission_required("beneficiaries.view_overdue_applications", raise_exception=True)
@require_GET
def overdue(request):
    """IN-5: applications past their decision target, oldest due first."""
    today = calendar.today()
    files = _list_queryset(request.user).overdue(today).order_by("decision_due_on", "pk")
    page = _paginate(request, files)
    for file in page:
        file.days_overdue = calendar.days_between(file.decision_due_on, today)
    return render(request, "beneficiaries/file_overdue.html", {"page": page, "today": today})


# --- The file page --------------------------------------------------------------------------


age_on = calendar.age_on


def mask_iban(iban: str) -> str:
    """Show only the last four characters of the IBAN (RT-10)."""
    if not iban:
        return ""
    return "•" * max(len(iban) - 4, 0) + iban[-4:]


def _household(file, today) -> dict:
    members = sorted(file.members.all(), key=lambda m: (m.relationship != Relationship.HEAD, m.pk))
    for member in members:
        member.age = age_on(member.birth_date, today)
    current = [m for m in members if m.is_current]
    incomes = list(file.incomes.select_related("member").order_by("ended_on", "pk"))
    total = sum((i.monthly_amount for i in incomes if i.is_current), Decimal("0"))
    per_member = policy.income_per_member(total, len(current)) if current else None
    return {"current_members": current, "former_members": [m for m in members if not m.is_current],
            "incomes": incomes, "income_total": total, "income_per_member": per_member}


def _documents(file, today) -> list:
    documents = list(file.documents.select_related("uploaded_by", "member").order_by("doc_type", "-uploaded_at"))
    for document in documents:
        document.expired = not policy.document_is_valid_on(document.expires_on, today)
    return documents


def _history(file) -> list[dict]:
    """The latest changes of the file itself: when, who, which fields (django-simple-history)."""
    records = list(file.history.select_related("history_user").order_by("-history_date", "-history_id")
                   [:HISTORY_LIMIT + 1])
    if not records:
        return []
    fields = [f.name for f in records[0].tracked_fields if f.editable]
    labels = {f.name: f.verbose_name for f in BeneficiaryFile._meta.fields}
    rows = []
    for record, previous in zip(records[:HISTORY_LIMIT], records[1:] + [None], strict=False):
        changes = record.diff_against(previous, included_fields=fields).changes if previous else []
        rows.append({"record": record, "fields": [labels.get(c.field, c.field) for c in changes]})
    return rows


def _follow_up(file) -> dict:
    return {
        "declarations": file.declarations.select_related("confirmed_by"),
        "assignments": file.assignments.select_related("researcher", "assigned_by"),
        "researcher_requests": file.researcher_requests.select_related("decided_by", "new_researcher"),
        "participation": services.participation_in_force(file),  # RT-5
        "referrals": file.referrals.select_related("asked_by", "answered_by"),
        "reported_changes": file.reported_changes.select_related("recorded_by"),
        "update_requests": file.update_requests.select_related("update", "completed_by"),
    }


@login_required
@require_GET
def file_detail(request, pk):
    """The file page (RT-6, RT-10: through the scope, logged)."""
    _require_perm_or_404(request.user, "beneficiaries.view_beneficiaryfile")
    file = visible_file(request, pk, queryset=BeneficiaryFile.objects.select_related("researcher", "registered_by"))
    today = calendar.today()
    context = {
        "file": file, "today": today, "categories": file.categories.all(), "iban_masked": mask_iban(file.iban),
        "decision_overdue": policy.decision_is_overdue(file.status, file.decision_due_on, today),
        "accepts_documents": file.status not in policy.DOCUMENT_CLOSED_STATUSES,
        "documents": _documents(file, today), "history": _history(file),
        **_household(file, today), **_follow_up(file),
    }
    return render(request, "beneficiaries/file_detail.html", context)


# --- Documents ------------------------------------------------------------------------------


def _store_upload(request, file, form) -> Document | None:
    data = form.cleaned_data
    try:
        return services.upload_document(
            file=file, by=request.user, uploaded=data["uploaded"], doc_type=data["doc_type"],
            today=calendar.today(), issued_on=data["issued_on"], expires_on=data["expires_on"],
            member=data["member"], note=data["note"],
        )
    except ValidationError as exc:
        form.add_service_error(exc)
        return None


@login_required
@permission_required("beneficiaries.add_document", raise_exception=True)
def document_upload(request, pk):
    """DU-1: add a document to a file after intake; the service checks content and dates."""
    posting = request.method == "POST"
    file = visible_file(request, pk, action=None if posting else AccessLog.Action.VIEW)
    if file.status in policy.DOCUMENT_CLOSED_STATUSES:
        messages.error(request, errors.DOCUMENTS_CLOSED % {"status": file.get_status_display()})
        return redirect(file)
    initial = {"doc_type": request.GET.get("doc_type")}
    form = (DocumentUploadForm(request.POST, request.FILES, file=file) if posting
            else DocumentUploadForm(file=file, initial=initial))
    if posting and form.is_valid() and _store_upload(request, file, form):
        messages.success(request, DOCUMENT_UPLOADED)
        return redirect(file)
    checklist = services.document_checklist(file, today=calendar.today(), profile=active_profile())
    return render(request, "beneficiaries/document_upload.html", {"file": file, "form": form, "checklist": checklist})


def download_name(document: Document) -> str:
    """«<file number>-<document type>.<extension>»: never the uploader's file name."""
    extension = document.stored.name.rsplit(".", 1)[-1] if "." in document.stored.name else "bin"
    return f"{document.file.number}-{document.doc_type}.{extension}"


@login_required
@require_GET
def document_download(request, pk):
    """Stream a document of a file the user may see, as an attachment; log the download."""
    _require_perm_or_404(request.user, "beneficiaries.view_document")
    document = get_in_scope(request, Document.objects.select_related("file").filter(
        file__in=BeneficiaryFile.objects.visible_to(request.user)), pk)
    return private_download(document.stored, filename=download_name(document), content_type=document.content_type,
                            log=lambda: log_access(request, document, AccessLog.Action.DOWNLOAD))


@login_required
@require_GET
def researcher_card(request, pk):
    """RT-7, RT-8: a printable card with the researcher's name, title and contacts."""
    _require_perm_or_404(request.user, "beneficiaries.view_beneficiaryfile")
    file = visible_file(request, pk, action=None, queryset=BeneficiaryFile.objects.select_related("researcher"))
    if file.researcher is None:
        raise Http404
    log_access(request, file, AccessLog.Action.PRINT)
    return render(request, "beneficiaries/researcher_card.html",
                  {"file": file, "researcher": file.researcher, "today": calendar.today()})


urlpatterns = [
    path("", file_list, name="file_list"),
    path("overdue/", overdue, name="overdue"),
    path("<int:pk>/", file_detail, name="file_detail"),
    path("<int:pk>/documents/upload/", document_upload, name="document_upload"),
    path("documents/<int:pk>/download/", document_download, name="document_download"),
    path("<int:pk>/researcher-card/", researcher_card, name="researcher_card"),
]

"""Intake at the front desk: a step-by-step application saved as a draft (IN-1…IN-6, DU-1)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from charity.charter import charter
from charity.links import absolute_reverse
from charity.models import AccessLog
from charity.paging import paginate

from .. import errors, services
from ..forms import intake as forms
from ..forms.files import DocumentUploadForm
from ..messages import PERIOD
from ..models import BeneficiaryFile, Member
from ..pdf import render_pdf
from ..policy import DocumentType, FileStatus, Relationship
from .common import active_profile, now_and_today, setup_warning, visible_file

# Steps of the wizard, in order; each saves the draft (the file in status «applicant»).
STEPS = ["contact", "household", "income", "documents", "declaration", "review"]
STEP_LABELS = {
    "contact": _("Contact and address"),
    "household": _("Household"),
    "income": _("Income and housing"),
    "documents": _("Documents"),
    "declaration": _("Declaration"),
    "review": _("Review and submit"),
}

FILE_OPENED = _("Draft file %(number)s opened. Everything is saved as you go; you can resume it later.")
SAVED = _("Saved.")
MEMBER_SAVED = _("%(name)s saved in the household.")
MEMBER_LEFT = _("%(name)s is marked as no longer in the household.")
HEAD_CANNOT_LEAVE = _("The head of household cannot be marked as left here.")
INCOME_SAVED = _("Income saved.")
INCOME_ENDED = _("The income is marked as ended.")
DOCUMENT_SAVED = _("%(type)s uploaded.")
DECLARATION_SAVED = _("The declaration is recorded.")
SUBMITTED = _("Application %(number)s submitted.")
REFERRED = _("The applicant lives outside the service area; the case is recorded as referred to %(body)s.")
IN_OTHER_OPEN_FILE = _("Note: this identity number also belongs to a member of another open file. It was saved; "
                       "check with the beneficiary-services manager before the application is submitted.")
CANNOT_SUBMIT = _("The application cannot be submitted yet. Complete what is listed below.")

register_required = permission_required("beneficiaries.register_file", raise_exception=True)
view_required = permission_required("beneficiaries.view_beneficiaryfile", raise_exception=True)


@login_required
@register_required
def intake_start(request):
    """Register the head of household, the channel and categories; open a draft (IN-1, CH, BEN-1, IN-9)."""
    profile = active_profile()
    form = forms.IntakeStartForm(request.POST or None, profile=profile)
    if request.method == "POST" and form.is_valid():
        _now, today = now_and_today()
        try:
            file = services.start_intake(by=request.user, profile=profile, channel=form.cleaned_data["channel"],
                                         head=form.head_data(), categories=form.cleaned_data["categories"],
                                         today=today, **form.file_fields())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, FILE_OPENED % {"number": file.number})
            _warn_other_open_files(request, file.head_id_number, file)
            return _to_step(file, STEPS[0])
    return render(request, "beneficiaries/intake/start.html", {"form": form, "profile": profile,
                                                               "setup_warning": setup_warning(profile)})


@login_required
@register_required
def intake_step(request, pk, step):
    """Show or save one step of a draft; a submitted file goes to its own page."""
    handler = _STEP_VIEWS.get(step)
    if handler is None:
        raise Http404
    file = visible_file(request, pk, action=AccessLog.Action.VIEW if request.method == "GET" else None)
    if file.status != FileStatus.APPLICANT:
        messages.info(request, errors.NOT_A_DRAFT)
        return redirect(file)
    return handler(request, file, active_profile())


@login_required
@register_required
def intake_drafts(request):
    """The drafts the user may see, newest first, to resume them."""
    drafts = (BeneficiaryFile.objects.visible_to(request.user).filter(status=FileStatus.APPLICANT)
              .select_related("registered_by").order_by("-created_at"))
    page = paginate(request, drafts, 50)
    return render(request, "beneficiaries/intake/drafts.html", {"page": page, "first_step": STEPS[0]})


@login_required
@view_required
def declaration_pdf(request, pk):
    """IN-3: the applicant's data, the declaration and the rights-and-duties charter, to sign."""
    file = visible_file(request, pk, action=AccessLog.Action.PRINT)
    _now, today = now_and_today()
    profile = active_profile()
    context = {**_summary(file, today, profile), "charter": charter(profile=profile), "staff": request.user,
               "today": today}
    pdf = render_pdf("beneficiaries/pdf/declaration.html", context, request=request)
    return _pdf_response(pdf, f"declaration-{file.number}.pdf")


@login_required
@view_required
def receipt(request, pk):
    """IN-5: what the applicant takes home: who decides, by when, how to ask and complain."""
    file = visible_file(request, pk, queryset=BeneficiaryFile.objects.filter(submitted_at__isnull=False))
    return render(request, "beneficiaries/intake/receipt.html", _receipt_context(request, file))


@login_required
@view_required
def receipt_pdf(request, pk):
    file = visible_file(request, pk, action=AccessLog.Action.PRINT,
                        queryset=BeneficiaryFile.objects.filter(submitted_at__isnull=False))
    pdf = render_pdf("beneficiaries/pdf/receipt.html", _receipt_context(request, file), request=request)
    return _pdf_response(pdf, f"receipt-{file.number}.pdf")


# --- Steps ----------------------------------------------------------------------------------


def _contact(request, file, profile):
    """Phones, email and national address; outside the area only as a referral (BEN-1)."""
    form = forms.ContactForm(request.POST or None, instance=file, profile=profile)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.check_service_area(city=data["city"], profile=profile)
        except ValidationError as exc:
            if not data["refer_out"]:
                form.add_error("city", exc)
                return _render_step(request, file, "contact", {"form": form})
            return _refer_out(request, file, form)
        try:
            services.update_file(file=file, by=request.user, expected_version=data["version"],
                                 changes=form.changes(), reason="intake: contact")
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, SAVED)
            return _to_step(file, "household")
    return _render_step(request, file, "contact", {"form": form})


def _refer_out(request, file, form):
    now, _today = now_and_today()
    body = form.cleaned_data["referred_to"].strip()
    try:
        with transaction.atomic():
            file = services.update_file(file=file, by=request.user, expected_version=form.cleaned_data["version"],
                                        changes=form.changes(), reason="BEN-1: outside the service area")
            services.refer_out(file=file, referred_to=body, now=now)
    except ValidationError as exc:
        form.add_error(None, exc)
        return _render_step(request, file, "contact", {"form": form})
    messages.success(request, REFERRED % {"body": body})
    return redirect(file)


def _household(request, file, profile):
    """The members: add, edit, mark as left (never deleted)."""
    editing = _current_member(file, request.POST.get("member_id") if request.method == "POST"
                              else request.GET.get("edit"))
    context = {"form": forms.MemberForm(instance=editing or Member(file=file), profile=profile, prefix="member"),
               "left_form": forms.MemberLeftForm(prefix="left")}
    if request.method == "POST":
        action = _mark_left if request.POST.get("action") == "left" else _save_member
        result = action(request, file, profile, editing)
        if isinstance(result, HttpResponse):
            return result
        context.update(result)
    context.update(editing=editing, members=file.members.order_by("id"))
    return _render_step(request, file, "household", context)


def _save_member(request, file, profile, member):
    form = forms.MemberForm(request.POST, instance=member or Member(file=file), profile=profile, prefix="member")
    if form.is_valid():
        try:
            saved = services.save_member(file=file, data=form.member_data(), member=member)
        except ValidationError as exc:
            form.add_error(None, exc)
        except IntegrityError:
            form.add_error("id_number", errors.MEMBER_IN_FILE)
        else:
            messages.success(request, MEMBER_SAVED % {"name": saved.full_name})
            _warn_other_open_files(request, saved.id_number, file)
            return _to_step(file, "household")
    return {"form": form}


def _mark_left(request, file, profile, member):
    if member is None:
        raise Http404
    if member.relationship == Relationship.HEAD:
        messages.error(request, HEAD_CANNOT_LEAVE)
        return _to_step(file, "household")
    form = forms.MemberLeftForm(request.POST, prefix="left")
    if not form.is_valid():
        return {"left_form": form}
    services.mark_member_left(member=member, on=form.cleaned_data["on"], deceased=form.cleaned_data["deceased"])
    messages.success(request, MEMBER_LEFT % {"name": member.full_name})
    return _to_step(file, "household")


def _income(request, file, profile):
    """Incomes of the household; housing and the IBAN (saved on the file, versioned)."""
    context = {"income_form": forms.IncomeForm(file=file, prefix="income"),
               "housing_form": forms.HousingForm(instance=file, prefix="housing")}
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "income":
        form = context["income_form"] = forms.IncomeForm(request.POST, file=file, prefix="income")
        if form.is_valid():
            services.save_income(file=file, data=form.income_data())
            messages.success(request, INCOME_SAVED)
            return _to_step(file, "income")
    elif action == "end_income":
        income = _by_pk(file.incomes.current(), request.POST.get("income_id"))
        services.save_income(file=file, data={"ended_on": now_and_today()[1]}, income=income)
        messages.success(request, INCOME_ENDED)
        return _to_step(file, "income")
    elif action == "housing":
        form = context["housing_form"] = forms.HousingForm(request.POST, instance=file, prefix="housing")
        if form.is_valid():
            try:
                services.update_file(file=file, by=request.user, expected_version=form.cleaned_data["version"],
                                     changes=form.changes(), reason="intake: housing and IBAN")
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, SAVED)
                return _to_step(file, "documents")
    context["incomes"] = file.incomes.select_related("member").order_by("ended_on", "id")
    return _render_step(request, file, "income", context)


def _documents(request, file, profile):
    """DU-1 checklist and uploads; the services refuse large, disguised or expired files (IN-2)."""
    _now, today = now_and_today()
    form = DocumentUploadForm(file=file, prefix="doc", form_tag=False, initial={"doc_type": request.GET.get("type")})
    if request.method == "POST":
        form = DocumentUploadForm(request.POST, request.FILES, file=file, prefix="doc", form_tag=False)
        if form.is_valid():
            data = form.cleaned_data
            try:
                document = services.upload_document(
                    file=file, by=request.user, uploaded=data["uploaded"], doc_type=data["doc_type"], today=today,
                    issued_on=data["issued_on"], expires_on=data["expires_on"], member=data["member"],
                    note=data["note"])
            except ValidationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, DOCUMENT_SAVED % {"type": document.get_doc_type_display()})
                return _to_step(file, "documents")
    context = {"form": form, "checklist": services.document_checklist(file, today=today, profile=profile),
               "documents": services.current_documents(file).select_related("member").order_by("-uploaded_at")}
    return _render_step(request, file, "documents", context)


def _declaration(request, file, profile):
    """IN-3: print the declaration, then record who signed it, when and how."""
    initial = {"signed_by_name": file.head_name, "signed_by_id_number": file.head_id_number}
    form = forms.DeclarationForm(request.POST or None, request.FILES or None, profile=profile, initial=initial,
                           prefix="decl")
    if request.method == "POST" and form.is_valid():
        try:
            _record_declaration(request, file, form.cleaned_data)
        except ValidationError as exc:
            form.add_error(_upload_error_field(exc, "scan", None), exc)
        else:
            messages.success(request, DECLARATION_SAVED)
            return _to_step(file, "review")
    declarations = file.declarations.select_related("confirmed_by", "scan")
    return _render_step(request, file, "declaration", {"form": form, "declarations": declarations})


def _record_declaration(request, file, data):
    now, today = now_and_today()
    with transaction.atomic():
        scan = None
        if data["method"] == "scan":
            scan = services.upload_document(file=file, by=request.user, uploaded=data["scan"],
                                            doc_type=DocumentType.SIGNED_DECLARATION, today=today)
        return services.record_declaration(file=file, by=request.user, method=data["method"], scan=scan, now=now,
                                           signed_by_name=data["signed_by_name"].strip(),
                                           signed_by_id_number=data["signed_by_id_number"])


def _review(request, file, profile):
    """Everything at a glance, what is still missing, and the submission (IN-2, IN-5, IN-6)."""
    now, today = now_and_today()
    if request.method == "POST":
        try:
            services.submit_application(file=file, by=request.user, profile=profile, today=today, now=now)
        except ValidationError:
            messages.error(request, CANNOT_SUBMIT)
        else:
            messages.success(request, SUBMITTED % {"number": file.number})
            return redirect("beneficiaries:receipt", pk=file.pk)
    context = {**_summary(file, today, profile),
               "problems": services.submission_problems(file, today=today, profile=profile)}
    return _render_step(request, file, "review", context)


_STEP_VIEWS = {"contact": _contact, "household": _household, "income": _income, "documents": _documents,
               "declaration": _declaration, "review": _review}


# --- Helpers --------------------------------------------------------------------------------


def _render_step(request, file, step, context):
    steps = [{"code": code, "label": STEP_LABELS[code], "number": index, "current": code == step,
              "url": reverse("beneficiaries:intake_step", args=[file.pk, code])}
             for index, code in enumerate(STEPS, start=1)]
    return render(request, f"beneficiaries/intake/{step}.html",
                  {"file": file, "step": step, "step_label": STEP_LABELS[step], "steps": steps,
                   "setup_warning": setup_warning(active_profile()), **context})


def _to_step(file, step):
    return redirect("beneficiaries:intake_step", pk=file.pk, step=step)


def _by_pk(queryset, raw):
    """Return the object of `queryset` whose pk is `raw` (from the request), or raise 404."""
    found = queryset.filter(pk=raw).first() if str(raw or "").isdigit() else None
    if found is None:
        raise Http404
    return found


def _current_member(file, raw):
    return _by_pk(file.members.current(), raw) if raw else None


def _upload_error_field(exc, upload_field, date_field):
    """Put a refusal of upload_document on the field it concerns."""
    code = getattr(exc, "code", None) or ""
    if code.startswith("upload_"):
        return upload_field
    return date_field if code in ("expired_on_upload", "expiry_before_issue") else None


def _warn_other_open_files(request, id_number, file):
    """Allowed, but staff must see it: the person is a member of another open file."""
    if Member.objects.in_other_open_files(id_number, exclude_file_id=file.pk).exists():
        messages.warning(request, IN_OTHER_OPEN_FILE)


def _summary(file, today, profile):
    incomes = list(file.incomes.current().select_related("member").order_by("id"))
    return {
        "file": file, "profile": profile,
        "members": file.members.current().order_by("id"),
        "categories": file.categories.all(),
        "incomes": incomes, "income_total": sum(i.monthly_amount for i in incomes),
        "checklist": services.document_checklist(file, today=today, profile=profile),
        "documents": services.current_documents(file).select_related("member").order_by("doc_type", "-uploaded_at"),
        "declarations": file.declarations.select_related("confirmed_by"),
    }


def _receipt_context(request, file):
    """IN-5: who decides and the period in the text's own terms (a minimum, never a date)."""
    return {"file": file, "profile": active_profile(), "charter_url": absolute_reverse("charter"), "period": PERIOD}


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


urlpatterns = [
    path("intake/new/", intake_start, name="intake_start"),
    path("intake/drafts/", intake_drafts, name="intake_drafts"),
    path("intake/<int:pk>/<slug:step>/", intake_step, name="intake_step"),
    path("<int:pk>/declaration.pdf", declaration_pdf, name="declaration_pdf"),
    path("<int:pk>/receipt/", receipt, name="receipt"),
    path("<int:pk>/receipt.pdf", receipt_pdf, name="receipt_pdf"),
]

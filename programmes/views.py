"""Programme pages: list, new, detail, nominate, answers, sessions, attendance, apologies,
drop-outs and closing (TK-6, DU-3, DU-6, DU-10, DU-11, SAT-1).

Every page needs programmes.manage_programmes (403 without it). Nominations are shown and
changed only for files the user may see (BeneficiaryFile.objects.visible_to; 404 otherwise),
and a page about one nomination writes an access-log row for its file.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from beneficiaries.models import BeneficiaryFile
from beneficiaries.views.common import now_and_today
from charity import searches
from charity.audit import get_in_scope, log_access
from charity.forms import add_service_error
from charity.models import PolicyProfile

from . import forms, impact, policy, services
from .models import Nomination, Programme, Session
from .policy import Status

PERM = "programmes.manage_programmes"
PROGRAMME_CREATED = _("The programme was created. Nominate participants from active files.")
ANSWER_RECORDED = _("The answer was recorded.")
NEXT_NOMINATED = _("The next candidate on the waiting list was nominated.")
SESSION_ADDED = _("The session was added.")
SHEET_SAVED = _("The attendance was recorded.")
APOLOGY_RECORDED = _("The apology was recorded.")
APOLOGY_TOO_LATE = _("The apology was made on or after the session's day: the absence is not excused.")
DROPOUT_RECORDED = _("The drop-out was recorded.")
MAX_SEARCH_FILES = 20


def _data(request):
    return request.POST if request.method == "POST" else None


def _bound(request):
    return (request.POST, request.FILES) if request.method == "POST" else (None, None)


def _visible_nominations(user):
    return Nomination.objects.filter(file__in=BeneficiaryFile.objects.visible_to(user))


def _nomination(request, pk) -> Nomination:
    """Return a nomination of a file the user may see (else 404); log the file's view on GET."""
    nomination = get_in_scope(request, _visible_nominations(request.user).select_related("programme", "file",
                                                                                          "member"), pk)
    if request.method == "GET":
        log_access(request, nomination.file)
    return nomination


def _participants(request, session: Session):
    return services.session_participants(session).filter(file__in=BeneficiaryFile.objects.visible_to(request.user))


@login_required
@permission_required(PERM, raise_exception=True)
def programme_list(request):
    """TK-6: the programmes, newest first, with their places and how they are filled."""
    programmes = Programme.objects.annotate(
        holding=Count("nominations", filter=Q(nominations__status__in=policy.HOLDS_A_PLACE)),
        waiting=Count("nominations", filter=Q(nominations__status=Status.WAITING)),
    ).select_related("coordinator")
    return render(request, "programmes/programme_list.html", {"programmes": programmes})


@login_required
@permission_required(PERM, raise_exception=True)
def programme_new(request):
    form = forms.ProgrammeForm(_data(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.create_programme(by=request.user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, PROGRAMME_CREATED)
            return redirect("programmes:programme_detail", pk=programme.pk)
    return render(request, "programmes/programme_form.html", {"form": form})


@login_required
@permission_required(PERM, raise_exception=True)
def programme_detail(request, pk):
    """TK-6, DU-6: the ranked list with each answer, and each participant's attendance rate."""
    programme = get_object_or_404(Programme.objects.select_related("coordinator"), pk=pk)
    _now, today = now_and_today()
    nominations = services.with_attendance(
        _visible_nominations(request.user).filter(programme=programme).select_related("file", "member")
        .order_by("rank"))
    counts = programme.nominations.aggregate(**{s.value: Count("pk", filter=Q(status=s)) for s in Status})
    return render(request, "programmes/programme_detail.html", {
        "programme": programme, "nominations": nominations, "counts": counts, "today": today,
        "sessions": programme.sessions.annotate(marked=Count("attendance")),
        "free": policy.free_places(programme.capacity, sum(counts[s] for s in policy.HOLDS_A_PLACE)),
        "has_ended": policy.has_ended(programme.ends_on, today),
        # IN-8: before/after needs studies and satisfaction, over the files the user may see
        "impact": (impact.programme_impact(programme, files=BeneficiaryFile.objects.visible_to(request.user))
                   if impact.shows_impact(PolicyProfile.objects.active()) else None),
    })


@login_required
@permission_required(PERM, raise_exception=True)
def nominate(request, pk):
    """TK-6: search the active files the user may see and add members to the ranked list. The
    search words are posted and sealed in the session (charity.searches), never put in a URL."""
    programme = get_object_or_404(Programme, pk=pk)
    if "q" in request.POST or "q" in request.GET:
        return searches.sealing_redirect(request)
    _now, today = now_and_today()
    members = services.nominable_members(user=request.user, programme=programme)
    form = forms.NominateForm(_data(request), members=members)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.nominate(programme=programme, members=form.chosen(), by=request.user, today=today)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            nominated = sum(1 for n in created if n.status == Status.NOMINATED)
            messages.success(request, ngettext(
                "%(count)d added to the list: %(nominated)d nominated, the others wait their turn.",
                "%(count)d added to the list: %(nominated)d nominated, the others wait their turn.",
                len(created)) % {"count": len(created), "nominated": nominated})
            return redirect("programmes:programme_detail", pk=programme.pk)
    query = searches.unseal(request)
    candidates = []
    if query:
        files = BeneficiaryFile.objects.visible_to(request.user).filter(status=policy.NOMINABLE_FILE_STATUS)
        found = files.search(query).values("pk")[:MAX_SEARCH_FILES]
        candidates = members.filter(file__in=found).order_by("file__number", "id")
    return render(request, "programmes/nominate.html",
                  {"programme": programme, "form": form, "query": query, "candidates": candidates})


@login_required
@permission_required(PERM, raise_exception=True)
def nomination_answer(request, pk):
    """DU-11: record the nominee's written acceptance or refusal."""
    nomination = _nomination(request, pk)
    _now, today = now_and_today()
    form = forms.AnswerForm(*_bound(request))
    if request.method == "POST" and form.is_valid():
        try:
            answered = services.record_answer(
                nomination=nomination, by=request.user, accepted=form.accepted, today=today,
                written_answer=form.cleaned_data["written_answer"], signed_answer=form.cleaned_data["signed_answer"])
        except ValidationError as exc:
            add_service_error(form, exc, {"refusal_not_in_writing": "written_answer", "upload_empty": "signed_answer",
                                          "upload_too_large": "signed_answer", "upload_wrong_type": "signed_answer"})
        else:
            messages.success(request, ANSWER_RECORDED)
            if getattr(answered, "promoted", None):
                messages.info(request, NEXT_NOMINATED)
            return redirect("programmes:programme_detail", pk=nomination.programme_id)
    return render(request, "programmes/answer_form.html", {"nomination": nomination, "form": form})


@login_required
@permission_required(PERM, raise_exception=True)
def nomination_dropout(request, pk):
    """DU-10: record a drop-out with its reasons and whether they talked to the association first."""
    nomination = _nomination(request, pk)
    _now, today = now_and_today()
    form = forms.DropoutForm(_data(request), today=today)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_dropout(nomination=nomination, by=request.user, discussed=form.discussed, today=today,
                                    reasons=form.cleaned_data["dropout_reasons"],
                                    dropped_out_on=form.cleaned_data["dropped_out_on"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, DROPOUT_RECORDED)
            return redirect("programmes:programme_detail", pk=nomination.programme_id)
    return render(request, "programmes/dropout_form.html", {"nomination": nomination, "form": form})


@login_required
@permission_required(PERM, raise_exception=True)
def session_new(request, pk):
    programme = get_object_or_404(Programme, pk=pk)
    form = forms.SessionForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            session = services.record_session(programme=programme, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, SESSION_ADDED)
            return redirect("programmes:session_sheet", pk=session.pk)
    return render(request, "programmes/session_form.html", {"programme": programme, "form": form})


@login_required
@permission_required(PERM, raise_exception=True)
def session_sheet(request, pk):
    """DU-3: the attendance sheet of one session; absences with an apology in advance are excused."""
    session = get_object_or_404(Session.objects.select_related("programme"), pk=pk)
    _now, today = now_and_today()
    participants = _participants(request, session).order_by("rank")
    form = forms.AttendanceSheetForm(_data(request), participants=participants)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_attendance(session=session, participants=participants, by=request.user, today=today,
                                       present_ids={n.pk for n in form.cleaned_data["present"]})
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, SHEET_SAVED)
            return redirect("programmes:session_sheet", pk=session.pk)
    marks = {a.nomination_id: a for a in session.attendance.filter(nomination__in=participants)}
    rows = [{"nomination": n, "attendance": marks.get(n.pk)} for n in participants]
    return render(request, "programmes/session_sheet.html", {
        "session": session, "programme": session.programme, "rows": rows, "form": form,
        "can_mark": session.held_on <= today})


@login_required
@permission_required(PERM, raise_exception=True)
def session_apology(request, pk):
    """DU-3: record a participant's apology, ideally before the session's day."""
    session = get_object_or_404(Session.objects.select_related("programme"), pk=pk)
    _now, today = now_and_today()
    participants = _participants(request, session).filter(status__in=policy.PARTICIPANT_STATUSES).order_by("rank")
    form = forms.ApologyForm(_data(request), participants=participants, today=today)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = services.record_apology(session=session, nomination=data["nomination"], by=request.user,
                                          apology=data["apology"], apologised_on=data["apologised_on"], today=today)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, APOLOGY_RECORDED)
            if row.mark != policy.Mark.EXCUSED:
                messages.warning(request, APOLOGY_TOO_LATE)
            return redirect("programmes:session_sheet", pk=session.pk)
    return render(request, "programmes/apology_form.html",
                  {"session": session, "programme": session.programme, "form": form})


@require_POST
@login_required
@permission_required(PERM, raise_exception=True)
def programme_complete(request, pk):
    """SAT-1: close the programme: participants complete it and each file receives a survey."""
    programme = get_object_or_404(Programme, pk=pk)
    now, today = now_and_today()
    try:
        result = services.complete_programme(programme=programme, by=request.user, today=today, now=now)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, ngettext(
            "%(count)d participant completed the programme; %(surveys)d satisfaction surveys were sent.",
            "%(count)d participants completed the programme; %(surveys)d satisfaction surveys were sent.",
            result["completed"]) % {"count": result["completed"], "surveys": result["surveys"]})
    return redirect("programmes:programme_detail", pk=programme.pk)


urlpatterns = [
    path("programmes/", programme_list, name="programme_list"),
    path("programmes/new/", programme_new, name="programme_new"),
    path("programmes/<int:pk>/", programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/nominate/", nominate, name="programme_nominate"),
    path("programmes/<int:pk>/sessions/new/", session_new, name="session_new"),
    path("programmes/<int:pk>/complete/", programme_complete, name="programme_complete"),
    path("programmes/nominations/<int:pk>/answer/", nomination_answer, name="nomination_answer"),
    path("programmes/nominations/<int:pk>/dropout/", nomination_dropout, name="nomination_dropout"),
    path("programmes/sessions/<int:pk>/", session_sheet, name="session_sheet"),
    path("programmes/sessions/<int:pk>/apology/", session_apology, name="session_apology"),
]

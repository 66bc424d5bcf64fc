"""Satisfaction pages: the public survey behind its link, and the staff results.

The public page (SAT-1, GO-6) needs no login: the token in the URL is the only credential, so
the page shows nothing personal — only the service and the date. GET never changes anything;
the answer is saved once, by POST, through services.answer_survey. The results (SAT-2) are
aggregate figures for the executive director and the manager.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from beneficiaries.models import BeneficiaryFile
from charity import calendar
from charity.models import PolicyProfile
from programmes import impact

from . import policy, services
from .forms import PeriodForm, SurveyForm
from .policy import State

# A closed link gets a clear page; the status tells machines (and tests) why.
CLOSED_STATUS = {State.UNKNOWN: 404, State.EXPIRED: 410, State.ANSWERED: 200}


def _closed(request, state: str, *, posted: bool = False):
    status = 409 if posted and state == State.ANSWERED else CLOSED_STATUS[state]
    return render(request, "satisfaction/survey_closed.html",
                  {"state": state, "message": services.STATE_MESSAGES[state]}, status=status)


@require_http_methods(["GET", "POST"])
def answer(request, token):
    """SAT-1: the survey form; a valid answer is saved once, then the thank-you page."""
    now = timezone.now()
    survey = services.find_survey(token)
    state = services.survey_state(survey, now)
    posted = request.method == "POST"
    if state != State.OPEN:
        return _closed(request, state, posted=posted)
    form = SurveyForm(request.POST if posted else None)
    if posted and form.is_valid():
        try:
            services.answer_survey(token=token, ratings=form.ratings, comment=form.cleaned_data["comment"], now=now)
        except ValidationError as exc:
            if getattr(exc, "code", None) in services.STATE_MESSAGES:  # answered meanwhile, or just expired
                return _closed(request, exc.code, posted=True)
            form.add_error(None, exc)
        else:
            return redirect("survey:thanks")
    return render(request, "satisfaction/survey.html", {"form": form, **services.survey_context(survey)})



@require_GET
def thanks(request):
    return render(request, "satisfaction/survey_thanks.html")


@login_required
@permission_required("satisfaction.view_results", raise_exception=True)
def results(request):
    """SAT-2: satisfaction by service, by member of staff and by month, for a period."""
    bound = any(name in request.GET for name in ("first", "last"))
    form = PeriodForm(request.GET if bound else None, today=calendar.today())
    first, last = form.period()
    # IN-8: the impact of the programmes that ended in the period, over the files the user may see
    programmes = (impact.ended_programmes_impact(files=BeneficiaryFile.objects.visible_to(request.user), first=first,
                                                 last=last, today=calendar.today())
                  if impact.shows_impact(PolicyProfile.objects.active()) else None)
    return render(request, "satisfaction/results.html",
                  {"form": form, "first": first, "last": last, "scale": policy.rating_scale(),
                   "programmes_impact": programmes, **services.results(first=first, last=last)})

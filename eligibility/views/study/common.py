"""What the study pages share: who may act, how a page reaches its file, the score's rows."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import BeneficiaryFile
from beneficiaries.views.common import visible_file
from charity.audit import get_in_scope, log_access
from charity.models import AccessLog

from ... import services
from ...models import Decision, FieldVisit, NeedsAssessment
from ...policy import HousingType, Service

VERIFY = "eligibility.verify_eligibility"
DECIDERS = ("eligibility.decide_application", "eligibility.vote_in_committee")
PER_PAGE = 50

SCORE_LABELS = {"income": _("Income per member against the threshold"), "dependants": _("Dependants"),
                "housing": _("Housing and its state"), "health": _("Health needs")}
WEIGHT_LABELS = {"per_dependant": _("Points per dependant"),
                 "per_health_case": _("Points per member with health needs"),
                 "poor_housing": _("Points for housing in poor state")}


def deciders_only(view):
    """403 unless the user may decide applications, for the association or in the committee."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not any(request.user.has_perm(perm) for perm in DECIDERS):
            raise PermissionDenied
        return view(request, *args, **kwargs)
    return wrapped


def form_data(request):
    return request.POST if request.method == "POST" else None


def scoped_file(request, pk) -> BeneficiaryFile:
    """Fetch the file in the user's scope; a page shown (GET) is logged, a POST leaves its own record."""
    return visible_file(request, pk, action=AccessLog.Action.VIEW if request.method == "GET" else None)


def visible_files(request):
    return BeneficiaryFile.objects.visible_to(request.user)


def in_scope(request, queryset, pk):
    """An object of `queryset` of a file the user may see (404 otherwise, a refusal logged); a page
    shown is logged on its file."""
    obj = get_in_scope(request, queryset.select_related("file").filter(file__in=visible_files(request)), pk,
                       among=queryset)
    if request.method == "GET":
        log_access(request, obj.file)
    return obj


def study_url(file_id, anchor="") -> str:
    url = reverse("eligibility:study", args=[file_id])
    return f"{url}#{anchor}" if anchor else url


def score_rows(assessment: NeedsAssessment) -> list[dict]:
    """EL-9: each component of the score with its maximum, as the assessment's settings had it."""
    return [{"key": key, "label": SCORE_LABELS.get(key, key), "points": assessment.breakdown.get(key, 0),
             "maximum": maximum} for key, maximum in assessment.weights["maxima"].items()]


def weight_rows(assessment: NeedsAssessment) -> dict:
    """EL-9: the points and score bands the assessment was computed with, for the printed form."""
    weights = assessment.weights["weights"]
    facts = [(WEIGHT_LABELS[key], weights[key]) for key in WEIGHT_LABELS]
    facts += [(_("Housing: %(type)s") % {"type": HousingType(code).label if code in HousingType.values else code},
               points) for code, points in weights["housing"].items()]
    bands = [{"from_score": band["from_score"],
              "services": [Service(c).label if c in Service.values else c for c in band["services"]]}
             for band in assessment.weights["bands"]]
    return {"facts": facts, "bands": bands}


def service_labels(assessment: NeedsAssessment) -> list[str]:
    """IN-7: the recommended services, by their names."""
    return [Service(code).label if code in Service.values else code for code in assessment.recommended_services]


def latest_visit(file) -> FieldVisit | None:
    return file.field_visits.filter(status=FieldVisit.Status.COMPLETED).order_by("-visited_at").first()


def decision_context(file, profile=None) -> dict:
    """The decision if there is one, else why the file cannot be decided yet (RT-1; with the
    profile, a committee whose quorum the admin has not set)."""
    decision = (Decision.objects.filter(file=file).select_related("decided_by").prefetch_related("votes__member")
                .first())
    return {"decision": decision, "problems": services.decision_problems(file, profile) if decision is None else []}

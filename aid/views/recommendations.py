"""Aid pages of TK-2: families too proud to ask, recommended and followed up."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from beneficiaries.views.common import now_and_today
from charity.audit import get_in_scope

from .. import forms, services
from ..models import Recommendation
from .common import SAVED, bound, done, form_page


def _recommendations(user):
    """TK-2: who sees all the recommendations sees all files; a researcher sees their own."""
    qs = Recommendation.objects.select_related("recommended_by", "file")
    return qs if user.has_perm("beneficiaries.view_all_files") else qs.filter(recommended_by=user)


@login_required
@permission_required("aid.view_recommendation", raise_exception=True)
def recommendations(request):
    """TK-2: the families too proud to ask, by status, for the manager to follow."""
    status = request.GET.get("status", "")
    qs = _recommendations(request.user)
    if status in Recommendation.Status.values:
        qs = qs.filter(status=status)
    return render(request, "aid/recommendation_list.html", {
        "recommendations": qs, "status": status, "statuses": Recommendation.Status.choices})


@login_required
@permission_required("aid.add_recommendation", raise_exception=True)
def recommendation_new(request):
    """TK-2: a researcher recommends a family too proud to ask (no identity number needed)."""
    form = bound(request, forms.RecommendationForm)
    if done(request, form, SAVED, lambda data: services.recommend_family(
            by=request.user, now=now_and_today()[0], **data)):
        return redirect("aid:aid_recommendations")
    return form_page(request, form, _("Recommend a family too proud to ask"),
                     reverse("aid:aid_recommendations"))


@login_required
@permission_required("aid.change_recommendation", raise_exception=True)
def follow_up(request, pk):
    """TK-2: record that the family was contacted, applied (with their file) or declined."""
    recommendation = get_in_scope(request, _recommendations(request.user), pk)
    form = bound(request, forms.FollowUpForm, user=request.user)
    if done(request, form, SAVED, lambda data: services.follow_up_recommendation(
            recommendation=recommendation, by=request.user, status=data["status"], note=data["note"],
            file=data["file_number"])):
        return redirect("aid:aid_recommendations")
    return form_page(request, form, _("Follow up: %(family)s") % {"family": recommendation.family_name},
                     reverse("aid:aid_recommendations"), recommendation=recommendation)

urlpatterns = [
    path("aid/recommendations/", recommendations, name="aid_recommendations"),
    path("aid/recommendations/new/", recommendation_new, name="aid_recommendation_new"),
    path("aid/recommendations/<int:pk>/follow-up/", follow_up, name="aid_follow_up"),
]

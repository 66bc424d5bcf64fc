"""The file's researcher (RT-2, RT-7, RT-8) and questions referred to the manager (IN-4)."""

from django.urls import path


def assign_researcher(request, pk):
    raise NotImplementedError  # helper C


def researcher_request(request, pk):
    raise NotImplementedError  # helper C


def researcher_requests(request):
    raise NotImplementedError  # helper C


def researcher_request_decide(request, pk):
    raise NotImplementedError  # helper C


def refer_to_manager(request, pk):
    raise NotImplementedError  # helper C


def referrals(request):
    raise NotImplementedError  # helper C


def referral_answer(request, pk):
    raise NotImplementedError  # helper C


urlpatterns = [
    path("<int:pk>/researcher/assign/", assign_researcher, name="assign_researcher"),
    path("<int:pk>/researcher/request/", researcher_request, name="researcher_request"),
    path("researcher-requests/", researcher_requests, name="researcher_requests"),
    path("researcher-requests/<int:pk>/decide/", researcher_request_decide, name="researcher_request_decide"),
    path("<int:pk>/refer/", refer_to_manager, name="refer_to_manager"),
    path("referrals/", referrals, name="referrals"),
    path("referrals/<int:pk>/answer/", referral_answer, name="referral_answer"),
]

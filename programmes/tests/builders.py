"""Builders shared by the programmes tests: a programme, the household members to nominate,
and the permission that runs programmes."""

import datetime as dt

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from beneficiaries.policy import Relationship
from programmes import services
from programmes.models import Programme
from testdata import TODAY

STARTS, ENDS = TODAY + dt.timedelta(days=10), TODAY + dt.timedelta(days=40)


def ar(text) -> str:
    with translation.override("ar"):
        return str(text)


def shown_messages(response) -> list[str]:
    with translation.override("ar"):
        return [str(m) for m in get_messages(response.wsgi_request)]


def head(file):
    return file.members.get(relationship=Relationship.HEAD)


def programme(by, **overrides):
    data = {"title": "دورة الخياطة", "kind": Programme.Kind.TRAINING, "capacity": 2, "starts_on": STARTS,
            "ends_on": ENDS, "response_days": 5}
    data.update(overrides)
    return services.create_programme(by=by, data=data)


def statuses(prog) -> list[str]:
    return list(prog.nominations.order_by("rank").values_list("status", flat=True))


def nominated(prog, members, by, today=TODAY):
    return services.nominate(programme=prog, members=members, by=by, today=today)



def url(name, *args):
    return reverse(f"programmes:{name}", args=args)


"""Builders shared by the programmes tests: a programme, the household members to nominate,
and the permission that runs programmes."""

import datetime as dt

from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from beneficiaries import services as file_services
from beneficiaries.policy import Gender, Relationship
from beneficiaries.tests.factories import TODAY, unique_national_id
from programmes import services
from programmes.models import Programme

STARTS, ENDS = TODAY + dt.timedelta(days=10), TODAY + dt.timedelta(days=40)


def ar(text) -> str:
    with translation.override("ar"):
        return str(text)


def shown_messages(response) -> list[str]:
    with translation.override("ar"):
        return [str(m) for m in get_messages(response.wsgi_request)]


def grant(user, codename="manage_programmes"):
    user.user_permissions.add(Permission.objects.get(codename=codename, content_type__app_label="programmes"))
    return user


def add_child(file, first_name="سعد"):
    return file_services.save_member(file=file, data={
        "relationship": Relationship.SON, "first_name": first_name, "father_name": "محمد",
        "grandfather_name": "عبدالله", "family_name": "القحطاني", "id_number": unique_national_id(),
        "birth_date": dt.date(2005, 1, 1), "gender": Gender.MALE})


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


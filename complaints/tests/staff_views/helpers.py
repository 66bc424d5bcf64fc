"""What the staff-page tests of complaints share: filing a complaint, the page's actions."""

import datetime as dt

from django.contrib.auth.models import Permission

from charity.roles import Role
from complaints import services
from complaints.models import Complaint
from complaints.policy import Ruling
from testdata import NOW, TODAY, file_complaint

LIST_URL = "/staff/complaints/"


def file_one(today=TODAY, now=NOW, attachments=(), **overrides) -> Complaint:
    return file_complaint(today=today, now=now, attachments=attachments, **overrides)


def late_complaint() -> Complaint:
    return file_one(incident_on=TODAY - dt.timedelta(days=45), excuse="كنت خارج المملكة.")


def detail_url(complaint) -> str:
    return f"/staff/complaints/{complaint.pk}/"


def action(client, complaint, name, **form):
    return client.post(f"{detail_url(complaint)}{name}/", form)


def page_of(client, complaint) -> str:
    response = client.get(detail_url(complaint))
    assert response.status_code == 200
    return response.content.decode()


def ruled(complaint, director, text="قبلت الشكوى.") -> Complaint:
    return services.rule(complaint=complaint, by=director, ruling=Ruling.UPHELD, text=text, now=NOW, today=TODAY)


def every_permission(make_user, username):
    """A member of staff (not a superuser) holding every permission of the project."""
    user = make_user(Role.MANAGER, username=username)
    user.user_permissions.set(Permission.objects.all())
    return type(user).objects.get(pk=user.pk)  # drop the permission cache

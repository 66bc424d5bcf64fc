import pytest

from charity.roles import Role
from testdata import make_active, make_submitted

pytestmark = pytest.mark.django_db


def test_factories_build_through_services(profile, make_user):
    intake = make_user(Role.INTAKE)
    file = make_submitted(intake)
    assert file.status == "under_study" and file.decision_due_on is not None
    active = make_active(intake)
    assert active.status == "active"
    assert active.number.startswith("1448-")

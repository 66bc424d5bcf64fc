import pytest

from beneficiaries.tests.factories import NOW, TODAY, make_active
from charity.roles import Role


@pytest.fixture
def staff(profile, make_user):
    """One user per role used by the eligibility tests."""
    return {
        "intake": make_user(Role.INTAKE, username="intake1"),
        "researcher": make_user(Role.RESEARCHER, username="researcher1", first_name="سارة", last_name="العتيبي"),
        "manager": make_user(Role.MANAGER, username="manager1"),
        "director": make_user(Role.DIRECTOR, username="director1", first_name="فهد", last_name="المطيري",
                              job_title="المدير التنفيذي"),
    }


@pytest.fixture
def active_file(staff):
    return make_active(staff["intake"])


__all__ = ["NOW", "TODAY"]

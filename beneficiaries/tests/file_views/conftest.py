import pytest

from charity.roles import Role


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER, username="manager")


@pytest.fixture
def researcher(make_user):
    return make_user(Role.RESEARCHER, username="noura", first_name="نورة", last_name="العتيبي",
                     job_title="باحثة اجتماعية أولى", phone="0112345678", email="noura@charity.example")

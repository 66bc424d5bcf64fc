import pytest
import time_machine

from charity.roles import Role
from testdata import NOW


@pytest.fixture(autouse=True)
def _pinned_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def director(make_user):
    return make_user(Role.DIRECTOR, username="director", email="director@charity.example", phone="0551234567")


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER, username="manager")


@pytest.fixture
def researcher(make_user):
    return make_user(Role.RESEARCHER, username="researcher")


@pytest.fixture
def committee(make_user):
    return make_user(Role.INVESTIGATION, username="committee")

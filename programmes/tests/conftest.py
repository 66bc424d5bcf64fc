"""Fixtures of the programmes tests (the builders are in builders.py)."""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine

from beneficiaries.tests.factories import NOW, TODAY, make_active
from charity.roles import Role
from programmes import services
from programmes.models import Nomination

from .builders import STARTS, grant, head, nominated, programme


@pytest.fixture
def staff(profile, make_user):
    return SimpleNamespace(manager=grant(make_user(Role.MANAGER, username="manager")),
                           intake=make_user(Role.INTAKE, username="intake"),
                           researcher=grant(make_user(Role.RESEARCHER, username="researcher")))


@pytest.fixture
def heads(staff):
    """Four active files; their heads, in order."""
    return [head(make_active(staff.intake)) for _ in range(4)]


@pytest.fixture
def running(staff, heads):
    """A programme with three participants who accepted and two sessions."""
    prog = programme(staff.manager, capacity=3)
    people = nominated(prog, heads[:3], staff.manager)
    for n in people:
        services.record_answer(nomination=n, by=staff.manager, accepted=True, today=TODAY, written_answer="موافق")
    sessions = [services.record_session(programme=prog, held_on=STARTS + dt.timedelta(days=d)) for d in (0, 7)]
    return SimpleNamespace(programme=prog, people=[Nomination.objects.get(pk=n.pk) for n in people],
                           sessions=sessions)


@pytest.fixture
def clock():
    """The pages read the clock: pin it to NOW (the factories' day)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


"""Fixtures of the programmes tests (the builders are in builders.py)."""

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine

from programmes import services
from programmes.models import Nomination
from testdata import NOW, TODAY, beyond_role, make_active

from .builders import STARTS, head, nominated, programme


@pytest.fixture
def researcher_running_programmes(staff):
    """The researcher, given programmes.manage_programmes by hand: no role holds it but the
    manager's, who sees every file, so without this the pages' file scope (TK-6, DU-11) is never
    exercised. Told to the lead: which role runs programmes while seeing only its own files?"""
    return beyond_role(staff["researcher"], "programmes.manage_programmes")


@pytest.fixture
def heads(staff):
    """Four active files; their heads, in order."""
    return [head(make_active(staff["intake"])) for _ in range(4)]


@pytest.fixture
def running(staff, heads):
    """A programme with three participants who accepted and two sessions."""
    prog = programme(staff["manager"], capacity=3)
    people = nominated(prog, heads[:3], staff["manager"])
    for n in people:
        services.record_answer(nomination=n, by=staff["manager"], accepted=True, today=TODAY, written_answer="موافق")
    sessions = [services.record_session(programme=prog, held_on=STARTS + dt.timedelta(days=d)) for d in (0, 7)]
    return SimpleNamespace(programme=prog, people=[Nomination.objects.get(pk=n.pk) for n in people],
                           sessions=sessions)


@pytest.fixture
def clock():
    """The pages read the clock: pin it to NOW (the factories' day)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


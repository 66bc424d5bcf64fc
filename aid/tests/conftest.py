"""Fixtures of the aid tests (the builders are in builders.py)."""

import datetime as dt

import pytest
import time_machine

from testdata import NOW

from .builders import active_file, make_fund


@pytest.fixture
def file(staff):
    return active_file(staff)


@pytest.fixture
def fund(staff):
    return make_fund(staff)



@pytest.fixture
def view_clock():
    """Views read the clock: pin it just after the factories' NOW (TODAY)."""
    with time_machine.travel(NOW + dt.timedelta(hours=1), tick=False):
        yield

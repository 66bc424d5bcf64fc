"""The daily job of programmes: nominees who did not answer in time (DU-11), by command and by task."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from programmes.policy import Status
from programmes.tasks import expire_nominations_task
from testdata import TODAY

from .builders import nominated, programme, statuses

pytestmark = pytest.mark.django_db


@pytest.mark.rule("DU-11")
def test_du11_expire_nominations_command_and_task(staff, heads):
    prog = programme(staff["manager"], capacity=1, response_days=1)
    nominated(prog, heads[:3], staff["manager"])
    out = StringIO()
    call_command("expire_nominations", "--today", (TODAY + dt.timedelta(days=2)).isoformat(), stdout=out)
    assert "1 without an answer, 1 newly nominated" in out.getvalue()
    assert statuses(prog) == [Status.NO_ANSWER, Status.NOMINATED, Status.WAITING]
    result = expire_nominations_task.delay((TODAY + dt.timedelta(days=4)).isoformat()).get()
    assert result == {"expired": 1, "nominated": 1}
    assert expire_nominations_task.delay((TODAY + dt.timedelta(days=4)).isoformat()).get() == {
        "expired": 0, "nominated": 0}

"""RULES.md «Sections per profile»: the programmes section (TK-6, DU-11) is 000's. Where it is not
adopted (Kafl), a nominee who did not answer in time keeps the place: no job takes it away."""

import datetime as dt

import pytest

from charity.policy import Section
from charity.services import adopt_section, load_policy_profile
from programmes import services
from programmes.policy import Status
from testdata import NOW, TODAY

from .builders import nominated, programme, statuses

pytestmark = pytest.mark.django_db


@pytest.mark.rule("DU-11")
def test_du11_no_answer_loses_the_place_only_where_programmes_are_adopted(staff, heads):
    prog = programme(staff["manager"], capacity=1, response_days=1)
    nominated(prog, heads[:2], staff["manager"])
    later = TODAY + dt.timedelta(days=2)
    kafl, _ = load_policy_profile("kafl")
    assert services.expire_overdue_nominations(today=later) == {"expired": 0, "nominated": 0}
    assert statuses(prog) == [Status.NOMINATED, Status.WAITING]
    adopt_section(profile=kafl, section=Section.PROGRAMMES, decision_number="9", decided_on=dt.date(2026, 11, 1),
                  by=None, now=NOW, today=TODAY)
    assert services.expire_overdue_nominations(today=later) == {"expired": 1, "nominated": 1}
    assert statuses(prog) == [Status.NO_ANSWER, Status.NOMINATED]

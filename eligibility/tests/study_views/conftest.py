"""Fixtures of the study-page tests: the clock just after the factories' NOW, and a file under study."""

import pytest
import time_machine

from beneficiaries import services as file_services
from beneficiaries.policy import HousingType
from testdata import NOW, make_submitted

from .helpers import VIEW_NOW


@pytest.fixture(autouse=True)
def _an_hour_after_now():
    """Views read the clock: pin it just after the factories' NOW."""
    with time_machine.travel(VIEW_NOW, tick=False):
        yield


@pytest.fixture
def file(staff):
    """An abandoned woman's application in rented housing, under study, served by the researcher."""
    submitted = make_submitted(staff["intake"], categories=("abandoned",), housing_type=HousingType.RENTED)
    return file_services.assign_researcher(file=submitted, researcher=staff["researcher"], by=staff["manager"],
                                           now=NOW)

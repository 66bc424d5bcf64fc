"""The security tests' world, built once for the whole package (charity.tests.matrix_fixtures),
and the clock pinned just after it was built."""

import pytest
import time_machine

from charity.tests.matrix_fixtures import open_world

from .helpers import VIEW_NOW


@pytest.fixture(scope="package")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with open_world(django_db_blocker, tmp_path_factory.mktemp("security-media")) as built:
        yield built


@pytest.fixture(autouse=True)
def _view_clock():
    with time_machine.travel(VIEW_NOW, tick=False):
        yield

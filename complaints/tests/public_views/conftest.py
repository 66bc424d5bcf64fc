import pytest
import time_machine

from testdata import NOW


@pytest.fixture(autouse=True)
def _pinned_time():
    with time_machine.travel(NOW, tick=False):
        yield

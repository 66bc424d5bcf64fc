import pytest

from testdata import make_active


@pytest.fixture
def active_file(staff):
    return make_active(staff["intake"])

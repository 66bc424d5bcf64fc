import pytest
import time_machine

from charity.roles import Role
from testdata import NOW


@pytest.fixture(autouse=True)
def _pinned(settings, tmp_path):
    """Fixed «today» (TODAY) and private uploads in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def intake(make_user):
    return make_user(Role.INTAKE, username="intake")


@pytest.fixture
def desk(client, intake, profile):
    client.force_login(intake)
    return client

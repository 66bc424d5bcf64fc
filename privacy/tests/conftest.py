import pytest


@pytest.fixture
def manager(staff):
    return staff["manager"]


@pytest.fixture
def handler(staff):
    """The executive director, who handles data-subject requests (privacy.handle_requests, by role)."""
    return staff["director"]

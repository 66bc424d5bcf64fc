import pytest

from charity.roles import Role

from .factories import grant_handling


@pytest.fixture
def manager(make_user, profile):
    return make_user(Role.MANAGER, username="manager")


@pytest.fixture
def handler(make_user, profile):
    """The executive director, who handles data-subject requests."""
    return grant_handling(make_user(Role.DIRECTOR, username="director"))

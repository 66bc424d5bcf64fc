import pytest
from django.urls import reverse

from .helpers import make_family, portal_sign_in


@pytest.fixture
def family(staff):
    return make_family(staff["intake"])


@pytest.fixture
def other_family(staff):
    return make_family(staff["intake"], mobile="+966551112222")


@pytest.fixture
def signed_in(client, family):
    """The family's head signed in to «my file» in `client`."""
    response = portal_sign_in(client, family.identity)
    assert response.status_code == 302 and response["Location"] == reverse("portal:file", args=[family.file.pk])
    return family

"""The values no approved text gives (charity.setup), set as the tests assume them: the shipped
profiles leave them unset, so a test that submits an application or has the committee decide
sets them first, through the admin's own service."""

from charity.models import PolicyProfile
from charity.services import load_policy_profile, set_setup_values

TEST_CITIES = ["الرياض"]
TEST_QUORUM = 3


def set_up(profile: PolicyProfile, *, cities=TEST_CITIES, quorum: int | None = TEST_QUORUM) -> PolicyProfile:
    """Set `profile`'s service area (where it is enforced) and committee quorum, as an admin would."""
    cities = list(cities) if profile.service_area_enforced else list(profile.service_area_cities)
    set_setup_values(profile=profile, service_area_cities=cities, committee_quorum=quorum, by=None)
    return profile


def load_set_up(code: str, **values) -> PolicyProfile:
    """Load the shipped profile `code` (active) and set its values as the tests assume (set_up)."""
    return set_up(load_policy_profile(code)[0], **values)

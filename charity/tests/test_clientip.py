"""The client's address behind a proxy (charity/clientip.py), and the three things that read it:
the sign-in lockout, the public pages' rate limits and the access log. Here through Django's test
client, the proxy played by REMOTE_ADDR; behind a real nginx: test_behind_nginx.py."""

import ipaddress

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import RequestFactory
from django.urls import reverse

from charity.checks import check_behind_proxy
from charity.clientip import client_address, client_ip, parse_address, trusted_networks
from charity.models import AccessLog
from charity.roles import Role
from conftest import TEST_PASSWORD

NGINX = trusted_networks(("127.0.0.1",))


def nets(*entries):
    return trusted_networks(tuple(entries))


# --- The function ---------------------------------------------------------------------------


def test_client_address_without_trusted_proxies_is_the_peer_and_the_header_is_ignored():
    assert client_address("203.0.113.9", "198.51.100.1", ()) == "203.0.113.9"
    assert client_address("127.0.0.1", "198.51.100.1", ()) == "127.0.0.1"


def test_client_address_behind_a_trusted_proxy_is_the_hop_it_appended():
    assert client_address("127.0.0.1", "203.0.113.9", NGINX) == "203.0.113.9"
    assert client_address("127.0.0.1", " 203.0.113.9 ", NGINX) == "203.0.113.9"


def test_client_address_ignores_what_the_client_wrote_left_of_the_proxy():
    """A forged X-Forwarded-For: nginx appends the real peer; everything left of it is the
    client's own claim and never read."""
    assert client_address("127.0.0.1", "127.0.0.1, 10.0.0.1, 203.0.113.9", NGINX) == "203.0.113.9"


def test_client_address_from_an_untrusted_peer_ignores_its_header():
    assert client_address("203.0.113.9", "198.51.100.1", NGINX) == "203.0.113.9"
    assert client_address("198.51.100.7", "127.0.0.1", NGINX) == "198.51.100.7"


def test_client_address_skips_every_trusted_hop_by_address_or_network():
    """A load balancer (10.0.0.0/8) in front of nginx on this machine: two hops to skip."""
    trusted = nets("127.0.0.1", "10.0.0.0/8")
    assert client_address("127.0.0.1", "192.0.2.1, 203.0.113.9, 10.1.2.3", trusted) == "203.0.113.9"
    # A request from inside the trusted networks: the farthest hop.
    assert client_address("127.0.0.1", "10.0.0.5, 10.1.2.3", trusted) == "10.0.0.5"
    # No header through a trusted proxy: the proxy itself, the nearest sure address.
    assert client_address("127.0.0.1", None, trusted) == "127.0.0.1"


def test_client_address_stops_at_a_hop_that_is_not_an_address():
    assert client_address("127.0.0.1", "203.0.113.9, unknown", nets("127.0.0.1")) == "127.0.0.1"
    assert client_address("127.0.0.1", "garbage, 10.0.0.1", nets("127.0.0.1", "10.0.0.0/8")) == "10.0.0.1"
    assert client_address("not-an-address", "203.0.113.9", NGINX) is None


def test_client_address_ipv6():
    trusted = nets("::1", "fd00::/8")
    assert client_address("::1", "2001:db8::7, fd00::2", trusted) == "2001:db8::7"
    assert client_address("::1", "[2001:db8::7]:443", trusted) == "2001:db8::7"
    assert client_address("2001:db8::9", "2001:db8::7", trusted) == "2001:db8::9"
    # nginx listening on both stacks: an IPv4 client reaches it as an IPv4-mapped address.
    assert client_address("::ffff:127.0.0.1", "::ffff:203.0.113.9", NGINX) == "203.0.113.9"


def test_parse_address_drops_ports_and_zone():
    assert parse_address("203.0.113.9:51234") == ipaddress.ip_address("203.0.113.9")
    assert parse_address("[::1]:8000") == ipaddress.ip_address("::1")
    assert parse_address("fe80::1%eth0") == ipaddress.ip_address("fe80::1")
    assert parse_address("") is None and parse_address(None) is None


def test_client_ip_reads_the_setting(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    settings.TRUSTED_PROXIES = []
    assert client_ip(request) == "127.0.0.1"
    settings.TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    assert client_ip(request) == "203.0.113.9"


def test_a_bad_trusted_proxy_entry_stops_the_checks(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "nginx.local"]
    with pytest.raises(SystemCheckError, match=r"charity.E001.*'nginx.local' is not an IP address or network"):
        call_command("check")


def test_check_deploy_warns_when_no_proxy_is_trusted(settings):
    """charity.W003: DEBUG off and no trusted proxy: behind nginx every client is nginx."""
    settings.DEBUG, settings.TRUSTED_PROXIES = False, []
    assert [m.id for m in check_behind_proxy()] == ["charity.W003"]
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert check_behind_proxy() == []


# --- Behind the proxy: the lockout, the rate limits and the access log -----------------------


def _through_proxy(client_addr: str | None = None, forwarded: str | None = None) -> dict:
    """The META of a request nginx passes on (peer 127.0.0.1) for a client at `client_addr`."""
    header = ", ".join(a for a in (forwarded, client_addr) if a)
    return {"REMOTE_ADDR": "127.0.0.1", **({"HTTP_X_FORWARDED_FOR": header} if header else {})}


def _sign_in(client, username, password, **meta):
    return client.post(reverse("login"), {"username": username, "password": password}, **meta)


@pytest.mark.django_db
def test_lockout_behind_the_proxy_is_per_real_client(client, settings, profile, make_user):
    """Five wrong passwords from one address behind nginx lock that address out for that
    username only: the colleague signing in from their desk through the same nginx is not
    locked, and a forged X-Forwarded-For does not let the attacker start over."""
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    make_user(Role.MANAGER, username="colleague")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "colleague", "guess", **_through_proxy("203.0.113.9", forwarded=f"198.51.100.{n}"))
    assert _sign_in(client, "colleague", TEST_PASSWORD, **_through_proxy("203.0.113.9")).status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.9"]
    ok = _sign_in(client, "colleague", TEST_PASSWORD, **_through_proxy("198.51.100.7"))
    assert ok.status_code == 302 and ok["Location"] == reverse("home")


@pytest.mark.django_db
def test_without_a_trusted_proxy_a_forged_header_does_not_dodge_the_lockout(client, settings, profile, make_user):
    settings.TRUSTED_PROXIES = []
    make_user(Role.MANAGER, username="colleague")
    for n in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "colleague", "guess", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    locked = _sign_in(client, "colleague", TEST_PASSWORD, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="10.9.9.9")
    assert locked.status_code == 429


@pytest.mark.django_db
def test_complaint_form_limit_behind_the_proxy_is_per_real_client(client, settings, profile):
    """Junk POSTs from one address close the public complaint form to that address alone."""
    from complaints.policy import RATE_LIMIT_PER_IP

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    url = reverse("complaints_public:file")
    for _ in range(RATE_LIMIT_PER_IP[0]):
        assert client.post(url, {}, **_through_proxy("203.0.113.9")).status_code == 200
    assert client.post(url, {}, **_through_proxy("203.0.113.9")).status_code == 429
    assert client.post(url, {}, **_through_proxy("203.0.113.9", forwarded="192.0.2.44")).status_code == 429
    assert client.post(url, {}, **_through_proxy("198.51.100.7")).status_code == 200


@pytest.mark.django_db
def test_certificate_check_limit_behind_the_proxy_is_per_real_client(client, settings):
    from eligibility.views.public import RATE_LIMIT

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    url = reverse("verify:verify_certificate")
    for _ in range(RATE_LIMIT):
        assert client.post(url, {"code": "WRONG"}, **_through_proxy("203.0.113.9")).status_code == 200
    assert client.post(url, {"code": "WRONG"}, **_through_proxy("203.0.113.9")).status_code == 429
    assert client.post(url, {"code": "WRONG"}, **_through_proxy("198.51.100.7")).status_code == 200


@pytest.mark.django_db
def test_access_log_records_the_real_client_behind_the_proxy(client, settings, staff):
    from testdata import make_draft

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    draft = make_draft(staff["intake"])
    client.force_login(staff["intake"])
    url = reverse("beneficiaries:file_detail", args=[draft.pk])
    assert client.get(url, **_through_proxy("203.0.113.9", forwarded="10.0.0.1")).status_code == 200
    assert list(AccessLog.objects.values_list("ip_address", "outcome")) == [("203.0.113.9", "granted")]

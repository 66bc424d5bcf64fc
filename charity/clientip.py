"""The client's address: the one answer the access log, the sign-in lockout (django-axes) and the
public pages' rate limits all use.

Behind nginx every connection comes from nginx, so REMOTE_ADDR is the proxy's address. The
proxies in front of the application are listed in settings.TRUSTED_PROXIES (addresses or
networks). When the peer is one of them, X-Forwarded-For is read from the right: each hop that
is itself a trusted proxy is skipped, and the first address that is not is the client (the one
the last trusted proxy saw; whatever a client wrote further left is never reached). When the
peer is not a trusted proxy, or none is configured (the default), the header is ignored: anyone
can send it.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    """Parse TRUSTED_PROXIES (addresses or CIDR networks); ValueError names a bad entry."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"TRUSTED_PROXIES: {entry!r} is not an IP address or network") from exc
    return tuple(networks)


def parse_address(value: str | None) -> Address | None:
    """An address as a proxy or a socket writes it (`[::1]:80` and `1.2.3.4:5` lose their
    port; an IPv4-mapped IPv6 address becomes IPv4); None when it is not an address."""
    text = (value or "").strip()
    if text.startswith("["):  # [IPv6]:port
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # IPv4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])  # no IPv6 zone index
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted(address: Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_address(remote_addr: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]) -> str | None:
    """The client's address, given the peer, the X-Forwarded-For header and the trusted proxies."""
    address = parse_address(remote_addr)
    if address is None:
        return None
    if not trusted or not _trusted(address, trusted):
        return str(address)  # a direct client: its header, if any, is its own claim
    for hop in reversed((forwarded_for or "").split(",")):
        hop_address = parse_address(hop)
        if hop_address is None:
            # A trusted proxy writes addresses: this hop is not one, so stop at the last sure one.
            break
        address = hop_address
        if not _trusted(address, trusted):
            break
    return str(address)


def client_ip(request) -> str | None:
    """Return the address of the client that sent `request` (see the module docstring)."""
    return client_address(request.META.get("REMOTE_ADDR"), request.META.get("HTTP_X_FORWARDED_FOR"),
                          trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ()))))

"""Where a webhook may be sent: public addresses only, unless settings allow a network.

A user types a webhook URL; without this policy they could point the worker at our own network
(a database port on loopback, a cloud metadata address on link-local). The check runs twice:
when the URL is saved (`check_url`, for a clear message at once), and when the worker connects
(watch/http1.py): the name is resolved once, each answer checked, and the socket connected to
the checked address itself, so a name whose answer changes between check and connect (DNS
rebinding) cannot slip through. TLS still verifies the certificate against the name.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from linernotes import settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
AllowList = tuple[IPNetwork, ...]
# (host, port) -> the addresses it stands for, as text. Injectable: tests have no DNS.
Resolver = Callable[[str, int], list[str]]


class AddressRefused(ValueError):
    """A webhook target is not allowed: the message says which address and why."""


def system_resolver(host: str, port: int) -> list[str]:
    """The operating system's answer for `host` (every address, IPv4 and IPv6)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise AddressRefused(f"{host}: the name does not resolve ({error.strerror})") from None
    return list(dict.fromkeys(str(info[4][0]) for info in found))


def parse_allow(text: str, where: str = settings.WEBHOOK_ALLOW.env) -> AllowList:
    """Networks from comma-separated CIDRs ("127.0.0.1/32, fd00::/8"); ValueError naming the
    bad one and where it came from."""
    out: list[IPNetwork] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        try:
            out.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"{where}: {part!r} is not a network (e.g. 127.0.0.1/32)") from None
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Policy:
    allow: AllowList
    resolve: Resolver


def default_policy() -> Policy:
    """The policy the settings give: LINERNOTES_WEBHOOK_ALLOW_NETWORKS, the system's resolver."""
    return Policy(parse_allow(settings.WEBHOOK_ALLOW.value()), system_resolver)


def _kind(ip: IPAddress) -> str | None:
    """Why `ip` is not a public address, or None when it is."""
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
    )
    for name, hit in checks:
        if hit:
            return name
    # Shared (carrier NAT), documentation, benchmarking ranges...: not reachable publicly.
    return None if ip.is_global else "not public"


def refusal(address: str, allow: AllowList) -> str | None:
    """Why `address` (an IP literal) may not be reached, or None when it may."""
    ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone
    if isinstance(ip, ipaddress.IPv6Address):
        # ::ffff:127.0.0.1 reaches 127.0.0.1; 6to4 and Teredo wrap IPv4 addresses too.
        inner = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None:
            why = refusal(str(inner), allow)
            return None if why is None else f"{why} (IPv4 {inner} inside {ip})"
    kind = _kind(ip)
    if kind is None or any(ip in network for network in allow):
        return None
    return kind


def check_addresses(host: str, addresses: Iterable[str], allow: AllowList) -> list[str]:
    """The addresses, all allowed; AddressRefused on the first that is not (one bad answer
    refuses the name: the connection could otherwise land on it)."""
    checked = list(addresses)
    if not checked:
        raise AddressRefused(f"{host}: the name has no address")
    for address in checked:
        why = refusal(address, allow)
        if why is not None:
            shown = host if host == address else f"{host} resolves to {address}, which"
            raise AddressRefused(
                f"{shown} is a {why} address; webhooks go to public addresses only"
                f" (allow a network with {settings.WEBHOOK_ALLOW.env})"
            )
    return checked


def resolve_checked(host: str, port: int, policy: Policy) -> list[str]:
    """`host`'s addresses, resolved once and checked (an IP literal is its own answer)."""
    literal = host.strip("[]")
    try:
        ipaddress.ip_address(literal.split("%", 1)[0])
    except ValueError:
        return check_addresses(host, policy.resolve(host, port), policy.allow)
    return check_addresses(literal, [literal], policy.allow)


def check_url(url: str, allow: AllowList, resolve: Resolver) -> None:
    """Refuse (AddressRefused) a webhook URL whose host is, or resolves to, an address that is
    not public and not allowed."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise AddressRefused(f"{url!r}: a webhook URL is http:// or https:// with a host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise AddressRefused(f"{url!r}: the port is not a number from 0 to 65535") from None
    resolve_checked(parts.hostname, port, Policy(allow, resolve))

"""Webhooks reach public addresses only: literals, names (through an injected resolver: there is
no DNS here), names whose answer changes between check and connect, and redirects."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from linernotes.watch import webhook
from linernotes.watch.address import (
    AddressRefused,
    Policy,
    check_url,
    default_policy,
    parse_allow,
)
from notify_support import Receiver

NO_NAMES: dict[str, list[str]] = {}


def resolver(answers: dict[str, list[str]]) -> Policy:
    def resolve(host: str, port: int) -> list[str]:
        return answers[host]

    return Policy((), resolve)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1/hook", "loopback"),
        ("http://127.1.2.3:8080/", "loopback"),
        ("http://10.1.2.3/", "private"),
        ("http://172.16.0.9/", "private"),
        ("https://192.168.1.20/", "private"),
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://0.0.0.0:8000/", "unspecified"),
        ("http://224.0.0.1/", "multicast"),
        ("http://240.0.0.1/", "reserved"),
        ("http://100.64.0.1/", "not public"),
        ("http://[::1]:8000/", "loopback"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[fd12:3456::1]/", "private"),
        ("http://[::]/", "unspecified"),
        ("http://[ff02::1]/", "multicast"),
        ("http://[::ffff:127.0.0.1]/", "loopback (IPv4 127.0.0.1 inside ::ffff:7f00:1)"),
        ("http://[::ffff:10.0.0.1]/", "private (IPv4 10.0.0.1"),
        ("http://[2002:a00:1::]/", "private (IPv4 10.0.0.1"),  # 6to4 around 10.0.0.1
    ],
)
def test_literal_addresses_that_are_not_public_are_refused(url: str, why: str) -> None:
    with pytest.raises(AddressRefused, match="public addresses only") as refused:
        check_url(url, (), resolver(NO_NAMES).resolve)
    assert f"is a {why}" in str(refused.value)


@pytest.mark.parametrize(
    "url", ["https://93.184.216.34/hook", "http://[2606:4700:4700::1111]:8443/x"]
)
def test_public_literals_pass(url: str) -> None:
    check_url(url, (), resolver(NO_NAMES).resolve)


def test_names_are_checked_by_every_address_they_resolve_to() -> None:
    policy = resolver(
        {
            "hooks.example.com": ["93.184.216.34", "2606:2800:220:1::1"],
            "intranet.example.com": ["10.0.0.7"],
            "sneaky.example.com": ["93.184.216.34", "127.0.0.1"],  # one bad answer is enough
            "v6.example.com": ["::ffff:192.168.0.1"],
        }
    )
    check_url("https://hooks.example.com/in", (), policy.resolve)
    for host, address in [
        ("intranet.example.com", "10.0.0.7"),
        ("sneaky.example.com", "127.0.0.1"),
        ("v6.example.com", "::ffff:192.168.0.1"),
    ]:
        with pytest.raises(AddressRefused, match=f"{host} resolves to {address}"):
            check_url(f"https://{host}/in", (), policy.resolve)


def test_allowed_networks_let_private_targets_through() -> None:
    allow = parse_allow("127.0.0.1/32, fd00::/8")
    check_url("http://127.0.0.1:9000/", allow, resolver(NO_NAMES).resolve)
    check_url("http://[fd00::5]/", allow, resolver(NO_NAMES).resolve)
    with pytest.raises(AddressRefused, match=r"127\.0\.0\.2 is a loopback"):
        check_url("http://127.0.0.2/", allow, resolver(NO_NAMES).resolve)


def test_bad_settings_and_urls_say_what_is_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINERNOTES_WEBHOOK_ALLOW_NETWORKS", "127.0.0.1/32, localhost")
    with pytest.raises(ValueError, match="LINERNOTES_WEBHOOK_ALLOW_NETWORKS: 'localhost' is not"):
        default_policy()
    with pytest.raises(AddressRefused, match="http:// or https://"):
        check_url("ftp://93.184.216.34/", (), resolver(NO_NAMES).resolve)


# Sending: the address checked is the address connected to ------------------------------------


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[Receiver]:
    made = Receiver(tmp_path / "r")
    made.folder.mkdir()
    made.start()
    yield made
    made.stop()


def _post(policy: Policy, url: str, timeout: float = 5.0) -> webhook.Outcome:
    secret = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY"
    body = b'{"id": "evt_1"}'

    async def post() -> webhook.Outcome:
        pool = webhook.new_pool(policy)
        try:
            headers = webhook.signed_headers(secret, "evt_1", body, 0)
            return await webhook.post(pool, url, body, headers, timeout)
        finally:
            pool.close()

    return asyncio.run(post())


def test_a_name_is_connected_to_at_the_address_that_was_checked(receiver: Receiver) -> None:
    # "hooks.test" means nothing to the system's resolver: the request arriving shows the
    # connection went to the injected, checked answer.
    allowed = Policy(parse_allow("127.0.0.1/32"), lambda host, port: ["127.0.0.1"])
    outcome = _post(allowed, f"http://hooks.test:{receiver.port}/in")
    assert outcome.outcome == "delivered" and outcome.status_code == 204
    assert [r["path"] for r in receiver.records()] == ["/in"]


def test_a_name_whose_answer_changes_after_the_check_cannot_reach_loopback(
    receiver: Receiver,
) -> None:
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])  # public when saved, loopback at send
    policy = Policy((), lambda host, port: next(answers))
    url = f"http://rebind.test:{receiver.port}/in"
    check_url(url, policy.allow, policy.resolve)  # the URL is accepted when saved...
    outcome = _post(policy, url)  # ...and refused when the worker connects
    assert outcome.outcome == "refused"
    assert "rebind.test resolves to 127.0.0.1, which is a loopback address" in outcome.error
    assert receiver.records() == []


def test_loopback_and_ipv6_literals_are_refused_at_connect(receiver: Receiver) -> None:
    outcome = _post(Policy((), lambda h, p: []), receiver.url("/in"))
    assert outcome.outcome == "refused" and "127.0.0.1 is a loopback address" in outcome.error
    outcome = _post(Policy((), lambda h, p: []), f"http://[::ffff:127.0.0.1]:{receiver.port}/")
    assert outcome.outcome == "refused"
    assert receiver.records() == []


def test_redirects_are_not_followed_and_say_where_they_pointed(
    tmp_path: Path, receiver: Receiver
) -> None:
    bouncer = Receiver(tmp_path / "b", status=307, location=receiver.url("/internal"))
    bouncer.folder.mkdir()
    bouncer.start()
    try:
        allowed = Policy(parse_allow("127.0.0.1/32"), lambda h, p: [])
        outcome = _post(allowed, bouncer.url("/public"))
    finally:
        bouncer.stop()
    assert outcome.outcome == "rejected" and outcome.status_code == 307
    assert f"redirect to {receiver.url('/internal')} not followed" in outcome.error
    assert receiver.records() == []  # the private target never heard of it


def test_a_receiver_that_does_not_answer_times_out() -> None:
    with socket.socket() as silent:  # accepts connections (the kernel does), never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        allowed = Policy(parse_allow("127.0.0.1/32"), lambda h, p: [])
        outcome = _post(allowed, f"http://127.0.0.1:{port}/", timeout=0.2)
    assert outcome.outcome == "timeout"
    assert "no answer within 0.2 s" in outcome.error

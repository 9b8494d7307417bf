"""The keys rate limits count under: client addresses and accounts."""

import pytest

from app.core.rate_limit import account_key, client_key


@pytest.mark.parametrize(
    ("host", "key"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::ffff", "2001:db8:1:2::/64"),
        ("2001:DB8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("testclient", "testclient"),
        (None, "unknown"),
    ],
)
def test_client_key_counts_ipv6_addresses_per_64(host: str | None, key: str) -> None:
    assert client_key(host) == key


def test_account_key_ignores_case_and_surrounding_space() -> None:
    assert account_key("  Ada@Example.COM ") == "ada@example.com"

"""The visitor's address for throttling and rate limits: the socket's, or the one our proxies appended."""

import pytest
from django.test import RequestFactory

from core.client_ip import get_client_ip


def request(remote="10.0.0.2", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxies_the_socket_address_counts_and_the_header_is_ignored(settings):
    settings.NUM_PROXIES = 0

    assert get_client_ip(request(remote="203.0.113.7", forwarded="198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "192.0.2.99, 203.0.113.7", "203.0.113.7"),  # what the visitor wrote themselves is skipped
        (2, "192.0.2.99, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
    ],
)
def test_behind_proxies_the_address_they_appended_counts(settings, proxies, forwarded, expected):
    settings.NUM_PROXIES = proxies

    assert get_client_ip(request(forwarded=forwarded)) == expected


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address"])
def test_a_missing_or_broken_header_falls_back_to_the_socket(settings, forwarded):
    settings.NUM_PROXIES = 1

    assert get_client_ip(request(remote="10.0.0.2", forwarded=forwarded)) == "10.0.0.2"


def test_fewer_entries_than_proxies_falls_back_to_the_socket(settings):
    settings.NUM_PROXIES = 2

    assert get_client_ip(request(remote="10.0.0.2", forwarded="203.0.113.7")) == "10.0.0.2"

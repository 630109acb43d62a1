"""The visitor's IP address, for login throttling and the public pages' rate limits.

Behind NUM_PROXIES reverse proxies the socket's address is the nearest proxy's; each proxy appends the address it
was called from to X-Forwarded-For, so the visitor's is the NUM_PROXIES-th from the end. Entries further left are
whatever the visitor sent and are never trusted.
"""

import ipaddress

from django.conf import settings


def get_client_ip(request) -> str:
    """The address to count requests by: from X-Forwarded-For behind trusted proxies, else the socket's."""
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = getattr(settings, "NUM_PROXIES", 0)
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote  # not through all our proxies (a direct call inside the network)
    candidate = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote

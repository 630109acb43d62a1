"""Template tags of the calendar feed, so the profile page (in the lower `accounts` app) can show it."""

from django import template

from ..calendar import get_feed_url

register = template.Library()


@register.simple_tag
def calendar_feed_url(request) -> str:
    """The absolute address of the signed-in user's feed, or "" when it is off (one query)."""
    if request is None or not request.user.is_authenticated:
        return ""
    return get_feed_url(request, request.user)

"""The segment page's actions panel reads the latest actions through this tag: the panel is included by a page
that another view renders, with only the segment and the request in its context."""

from django import template

from ..bulk.access import can_act_on_segments
from ..bulk.selectors import list_recent_segment_actions

register = template.Library()


@register.simple_tag
def recent_segment_actions(user, segment, limit: int = 5) -> list:
    """The latest actions on the segment the user may open; none for those who may not act (one query)."""
    if not can_act_on_segments(user):
        return []
    return list_recent_segment_actions(user, segment, limit=limit)


@register.filter(name="can_act_on_segments")
def can_act_on_segments_filter(user) -> bool:
    """{% if request.user|can_act_on_segments %}: a team lead or an admin."""
    return can_act_on_segments(user)

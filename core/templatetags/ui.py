"""Small template helpers shared by every list page."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str, target: str = ""):
    """A column title that sorts by `key`, toggling the direction; keeps the other filters."""
    request = context["request"]
    query = request.GET.copy()
    query.pop("page", None)
    current = query.get("sort", "")
    new = f"-{key}" if current == key else key
    query["sort"] = new
    arrow = " ▲" if current == key else " ▼" if current == f"-{key}" else ""
    url = f"?{query.urlencode()}"
    if target:
        return format_html(
            '<a href="{}" hx-get="{}" hx-target="#{}" hx-swap="outerHTML" hx-push-url="true">{}{}</a>',
            url,
            url,
            target,
            label,
            arrow,
        )
    return format_html('<a href="{}">{}{}</a>', url, label, arrow)

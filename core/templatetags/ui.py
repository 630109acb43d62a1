"""Small template helpers shared by every list page."""

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext

from core.money import format_money, plain_decimal

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


@register.filter
def money(amount, currency: str):
    """{{ order.total|money:order.currency }} → "€1,250.50" / "1 250,50 €" in the active language."""
    return format_money(amount, currency)


@register.filter
def plain_number(value):
    """{{ line.quantity|plain_number }} → "3", "2,5" (lt), "0.125": no trailing zeros, localised."""
    if value in (None, ""):
        return ""
    return number_format(plain_decimal(value))


@register.filter
def hours_minutes(minutes) -> str:
    """{{ 150|hours_minutes }} → "2 h 30 min"; "—" for no value."""
    if minutes in (None, ""):
        return "—"
    hours, rest = divmod(int(minutes), 60)
    if not hours:
        return gettext("%(minutes)d min") % {"minutes": rest}
    if not rest:
        return gettext("%(hours)d h") % {"hours": hours}
    return gettext("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": rest}

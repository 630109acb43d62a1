"""A registry of "My day" panels that higher apps fill.

"My day" belongs to `interactions`, but the figures a manager wants there (their CSAT and NPS,
complaints by SLA state) live in higher apps. Lower apps must not import higher ones, so each
higher app registers a panel here from its AppConfig.ready(), as clients/sections.py does for
the client page.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class MyDayPanel:
    key: str  # also the DOM id and the partial name of the panel, and its htmx target
    template: str  # defines `{% partialdef <key> inline %}`, rendered alone for an htmx request
    get_context: Callable  # (request, now) -> dict, or None when the panel has nothing for this user
    order: int = 100


_panels: dict[str, MyDayPanel] = {}


def register_my_day_panel(panel: MyDayPanel) -> None:
    _panels[panel.key] = panel


def get_my_day_panels() -> list[MyDayPanel]:
    return sorted(_panels.values(), key=lambda panel: panel.order)


def get_my_day_panel(key: str | None) -> MyDayPanel | None:
    """The panel an htmx request targets (its DOM id), if any."""
    return _panels.get(key) if key else None


def collect_my_day_panels(request, now: datetime) -> list[dict]:
    """The panels shown to the user, in order, each with its context (hidden ones are left out)."""
    shown = []
    for panel in get_my_day_panels():
        context = panel.get_context(request, now)
        if context is not None:
            shown.append({"panel": panel, "context": context})
    return shown

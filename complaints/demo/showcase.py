"""The README's demo manager gets an open complaint in every SLA state, so the pages show them all.

New and on track (received minutes ago), in progress and at risk (85 % of the resolution
time used), breached and escalated to the team lead (115 % used), and waiting for the client
(paused at 30 %). Their times are counted back from now in business time, so they are in
that state whenever the seeder runs, night or weekend included.
"""

import random
from datetime import timedelta

from interactions.models import Kind
from orders.models import Order, OrderStatus

from ..business_time import add_business_minutes
from ..models import Channel, ComplaintStatus, Severity, SlaState
from ..services import sla
from .history import ClientComplaints, business_moment_before
from .story import Story
from .texts import FIRST_REPLIES, INFO_REQUESTS, NOTES

SHOWCASE_USER = "manager1@demo.crm"
# (state, severity, category, business share of the resolution target used by now)
STATES = (
    (SlaState.ON_TRACK, Severity.NORMAL, "Wrong or missing items", 0.0),
    (SlaState.AT_RISK, Severity.NORMAL, "Product quality", 0.85),
    (SlaState.BREACHED, Severity.HIGH, "Late delivery", 1.15),
    (SlaState.PAUSED, Severity.NORMAL, "Damaged goods", 0.3),
)


def _latest_delivered(writer: ClientComplaints) -> Order | None:
    delivered = [o for o in writer.target.orders if o.status == OrderStatus.DELIVERED]
    return delivered[-1] if delivered else None


def _overdue(writer: ClientComplaints) -> Order | None:
    return next(
        (
            o
            for o in reversed(writer.target.orders)
            if o.status != OrderStatus.DELIVERED and o.promised_on and o.promised_on < writer.today
        ),
        None,
    )


def add_showcase(writers: list[ClientComplaints], missing: list[str], rng: random.Random) -> list[Story]:
    """One open complaint per missing SLA state, on the showcase manager's clients (the first one with an
    overdue order gets the breached one, about that order)."""
    if not writers or not missing:
        return []
    stories = []
    pool = list(writers)
    rng.shuffle(pool)
    with_overdue = next((w for w in pool if _overdue(w)), None)
    for index, (state, severity, category, share) in enumerate(s for s in STATES if s[0] in missing):
        writer = with_overdue if state == SlaState.BREACHED and with_overdue else pool[index % len(pool)]
        story = _open_complaint(writer, state, severity, category, share)
        if story is not None:
            stories.append(story)
    return stories


def _open_complaint(writer: ClientComplaints, state: str, severity: str, category: str, share: float) -> Story | None:
    rng, now, target = writer.rng, writer.now, writer.target
    order = _overdue(writer) if state == SlaState.BREACHED else _latest_delivered(writer)
    texts = category
    if order is None:
        category = texts = "Service and communication"
    first_target, resolution_target = sla.get_targets(target.client.tier, severity)
    calendar = sla.working_calendar(sla.get_business_calendar(target.manager))
    if state == SlaState.ON_TRACK:
        received_at = now - timedelta(minutes=rng.randint(10, 40))
    elif state == SlaState.PAUSED:
        paused_at = business_moment_before(calendar, now, rng.randint(120, 360))
        received_at = business_moment_before(calendar, paused_at, resolution_target * share)
    else:
        received_at = business_moment_before(calendar, now, resolution_target * share)
    channel = Channel.EMAIL if state == SlaState.ON_TRACK else Channel.PHONE
    story = writer.complaint(category, texts, order, received_at, channel, severity)
    if story is None or state == SlaState.ON_TRACK:
        return story
    language, contact = story.language, story.contact
    reply = writer.fill(writer.pick(FIRST_REPLIES["email"], language), language, contact)
    story.reply(add_business_minutes(calendar, received_at, first_target * 0.4), reply, kind=Kind.EMAIL)
    story.note(add_business_minutes(calendar, received_at, first_target * 0.9), writer.pick(NOTES, language))
    if state == SlaState.PAUSED:
        story.reply(paused_at, writer.pick(INFO_REQUESTS, language))
        story.move(paused_at, ComplaintStatus.WAITING)
    return story

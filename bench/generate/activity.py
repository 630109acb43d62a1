"""The daily loop: interactions (done, cancelled and planned), follow-ups, reminders, notifications."""

from collections import defaultdict

from interactions.models import (
    Direction,
    FollowUp,
    FollowUpStatus,
    Interaction,
    InteractionStatus,
    Kind,
    Notification,
    Outcome,
    Reminder,
    ReminderStatus,
)

from . import texts
from .clock import DAY, HOUR
from .world import World, cumulative, weighted_table

KINDS = weighted_table(
    ((Kind.CALL, 40), (Kind.EMAIL, 30), (Kind.MEETING, 12), (Kind.CHAT, 10), (Kind.VISIT, 5), (Kind.OTHER, 3))
)
PLANNED_KINDS = weighted_table(((Kind.MEETING, 6), (Kind.CALL, 3), (Kind.VISIT, 1)))
CALL_OUTCOMES = weighted_table(
    (
        (Outcome.REACHED, 55),
        (Outcome.NO_ANSWER, 20),
        (Outcome.LEFT_MESSAGE, 10),
        (Outcome.NEXT_STEP, 10),
        (Outcome.ISSUE_RAISED, 4),
        (Outcome.NOT_INTERESTED, 1),
    )
)
PLANNED_SHARE = 0.01  # of interactions: planned in the next three weeks
CANCELLED_SHARE = 0.02
DURATION = {Kind.CALL: (2, 30), Kind.MEETING: (30, 120), Kind.VISIT: (45, 180), Kind.CHAT: (5, 20)}


def _teammates(world: World) -> dict[int, list[int]]:
    by_team = defaultdict(list)
    for manager in world.managers:
        by_team[world.team_of[manager]].append(manager)
    return {manager: by_team[world.team_of[manager]] for manager in world.managers}


def write_interactions(world: World) -> list[tuple[int, int, int]]:
    """Interactions ordered by when they were logged; returns the planned ones (id, manager, when) for reminders."""
    rng, now, clients = world.rng, world.now, world.clients
    total = world.sizes.interactions
    past_weights = cumulative([c.weight * max(c.end - c.start, DAY) for c in clients])
    current = [i for i, c in enumerate(clients) if c.end == now]  # not churned or gone quiet: meetings ahead
    planned_count = max(1, round(total * PLANNED_SHARE)) if current else 0
    current_weights = cumulative([clients[i].weight for i in current])
    today = world.calendar.midnight(world.calendar.day(now))

    plan = []  # (logged at, occurred at, client index, status)
    for index in rng.choices(range(len(clients)), cum_weights=past_weights, k=total - planned_count):
        client = clients[index]
        occurred = world.calendar.work_moment(rng, client.start, client.end)
        if rng.random() < CANCELLED_SHARE:
            plan.append((max(client.start, occurred - rng.randint(HOUR, 10 * DAY)), occurred, index, 2))
        else:
            plan.append((min(now, occurred + rng.randint(60, 2 * HOUR)), occurred, index, 0))
    for index in rng.choices(current, cum_weights=current_weights, k=planned_count):
        client = clients[index]
        occurred = world.calendar.work_moment(rng, today, now + 21 * DAY, weekend_share=0)
        plan.append((max(client.start, min(now, occurred) - rng.randint(HOUR, 14 * DAY)), occurred, index, 1))
    plan.sort()

    teammates = _teammates(world)
    first_id = world.first_id(Interaction)
    links: list[tuple[int, int]] = []
    reminders: list[tuple[int, int, int]] = []
    statuses = (InteractionStatus.COMPLETED, InteractionStatus.SCHEDULED, InteractionStatus.CANCELLED)

    def rows():
        for n, (logged, occurred, index, state) in enumerate(plan):
            interaction_id = first_id + n
            client = clients[index]
            kind = rng.choice(PLANNED_KINDS if state == 1 else KINDS)
            manager = client.manager if rng.random() < 0.92 else rng.choice(teammates[client.manager])
            inbound = kind in (Kind.CALL, Kind.EMAIL, Kind.CHAT) and rng.random() < 0.3
            outcome = ""
            if state == 0:
                outcome = rng.choice(CALL_OUTCOMES) if kind == Kind.CALL else ""
                if kind == Kind.MEETING:
                    outcome = Outcome.NEXT_STEP if rng.random() < 0.6 else Outcome.REACHED
                    world.completed_meetings.append((interaction_id, index, occurred))
            elif state == 1:
                reminders.append((interaction_id, manager, occurred))
            span = DURATION.get(kind)
            if client.contacts and rng.random() < 0.8:
                contacts = client.contacts
                links.append((interaction_id, contacts[0] if rng.random() < 0.6 else rng.choice(contacts)))
                if len(contacts) > 1 and rng.random() < 0.1:
                    links.append((interaction_id, rng.choice(contacts[1:])))
            yield (
                interaction_id, logged, logged, client.id, kind,
                Direction.INBOUND if inbound else Direction.OUTBOUND, statuses[state], occurred,
                rng.randint(*span) if span and state == 0 else None,
                rng.choice(texts.SUBJECTS[kind]), rng.choice(texts.NOTES) if rng.random() < 0.35 else "",
                outcome, manager,
            )  # fmt: skip

    world.loader.write(
        Interaction,
        (
            "id created_at updated_at client_id kind direction status occurred_at duration_minutes subject "
            "notes outcome logged_by_id"
        ),
        rows(),
    )
    through = Interaction.contacts.through
    first_link = world.first_id(through)
    unique_links = dict.fromkeys(links)  # a contact named twice on one interaction is one row
    world.loader.write(
        through,
        ("id", "interaction_id", "contact_id"),
        ((first_link + n, i, c) for n, (i, c) in enumerate(unique_links)),
    )
    return reminders


def write_follow_ups(world: World, loop: list[tuple[int, int]]) -> tuple[dict[int, int], list[tuple[int, int, int]]]:
    """Follow-ups ordered by creation, with the closed loop's (a low survey score opens one).

    `loop` lists (client index, answered at) of the low scores. Returns their follow-up ids by
    position in `loop`, and the open follow-ups (id, assignee, due) that have a reminder.
    """
    rng, now, clients = world.rng, world.now, world.clients
    weights = cumulative([c.weight * max(c.end - c.start, DAY) for c in clients])
    plan = []  # (created, due, client index, loop position or -1)
    for index in rng.choices(range(len(clients)), cum_weights=weights, k=world.sizes.follow_ups):
        client = clients[index]
        horizon = client.end + (30 * DAY if client.end == now else 0)
        due = world.calendar.work_moment(rng, client.start, horizon)
        created = min(now, max(client.created, due - rng.randint(HOUR, 14 * DAY)))
        plan.append((created, due, index, -1))
    for position, (index, answered) in enumerate(loop):
        plan.append((min(now, answered + 60), answered + 2 * DAY, index, position))
    plan.sort()

    teammates = _teammates(world)
    first_id = world.first_id(FollowUp)
    loop_ids: dict[int, int] = {}
    reminders = []

    def rows():
        for n, (created, due, index, position) in enumerate(plan):
            follow_up_id = first_id + n
            client = clients[index]
            assignee = client.manager if rng.random() < 0.95 else rng.choice(teammates[client.manager])
            if position >= 0:
                loop_ids[position] = follow_up_id
            age = now - due
            roll = rng.random()
            if age < 0 or (age < 45 * DAY and roll < 0.25):
                status, completed = FollowUpStatus.OPEN, None
                reminders.append((follow_up_id, assignee, due))
            elif roll > 0.95:
                status, completed = FollowUpStatus.CANCELLED, None
            else:
                status = FollowUpStatus.DONE
                completed = min(now, max(created, due + rng.randint(-2 * DAY, 3 * DAY)))
            title = "Call back: unhappy survey answer" if position >= 0 else rng.choice(texts.FOLLOW_UP_TITLES)
            updated = completed or created
            yield (follow_up_id, created, updated, client.id, title, due, assignee, None, status, completed, assignee)

    world.loader.write(
        FollowUp,
        (
            "id created_at updated_at client_id title due_at assignee_id interaction_id status completed_at "
            "created_by_id"
        ),
        rows(),
    )
    return loop_ids, reminders


def write_reminders(world: World, follow_ups: list[tuple[int, int, int]], meetings: list[tuple[int, int, int]]) -> None:
    """The reminder row of each open follow-up and planned meeting: sent when its time has passed."""
    now = world.now
    first_id = world.first_id(Reminder)
    subjects = [(f, None, user, at) for f, user, at in follow_ups]
    subjects += [(None, i, user, at) for i, user, at in meetings]

    def rows():
        for n, (follow_up, interaction, user, at) in enumerate(subjects):
            sent = at <= now
            status = ReminderStatus.SENT if sent else ReminderStatus.PENDING
            yield (first_id + n, at, status, 1 if sent else 0, "", at if sent else None, at - 7 * DAY, at, user,
                   follow_up, interaction, at)  # fmt: skip

    world.loader.write(
        Reminder,
        (
            "id next_attempt_at status attempts last_error sent_at created_at updated_at recipient_id "
            "follow_up_id interaction_id remind_at"
        ),
        rows(),
    )


def write_notifications(world: World) -> None:
    """The header bell's rows: some unread for every user, most read."""
    rng, now = world.rng, world.now
    users = [*world.managers, *world.leads.values(), world.admin]
    first_id = world.first_id(Notification)
    titles = ("Follow-up due", "Meeting in 15 minutes", "Complaint at risk", "Order overdue", "Unhappy survey answer")

    def rows():
        n = 0
        for user in users:
            for k in range(world.sizes.notifications_per_user):
                created = now - rng.randint(0, 60 * DAY)
                read = created + rng.randint(60, DAY) if rng.random() < 0.85 else None
                yield (
                    first_id + n,
                    user,
                    f"bench:{k}",
                    rng.choice(titles),
                    "",
                    "",
                    created,
                    min(read, now) if read else None,
                )
                n += 1

    world.loader.write(
        Notification, ("id", "recipient_id", "key", "title", "body", "url", "created_at", "read_at"), rows()
    )

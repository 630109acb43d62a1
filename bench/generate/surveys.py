"""CSAT and NPS surveys: one request per send (delivered orders, resolved complaints, meetings,
relationship NPS, manual), about six in ten answered, and the closed loop's follow-ups.

The requests are planned before the follow-ups are written (a low score opens one, and the
response points at it) and written after them, so foreign keys hold on every database.
"""

import hashlib
from dataclasses import dataclass, field
from datetime import date

from feedback.models import (
    SuppressedReason,
    SurveyKind,
    SurveyRequest,
    SurveyResponse,
    SurveyStatus,
    SurveyTemplate,
    SurveyTrigger,
    TriggerKind,
)

from . import texts
from .clock import DAY, HOUR
from .world import World, weighted_table

TRIGGERS = weighted_table(
    (
        (TriggerKind.ORDER_DELIVERED, 45),
        (TriggerKind.RELATIONSHIP_NPS, 30),
        (TriggerKind.MEETING_COMPLETED, 10),
        (TriggerKind.COMPLAINT_RESOLVED, 8),
        (TriggerKind.MANUAL, 7),
    )
)
NPS_SCORES = weighted_table(
    ((10, 24), (9, 21), (8, 17), (7, 13), (6, 8), (5, 6), (4, 4), (3, 3), (2, 2), (1, 1), (0, 1))
)
CSAT_SCORES = weighted_table(((5, 45), (4, 30), (3, 12), (2, 8), (1, 5)))
SUPPRESSED = weighted_table(
    (
        (SuppressedReason.COOLDOWN, 40),
        (SuppressedReason.OUTSTANDING, 25),
        (SuppressedReason.NO_EMAIL, 15),
        (SuppressedReason.OPTED_OUT, 10),
        (SuppressedReason.OPEN_COMPLAINT, 6),
        (SuppressedReason.CLIENT_LIMIT, 4),
    )
)
ANSWERED, SUPPRESSED_SHARE = 0.6, 0.08
TOKEN_DAYS = 30
NPS_MONTHS = 6


@dataclass
class SurveyPlan:
    requests: list[list] = field(default_factory=list)  # [created, id, fields of the row...]
    responses: list[list] = field(default_factory=list)  # [answered, request record, fields..., loop position]
    loop: list[tuple[int, int]] = field(default_factory=list)  # (client index, answered) of the low scores


def _templates() -> dict[str, tuple[int, str, int]]:
    """Per trigger: (template id, kind, delay in seconds), from the admin's triggers (data migration rows)."""
    kinds = dict(SurveyTemplate.objects.values_list("pk", "kind"))
    default: dict[str, int] = {}
    for pk, kind in SurveyTemplate.objects.order_by("name").values_list("pk", "kind"):
        default.setdefault(kind, pk)
    if SurveyKind.CSAT not in default or SurveyKind.NPS not in default:
        raise RuntimeError("No CSAT or NPS survey template: run the migrations first.")
    configured = {
        kind: (template, delay)
        for kind, template, delay in SurveyTrigger.objects.values_list("kind", "template_id", "delay_hours")
    }
    result = {}
    for trigger in TriggerKind.values:
        fallback = default[SurveyKind.NPS if trigger == TriggerKind.RELATIONSHIP_NPS else SurveyKind.CSAT]
        template, delay = configured.get(trigger, (fallback, 0))
        result[trigger] = (template, kinds[template], delay * HOUR)
    return result


def plan_surveys(world: World) -> SurveyPlan:
    """Requests until the wanted number of responses is reached (or every source is used up)."""
    rng, now, clients = world.rng, world.now, world.clients
    templates = _templates()
    # What a survey can be about, each at most once (the source keys are unique, as in production).
    pools = {
        TriggerKind.ORDER_DELIVERED: [(f"order_delivered:{o}", c, who, at) for o, c, who, at in world.delivered_orders],
        TriggerKind.COMPLAINT_RESOLVED: [
            (f"complaint_resolved:{k}:1", c, who, at) for k, c, who, at in world.resolved_complaints
        ],
        TriggerKind.MEETING_COMPLETED: [(f"meeting_completed:{i}", c, None, t) for i, c, t in world.completed_meetings],
    }
    for pool in pools.values():
        rng.shuffle(pool)
    reachable = [i for i, c in enumerate(clients) if c.contacts and c.end > c.start]
    first_period = _period(world, world.start)
    asked: set[str] = set()
    plan = SurveyPlan()
    wanted = world.sizes.survey_responses
    for _ in range(wanted * 20):
        if len(plan.responses) >= wanted or not reachable:
            break
        trigger = rng.choice(TRIGGERS)
        pool = pools.get(trigger)
        if pool is not None:
            if not pool:
                continue
            key, index, contact, at = pool.pop()
            scheduled = at + templates[trigger][2]
        else:
            index = rng.choice(reachable)
            client = clients[index]
            contact = None
            if trigger == TriggerKind.RELATIONSHIP_NPS:
                period = rng.randint(first_period, _period(world, now))
                position = rng.randrange(len(client.contacts))
                key = f"relationship_nps:{client.contacts[position]}:{period}"
                scheduled = _period_start(world, period) + (client.contacts[position] % 72) * HOUR
                if key in asked or not client.start <= scheduled <= client.end:
                    continue
                contact = client.contacts[position]
            else:
                key = f"manual:{rng.getrandbits(128):032x}"
                scheduled = world.calendar.work_moment(rng, client.start, client.end)
        client = clients[index]
        if contact is None or contact not in client.contacts:
            contact = client.contacts[0] if client.contacts else None
        if contact is None:
            continue
        asked.add(key)
        _plan_request(world, plan, templates[trigger], trigger, key, index, contact, scheduled)
    return plan


def _period(world: World, moment: int) -> int:
    day = date.fromordinal(world.calendar.day(moment))
    return (day.year * 12 + day.month - 1) // NPS_MONTHS  # as feedback.services.scheduling


def _period_start(world: World, period: int) -> int:
    months = period * NPS_MONTHS
    first = date(months // 12, months % 12 + 1, 1)
    return world.calendar.midnight(first.toordinal()) + 9 * HOUR


def _plan_request(world, plan, template, trigger, key, index, contact, scheduled) -> None:
    rng, now = world.rng, world.now
    client = world.clients[index]
    template_id, kind, delay = template
    language = client.contact_languages[client.contacts.index(contact)]
    created = min(now, scheduled - delay)
    requested_by = client.manager if trigger == TriggerKind.MANUAL else None
    record = [created, 0, scheduled, SurveyStatus.SCHEDULED, 0, None, contact, client.id, template_id, kind, trigger,
              key, language, None, None, None, "", requested_by, created]  # fmt: skip
    plan.requests.append(record)
    if scheduled > now:
        return
    if rng.random() < SUPPRESSED_SHARE:
        record[3], record[16], record[18] = SurveyStatus.SUPPRESSED, rng.choice(SUPPRESSED), scheduled
        return
    sent = min(now, scheduled + rng.randint(0, 6 * HOUR))
    expires = sent + TOKEN_DAYS * DAY
    record[3:6] = [SurveyStatus.EXPIRED if expires < now else SurveyStatus.SENT, 1, sent]
    record[14], record[18] = expires, sent
    answered = sent + min(int(rng.lognormvariate(9.5, 1.3)), (TOKEN_DAYS - 1) * DAY)  # hours to days
    if answered > now or rng.random() > ANSWERED:
        return
    record[3], record[15], record[18] = SurveyStatus.ANSWERED, answered, answered
    score = rng.choice(NPS_SCORES if kind == SurveyKind.NPS else CSAT_SCORES)
    low = score <= 6 if kind == SurveyKind.NPS else score <= 2
    position = -1
    if low:
        position = len(plan.loop)
        plan.loop.append((index, answered))
    changed = answered + rng.randint(60, 20 * HOUR) if rng.random() < 0.03 else None
    acted = answered + rng.randint(HOUR, 3 * DAY) if low and rng.random() < 0.6 else None
    plan.responses.append(
        [answered, record, client.id, kind, score, rng.choice(texts.SURVEY_COMMENTS) if rng.random() < 0.3 else "",
         changed, "Called the client and agreed on a fix." if acted and acted <= now else "",
         client.manager if acted and acted <= now else None, acted if acted and acted <= now else None, position]
    )  # fmt: skip


def write_surveys(world: World, plan: SurveyPlan, loop_ids: dict[int, int]) -> None:
    """Requests in creation order, then responses in answer order, linked to the loop's follow-ups."""
    plan.requests.sort(key=lambda record: (record[0], record[11]))
    first_id = world.first_id(SurveyRequest)
    for n, record in enumerate(plan.requests):
        record[1] = first_id + n

    def request_rows():
        for r in plan.requests:
            request_id = r[1]
            token = None
            if r[5] is not None:  # sent: a link went out, and only its hash is stored
                token = hashlib.sha256(f"bench-survey-{request_id}".encode()).hexdigest()
            yield (request_id, r[2], r[3], r[4], "", r[5], r[0], r[18], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
                   token, r[2], r[14], r[15], r[16], r[17])  # fmt: skip

    world.loader.write(
        SurveyRequest,
        (
            "id next_attempt_at status attempts last_error sent_at created_at updated_at contact_id client_id "
            "template_id kind trigger source_key language token_hash scheduled_at expires_at answered_at "
            "suppressed_reason requested_by_id"
        ),
        request_rows(),
    )
    plan.responses.sort(key=lambda response: (response[0], response[1][1]))
    first_response = world.first_id(SurveyResponse)
    world.loader.write(
        SurveyResponse,
        (
            "id request_id client_id kind score comment answered_at changed_at follow_up_id action_taken "
            "action_by_id action_at"
        ),
        (
            (first_response + n, r[1][1], r[2], r[3], r[4], r[5], r[0], r[6], loop_ids.get(r[10]), r[7], r[8], r[9])
            for n, r in enumerate(plan.responses)
        ),
    )

"""One complaint lived through in memory, step by step, by the rules of the services.

`Story` does to an unsaved Complaint what the services do to a saved one: registering starts
the clocks (`sla.start_clocks`), a reply is an outbound interaction and the first response
(`sla.record_first_response`), each status change follows `workflow.transition_complaint`
(pause, resume, stop, reopen), and between two steps the escalation beat records breaches and
writes at most one escalation per level and cycle, at the moment the line was crossed, as
`escalation.escalate_due_complaints` would have. So every SLA field the seeder stores is the
one the application would have computed.

A step later than `now` does not happen: the story stops there, and the complaint is still
open (or resolved) as it would be today.
"""

import bisect
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from accounts.models import Role, User
from clients.models import Client
from contacts.models import Contact
from core.outbox import DeliveryStatus
from interactions.models import Direction, Interaction, InteractionStatus, Kind

from ..business_time import WorkingCalendar, next_business_moment
from ..models import (
    OPEN_STATUSES,
    TRANSITIONS,
    ActivityKind,
    Complaint,
    ComplaintActivity,
    ComplaintStatus,
    Escalation,
    EscalationLevel,
    RootCause,
    Severity,
)
from ..services import sla
from ..services.escalation import FIRST, RESOLUTION


class Escalator:
    """Who hears of an escalation and when the e-mail goes, as `services.escalation` decides (cached per user)."""

    def __init__(self):
        self._calendars: dict[int, WorkingCalendar] = {}
        self._admin: User | None = None
        self._admin_loaded = False

    def lead_of(self, owner: User | None) -> User | None:
        if owner is not None and owner.team_id and owner.team.lead_id and owner.team.lead.is_active:
            return owner.team.lead
        if not self._admin_loaded:
            self._admin = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
            self._admin_loaded = True
        return self._admin

    def email_time(self, severity: str, recipient: User, at: datetime) -> datetime:
        """Critical complaints at once; the others in the recipient's next business hours."""
        if severity == Severity.CRITICAL:
            return at
        if recipient.pk not in self._calendars:
            self._calendars[recipient.pk] = sla.working_calendar(sla.get_business_calendar(recipient))
        return next_business_moment(self._calendars[recipient.pk], at)


@dataclass
class Story:
    complaint: Complaint
    language: str
    contact: Contact | None
    now: datetime
    escalator: Escalator
    activities: list[ComplaintActivity] = field(default_factory=list)
    interactions: list[tuple[Interaction, list[Contact]]] = field(default_factory=list)
    escalations: list[tuple[Escalation, datetime]] = field(default_factory=list)  # with the time it was written
    timeline: list[tuple[datetime, str, int]] = field(default_factory=list)  # (at, status, cycle)
    registered_at: datetime | None = None
    last_at: datetime | None = None
    stopped: bool = False

    @property
    def client(self) -> Client:
        return self.complaint.client

    @property
    def owner(self) -> User:
        return self.complaint.owner

    def calendar(self) -> WorkingCalendar:
        return sla.calendar_of(self.complaint)

    # --- Steps

    def register(self, delay: timedelta) -> None:
        """Registered `delay` after it came in (or after the next working moment): the clocks start at
        received_at, as in register_complaint."""
        complaint = self.complaint
        sla.start_clocks(complaint)
        registered_at = min(next_business_moment(self.calendar(), complaint.received_at) + delay, self.now)
        self.registered_at = self.last_at = registered_at
        self.timeline.append((complaint.received_at, complaint.status, complaint.cycle))
        self.activities.append(
            ComplaintActivity(
                complaint=complaint,
                kind=ActivityKind.CREATED,
                author=self.owner,
                at=registered_at,
                body=complaint.description,
            )
        )

    def happen(self, at: datetime) -> datetime | None:
        """The step's time (never before the last one), after the beat has run up to it; None if it is to come."""
        if self.stopped:
            return None
        at = max(at, self.last_at)
        if at > self.now:
            self.stopped = True
            return None
        self.sweep(at)
        self.last_at = at
        return at

    def reply(self, at: datetime, body: str, *, kind: str = Kind.EMAIL, duration: int | None = None) -> bool:
        """A client-facing reply, as reply_to_client: an outbound interaction, the first response, new → in progress."""
        at = self.happen(at)
        if at is None:
            return False
        complaint = self.complaint
        interaction = Interaction(
            client=self.client,
            kind=kind,
            direction=Direction.OUTBOUND,
            status=InteractionStatus.COMPLETED,
            occurred_at=at,
            duration_minutes=duration if kind == Kind.CALL else None,
            notes=body,
            logged_by=self.owner,
        )  # the subject names the complaint's number, given when all complaints are drawn
        self.interactions.append((interaction, [self.contact] if self.contact else []))
        if complaint.first_response_at is None:
            sla.record_first_response(complaint, at)
        self.activities.append(
            ComplaintActivity(
                complaint=complaint,
                kind=ActivityKind.REPLY,
                author=self.owner,
                at=at,
                body=body,
                interaction=interaction,
            )
        )
        if complaint.status == ComplaintStatus.NEW:
            self._transition(at, ComplaintStatus.IN_PROGRESS)
        return True

    def note(self, at: datetime, body: str) -> bool:
        at = self.happen(at)
        if at is None or self.complaint.status == ComplaintStatus.CLOSED:
            return False
        self.activities.append(
            ComplaintActivity(complaint=self.complaint, kind=ActivityKind.NOTE, author=self.owner, at=at, body=body)
        )
        return True

    def change_severity(self, at: datetime, severity: str) -> bool:
        """As change_severity: the policy's targets for the new severity, due times again from received_at."""
        at = self.happen(at)
        complaint = self.complaint
        if at is None or severity == complaint.severity or not complaint.is_open:
            return False
        old, complaint.severity = complaint.severity, severity
        sla.retarget(complaint)
        self.activities.append(
            ComplaintActivity(
                complaint=complaint,
                kind=ActivityKind.SEVERITY,
                author=self.owner,
                at=at,
                from_value=old,
                to_value=severity,
            )
        )
        return True

    def move(
        self, at: datetime, to_status: str, *, resolution: str = "", root_cause: RootCause | None = None, note: str = ""
    ) -> bool:
        at = self.happen(at)
        if at is None:
            return False
        self._transition(at, to_status, resolution=resolution, root_cause=root_cause, note=note)
        return True

    def _transition(
        self, at: datetime, to_status: str, *, resolution: str = "", root_cause: RootCause | None = None, note: str = ""
    ) -> None:
        """The state changes of workflow.transition_complaint, on the unsaved complaint."""
        complaint = self.complaint
        from_status = complaint.status
        if to_status not in TRANSITIONS[from_status]:
            raise ValueError(f"demo story: {from_status} → {to_status} is not in the workflow")
        if to_status == ComplaintStatus.RESOLVED:
            complaint.resolution, complaint.root_cause = resolution, root_cause
            complaint.resolved_at = at
            sla.stop(complaint, at)
        elif to_status == ComplaintStatus.WAITING:
            sla.pause(complaint, at)
        elif to_status == ComplaintStatus.IN_PROGRESS:
            if from_status == ComplaintStatus.RESOLVED:
                complaint.cycle += 1
                complaint.reopen_count += 1
                complaint.resolved_at = None
                complaint.resolution_seconds = None
                sla.resume(complaint, at)
            elif from_status == ComplaintStatus.WAITING:
                sla.resume(complaint, at)
        elif to_status == ComplaintStatus.CLOSED:
            complaint.closed_at = at
        complaint.status = to_status
        self.timeline.append((at, to_status, complaint.cycle))
        self.activities.append(
            ComplaintActivity(
                complaint=complaint,
                kind=ActivityKind.STATUS,
                author=self.owner,
                at=at,
                from_value=from_status,
                to_value=to_status,
                body=resolution if to_status == ComplaintStatus.RESOLVED else note,
            )
        )

    # --- The escalation beat

    def sweep(self, until: datetime, *, inclusive: bool = False) -> None:
        """What the beat did before `until`: breaches recorded at the due times, and the escalations written."""
        complaint = self.complaint
        if complaint.status not in OPEN_STATUSES:
            return

        def crossed(moment: datetime | None) -> bool:
            return moment is not None and (moment <= until if inclusive else moment < until)

        first_open = complaint.first_response_at is None
        running = complaint.resolution_running_since is not None
        due, risk = [], []
        if first_open and crossed(complaint.first_response_due_at):
            complaint.first_response_breached_at = (
                complaint.first_response_breached_at or complaint.first_response_due_at
            )
            due.append((complaint.first_response_due_at, FIRST))
        if running and crossed(complaint.resolution_due_at):
            complaint.resolution_breached_at = complaint.resolution_breached_at or complaint.resolution_due_at
            due.append((complaint.resolution_due_at, RESOLUTION))
        if first_open and crossed(complaint.first_response_at_risk_at):
            risk.append((complaint.first_response_at_risk_at, FIRST))
        if running and crossed(complaint.resolution_at_risk_at):
            risk.append((complaint.resolution_at_risk_at, RESOLUTION))
        for level, crossings in ((EscalationLevel.AT_RISK, risk), (EscalationLevel.BREACHED, due)):
            if crossings and not any(e.level == level and e.cycle == complaint.cycle for e, _at in self.escalations):
                self._escalate(level, *min(crossings))

    def _escalate(self, level: str, at: datetime, clock: str) -> None:
        complaint = self.complaint
        recipient = self.owner if level == EscalationLevel.AT_RISK else self.escalator.lead_of(self.owner)
        if recipient is None:
            return
        at = max(at, self.registered_at)  # the beat sees a complaint once it is registered
        escalation = Escalation(
            complaint=complaint,
            cycle=complaint.cycle,
            level=level,
            clock=clock,
            recipient=recipient,
            next_attempt_at=self.escalator.email_time(complaint.severity, recipient, at),
        )
        self.escalations.append((escalation, at))
        self.activities.append(
            ComplaintActivity(
                complaint=complaint, kind=ActivityKind.ESCALATION, at=at, to_value=level, body=str(recipient)
            )
        )
        if level == EscalationLevel.BREACHED and complaint.escalated_at is None:
            complaint.escalated_at = at

    # --- The end

    def finish(self) -> None:
        """The beat has run until now; each escalation e-mail went out when due, unless the complaint was done."""
        self.sweep(self.now, inclusive=True)
        times = [at for at, _status, _cycle in self.timeline]
        for escalation, _written_at in self.escalations:
            when = escalation.next_attempt_at
            if when > self.now:
                continue  # pending: the beat delivers it when its time comes
            _changed_at, status, cycle = self.timeline[bisect.bisect_right(times, when) - 1]
            if status in OPEN_STATUSES and cycle == escalation.cycle:
                escalation.status, escalation.sent_at = DeliveryStatus.SENT, when
            else:
                escalation.status = DeliveryStatus.CANCELLED

    @property
    def updated_at(self) -> datetime:
        return self.last_at or self.complaint.received_at

    def working_moment(self, after: datetime, delay: timedelta) -> datetime:
        """The next working moment once `delay` has passed after `after` (someone acts on what came in)."""
        return next_business_moment(self.calendar(), after + delay)

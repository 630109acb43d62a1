"""Each bulk action also goes into the audit log, beside its own BulkAction record, so that an administrator finds
every mass change in one place with the sign-ins and exports around it."""

from accounts.audit import record_audit
from accounts.models import AuditAction

from ..models import BulkAction


def audit_bulk_action(action: BulkAction) -> None:
    """One audit event for the action just recorded: who, which segment, what, and to how many clients."""
    record_audit(
        actor=action.actor,
        action=AuditAction.BULK_ACTION,
        subject=action.segment_name,
        object_type="segment",
        object_id=action.segment_id,
        details={
            "bulk_action": action.pk,
            "kind": action.kind,
            "params": action.params,
            "matched": action.matched,
            "changed": action.changed,
            "skipped": action.skipped,
        },
    )

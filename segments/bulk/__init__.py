"""Bulk actions on a segment's members: add or remove a tag, send a survey, send an announcement e-mail.

Team leads act on the members within their team, admins on all (segments.selectors.list_segment_clients);
managers may not. Every action leaves a BulkAction row: who did what to which segment, when, and to how many.
Modules: access (who may act, which actions one sees), tags, surveys, announcements (writing the rows),
delivery (e-mailing them exactly once), unsubscribe, selectors (counts for the forms and pages).
"""

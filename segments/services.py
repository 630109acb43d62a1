"""Writes of segments: only administrators define them, and rules are stored only once validated."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import ApplicationError

from .models import Segment, colour_validator, match_all_rules
from .rules import validate_rules

SEGMENT_FIELDS = ("name", "description", "colour", "rules", "is_active")


def _check_admin(actor: User) -> None:
    if not actor.is_admin:
        raise ApplicationError(_("Only administrators can change segments."))


def _clean(segment: Segment) -> None:
    segment.name = " ".join(segment.name.split())
    if not segment.name:
        raise ApplicationError(_("Give the segment a name."), field="name")
    if Segment.objects.filter(name=segment.name).exclude(pk=segment.pk).exists():
        raise ApplicationError(_("Another segment already has this name."), field="name")
    try:
        colour_validator(segment.colour)
    except DjangoValidationError as error:
        raise ApplicationError(error.messages[0], field="colour") from None
    # The cleaned tree (country codes upper-cased, amounts as strings) is what gets stored.
    segment.rules = validate_rules(segment.rules)


def _save(segment: Segment) -> Segment:
    # _clean checked the name; a concurrent write may still take it before this insert or update.
    try:
        with transaction.atomic():
            segment.save()
    except IntegrityError:
        raise ApplicationError(_("Another segment already has this name."), field="name") from None
    return segment


@transaction.atomic
def create_segment(
    *,
    actor: User,
    name: str,
    rules: Any = None,
    description: str = "",
    colour: str | None = None,
    is_active: bool = True,
) -> Segment:
    """Define a segment (administrators only); without rules it matches every client."""
    _check_admin(actor)
    segment = Segment(
        name=name,
        description=description,
        rules=match_all_rules() if rules is None else rules,
        is_active=is_active,
        created_by=actor,
    )
    if colour is not None:
        segment.colour = colour
    _clean(segment)
    return _save(segment)


@transaction.atomic
def update_segment(*, actor: User, segment: Segment, **changes: Any) -> Segment:
    """Change a segment's name, description, colour, rules or active flag (administrators only)."""
    _check_admin(actor)
    unknown = set(changes) - set(SEGMENT_FIELDS)
    if unknown:
        raise TypeError(f"update_segment() got unexpected fields: {', '.join(sorted(unknown))}")
    for field, value in changes.items():
        setattr(segment, field, value)
    _clean(segment)
    return _save(segment)


@transaction.atomic
def delete_segment(*, actor: User, segment: Segment) -> None:
    """Remove a segment and its recorded sizes (administrators only); the clients themselves are untouched."""
    _check_admin(actor)
    segment.delete()

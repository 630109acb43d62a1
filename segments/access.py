"""Who may open and who may change segment definitions (the pages; the API has its own permission class).

Every signed-in person opens the active segments (their members are always limited to the clients they
see); administrators also open the inactive ones, and only they define, change and remove segments.
"""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User

from .models import Segment
from .sizes import with_latest_size


def can_change_segments(user: User) -> bool:
    """Administrators define, change and remove segments; everyone else only uses them."""
    return bool(user.is_authenticated and user.is_active and user.is_admin)


def list_segments_for(user: User) -> QuerySet[Segment]:
    """The segments the user may open, by name, each with its latest recorded size."""
    segments = Segment.objects.all() if can_change_segments(user) else Segment.objects.filter(is_active=True)
    return with_latest_size(segments.order_by("name", "pk"))


def get_segment_for_user(user: User, pk) -> Segment:
    """The segment, or 404 when the user may not open it (an inactive one, for anyone but an admin)."""
    segment = list_segments_for(user).select_related("created_by").filter(pk=pk).first()
    if segment is None:
        raise Http404
    return segment

"""Every metric of the product, defined once (DESIGN principle 5; documented in docs/metrics.md).

Each function takes a queryset already limited to what the viewer may see and a period
[start, end), computes in the database, and returns None for "no value" (an empty set),
never 0 in its place. Medians read only the middle row(s) of the sorted column (OFFSET/LIMIT).
One module per subject; this package re-exports them so callers write `metrics.nps(...)`.
"""

from .activity import *  # noqa: F403
from .clients import *  # noqa: F403
from .common import average, median, percent  # noqa: F401
from .complaints import *  # noqa: F403
from .feedback import *  # noqa: F403
from .health import *  # noqa: F403
from .orders import *  # noqa: F403

"""The computations behind the AMIF indicators.

Each computation is a named function `(*, date_from, date_to, state=None) -> int | float`; both days
of the period count. `state` ("RP"/"NI") narrows the figure to the authorities of that state (IN_BOTH:
to what counts in both at once, see `in_states`). An
`Indicator` names its computation by key; the official AMIF codes are data on the indicator and
never appear here.

Every figure is read "as of" a moment (now, unless a caller names one): nothing counts before it
happened. A period that has not begun counts nothing; a running one counts until the moment; a course
date or meeting counts as held once it has ended (`held`), inside the period and before the moment.

The modules: `registry` (a computation, the moment read as of, `compute`), `many` (`compute_many` and
its caches), `periods` (the conditions on days, moments and states), `grouped` (the grouped statement),
then one module per area in the order they register: `processes`, `courses`, `meetings`, `library`
(the survey's in portal/reports/survey_computations.py).
"""

# isort: off
# In the order the areas register their computations (REGISTRY, the grouped statement's sources).
from portal.reports.computations.registry import (
    REGISTRY,
    Cell,
    computation,
    computation_choices,
    compute,
    reading_moment,
    shared,
)
from portal.reports.computations.many import compute_many, figures_valid_until
from portal.reports.computations.periods import IN_BOTH, during, held, in_states
from portal.reports.computations.processes import (
    authorities_participating,
    authorities_supported,
    measures_done,
    participating_authorities,
    processes_completed,
    processes_started,
)
from portal.reports.computations.courses import (
    COUNTED_COURSES,
    courses_held,
    held_courses,
    participant_days,
    participants_apply_learning,
    participants_people,
    participants_useful,
    participants_useful_share,
    participants_with_feedback,
)
from portal.reports.computations.meetings import meeting_participants, meetings_held, minutes_tasks_done
from portal.reports.computations.library import documents_downloaded, documents_published
# isort: on

__all__ = [
    "COUNTED_COURSES",
    "IN_BOTH",
    "REGISTRY",
    "Cell",
    "authorities_participating",
    "authorities_supported",
    "computation",
    "computation_choices",
    "compute",
    "compute_many",
    "courses_held",
    "documents_downloaded",
    "documents_published",
    "during",
    "figures_valid_until",
    "held",
    "held_courses",
    "in_states",
    "measures_done",
    "meeting_participants",
    "meetings_held",
    "minutes_tasks_done",
    "participant_days",
    "participants_apply_learning",
    "participants_people",
    "participants_useful",
    "participants_useful_share",
    "participants_with_feedback",
    "participating_authorities",
    "processes_completed",
    "processes_started",
    "reading_moment",
    "shared",
]

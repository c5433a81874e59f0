"""Asking for the measure plan as a PDF: in the web request only a row and a queued task; the worker
renders it (authorities/tasks.py)."""

from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from authorities import rules, tasks
from authorities.models.overview import MeasurePlanDocument
from authorities.models.process import ChangeProcess
from portal.accounts.models import User


@transaction.atomic
def measure_plan_request(*, process: ChangeProcess, by: User) -> MeasurePlanDocument:
    """Project staff and the authority's coordinator ask for the plan; it is made anew each time."""
    if not rules.may_request_measure_plan(by, process):
        raise PermissionDenied
    document, _created = MeasurePlanDocument.objects.update_or_create(
        process=process, defaults={"requested_at": timezone.now(), "requested_by": by}
    )
    transaction.on_commit(partial(tasks.render_measure_plan.delay, document.pk))
    return document

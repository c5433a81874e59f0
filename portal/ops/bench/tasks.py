"""The trivial task of section 5: enqueued 10,000 times to measure what the broker costs alone."""

from celery import shared_task


@shared_task(name="portal.ops.bench.tasks.noop")
def noop(number: int) -> int:
    return number

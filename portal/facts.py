"""The facts generation: one token in the shared cache that changes with every write to a model whose
rows the indicators count (issue 15/18: the indicator page keeps a running period's figures in the
cache under this token, `portal.reports.computations.compute_many`; so does the change-process overview
its table and figures, `authorities.selectors.overview.overview_page`).

A model's rows are counted facts when its default manager's queryset is a `FactsQuerySet`: then
saving or deleting a row (signals), changing a many-to-many relation of it, and the queryset's bulk
writes (`update`, `bulk_create`, `bulk_update`, `delete`, which send no signals) change the token.
tests/reports/test_running_figures.py (and tests/authorities/test_overview_cache.py for the overview)
derives the models the computations read from their SQL and checks that each of them is marked.

The token changes at once (a reader in the same transaction sees its own write) and again after the
commit: a reader in between reads the data from before the commit and could otherwise keep it under
the new token.

A second named generation, the frame (`FRAME_KEY`), works alike for the rows that frame the figures
rather than count in them: the funding projects, the indicators and the reporting periods, whose
default queryset is a `FrameQuerySet` (issue 18: the indicator page keeps them in the cache with
`kept_in_frame`; tests/reports/test_frame_cache.py). Editing an indicator renews the frame alone, not
the figures; today's work renews the facts alone.
"""

from collections.abc import Callable
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models, transaction
from django.db.models.signals import class_prepared, m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver

GENERATION_KEY = "facts:generation"
# A second token for the figures of periods that have ended: changed only when the past is corrected
# (project staff correcting the day of a dated fact) or the schema moved (migrate), not by today's work.
PAST_KEY = "facts:past"
# The token of the frame: the funding projects, indicators and reporting periods (FrameQuerySet).
FRAME_KEY = "facts:frame"
# Part of the key of what is kept under the frame: raise it when what is kept changes its shape.
FRAME_VERSION = 1
# Kept for a day at most: the token changes with every write, so this only frees the cache.
FRAME_SECONDS = 24 * 60 * 60


def generation(key: str = GENERATION_KEY) -> str:
    """The current token; a new one when the cache has lost it (everything kept under it is lost too)."""
    token = cache.get(key)
    if token is None:
        cache.add(key, uuid4().hex, None)
        token = cache.get(key) or uuid4().hex
    return str(token)


def past_generation() -> str:
    return generation(PAST_KEY)


def frame_generation() -> str:
    return generation(FRAME_KEY)


def _new_generation() -> None:
    cache.set(GENERATION_KEY, uuid4().hex, None)


def _new_past() -> None:
    cache.set(PAST_KEY, uuid4().hex, None)


def _new_frame() -> None:
    cache.set(FRAME_KEY, uuid4().hex, None)


def past_changed() -> None:
    """A fact dated in the past was corrected: the figures kept for ended periods no longer hold."""
    _new_past()
    if not _renewal_pending(_new_past):
        transaction.on_commit(_new_past)


def facts_changed() -> None:
    _new_generation()
    if not _renewal_pending(_new_generation):
        transaction.on_commit(_new_generation)


def frame_changed() -> None:
    _new_frame()
    if not _renewal_pending(_new_frame):
        transaction.on_commit(_new_frame)


_MISSING = object()


def kept_in_frame[T](name: str, read: Callable[[], T]) -> T:
    """`read()`, kept in the shared cache under the frame generation where settings.RUNNING_FIGURES_CACHE
    allows (as the running figures are): read anew after any write to a model of the frame."""
    if not settings.RUNNING_FIGURES_CACHE:
        return read()
    key = f"frame:{FRAME_VERSION}:{frame_generation()}:{name}"
    value = cache.get(key, _MISSING)
    if value is _MISSING:
        value = read()
        cache.set(key, value, FRAME_SECONDS)
    return value  # type: ignore[return-value]


def _renewal_pending(renewal: Callable[[], None]) -> bool:
    """Whether this transaction already renews the token on commit: one callback is enough, however
    many rows it writes (seed_demo writes thousands). A callback registered earlier is dropped only by
    the rollback of a savepoint that is still open, and every open savepoint encloses the write being
    made now, which that rollback would undo as well."""
    # Each entry is (savepoint ids, callback, robust).
    return connection.in_atomic_block and any(entry[1] is renewal for entry in connection.run_on_commit)


class _RenewingQuerySet[M: models.Model](models.QuerySet[M]):
    """A queryset whose bulk writes renew a generation (`_renew`: facts_changed or frame_changed)."""

    _renew: Callable[[], None]

    def update(self, **kwargs: Any) -> int:
        changed = super().update(**kwargs)
        if changed:
            self._renew()
        return changed

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[M]:
        created = super().bulk_create(objs, *args, **kwargs)
        if created:
            self._renew()
        return created

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        changed = super().bulk_update(objs, fields, *args, **kwargs)
        if changed:
            self._renew()
        return changed

    def delete(self) -> tuple[int, dict[str, int]]:
        deleted = super().delete()
        if deleted[0]:
            self._renew()
        return deleted

    # As on Django's own: templates never call them, and `Model.objects.delete()` stays impossible.
    update.alters_data = True  # type: ignore[attr-defined]
    bulk_create.alters_data = True  # type: ignore[attr-defined]
    bulk_update.alters_data = True  # type: ignore[attr-defined]
    delete.alters_data = True  # type: ignore[attr-defined]
    delete.queryset_only = True  # type: ignore[attr-defined]


class FactsQuerySet[M: models.Model](_RenewingQuerySet[M]):
    """The queryset of a model whose rows are counted facts: its bulk writes change the generation."""

    _renew = staticmethod(facts_changed)


class FrameQuerySet[M: models.Model](_RenewingQuerySet[M]):
    """The queryset of a model of the frame (projects, indicators, periods): its bulk writes change
    the frame generation."""

    _renew = staticmethod(frame_changed)


def _renewal(model: type[models.Model]) -> Callable[[], None] | None:
    """facts_changed for a counted model, frame_changed for one of the frame, else None."""
    queryset_class = getattr(model._default_manager, "_queryset_class", None)
    if isinstance(queryset_class, type) and issubclass(queryset_class, _RenewingQuerySet):
        return queryset_class._renew
    return None


def counts_as_fact(model: type[models.Model]) -> bool:
    return _renewal(model) is facts_changed


def in_frame(model: type[models.Model]) -> bool:
    return _renewal(model) is frame_changed


# Saves that change only these fields change no fact (a login sets last_login).
UNCOUNTED_FIELDS = frozenset({"last_login"})


def _saved(sender: type[models.Model], update_fields: Any = None, **kwargs: Any) -> None:
    if not (update_fields and set(update_fields) <= UNCOUNTED_FIELDS) and (renew := _renewal(sender)):
        renew()


def _deleted(sender: type[models.Model], **kwargs: Any) -> None:
    if renew := _renewal(sender):
        renew()


@receiver(class_prepared, dispatch_uid="facts_models")
def _watch(sender: type[models.Model], **kwargs: Any) -> None:
    """Connect the signals to each marked model alone (counted or of the frame): a delete receiver on
    every model would keep Django from deleting any model's rows in bulk. A marked model's module
    imports this one first, so this receiver is there before the model is prepared."""
    if _renewal(sender):
        post_save.connect(_saved, sender=sender, dispatch_uid=f"facts_saved_{sender._meta.label}")
        post_delete.connect(_deleted, sender=sender, dispatch_uid=f"facts_deleted_{sender._meta.label}")


@receiver(m2m_changed, dispatch_uid="facts_related")
def _related(
    sender: type[models.Model], instance: models.Model, action: str, model: type[models.Model], **kwargs: Any
) -> None:
    if action.startswith("post_"):
        for renew in {_renewal(type(instance)), _renewal(model)} - {None}:
            renew()  # type: ignore[misc]


@receiver(post_migrate, dispatch_uid="facts_migrated")
def _migrated(**kwargs: Any) -> None:
    """Data migrations write through historical models, which send no signals: after `migrate` no
    figure kept from before holds."""
    _new_generation()
    _new_past()
    _new_frame()

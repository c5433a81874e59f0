"""Reads of accounts that several apps share."""

from portal.accounts.models import Role, User, UserQuerySet


def colleagues_for(actor: User) -> UserQuerySet:
    """The people `actor` may enrol in a course or register for a meeting besides themselves (the
    rule `portal.accounts.rules.may_act_for`): every active person of an authority for project staff,
    the active colleagues of their own authority for a coordinator, nobody for anyone else. Ordered
    by name, with the authority for the labels "Name (Behörde)". Callers exclude who is in already."""
    people: UserQuerySet = User.objects.filter(role=Role.AUTHORITY_STAFF, is_active=True)
    if actor.is_project_staff:
        pass
    elif actor.is_coordinator and actor.authority_id is not None:
        people = people.filter(authority_id=actor.authority_id)
    else:
        return people.none()
    return people.exclude(pk=actor.pk).select_related("authority").order_by("last_name", "first_name")

"""Who may act for an authority: the rules every app shares, in one place.

"Project staff or the authority's own coordinator" was written out in five places, and only one of
them checked that the authority is known: `None == None` would make a coordinator without an
authority the coordinator of everything without one. The database rules out such a coordinator
today (`user_authority_matches_role`); `is_own_coordinator` keeps the guard anyway, so that no rule
depends on it. Apps build their own decisions on these (`<app>/rules.py`); who may act for others
stays per app on purpose (training lets project staff and coordinators enrol others, network only
coordinators register colleagues).
"""

from typing import TYPE_CHECKING

from portal.accounts.models import Role, User

if TYPE_CHECKING:
    from authorities.models.registry import Authority


def is_own_coordinator(user: User, authority_id: int | None) -> bool:
    """The user coordinates for this authority (the guard: an unknown authority is nobody's)."""
    return user.is_coordinator and authority_id is not None and user.authority_id == authority_id


def is_staff_or_own_coordinator(user: User, authority_id: int | None) -> bool:
    return user.is_project_staff or is_own_coordinator(user, authority_id)


def may_act_for(actor: User, participant: User) -> bool:
    """Enrol, register or cancel for `participant`: oneself (authority staff only), a coordinator
    their colleagues, project staff anyone."""
    if actor.is_project_staff:
        return True
    if actor.pk is not None and actor.pk == participant.pk:
        return actor.is_authority_staff
    return is_own_coordinator(actor, participant.authority_id)


def may_manage_accounts(user: User) -> bool:
    """The accounts pages: project staff (all accounts) and coordinators (their authority's)."""
    return user.is_project_staff or user.is_coordinator


def may_invite(by: User, *, role: str, authority: "Authority | None") -> bool:
    """Project staff invite anyone; a coordinator only authority staff of their own authority."""
    if by.is_project_staff:
        return True
    return role == Role.AUTHORITY_STAFF and authority is not None and is_own_coordinator(by, authority.pk)


def may_correct_dated_facts(user: User) -> bool:
    """Correct the day of a dated fact the funders' figures read (a status change of an authority or
    of a change process, the day a measure was done): project staff only, with a reason."""
    return user.is_project_staff

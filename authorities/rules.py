"""Who may do what with the authorities and their change processes: each decision once, named after
it, asked by the views, the services, the tasks and the templates alike (the views hand the answers
to their templates as flags such as `may_edit`; an include that stands alone asks through the
filters in templatetags/authorities_rules.py).

"Project staff or the authority's own coordinator" was written out five times here, one copy with
the guard against an unknown authority and four without; two services lacked the check their page
made (a coordinator could add a consultation to, or update a measure of, a finished process through
the service). The shared building blocks, with the guard, are in portal/accounts/rules.py.

Next to the decisions, the scope helpers `<object>_for(user, …)`: fetch an object as the user may
see it, 404 for whoever may not see it (other authorities, funders where personal), 403 for whoever
sees it but may not change it, as healthchecks' `_get_rw_check_for_user` does.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from authorities.models.process import ChangeProcess, Measure
from authorities.models.registry import Authority, AuthorityQuerySet, ContactPerson
from authorities.models.survey import StaffWave, SurveyWave
from portal.accounts.models import User
from portal.accounts.rules import is_own_coordinator, is_staff_or_own_coordinator
from portal.accounts.rules import may_correct_dated_facts as may_correct_dated_facts

# --- the registry -----------------------------------------------------------------------------------


def may_browse_registry(user: User) -> bool:
    """The list of all authorities (navigation and breadcrumbs); authority staff are led to their own
    authority instead (the list would show them only that one)."""
    return not user.is_authority_staff


def may_manage_registry(user: User) -> bool:
    """Create authorities, change their participation status, read the project team's notes."""
    return user.is_project_staff


def may_edit_authority(user: User, authority: Authority) -> bool:
    """Change an authority's data and its contact persons: project staff everything, the
    authority's own coordinator the contact data."""
    return is_staff_or_own_coordinator(user, authority.pk)


def may_see_internals(user: User) -> bool:
    """Contact persons, history and change process on an authority's page: never funders."""
    return user.is_project_staff or user.is_authority_staff


# --- the change process -----------------------------------------------------------------------------


def may_see_processes(user: User) -> bool:
    """Funders see an authority's page but nothing of its change process (404, as for strangers)."""
    return user.is_project_staff or user.is_authority_staff


def may_edit_process(user: User, process: ChangeProcess | None = None) -> bool:
    """Start a process, change its settings and phase, its goals, measures and milestones: project
    staff (the coach and the team run the process; the authority updates its measures)."""
    return user.is_project_staff


def may_update_measures(user: User, process: ChangeProcess) -> bool:
    """Status, progress and result of the measures: the authority's coordinator while the process
    runs; project staff also afterwards (a finished process stays readable, they correct it)."""
    if user.is_project_staff:
        return True
    return is_own_coordinator(user, process.authority_id) and process.is_running


def may_add_consultation(user: User, process: ChangeProcess) -> bool:
    """Document a consultation: project staff; the coordinator while the process runs, if project
    staff allowed it in the process's settings."""
    if user.is_project_staff:
        return True
    return (
        is_own_coordinator(user, process.authority_id)
        and process.coordinator_may_add_consultations
        and process.is_running
    )


def may_fill_in_self_check(user: User, process: ChangeProcess) -> bool:
    return is_staff_or_own_coordinator(user, process.authority_id)


def may_request_measure_plan(user: User, process: ChangeProcess) -> bool:
    """Have the worker make the measure plan as a PDF anew (everyone who sees it downloads it)."""
    return is_staff_or_own_coordinator(user, process.authority_id)


def may_see_process_overview(user: User) -> bool:
    """The overview of every authority's process, with its XLSX export."""
    return user.is_project_staff


# --- the instruments: questionnaire of the self-check, catalogue of example measures -------------


def may_read_catalogue(user: User) -> bool:
    return user.is_project_staff or user.is_authority_staff


def may_edit_catalogue(user: User) -> bool:
    return user.is_project_staff


def may_edit_questionnaire(user: User) -> bool:
    return user.is_project_staff


# --- the customers' survey -------------------------------------------------------------------------


def may_manage_survey(user: User, authority: Authority) -> bool:
    """Open and close an authority's survey waves, print its poster, see its answer counts and its
    results (once there are enough answers): project staff and the authority's coordinator."""
    return is_staff_or_own_coordinator(user, authority.pk)


def may_release_comments(user: User) -> bool:
    """Read the masked comments first and release them to the coordinator: project staff only."""
    return user.is_project_staff


# --- scope helpers ------------------------------------------------------------------------------------


def authority_for(
    user: User,
    pk: int,
    *,
    edit: bool = False,
    processes: bool = False,
    authorities: AuthorityQuerySet | None = None,
) -> Authority:
    """The authority if the user may see it (else 404); with `processes`, only for those who see
    change processes (funders 404); with `edit`, only if they may change its data (else 403).
    `authorities`: the page's own queryset (with what it annotates); `Authority.objects` otherwise."""
    if processes and not may_see_processes(user):
        raise Http404
    authority = get_object_or_404(
        (authorities if authorities is not None else Authority.objects).visible_to(user), pk=pk
    )
    if edit and not may_edit_authority(user, authority):
        raise PermissionDenied
    return authority


def contact_for(user: User, pk: int, contact_pk: int) -> ContactPerson:
    """A contact person of an authority whose contact persons the user may change."""
    authority = authority_for(user, pk, edit=True)
    return get_object_or_404(authority.contacts, pk=contact_pk)


def process_for(user: User, pk: int, process_pk: int, *, edit: bool = False) -> ChangeProcess:
    """A process of authority `pk` if the user may see it (else 404); with `edit`, only for those
    who run processes (else 403)."""
    process = get_object_or_404(
        ChangeProcess.objects.visible_to(user).select_related("authority", "coach"),
        pk=process_pk,
        authority_id=pk,
    )
    if edit and not may_edit_process(user, process):
        raise PermissionDenied
    return process


def process_with_others_for(
    user: User, pk: int, process_pk: int
) -> tuple[ChangeProcess, list[ChangeProcess]]:
    """`process_for` (without `edit`) and the authority's other processes, newest first, in one query:
    whoever may see one process of an authority sees all of them (`visible_to`)."""
    processes = list(
        ChangeProcess.objects.visible_to(user).filter(authority_id=pk).select_related("authority", "coach")
    )
    process = next((p for p in processes if p.pk == process_pk), None)
    if process is None:
        raise Http404
    return process, [p for p in processes if p.pk != process_pk]


def running_process_for(user: User, pk: int) -> ChangeProcess:
    """The running (active or paused) process of authority `pk`, if the user may see it."""
    return get_object_or_404(
        ChangeProcess.objects.visible_to(user).active().select_related("authority", "coach"),
        authority_id=pk,
    )


def measure_for(user: User, pk: int, process_pk: int, measure_pk: int) -> Measure:
    """A measure of a process the user may see (`measure.process` is that process, loaded)."""
    process = process_for(user, pk, process_pk)
    return get_object_or_404(process.measures, pk=measure_pk)


def survey_authority_for(user: User, pk: int) -> Authority:
    """An authority whose survey the user manages: 404 for whoever may not see it, 403 for its
    other staff."""
    authority = authority_for(user, pk, processes=True)
    if not may_manage_survey(user, authority):
        raise PermissionDenied
    return authority


def wave_for(user: User, pk: int, wave_pk: int) -> SurveyWave:
    """A survey wave of an authority whose survey the user manages."""
    authority = survey_authority_for(user, pk)
    return get_object_or_404(authority.survey_waves.select_related("authority"), pk=wave_pk)


def staff_wave_for(user: User, pk: int, wave_pk: int) -> StaffWave:
    """A staff-survey wave of an authority whose survey the user manages."""
    authority = survey_authority_for(user, pk)
    return get_object_or_404(authority.staff_waves.select_related("authority"), pk=wave_pk)

"""The pages of an authority's change process. Project staff run it; the authority's coordinator
updates status, progress and result of its measures (and adds consultations where allowed); other
staff of the authority read it. Funders and other authorities get 404."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat, linebreaksbr
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from authorities import rules
from authorities.forms.process import (
    ConsultationForm,
    GoalForm,
    MeasureFilterForm,
    MeasureForm,
    MeasureFromTemplateForm,
    MeasureProgressForm,
    MilestoneForm,
    PhaseChangeForm,
    ProcessSettingsForm,
    ProcessStartForm,
)
from authorities.forms.registry import FactDayForm
from authorities.models.process import SECTION_PARTS, ChangeProcess, Goal, Measure, Milestone, Phase
from authorities.rules import authority_for, measure_for, process_for, process_with_others_for
from authorities.selectors.registry import history_items
from authorities.services import process as services
from authorities.views.registry import HISTORY_PAGE_SIZE
from portal.forms import form_errors
from portal.links import reverse_each

# The history entries of the authority that belong to its change process (by action prefix).
PROCESS_HISTORY = ("process", "goal", "measure", "milestone", "consultation", "assessment")


def _page(request, form, title, process, authority=None, section=""):
    """A form page of the process; "Abbrechen" and the trail lead back to the section the form
    belongs to."""
    context = {"form": form, "title": title, "process": process, "authority": authority or process.authority}
    if process:
        context["back"] = process.section_url(section) if section else process.get_absolute_url()
        context["part_crumb"] = part_crumb(section, context["back"])
    return render(request, "authorities/process/form.html", context)


def _back(process, section=""):
    return redirect(process.section_url(section) if section else process.get_absolute_url())


def process_start(request, pk):
    authority = authority_for(request.user, pk, processes=True)
    if not rules.may_edit_process(request.user):
        raise PermissionDenied
    form = ProcessStartForm(request.POST or None, initial={"coach": request.user})
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            process = services.process_start(authority=authority, by=request.user, **form.cleaned_data)
            messages.success(request, _("Der Veränderungsprozess wurde begonnen."))
            return redirect(process)
    return _page(request, form, _("Veränderungsprozess beginnen"), None, authority)


# The parts of the process page in the order of its tab navigation: URL name, label and template under
# templates/authorities/process/ (which part shows which section: models.process.SECTION_PARTS).
PARTS = {
    "process": (gettext_lazy("Überblick"), "detail"),
    "process_milestones": (gettext_lazy("Meilensteine und Beratungen"), "milestones"),
    "process_self_check": (gettext_lazy("Selbstcheck"), "self_check"),
    "process_history": (gettext_lazy("Verlauf"), "history"),
}


def part_crumb(section: str, url: str) -> dict | None:
    """The trail's step from "Veränderungsprozess" (the overview) to the part that shows `section`, for
    a page that belongs to that section (`url`: the section's address, the page's `back`); None when
    the section is on the overview, which the "Veränderungsprozess" step already leads to."""
    name = SECTION_PARTS[section] if section else "process"
    if name == "process":
        return None
    return {"label": PARTS[name][0], "url": url}


def _part(request, process: ChangeProcess, part: str, context: dict):
    """A part of the process page: the head all parts share, the tab navigation and the part's own
    sections (`context`, with `may_edit` for the head's buttons)."""
    args = [process.authority_id, process.pk]
    label, template = PARTS[part]
    context |= {
        "authority": process.authority,
        "process": process,
        "is_running": process.is_running,
        # The overview is the process page itself; the other parts name themselves in title and trail.
        "part": label if part != "process" else "",
        "tabs": [
            {"label": tab, "url": reverse(f"authorities:{name}", args=args), "current": name == part}
            for name, (tab, _template) in PARTS.items()
        ],
    }
    return render(request, f"authorities/process/{template}.html", context)


def process_detail(request, pk, process_pk):
    """The process page's overview: its state, the phases, the goals and the measure plan, and the
    authority's other processes."""
    user = request.user
    process, other_processes = process_with_others_for(user, pk, process_pk)
    authority = process.authority
    today = timezone.localdate()
    # Every list below is one query, whatever its length (pinned in test_process_pages).
    transitions = list(process.transitions.select_related("by"))
    goals = list(process.goals.with_progress())
    filter_form = MeasureFilterForm(request.GET)
    measures = filter_form.apply(process.measures.for_plan()).with_overdue(today)
    may_edit = rules.may_edit_process(user, process)
    may_update_measures = rules.may_update_measures(user, process)
    may_correct_facts = rules.may_correct_dated_facts(user)
    context = {
        "phase_steps": phase_steps(process.phase),
        "transitions": transitions,
        "goals": goals,
        "goal_cards": goal_cards(goals, authority_pk=authority.pk, process_pk=process.pk, may_edit=may_edit),
        # The same few filter forms on every process page: rendered once per process and language.
        "filters": filter_form.rendered(request),
        "measure_rows": measure_rows(
            measures,
            authority_pk=authority.pk,
            process_pk=process.pk,
            may_update_measures=may_update_measures,
            may_edit=may_edit,
            may_correct_facts=may_correct_facts,
            csrf_token=get_token(request) if may_edit else "",
        ),
        "other_processes": other_processes,
        "may_edit": may_edit,
        "may_update_measures": may_update_measures,
    }
    return _part(request, process, "process", context)


def process_milestones(request, pk, process_pk):
    """The milestones and the documented consultations and workshops of a process."""
    user = request.user
    process = process_for(user, pk, process_pk)
    milestones = list(process.milestones.all())
    consultations = list(process.consultations.select_related("created_by"))
    may_edit = rules.may_edit_process(user, process)
    context = {
        "milestones": milestones,
        "milestone_rows": milestone_rows(
            milestones,
            authority_pk=process.authority_id,
            process_pk=process.pk,
            may_edit=may_edit,
            today=timezone.localdate(),
        ),
        "consultations": consultations,
        "consultation_cards": consultation_cards(consultations),
        "may_edit": may_edit,
        "may_add_consultation": rules.may_add_consultation(user, process),
    }
    return _part(request, process, "process_milestones", context)


def process_self_check(request, pk, process_pk):
    """The results of the process's self-check rounds (templates/authorities/assessment/_results.html)."""
    process = process_for(request.user, pk, process_pk)
    return _part(
        request, process, "process_self_check", {"may_edit": rules.may_edit_process(request.user, process)}
    )


def process_history(request, pk, process_pk):
    """The history of the process's entries in pages of 20, newest first, and for project staff the
    dated changes of its status (which the funders' figures read)."""
    user = request.user
    process = process_for(user, pk, process_pk)
    may_correct_facts = rules.may_correct_dated_facts(user)
    context = {"may_edit": rules.may_edit_process(user, process), "may_correct_facts": may_correct_facts}
    if may_correct_facts:
        context["status_changes"] = process.status_changes.select_related("by")
    history_filter = Q()
    for prefix in PROCESS_HISTORY:
        history_filter |= Q(action__startswith=prefix)
    # In pages, as on the authority's page: it showed the latest 100 entries, which grew with the
    # process (issue 18), and nothing older.
    history = process.authority.history.filter(history_filter).select_related("actor")
    context["history"] = page = Paginator(history, HISTORY_PAGE_SIZE).get_page(request.GET.get("seite"))
    page.object_list = history_items(page.object_list)
    return _part(request, process, "process_history", context)


# A row of the measure plan, with the markup (and the white space) the template's loop wrote per row
# (issue 18: its blocktranslates, include and URLs per row were the biggest part of the page's CPU).
_MEASURE = (
    '\n            <tr class="kern-table__row">\n'
    '              <th class="kern-table__cell" scope="row">{title}{goal}{result}</th>\n'
    '              <td class="kern-table__cell">{field}<br>'
    '<span class="kern-body--small">{field_of_action}</span></td>\n'
    '              <td class="kern-table__cell">{responsible}{involved}</td>\n'
    '              <td class="kern-table__cell">{due}{overdue}</td>\n'
    '              <td class="kern-table__cell">{status}{done}</td>\n'
    '              <td class="kern-table__cell">{progress} %</td>\n'
    "              {actions}\n"
    "            </tr>\n          "
)
_SMALL = '<br><span class="kern-body--small">{}</span>'
_BADGE = '<span class="kern-badge kern-badge--{}"><span class="kern-label kern-label--small">{}</span></span>'
# As templates/authorities/process/measure_status.html (its closing line break included).
_STATUS_BADGE = {"done": "success", "dropped": "warning"}
_DONE = '<br><span class="kern-body--small">{done}{guessed}</span>{correct}'
_CORRECT = '<br><a class="kern-link kern-body--small" href="{}">{}<span class="kern-sr-only"> ({})</span></a>'
_ACTIONS = (
    '<td class="kern-table__cell"><div class="portal-inline-form">\n'
    '                <a class="kern-link" href="{edit_url}">{edit}</a>\n'
    "                {delete}\n"
    "              </div></td>"
)
_DELETE = (
    '<form method="post" action="{delete_url}" data-confirm="{confirm}">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf_token}">\n'
    '                  <button type="submit" class="kern-btn kern-btn--tertiary kern-btn--x-small">'
    '<span class="kern-icon kern-icon--delete" aria-hidden="true"></span>'
    '<span class="kern-label">{delete}</span></button>\n'
    "                </form>"
)
_NO_MEASURES = (
    '\n            <tr class="kern-table__row">'
    '<td class="kern-table__cell" colspan="{}">{}</td></tr>\n          '
)


def _filled(text: str, **values) -> SafeString:
    """A translated text with its values escaped, as {% blocktranslate with … %} writes it."""
    return mark_safe(text % {name: conditional_escape(value) for name, value in values.items()})  # noqa: S308


def _short_date(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else ""


def measure_rows(
    measures,
    *,
    authority_pk: int,
    process_pk: int,
    may_update_measures: bool,
    may_edit: bool,
    may_correct_facts: bool,
    csrf_token: str,
) -> SafeString:
    """The rows of the measure plan (measures with `is_overdue` and their goal)."""
    # Translated once per page, not once per row.
    goal_text, result_text, done_text = (
        _("Ziel: %(title)s"),
        _("Ergebnis: %(result)s"),
        _("umgesetzt am %(date)s"),
    )
    edit_text, confirm_text = _("„%(title)s“ bearbeiten"), _("Maßnahme „%(title)s“ wirklich entfernen?")
    delete_text, correct_text = _("„%(title)s“ entfernen"), _("Datum korrigieren")
    overdue = format_html(" " + _BADGE, "danger", _("überfällig"))
    correct_url = _url_maker("done_on_correct", authority_pk, process_pk)
    edit_url = _url_maker("measure_edit", authority_pk, process_pk)
    delete_url = _url_maker("measure_delete", authority_pk, process_pk)
    guessed = format_html(" ({})", _("geschätzt"))
    rows = []
    for measure in measures:
        title = measure.title
        done = ""
        if measure.done_on:
            correct = ""
            if may_correct_facts:
                correct = format_html(_CORRECT, correct_url(measure.pk), correct_text, title)
            done = format_html(
                _DONE,
                done=_filled(done_text, date=_short_date(measure.done_on)),
                guessed=guessed if measure.done_on_guessed else "",
                correct=correct,
            )
        actions = ""
        if may_update_measures:
            delete = ""
            if may_edit:
                delete = format_html(
                    _DELETE,
                    delete_url=delete_url(measure.pk),
                    confirm=_filled(confirm_text, title=title),
                    csrf_token=csrf_token,
                    delete=_filled(delete_text, title=title),
                )
            actions = format_html(
                _ACTIONS,
                edit_url=edit_url(measure.pk),
                edit=_filled(edit_text, title=title),
                delete=delete,
            )
        status = _STATUS_BADGE.get(measure.status, "info")
        rows.append(
            format_html(
                _MEASURE,
                title=title,
                goal=format_html(_SMALL, _filled(goal_text, title=measure.goal.title))
                if measure.goal
                else "",
                result=format_html(_SMALL, _filled(result_text, result=measure.result))
                if measure.result
                else "",
                field=measure.get_field_display(),
                field_of_action=measure.get_field_of_action_display(),
                responsible=measure.responsible,
                involved=format_html(_SMALL, measure.involved) if measure.involved else "",
                due=_short_date(measure.due_on) or "–",
                overdue=overdue if measure.is_overdue else "",
                status=format_html(_BADGE + "\n", status, measure.get_status_display()),
                done=done,
                progress=measure.progress,
                actions=actions,
            )
        )
    if not rows:
        return format_html(_NO_MEASURES, 7 if may_update_measures else 6, _("Keine Maßnahmen gefunden."))
    return mark_safe("".join(rows))  # noqa: S308 – each row made by format_html


# A step of the phase indicator, with the markup (and the white space) the template's loop wrote.
_STEP = (
    '\n        <li class="portal-steps__step portal-steps__step--{state}"{current}>\n'
    '          <span class="portal-steps__marker" aria-hidden="true">{marker}</span>\n'
    '          <span class="portal-steps__label">{label}\n'
    "            {state_text}\n"
    "          </span>\n"
    "        </li>\n      "
)


def phase_steps(current: int) -> SafeString:
    """The six phases as a step indicator: done steps ticked, the current one marked for assistive
    technology too."""
    # The white space after the first two texts was the template's, before its {% elif %} and {% else %}.
    current_text = format_html(
        '<span class="portal-steps__state">{}</span>\n            ', _("aktuelle Phase")
    )
    done_text = format_html('<span class="portal-steps__state">{}</span>\n            ', _("abgeschlossen"))
    open_text = format_html('<span class="kern-sr-only">({})</span>', _("noch offen"))
    steps = []
    for number, (value, label) in enumerate(Phase.choices, start=1):
        state = "done" if value < current else "current" if value == current else "open"
        steps.append(
            format_html(
                _STEP,
                state=state,
                current=mark_safe(' aria-current="step"') if state == "current" else "",
                marker=mark_safe('<span class="kern-icon kern-icon--check kern-icon--small"></span>')
                if state == "done"
                else number,
                label=label,
                state_text={"current": current_text, "done": done_text}.get(state, open_text),
            )
        )
    return mark_safe("".join(steps))  # noqa: S308 – each step made by format_html


# A goal's card, with the markup (and the white space) the template's loop wrote.
_GOAL = (
    '\n          <li class="kern-card"><div class="kern-card__container"><div class="kern-card__body">\n'
    '            <p class="kern-preline">{field}</p>\n'
    '            <h3 class="kern-title">{title}</h3>\n'
    "            {description}\n"
    "            {progress}\n"
    "          </div>\n"
    "            {edit}\n"
    "          </div></li>\n        "
)
_GOAL_PROGRESS = (
    '\n              <p class="kern-body" id="ziel-{pk}-fortschritt">{text}</p>\n'
    '              <progress max="100" value="{value}" aria-labelledby="ziel-{pk}-fortschritt"></progress>\n'
    "            "
)
_GOAL_EDIT = '<div class="kern-card__footer"><a class="kern-link" href="{}">{}</a></div>'


def goal_cards(goals, *, authority_pk: int, process_pk: int, may_edit: bool) -> SafeString:
    """The goals' cards (goals with `progress` and `measure_count`, GoalQuerySet.with_progress)."""
    no_measures = format_html('<p class="kern-body">{}</p>', _("Noch keine Maßnahmen zu diesem Ziel."))
    edit_text = _("Ziel „%(title)s“ bearbeiten")
    edit_url = _url_maker("goal_edit", authority_pk, process_pk)
    cards = []
    for goal in goals:
        progress = no_measures
        if goal.measure_count:
            text = ngettext(
                "Fortschritt %(progress)s %% aus %(counter)s Maßnahme",
                "Fortschritt %(progress)s %% aus %(counter)s Maßnahmen",
                goal.measure_count,
            )
            progress = format_html(
                _GOAL_PROGRESS,
                pk=goal.pk,
                text=_filled(text, progress=floatformat(goal.progress, 0), counter=goal.measure_count),
                value=floatformat(goal.progress, "0u"),
            )
        edit = ""
        if may_edit:
            url = edit_url(goal.pk)
            edit = format_html(_GOAL_EDIT, url, _filled(edit_text, title=goal.title))
        cards.append(
            format_html(
                _GOAL,
                field=goal.get_field_display(),
                title=goal.title,
                description=format_html(
                    '<p class="kern-body">{}</p>', linebreaksbr(goal.description, autoescape=True)
                )
                if goal.description
                else "",
                progress=progress,
                edit=edit,
            )
        )
    return mark_safe("".join(cards))  # noqa: S308 – each card made by format_html


# A consultation's card, with the markup (and the white space) the template's loop wrote.
_CONSULTATION = (
    '\n          <li class="kern-card"><div class="kern-card__container"><div class="kern-card__body">\n'
    '            <p class="kern-preline">{format}</p>\n'
    '            <h3 class="kern-title">{held_on}</h3>\n'
    '            <dl class="kern-description-list kern-description-list--col">\n'
    "              {participants}\n"
    "              {topics}\n"
    "              {agreements}\n"
    "              {next_steps}\n"
    "            </dl>\n"
    "            {created_by}\n"
    "          </div></div></li>\n        "
)
_TERM = (
    '<div class="kern-description-list-item"><dt class="kern-description-list-item__key">{}</dt>'
    '<dd class="kern-description-list-item__value">{}</dd></div>'
)


def consultation_cards(consultations) -> SafeString:
    """The consultations' cards (with `created_by`)."""
    participants, topics = _("Teilnehmende"), _("Themen")
    agreements, next_steps = _("Vereinbarungen"), _("Nächste Schritte")
    by_text = _("dokumentiert von %(name)s")
    cards = []
    for consultation in consultations:
        cards.append(
            format_html(
                _CONSULTATION,
                format=consultation.get_format_display(),
                held_on=_short_date(consultation.held_on),
                participants=format_html(
                    _TERM, participants, linebreaksbr(consultation.participants, autoescape=True)
                ),
                topics=format_html(_TERM, topics, linebreaksbr(consultation.topics, autoescape=True)),
                agreements=format_html(
                    _TERM, agreements, linebreaksbr(consultation.agreements, autoescape=True)
                )
                if consultation.agreements
                else "",
                next_steps=format_html(
                    _TERM, next_steps, linebreaksbr(consultation.next_steps, autoescape=True)
                )
                if consultation.next_steps
                else "",
                created_by=format_html(
                    '<p class="kern-body--small">{}</p>', _filled(by_text, name=consultation.created_by)
                )
                if consultation.created_by
                else "",
            )
        )
    return mark_safe("".join(cards))  # noqa: S308 – each card made by format_html


# A row of the milestones' table, with the markup (and the white space) the template's loop wrote.
_MILESTONE = (
    '\n              <tr class="kern-table__row">\n'
    '                <th class="kern-table__cell" scope="row">{title}</th>\n'
    '                <td class="kern-table__cell">{due}</td>\n'
    '                <td class="kern-table__cell">{reached}</td>\n'
    '                <td class="kern-table__cell">{state}</td>\n'
    "                {edit}\n"
    "              </tr>\n            "
)
_MILESTONE_EDIT = '<td class="kern-table__cell"><a class="kern-link" href="{}">{}</a></td>'


def milestone_rows(milestones, *, authority_pk: int, process_pk: int, may_edit: bool, today) -> SafeString:
    """The rows of the milestones' table: reached on time, late, overdue or open."""
    on_time = format_html(_BADGE, "success", _("rechtzeitig erreicht"))
    late = format_html(_BADGE, "warning", _("verspätet erreicht"))
    overdue = format_html(_BADGE, "danger", _("überfällig"))
    still_open, edit_text = _("offen"), _("„%(title)s“ bearbeiten")
    edit_url = _url_maker("milestone_edit", authority_pk, process_pk)
    rows = []
    for milestone in milestones:
        state: str
        if milestone.reached_on_time:
            state = on_time
        elif milestone.reached_on:
            state = late
        elif milestone.due_on < today:
            state = overdue
        else:
            state = still_open
        edit = ""
        if may_edit:
            url = edit_url(milestone.pk)
            edit = format_html(_MILESTONE_EDIT, url, _filled(edit_text, title=milestone.title))
        rows.append(
            format_html(
                _MILESTONE,
                title=milestone.title,
                due=_short_date(milestone.due_on),
                reached=_short_date(milestone.reached_on) or "–",
                state=state,
                edit=edit,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 – each row made by format_html


def _url_maker(name: str, authority_pk: int, process_pk: int) -> Callable[[int], str]:
    """The address of `name` for each of a process's rows, reversed once per page (a reverse per row
    and link was a third of the rows' time)."""
    each = reverse_each(f"authorities:{name}", 3)
    return lambda pk: each(authority_pk, process_pk, pk)


def process_edit(request, pk, process_pk):
    process = process_for(request.user, pk, process_pk, edit=True)
    form = ProcessSettingsForm(request.POST or None, instance=ChangeProcess.objects.get(pk=process.pk))
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.process_update(process=process, by=request.user, **form.cleaned_data)
            messages.success(request, _("Die Einstellungen des Prozesses wurden gespeichert."))
            return _back(process)
    return _page(request, form, _("Einstellungen des Veränderungsprozesses"), process)


def phase_change(request, pk, process_pk):
    process = process_for(request.user, pk, process_pk, edit=True)
    form = PhaseChangeForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        with form_errors(form, field="to_phase"):
            process = services.phase_change(process=process, by=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("Der Prozess ist jetzt in der Phase „%(phase)s“.") % {"phase": process.get_phase_display()},
            )
            return _back(process, "phasen")
    return _page(request, form, _("Phase wechseln"), process, section="phasen")


def goal_create(request, pk, process_pk):
    return _goal_form(request, pk, process_pk, None)


def goal_edit(request, pk, process_pk, goal_pk):
    return _goal_form(request, pk, process_pk, goal_pk)


def _goal_form(request, pk, process_pk, goal_pk):
    process = process_for(request.user, pk, process_pk)
    goal = get_object_or_404(process.goals, pk=goal_pk) if goal_pk else None
    if not rules.may_edit_process(request.user, process):
        raise PermissionDenied
    # The form gets its own copy: the service compares the posted values with the stored ones.
    form = GoalForm(request.POST or None, instance=Goal.objects.get(pk=goal.pk) if goal else None)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.goal_save(process=process, goal=goal, by=request.user, **form.cleaned_data)
            messages.success(request, _("Das Ziel wurde gespeichert."))
            return _back(process, "ziele")
    return _page(
        request, form, _("Ziel bearbeiten") if goal else _("Ziel hinzufügen"), process, section="ziele"
    )


def process_status_correct(request, pk, process_pk, change_pk):
    """Project staff correct the day of a status change of the process, on its own small page."""
    process = process_for(request.user, pk, process_pk)
    if not rules.may_correct_dated_facts(request.user):
        raise PermissionDenied
    change = get_object_or_404(process.status_changes.select_related("by"), pk=change_pk)
    form = FactDayForm(request.POST or None, initial={"day": change.day})
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.process_status_change_correct(change=change, by=request.user, **form.cleaned_data)
            messages.success(request, _("Das Datum der Statusänderung wurde korrigiert."))
            return _back(process, "prozessstatus")
    return _fact_page(request, form, _("Datum einer Änderung des Prozessstatus korrigieren"), process, change)


def measure_done_on_correct(request, pk, process_pk, measure_pk):
    """Project staff correct the day a measure was done, on its own small page."""
    measure = measure_for(request.user, pk, process_pk, measure_pk)
    if not rules.may_correct_dated_facts(request.user):
        raise PermissionDenied
    if measure.done_on is None:
        raise Http404
    form = FactDayForm(request.POST or None, initial={"day": measure.done_on})
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.measure_done_on_correct(measure=measure, by=request.user, **form.cleaned_data)
            messages.success(
                request, _("Das Umsetzungsdatum von „%(title)s“ wurde korrigiert.") % {"title": measure.title}
            )
            return _back(measure.process, "massnahmenplan")
    return _fact_page(request, form, _("Umsetzungsdatum korrigieren"), measure.process, measure=measure)


def _fact_page(request, form, title, process, fact=None, measure=None):
    context = {
        "form": form,
        "title": title,
        "authority": process.authority,
        "process": process,
        "fact": fact,
        "measure": measure,
    }
    section = "massnahmenplan" if measure else "prozessstatus"
    context["back"] = process.section_url(section)
    context["part_crumb"] = part_crumb(section, context["back"])
    return render(request, "authorities/fact_day.html", context)


def measure_create(request, pk, process_pk):
    process = process_for(request.user, pk, process_pk, edit=True)
    form = MeasureForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            measure = services.measure_create(process=process, by=request.user, **form.cleaned_data)
            messages.success(
                request, _("Die Maßnahme „%(title)s“ wurde angelegt.") % {"title": measure.title}
            )
            return _back(process, "massnahmenplan")
    return _page(request, form, _("Maßnahme hinzufügen"), process, section="massnahmenplan")


def measure_from_template(request, pk, process_pk):
    process = process_for(request.user, pk, process_pk, edit=True)
    form = MeasureFromTemplateForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        with form_errors(form):
            measure = services.measure_create(process=process, by=request.user, **values)
            messages.success(
                request,
                _(
                    "Die Maßnahme „%(title)s“ wurde aus dem Katalog übernommen. "
                    "Ergänzen Sie bei Bedarf die Angaben."
                )
                % {"title": measure.title},
            )
            return redirect(
                "authorities:measure_edit",
                pk=process.authority_id,
                process_pk=process.pk,
                measure_pk=measure.pk,
            )
    return _page(request, form, _("Maßnahme aus dem Katalog übernehmen"), process, section="massnahmenplan")


def measure_edit(request, pk, process_pk, measure_pk):
    user = request.user
    measure = measure_for(user, pk, process_pk, measure_pk)
    process = measure.process
    if not rules.may_update_measures(user, process):
        raise PermissionDenied
    # The coordinator's form has only status, progress and result: other posted fields are never read.
    form_class = MeasureForm if rules.may_edit_process(user, process) else MeasureProgressForm
    form = form_class(request.POST or None, instance=Measure.objects.get(pk=measure.pk), process=process)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.measure_update(measure=measure, by=user, **form.cleaned_data)
            messages.success(
                request, _("Die Maßnahme „%(title)s“ wurde gespeichert.") % {"title": measure.title}
            )
            return _back(process, "massnahmenplan")
    title = _("Maßnahme „%(title)s“ bearbeiten") % {"title": measure.title}
    return _page(request, form, title, process, section="massnahmenplan")


@require_POST
def measure_delete(request, pk, process_pk, measure_pk):
    measure = measure_for(request.user, pk, process_pk, measure_pk)
    process = measure.process
    if not rules.may_edit_process(request.user, process):
        raise PermissionDenied
    services.measure_delete(measure=measure, by=request.user)
    messages.success(request, _("Die Maßnahme „%(title)s“ wurde entfernt.") % {"title": measure.title})
    return _back(process, "massnahmenplan")


def milestone_create(request, pk, process_pk):
    return _milestone_form(request, pk, process_pk, None)


def milestone_edit(request, pk, process_pk, milestone_pk):
    return _milestone_form(request, pk, process_pk, milestone_pk)


def _milestone_form(request, pk, process_pk, milestone_pk):
    process = process_for(request.user, pk, process_pk)
    milestone = get_object_or_404(process.milestones, pk=milestone_pk) if milestone_pk else None
    if not rules.may_edit_process(request.user, process):
        raise PermissionDenied
    instance = Milestone.objects.get(pk=milestone.pk) if milestone else None
    form = MilestoneForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.milestone_save(
                process=process, milestone=milestone, by=request.user, **form.cleaned_data
            )
            messages.success(request, _("Der Meilenstein wurde gespeichert."))
            return _back(process, "meilensteine")
    title = _("Meilenstein bearbeiten") if milestone else _("Meilenstein hinzufügen")
    return _page(request, form, title, process, section="meilensteine")


def consultation_create(request, pk, process_pk):
    process = process_for(request.user, pk, process_pk)
    if not rules.may_add_consultation(request.user, process):
        raise PermissionDenied
    form = ConsultationForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.consultation_add(process=process, by=request.user, **form.cleaned_data)
            messages.success(request, _("Der Beratungstermin wurde dokumentiert."))
            return _back(process, "beratungen")
    return _page(request, form, _("Beratungstermin dokumentieren"), process, section="beratungen")

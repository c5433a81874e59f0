from itertools import chain

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from authorities import rules
from authorities.forms.registry import (
    AuthorityContactDataForm,
    AuthorityCreateForm,
    AuthorityFilterForm,
    AuthorityForm,
    ContactPersonForm,
    FactDayForm,
    StatusChangeForm,
)
from authorities.models.registry import Authority, ContactPerson
from authorities.rules import authority_for, contact_for
from authorities.selectors.registry import history_items
from authorities.services import registry as services
from portal.downloads import csv_download
from portal.forms import form_errors
from portal.links import reverse_each
from portal.permissions import rule_required

PAGE_SIZE = 25
# An authority's page shows its change history in pages (the newest first); it showed the latest 50
# only, which took half of the page (issue 18), and nothing older.
HISTORY_PAGE_SIZE = 20
EXPORT_COLUMNS = [
    "name", "kind", "state", "ags", "seat", "street", "postal_code", "city", "phone", "email", "website",
    "population", "population_date", "participation_status", "status_changed_on", "joined_on", "staff_count",
]  # fmt: skip


def _form_page(request, form, title, authority=None):
    return render(request, "authorities/form.html", {"form": form, "title": title, "authority": authority})


def authority_list(request):
    form = AuthorityFilterForm(request.GET)
    authorities = form.apply(Authority.objects.visible_to(request.user).for_list())
    page = Paginator(authorities, PAGE_SIZE).get_page(request.GET.get("seite"))
    context = {"form": form, "page": page, "may_create": rules.may_manage_registry(request.user)}
    return render(request, "authorities/list.html", context)


def authority_export(request):
    form = AuthorityFilterForm(request.GET)
    authorities = form.apply(Authority.objects.visible_to(request.user))
    columns = EXPORT_COLUMNS + (["notes"] if rules.may_manage_registry(request.user) else [])
    header = [Authority._meta.get_field(column).verbose_name for column in columns]
    rows = ([_export_value(a, column) for column in columns] for a in authorities.iterator(chunk_size=500))
    return csv_download(f"auslaenderbehoerden-{timezone.localdate():%Y-%m-%d}.csv", chain([header], rows))


def _export_value(authority, column):
    display = getattr(authority, f"get_{column}_display", None)
    return display() if display else getattr(authority, column)


def authority_detail(request, pk):
    user = request.user
    show_internal = rules.may_see_internals(user)
    # The history's size comes with the authority (for its pages): one query less.
    authority = authority_for(
        user, pk, authorities=Authority.objects.with_history_total() if show_internal else None
    )
    context = {
        "authority": authority,
        "may_edit": rules.may_edit_authority(user, authority),
        # The participation status and the notes are the project team's.
        "may_manage": rules.may_manage_registry(user),
        "may_start_process": rules.may_edit_process(user),
        "show_internal": show_internal,
    }
    if show_internal:
        context["processes"] = list(authority.processes.with_sizes())
        context["running"] = next((process for process in context["processes"] if process.is_running), None)
        context["contacts"] = contacts = list(
            ContactPerson.objects.visible_to(user).filter(authority=authority)
        )
        if context["may_edit"]:
            edit_url, delete_url = (
                reverse_each(f"authorities:{name}", 2) for name in ("contact_edit", "contact_delete")
            )
            for contact in contacts:
                contact.edit_url = edit_url(authority.pk, contact.pk)
                contact.delete_url = delete_url(authority.pk, contact.pk)
        context["contact_items"] = contact_items(
            contacts, may_edit=context["may_edit"], csrf_token=get_token(request)
        )
        paginator = Paginator(authority.history.select_related("actor"), HISTORY_PAGE_SIZE)
        paginator.__dict__["count"] = authority.history_total  # a cached_property, counted above
        context["history"] = page = paginator.get_page(request.GET.get("seite"))
        page.object_list = history_items(page.object_list)
    if context["may_manage"]:
        context["status_changes"] = authority.status_changes.select_related("by")
        context["may_correct_facts"] = rules.may_correct_dated_facts(user)
    return render(request, "authorities/detail.html", context)


# A contact person's card on the authority's page, with the markup (and the white space) the template's
# loop wrote per card (issue 18: its three blocktranslates per card cost more than the rest of it).
_CONTACT = (
    '\n            <li class="kern-card"><div class="kern-card__container"><div class="kern-card__body">\n'
    '              <p class="kern-preline">{function}</p>\n'
    '              <h3 class="kern-title">{name}</h3>\n'
    "              {email}\n              {phone}\n            </div>\n              {edit}\n"
    "            </div></li>\n          "
)
_EMAIL = '<p class="kern-body"><a class="kern-link" href="mailto:{0}">{0}</a></p>'
_PHONE = '<p class="kern-body">{}</p>'
_EDIT = (
    '<div class="kern-card__footer portal-inline-form">\n'
    '                <a class="kern-link" href="{edit_url}">{edit}</a>\n'
    '                <form method="post" action="{delete_url}" data-confirm="{confirm}">'
    '<input type="hidden" name="csrfmiddlewaretoken" value="{csrf_token}">\n'
    '                  <button type="submit" class="kern-btn kern-btn--tertiary kern-btn--x-small">'
    '<span class="kern-icon kern-icon--delete" aria-hidden="true"></span>'
    '<span class="kern-label">{delete}</span></button>\n'
    "                </form>\n              </div>"
)


def contact_items(contacts, *, may_edit: bool, csrf_token: str) -> SafeString:
    """The contact persons' cards (`edit_url`, `delete_url` set by the view where `may_edit`)."""
    # As {% blocktranslate with name=… %}: the translated text as it is, the name escaped.
    edit, confirm, delete = (
        _("%(name)s bearbeiten"),
        _("%(name)s wirklich entfernen?"),
        _("%(name)s entfernen"),
    )
    items = []
    for contact in contacts:
        name = {"name": conditional_escape(contact.name)}
        items.append(
            format_html(
                _CONTACT,
                function=contact.get_function_display(),
                name=contact.name,
                email=format_html(_EMAIL, contact.email) if contact.email else "",
                phone=format_html(_PHONE, contact.phone) if contact.phone else "",
                edit=format_html(
                    _EDIT,
                    edit_url=contact.edit_url,
                    edit=mark_safe(edit % name),  # noqa: S308 – the name is escaped
                    delete_url=contact.delete_url,
                    confirm=mark_safe(confirm % name),  # noqa: S308
                    csrf_token=csrf_token,
                    delete=mark_safe(delete % name),  # noqa: S308
                )
                if may_edit
                else "",
            )
        )
    return mark_safe("".join(items))  # noqa: S308 – each item made by format_html


@rule_required(rules.may_manage_registry)
def authority_create(request):
    form = AuthorityCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        authority = services.authority_create(by=request.user, **form.cleaned_data)
        messages.success(request, _("Die Behörde „%(name)s“ wurde angelegt.") % {"name": authority.name})
        return redirect(authority)
    return _form_page(request, form, _("Behörde anlegen"))


def authority_edit(request, pk):
    authority = authority_for(request.user, pk, edit=True)
    # A coordinator's form has the contact data only: other posted fields are never read.
    form_class = AuthorityForm if rules.may_manage_registry(request.user) else AuthorityContactDataForm
    form = form_class(request.POST or None, instance=Authority.objects.get(pk=authority.pk))
    if request.method == "POST" and form.is_valid():
        services.authority_update(authority=authority, by=request.user, **form.cleaned_data)
        messages.success(request, _("Die Änderungen wurden gespeichert."))
        return redirect(authority)
    return _form_page(request, form, _("Daten von %(name)s bearbeiten") % {"name": authority}, authority)


def authority_status(request, pk):
    # Scope first, like every other page of an authority: staff of another authority get 404, not 403.
    authority = authority_for(request.user, pk)
    if not rules.may_manage_registry(request.user):
        raise PermissionDenied
    form = StatusChangeForm(request.POST or None, authority=authority)
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.authority_change_status(
                authority=authority,
                status=form.cleaned_data["participation_status"],
                changed_on=form.cleaned_data["changed_on"],
                by=request.user,
            )
            messages.success(request, _("Der Teilnahmestatus wurde geändert."))
            return redirect(authority)
    return _form_page(request, form, _("Teilnahmestatus von %(name)s") % {"name": authority}, authority)


def status_change_correct(request, pk, change_pk):
    """Project staff correct the day of a participation status change, on its own small page."""
    authority = authority_for(request.user, pk)
    if not rules.may_correct_dated_facts(request.user):
        raise PermissionDenied
    change = get_object_or_404(authority.status_changes.select_related("by"), pk=change_pk)
    form = FactDayForm(request.POST or None, initial={"day": change.day})
    if request.method == "POST" and form.is_valid():
        with form_errors(form):
            services.status_change_correct(change=change, by=request.user, **form.cleaned_data)
            messages.success(request, _("Das Datum der Statusänderung wurde korrigiert."))
            return redirect(authority.get_absolute_url() + "#statusverlauf")
    context = {
        "form": form,
        "title": _("Datum einer Statusänderung korrigieren"),
        "authority": authority,
        "fact": change,
        "back": authority.get_absolute_url() + "#statusverlauf",
    }
    return render(request, "authorities/fact_day.html", context)


def contact_create(request, pk):
    authority = authority_for(request.user, pk, edit=True)
    form = ContactPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.contact_create(authority=authority, by=request.user, **form.cleaned_data)
        messages.success(request, _("Die Ansprechperson wurde hinzugefügt."))
        return redirect(authority)
    return _form_page(request, form, _("Ansprechperson hinzufügen"), authority)


def contact_edit(request, pk, contact_pk):
    contact = contact_for(request.user, pk, contact_pk)
    form = ContactPersonForm(request.POST or None, instance=ContactPerson.objects.get(pk=contact.pk))
    if request.method == "POST" and form.is_valid():
        services.contact_update(contact=contact, by=request.user, **form.cleaned_data)
        messages.success(request, _("Die Ansprechperson wurde gespeichert."))
        return redirect(contact.authority)
    return _form_page(request, form, _("Ansprechperson bearbeiten"), contact.authority)


@require_POST
def contact_delete(request, pk, contact_pk):
    contact = contact_for(request.user, pk, contact_pk)
    services.contact_delete(contact=contact, by=request.user)
    messages.success(request, _("Die Ansprechperson „%(name)s“ wurde entfernt.") % {"name": contact.name})
    return redirect(contact.authority)

"""The library of concepts and instruments (see network/urls.py).

Every view fetches the document through Document.objects.visible_to(user): whoever may not see it
gets 404, also for a tampered id. Files leave the server only through `document_download`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from network import rules, uploads
from network.forms.library import DocumentForm, LibraryFilterForm
from network.models.library import Document, Visibility
from network.selectors import library as selectors
from network.services import library
from portal.downloads import stored_file_download
from portal.forms import form_errors

PAGE_SIZE = 20


def document_list(request):
    form = LibraryFilterForm(request.GET, user=request.user)
    documents = form.apply(Document.objects.visible_to(request.user)).select_related("network")
    page = Paginator(documents.order_by("-uploaded_at", "-pk"), PAGE_SIZE).get_page(request.GET.get("seite"))
    context = {
        "form": form,
        "page": page,
        "documents": list(page),
        "filtered": bool(form.filters()),
        "may_publish": rules.may_publish(request.user),
    }
    return render(request, "network/library/list.html", context)


def document_detail(request, pk):
    document = rules.document_for(request.user, pk)
    context = {
        "document": document,
        "may_edit": rules.may_edit_document(request.user, document),
        "may_see_uploader": rules.may_see_uploader(request.user),
        "downloads": selectors.download_total(document),
    }
    return render(request, "network/library/detail.html", context)


@require_safe
def document_download(request, pk):
    document = rules.document_for(request.user, pk)
    # Always the ending of the checked type, also for names stored before that rule.
    name = uploads.name_for_type(document.original_name, document.content_type)
    response = stored_file_download(document.file, name, document.content_type)
    if request.method == "GET":
        library.document_download_record(document=document, by=request.user)
    return response


def document_create(request):
    if not rules.may_publish(request.user):
        raise PermissionDenied
    initial = {}
    if (network_id := request.GET.get("netzwerk", "")).isdigit():
        initial = {"visibility": Visibility.NETWORK, "network": network_id}
    form = DocumentForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        with form_errors(form, field="file"):
            document = library.document_create(
                by=request.user, upload=form.cleaned_data["file"], **form.values()
            )
            messages.success(
                request, _("Das Dokument „%(title)s“ ist veröffentlicht.") % {"title": document.title}
            )
            return redirect(document)
    return render(request, "network/library/form.html", {"form": form, "title": _("Dokument hochladen")})


def document_edit(request, pk):
    document = rules.editable_document_for(request.user, pk)
    saved_title = document.title  # the form writes its input into the instance, valid or not
    form = DocumentForm(request.POST or None, request.FILES or None, user=request.user, instance=document)
    if request.method == "POST" and form.is_valid():
        with form_errors(form, field="file"):
            document = library.document_update(
                document=document, by=request.user, upload=form.cleaned_data["file"], **form.values()
            )
            messages.success(request, _("Die Änderungen sind gespeichert."))
            return redirect(document)
    context = {
        "form": form,
        "document": document,
        "saved_title": saved_title,
        "title": _("Dokument bearbeiten"),
    }
    return render(request, "network/library/form.html", context)


@require_POST
def document_delete(request, pk):
    document = rules.editable_document_for(request.user, pk)
    library.document_delete(document=document, by=request.user)
    messages.success(request, _("Das Dokument „%(title)s“ ist gelöscht.") % {"title": document.title})
    return redirect("network:library")

"""Online discussions of a network: thread list, thread page with replies, own posts, moderation and
following. See network/urls.py."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from network import rules
from network.forms.discussions import PostForm, SubscriptionForm, ThreadForm
from network.markdown import render_markdown
from network.models.discussions import Subscription
from network.selectors import discussions as selectors
from network.services import discussions as services
from portal.forms import message_errors
from portal.links import reverse_each


def _subscription_form(subscription, action):
    return SubscriptionForm(
        initial={"mode": subscription.mode} if subscription else None,
        action=action,
        submit_label=_("Einstellung speichern") if subscription else _("Folgen"),
    )


def threads(request, pk):
    network = rules.network_for(request.user, pk)
    subscription = selectors.subscription_of(user=request.user, network=network)
    return render(
        request,
        "network/discussions/threads.html",
        {
            "network": network,
            "threads": selectors.threads_for_list(network=network, user=request.user),
            "subscription": subscription,
            "subscription_form": _subscription_form(
                subscription, reverse("network:network_follow", args=[network.pk])
            ),
        },
    )


def thread_create(request, pk):
    network = rules.network_for(request.user, pk)
    form = ThreadForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        thread = services.thread_create(network=network, by=request.user, **form.cleaned_data)
        messages.success(request, _("Die Diskussion wurde eröffnet."))
        return redirect(thread)
    return render(request, "network/discussions/thread_form.html", {"network": network, "form": form})


def thread_detail(request, pk, thread_pk):
    thread = _thread_for_page(request.user, pk, thread_pk)
    return _thread_page(request, thread, PostForm(action=reverse("network:reply", args=[pk, thread.pk])))


def _thread_for_page(user, pk, thread_pk):
    return rules.thread_for(user, pk, thread_pk, threads=selectors.threads_for_reader(user=user))


def _thread_page(request, thread, reply_form):
    """`thread` from `_thread_for_page`: the read marker, the counts, the subscription and the
    moderator flag came with it, so the page is three statements (thread, posts, read marker)."""
    user = request.user
    network = thread.network
    # Posts newer than the last visit are marked on the page; without a page number the thread opens
    # on the page of the first of them. The posts shown then count as read.
    read_before = thread.read_at
    paginator = Paginator(selectors.posts_for_thread(thread=thread), selectors.THREAD_PAGE_SIZE)
    paginator.__dict__["count"] = thread.post_total  # counted with the thread (a cached_property)
    number = request.GET.get("seite")
    if number is None and read_before is not None:
        read = thread.posts_read
        number = read // selectors.THREAD_PAGE_SIZE + 1 if read < paginator.count else 1
    page = paginator.get_page(number)
    now = timezone.now()
    posts = list(page)
    # What each post shows worked out once here, not per template tag (issue 18).
    edit_url, delete_url, hide_url = (
        partial(reverse_each(f"network:post_{name}", 3), network.pk, thread.pk)
        for name in ("edit", "delete", "hide")
    )
    for post in posts:
        post.thread = thread
        post.html = render_markdown(post.body)
        author = post.author
        post.byline = (
            f"{author} · {author.authority}" if author.authority_id and not author.is_erased else str(author)
        )
        written = timezone.localtime(post.created_at)
        post.written_iso = written.isoformat()
        post.written = _("%(time)s Uhr") % {"time": date_format(written, "SHORT_DATETIME_FORMAT")}
        post.edit_url, post.delete_url = edit_url(post.pk), delete_url(post.pk)
        post.hide_url = hide_url(post.pk)
        post.is_new = (
            post.author_id != user.pk
            and not post.is_deleted
            and (read_before is None or post.created_at > read_before)
        )
        post.may_change = rules.may_change_post(post, user, now=now)
    services.thread_mark_read(
        thread=thread,
        user=user,
        read_before=read_before,
        up_to=posts[-1].created_at if page.has_next() else None,
    )
    mode = thread.subscription_mode
    subscription = Subscription(user=user, thread=thread, mode=mode) if mode else None
    return render(
        request,
        "network/discussions/thread.html",
        {
            "network": network,
            "thread": thread,
            "posts": posts,
            "page": page,
            "is_moderator": rules.is_moderator(user, network, named=thread.named_moderator),
            "reply_form": reply_form,
            "subscription": subscription,
            "subscription_form": _subscription_form(
                subscription, reverse("network:thread_follow", args=[network.pk, thread.pk])
            ),
        },
    )


@require_POST
def reply(request, pk, thread_pk):
    thread = _thread_for_page(request.user, pk, thread_pk)
    form = PostForm(request.POST, action=reverse("network:reply", args=[pk, thread.pk]))
    if form.is_valid():
        with message_errors(request):
            post = services.post_create(thread=thread, by=request.user, body=form.cleaned_data["body"])
            messages.success(request, _("Ihr Beitrag wurde veröffentlicht."))
            return redirect(selectors.post_location(post))
        return redirect(thread)
    return _thread_page(request, thread, form)


def post_edit(request, pk, thread_pk, post_pk):
    post = rules.post_for(request.user, pk, thread_pk, post_pk)
    if not rules.may_change_post(post, request.user):
        raise PermissionDenied
    form = PostForm(
        request.POST or None, initial={"body": post.body}, submit_label=_("Speichern"), label=_("Beitrag")
    )
    if request.method == "POST" and form.is_valid():
        services.post_update(post=post, by=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("Ihr Beitrag wurde geändert."))
        return redirect(selectors.post_location(post))
    return render(
        request,
        "network/discussions/post_form.html",
        {"network": post.thread.network, "thread": post.thread, "post": post, "form": form},
    )


@require_POST
def post_delete(request, pk, thread_pk, post_pk):
    post = rules.post_for(request.user, pk, thread_pk, post_pk)
    services.post_delete(post=post, by=request.user)
    messages.success(request, _("Ihr Beitrag wurde gelöscht."))
    return redirect(post.thread)


@require_POST
def post_hide(request, pk, thread_pk, post_pk):
    post = rules.post_for(request.user, pk, thread_pk, post_pk)
    hidden = request.POST.get("hidden") != "0"
    services.post_set_hidden(post=post, hidden=hidden, by=request.user)
    if hidden:
        messages.success(request, _("Der Beitrag ist für die Mitglieder ausgeblendet."))
    else:
        messages.success(request, _("Der Beitrag ist wieder sichtbar."))
    return redirect(selectors.post_location(post))


@require_POST
def thread_lock(request, pk, thread_pk):
    thread = rules.thread_for(request.user, pk, thread_pk)
    locked = request.POST.get("locked") != "0"
    services.thread_set_locked(thread=thread, locked=locked, by=request.user)
    if locked:
        messages.success(request, _("Die Diskussion ist geschlossen; neue Beiträge sind nicht mehr möglich."))
    else:
        messages.success(request, _("Die Diskussion ist wieder geöffnet."))
    return redirect(thread)


@require_POST
def thread_pin(request, pk, thread_pk):
    thread = rules.thread_for(request.user, pk, thread_pk)
    pinned = request.POST.get("pinned") != "0"
    services.thread_set_pinned(thread=thread, pinned=pinned, by=request.user)
    if pinned:
        messages.success(request, _("Die Diskussion steht jetzt oben in der Liste."))
    else:
        messages.success(request, _("Die Diskussion ist nicht mehr angeheftet."))
    return redirect(thread)


def _follow(request, *, network=None, thread=None):
    target = thread or network
    if request.POST.get("unfollow"):
        services.subscription_delete(user=request.user, network=network, thread=thread)
        messages.success(request, _("Sie folgen „%(name)s“ nicht mehr.") % {"name": target})
        return
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Bitte wählen Sie aus, wie Sie benachrichtigt werden möchten."))
        return
    subscription = services.subscription_set(
        user=request.user, network=network, thread=thread, mode=form.cleaned_data["mode"]
    )
    messages.success(
        request,
        _("Sie folgen „%(name)s“: %(mode)s.") % {"name": target, "mode": subscription.get_mode_display()},
    )


@require_POST
def network_follow(request, pk):
    network = rules.network_for(request.user, pk)
    _follow(request, network=network)
    return redirect("network:threads", network.pk)


@require_POST
def thread_follow(request, pk, thread_pk):
    thread = rules.thread_for(request.user, pk, thread_pk)
    _follow(request, thread=thread)
    return redirect(thread)

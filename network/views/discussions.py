"""Online discussions of a network: thread list, thread page with replies, own posts, moderation and
following. See network/urls.py."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
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
        up_to=posts[-1].created_at,
    )
    mode = thread.subscription_mode
    subscription = Subscription(user=user, thread=thread, mode=mode) if mode else None
    is_moderator = rules.is_moderator(user, network, named=thread.named_moderator)
    return render(
        request,
        "network/discussions/thread.html",
        {
            "network": network,
            "thread": thread,
            "post_items": post_items(posts, is_moderator=is_moderator, csrf_token=get_token(request)),
            "page": page,
            "is_moderator": is_moderator,
            "reply_form": reply_form,
            "subscription": subscription,
            "subscription_form": _subscription_form(
                subscription, reverse("network:thread_follow", args=[network.pk, thread.pk])
            ),
        },
    )


# A post of the thread page as its list item, with the markup (and the white space) the template's loop
# wrote per post: 25 posts through the template engine were about a fifth of the page (issue 18).
_POST = (
    '\n        <li class="kern-card" id="beitrag-{pk}"><article class="kern-card__container" '
    'aria-labelledby="beitrag-{pk}-kopf">\n          <div class="kern-card__header">\n'
    '            <p class="kern-preline" id="beitrag-{pk}-kopf">{byline} · '
    '<time datetime="{iso}">{written}</time>{edited}</p>\n            {new}\n          </div>\n'
    '          <div class="kern-card__body">\n            {body}\n          </div>\n          {footer}\n'
    "        </article></li>\n      "
)
_BODY = '\n              <div class="kern-body">{}</div>\n            '
_NOTE = '\n              <p class="kern-body"><em>{}</em></p>\n            '
_HIDDEN = '\n              <p class="kern-body"><em>{}</em></p>\n              {}\n            '
_BADGE = (
    '<span class="kern-badge kern-badge--warning"><span class="kern-label kern-label--small">{}</span></span>'
)
_CSRF = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
_FOOTER = (
    '\n            <div class="kern-card__footer kern-btn-wrapper">\n'
    "              {own}\n              {moderation}\n            </div>\n          "
)
_BUTTON = 'class="kern-btn kern-btn--tertiary kern-btn--x-small"'
_OWN = (
    f'\n                <a {_BUTTON} href="{{edit_url}}"><span class="kern-icon kern-icon--edit" '
    'aria-hidden="true"></span><span class="kern-label">{edit}</span></a>\n'
    '                <form method="post" action="{delete_url}" data-confirm="{confirm}">{csrf}'
    f'<button type="submit" {_BUTTON}><span class="kern-label">{{delete}}</span></button></form>\n'
    "              "
)
_MODERATION = (
    '\n                <form method="post" action="{hide_url}">{csrf}'
    '<input type="hidden" name="hidden" value="{value}">'
    f'<button type="submit" {_BUTTON}><span class="kern-label">{{label}}</span></button></form>\n'
    "              "
)


def post_items(posts, *, is_moderator: bool, csrf_token: str) -> SafeString:
    """The posts of a thread page (from `_thread_page`, each with its byline, times, addresses, `html`,
    `is_new` and `may_change`) as the items of its list."""
    csrf = format_html(_CSRF, csrf_token)
    texts = {
        "edited": " · " + _("bearbeitet"),
        "new": format_html(_BADGE, _("Neu")),
        "deleted": format_html(_NOTE, _("Beitrag gelöscht")),
        "hidden": _("Von der Moderation ausgeblendet"),
        "edit": _("Bearbeiten"),
        "delete": _("Löschen"),
        "confirm": _("Möchten Sie Ihren Beitrag wirklich löschen?"),
        "hide": _("Ausblenden"),
        "show": _("Wieder einblenden"),
    }
    items = []
    for post in posts:
        if post.is_deleted:
            body = texts["deleted"]
        elif post.hidden_at:
            shown = format_html('<div class="kern-body">{}</div>', post.html) if is_moderator else ""
            body = format_html(_HIDDEN, texts["hidden"], shown)
        else:
            body = format_html(_BODY, post.html)
        moderates = is_moderator and not post.is_deleted
        footer = ""
        if post.may_change or moderates:
            own = ""
            if post.may_change:
                own = format_html(
                    _OWN,
                    edit_url=post.edit_url,
                    edit=texts["edit"],
                    delete_url=post.delete_url,
                    confirm=texts["confirm"],
                    csrf=csrf,
                    delete=texts["delete"],
                )
            moderation = ""
            if moderates:
                moderation = format_html(
                    _MODERATION,
                    hide_url=post.hide_url,
                    csrf=csrf,
                    value="0" if post.hidden_at else "1",
                    label=texts["show"] if post.hidden_at else texts["hide"],
                )
            footer = format_html(_FOOTER, own=own, moderation=moderation)
        items.append(
            format_html(
                _POST,
                pk=post.pk,
                byline=post.byline,
                iso=post.written_iso,
                written=post.written,
                edited=texts["edited"] if post.edited_at and not post.is_deleted else "",
                new=texts["new"] if post.is_new else "",
                body=body,
                footer=footer,
            )
        )
    return mark_safe("".join(items))  # noqa: S308 – each item made by format_html


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

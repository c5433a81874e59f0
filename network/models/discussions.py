"""Online discussions of a network: threads, posts, who follows what and who read up to when."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from network.models.networks import Network


class Thread(models.Model):
    network = models.ForeignKey(
        Network, verbose_name=_("Netzwerk"), on_delete=models.CASCADE, related_name="threads"
    )
    title = models.CharField(_("Thema"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_post_at = models.DateTimeField(_("letzter Beitrag"), null=True, blank=True)
    is_locked = models.BooleanField(_("geschlossen"), default=False)
    is_pinned = models.BooleanField(_("angeheftet"), default=False)

    class Meta:
        verbose_name = _("Diskussion")
        verbose_name_plural = _("Diskussionen")
        ordering = ["-is_pinned", "-last_post_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("network:thread", args=[self.network_id, self.pk])


class Post(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("Beitrag"))
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Beitrag")
        verbose_name_plural = _("Beiträge")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:40]}"


class SubscriptionMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Sofort per E-Mail")
    DIGEST = "digest", _("Wöchentliche Zusammenfassung")


class Subscription(models.Model):
    """Following a network or a thread; the reminders send what this asks for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_subscriptions"
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    mode = models.CharField(_("Benachrichtigung"), max_length=20, choices=SubscriptionMode.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        constraints = [
            models.CheckConstraint(
                condition=(Q(network__isnull=False) & Q(thread__isnull=True))
                | (Q(network__isnull=True) & Q(thread__isnull=False)),
                name="subscription_network_xor_thread",
            ),
            models.UniqueConstraint(fields=["user", "network"], name="subscription_once_per_network"),
            models.UniqueConstraint(fields=["user", "thread"], name="subscription_once_per_thread"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.network or self.thread}"


class ReadMarker(models.Model):
    """Up to when a person has read a thread: newer posts count as unread for them."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_markers")
    read_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="read_marker_once")]

    def __str__(self) -> str:
        return f"{self.user} – {self.thread}"

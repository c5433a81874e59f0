"""Networks of authorities: who belongs to one (member authorities) and who moderates it."""

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import connection, models
from django.db.models import OuterRef, Q, StringAgg, Subquery, Value
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.collation import GERMAN
from portal.facts import FactsQuerySet

if TYPE_CHECKING:
    from portal.accounts.models import User


class Scope(models.TextChoices):
    STATE_RP = "RP", _("Land Rheinland-Pfalz")
    STATE_NI = "NI", _("Land Niedersachsen")
    REGION = "region", _("Region")
    CROSS_STATE = "cross_state", _("Länderübergreifend")


def visible_network(user: "User", via: str = "") -> Q:
    """Which networks `user` sees: project staff every network; authority staff those their authority
    belongs to; funders none. As a condition on the network a query reaches through `via` (e.g.
    "network" for meetings, "minutes__meeting__network" for the tasks of minutes): the query joins the
    network's members once (a member authority appears once per network) instead of carrying
    `network__in=Network.objects.visible_to(user)`, a subquery that costs more to build and to plan
    than the start page's reads themselves (issue 18)."""
    if user.is_project_staff:
        return Q()
    if user.is_authority_staff:
        return Q(**{f"{via}__members" if via else "members": user.authority_id})
    return Q(pk__in=[])


class NetworkQuerySet(FactsQuerySet["Network"]):
    def visible_to(self, user: "User") -> Self:
        """The networks `user` sees (`visible_network`)."""
        return self.filter(visible_network(user))

    def with_member_names(self) -> Self:
        """`member_names`: the member authorities' names by state and name, joined by ", " (None
        without members), in the network's own query (issue 18: one query less on the network page).
        SQLite before 3.44 cannot order inside an aggregate: there `member_names` is absent and
        `member_names_of` asks."""
        if not connection.features.supports_aggregate_order_by_clause:
            return self
        # django-stubs does not know 6.0's StringAgg yet (the annotation's name then is no field).
        names = (
            Network.members.through.objects.filter(network_id=OuterRef("pk"))  # type: ignore[misc]
            .order_by()
            .values("network_id")
            .annotate(
                names=StringAgg(
                    "authority__name", Value(", "), order_by=("authority__state", "authority__name")
                )
            )
            .values("names")
        )
        return self.annotate(member_names=Subquery(names))


class Network(models.Model):
    name = models.CharField(_("Name"), max_length=200, unique=True, db_collation=GERMAN)
    description = models.TextField(_("Beschreibung"), blank=True)
    scope = models.CharField(_("Reichweite"), max_length=20, choices=Scope.choices)
    members = models.ManyToManyField(
        "authorities.Authority", verbose_name=_("Mitgliedsbehörden"), related_name="networks", blank=True
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("Moderation"), related_name="moderated_networks", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NetworkQuerySet.as_manager()

    class Meta:
        verbose_name = _("Netzwerk")
        verbose_name_plural = _("Netzwerke")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("network:detail", args=[self.pk])


def member_names_of(network: Network) -> str:
    """The member authorities' names as `with_member_names` gives them ("" without members)."""
    if hasattr(network, "member_names"):
        return network.member_names or ""
    return ", ".join(network.members.order_by("state", "name").values_list("name", flat=True))

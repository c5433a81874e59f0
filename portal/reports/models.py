from django.db import models
from django.utils.translation import gettext_lazy as _

from .computations import computation_choices


class Indicator(models.Model):
    """One indicator of the AMIF reports; project staff edit the data, the computation is code."""

    code = models.CharField(_("Kennung"), max_length=20, unique=True)
    name_de = models.CharField(_("Bezeichnung (deutsch)"), max_length=300)
    name_en = models.CharField(_("Bezeichnung (englisch)"), max_length=300)
    unit = models.CharField(_("Einheit"), max_length=50)
    computation = models.CharField(_("Berechnung"), max_length=50, choices=computation_choices)
    target_total = models.DecimalField(
        _("Zielwert gesamt"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    target_rp = models.DecimalField(
        _("Zielwert Rheinland-Pfalz"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    target_ni = models.DecimalField(
        _("Zielwert Niedersachsen"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    funding_period = models.CharField(_("Förderperiode"), max_length=20, default="2021–2027")
    position = models.PositiveSmallIntegerField(_("Reihenfolge im Bericht"), default=0)
    amif_codes = models.CharField(
        _("AMIF-Indikatoren"),
        max_length=200,
        blank=True,
        help_text=_("Zuordnung zu den amtlichen AMIF-Indikatoren, z. B. „O.1.2; R.1.5“."),
    )
    notes = models.TextField(_("Anmerkungen"), blank=True)

    class Meta:
        verbose_name = _("Indikator")
        verbose_name_plural = _("Indikatoren")
        ordering = ["position", "code"]

    def __str__(self):
        return f"{self.code} {self.name_de}"

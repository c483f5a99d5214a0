"""The one setting of the open data that staff choose: its licence."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OpenDataLicence(models.Model):
    """The licence of the portal's open data (one row; CC BY 4.0 until staff choose another)."""

    class Licence(models.TextChoices):
        CC_BY = "CC-BY-4.0", _("Creative Commons Attribution 4.0 International (CC BY 4.0)")
        CC_BY_SA = (
            "CC-BY-SA-4.0",
            _("Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)"),
        )
        CC0 = "CC0-1.0", _("Creative Commons Zero 1.0: public domain dedication (CC0 1.0)")
        ODBL = "ODbL-1.0", _("Open Data Commons Open Database License 1.0 (ODbL)")

    #: Where the text of each licence is published.
    URLS = {
        Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
        Licence.CC_BY_SA: "https://creativecommons.org/licenses/by-sa/4.0/",
        Licence.CC0: "https://creativecommons.org/publicdomain/zero/1.0/",
        Licence.ODBL: "https://opendatacommons.org/licenses/odbl/1-0/",
    }
    SINGLETON = 1

    licence = models.CharField(
        _("licence"),
        max_length=20,
        choices=Licence.choices,
        default=Licence.CC_BY,
        help_text=_("The licence under which anyone may reuse the portal's open data."),
    )
    attribution = models.CharField(
        _("attribution"),
        max_length=200,
        default="Perpustakaan Nasional Republik Indonesia, Portal TPBIS",
        help_text=_("How reusers credit the source of the data."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["pk"]
        verbose_name = _("open data licence")
        verbose_name_plural = _("open data licence")
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=1),
                name="open_data_licence_single_row",
                violation_error_message=_("The open data has one licence setting."),
            ),
            models.CheckConstraint(
                condition=Q(licence__in=["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0", "ODbL-1.0"]),
                name="open_data_licence_known",
                violation_error_message=_("Choose one of the listed licences."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_licence_display())

    @property
    def url(self) -> str:
        return self.URLS.get(self.licence, "")

    @classmethod
    def current(cls) -> OpenDataLicence:
        """The chosen licence, or the default (CC BY 4.0) while staff have chosen none."""
        return cls.objects.filter(pk=cls.SINGLETON).first() or cls(pk=cls.SINGLETON)

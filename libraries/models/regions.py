"""The official region register (Kepmendagri), keyed by the dotted Kemendagri code.

Codes nest: province ``64``, kabupaten/kota ``64.72``, kecamatan ``64.72.01``,
desa/kelurahan ``64.72.01.1001``. Each level keeps a foreign key to its parent; the province's
time zone is the local time of everything that happens there.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from libraries.scope import ScopedQuerySet


class TimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (UTC+7)")
    WITA = "Asia/Makassar", _("WITA (UTC+8)")
    WIT = "Asia/Jayapura", _("WIT (UTC+9)")


# Province code -> local time zone. Sumatra, Java, West and Central Kalimantan are WIB;
# South, East and North Kalimantan, Bali, Nusa Tenggara and Sulawesi are WITA;
# Maluku and the Papua provinces are WIT.
_WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT_PROVINCES = {"81", "82", "91", "92", "93", "94", "95", "96"}


def time_zone_for_province(code: str) -> str:
    if code in _WIT_PROVINCES:
        return TimeZone.WIT
    if code in _WITA_PROVINCES:
        return TimeZone.WITA
    return TimeZone.WIB


class RegionQuerySet(ScopedQuerySet):
    def search(self, text: str):
        text = (text or "").strip()
        if not text:
            return self
        if text[:1].isdigit():
            return self.filter(code__startswith=text)
        return self.filter(name__icontains=text)


class Province(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    time_zone = models.CharField(
        _("time zone"),
        max_length=20,
        choices=TimeZone.choices,
        default=TimeZone.WIB,
        help_text=_("Local time of events held in this province."),
    )

    SCOPE_PATHS = {"province": "code"}

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(time_zone__in=TimeZone.values),
                name="province_time_zone_known",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def time_zone_abbreviation(self) -> str:
        return TimeZone(self.time_zone).label.split(" ")[0]


class Regency(models.Model):
    """Kabupaten or kota: kabupaten codes run 01-69, kota codes 71-99."""

    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regencies", verbose_name=_("province")
    )

    SCOPE_PATHS = {"province": "province", "regency": "code"}

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["kabupaten", "kota"]), name="regency_kind_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def kind_from_code(code: str) -> str:
        return Regency.Kind.KOTA if int(code.split(".")[1]) >= 71 else Regency.Kind.KABUPATEN


class District(models.Model):
    """Kecamatan."""

    code = models.CharField(_("code"), max_length=8, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        related_name="districts",
        verbose_name=_("kabupaten/kota"),
    )

    SCOPE_PATHS = {"province": "regency__province", "regency": "regency"}

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")

    def __str__(self) -> str:
        return self.name


class VillageQuerySet(RegionQuerySet):
    def with_parents(self):
        return self.select_related("district__regency__province")


class Village(models.Model):
    """Desa or kelurahan; the first of the last four code digits tells which."""

    class Kind(models.TextChoices):
        KELURAHAN = "kelurahan", _("Kelurahan")
        DESA = "desa", _("Desa")
        DESA_ADAT = "desa_adat", _("Desa adat")

    KIND_BY_DIGIT = {"1": Kind.KELURAHAN, "2": Kind.DESA, "3": Kind.DESA_ADAT}

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="villages", verbose_name=_("kecamatan")
    )

    SCOPE_PATHS = {"province": "district__regency__province", "regency": "district__regency"}

    objects = VillageQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["kelurahan", "desa", "desa_adat"]),
                name="village_kind_known",
            ),
        ]
        indexes = [
            # Autocomplete over 83,762 villages searches by name.
            models.Index(fields=["name"], name="village_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    @property
    def regency_code(self) -> str:
        return self.code[:5]

    @property
    def province_code(self) -> str:
        return self.code[:2]

    @property
    def full_name(self) -> str:
        """'Desa X, Kec. Y, Kabupaten Z' (needs select_related on the parents)."""
        district = self.district
        return f"{self}, {_('Kec.')} {district.name}, {district.regency.name}"

"""Benchmarks of the library registry (see tpbis_portal/bench.py)."""

from django.test import Client

from libraries.models import Library, User
from libraries.regions_loader import load_regions


def run(bench) -> None:
    bench.once("load the full region register (83,762 villages)", load_regions)
    bench.once("load it again (nothing to change)", load_regions)
    provinces = ["64", "21", "33", "12"]
    libraries = []
    for village_code in _villages(provinces, 500):
        libraries.append(
            Library(
                name=f"Perpustakaan {village_code}",
                level=Library.Level.VILLAGE,
                province_id=village_code[:2],
                regency_id=village_code[:5],
                village_id=village_code,
                cohort_year=2022,
                support_tier=Library.SupportTier.FULL,
            )
        )
    Library.objects.bulk_create(libraries)
    staff = User.objects.create_user("bench-staff", role=User.Role.PERPUSNAS)
    client = Client()
    client.force_login(staff)
    bench.page("library list, 500 libraries, first page", client, "/perpustakaan/")
    bench.page("library list filtered by province", client, "/perpustakaan/?province=64")


def _villages(provinces, count):
    from libraries.models import Village

    return list(
        Village.objects.filter(district__regency__province__in=provinces)
        .order_by("code")
        .values_list("code", flat=True)[:count]
    )

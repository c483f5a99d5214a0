"""Benchmarks of the library registry (see tpbis_portal/bench.py)."""

from django.test import Client

from libraries.models import Library, User, Village
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
    _hostile_uploads(bench)
    _indicators(bench, client)


def _refused(check, content: bytes, name: str):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    try:
        check(SimpleUploadedFile(name, content))
    except ValidationError:
        return
    raise RuntimeError(f"{name} was not refused")


def _hostile_uploads(bench) -> None:
    """How long a hostile upload holds a worker before it is refused (the target: well under
    a second; the zip bomb of the report held one for two minutes)."""
    import io
    import zipfile

    from openpyxl import Workbook
    from PIL import Image

    from libraries.uploads import process_image, read_spreadsheet

    workbook = io.BytesIO()
    Workbook().save(workbook)
    base = zipfile.ZipFile(workbook)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in base.infolist():
            if not info.filename.endswith("sheet1.xml"):
                archive.writestr(info.filename, base.read(info))
        part = zipfile.ZipInfo("xl/worksheets/sheet1.xml")
        part.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(part, "w", force_zip64=True) as sheet:
            sheet.write(b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml')
            sheet.write(b'/2006/main"><sheetData>')
            for _ in range(1024):  # 1 GB of whitespace, about 1 MB packed
                sheet.write(b" " * (1024 * 1024))
            sheet.write(b"</sheetData></worksheet>")
    bench.timed(
        f"refuse a zip bomb workbook ({len(bomb.getvalue()) // 1024} kB, 1 GB unpacked)",
        lambda: _refused(
            lambda upload: read_spreadsheet(upload, max_rows=1000), bomb.getvalue(), "bom.xlsx"
        ),
        repeat=5,
    )
    image = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(image, format="PNG")
    bench.timed(
        f"refuse a decompression bomb image ({len(image.getvalue()) // 1024} kB, 400 Mpx)",
        lambda: _refused(process_image, image.getvalue(), "bom.png"),
        repeat=5,
    )
    rows = Workbook()
    for number in range(1000):
        rows.active.append(["05-01-2024", "engagement", "training", f"Kegiatan {number}", 3, 5])
    sheet = io.BytesIO()
    rows.save(sheet)
    bench.timed(
        "read a 1,000-row activity workbook (for comparison)",
        lambda: read_spreadsheet(io.BytesIO(sheet.getvalue()), max_rows=1000),
        repeat=5,
    )


def _villages(provinces, count):
    from libraries.models import Village

    return list(
        Village.objects.filter(district__regency__province__in=provinces)
        .order_by("code")
        .values_list("code", flat=True)[:count]
    )


NATIONAL_LIBRARIES = 3000
NATIONAL_ACTIVITIES = 100_000
BENCH_YEAR = 2024


def _indicators(bench, client) -> None:
    """Indicators over one year at national scale: 100,000 activities in every province."""
    import datetime
    import random
    import uuid

    from libraries.models import Activity, Indicator, Province, Strategy, Target, VisitorCount
    from libraries.reporting.indicators import (
        Area,
        Period,
        area_indicators,
        indicator_breakdown,
    )
    from libraries.reporting.rankings import library_ranking

    randomiser = random.Random(5)
    taken = set(Library.objects.values_list("village_id", flat=True))
    # Spread over all provinces: every 25th village of the register, as far as needed.
    codes = [
        code
        for code in Village.objects.order_by("code").values_list("code", flat=True)[::25]
        if code not in taken
    ][: NATIONAL_LIBRARIES - len(taken)]
    Library.objects.bulk_create(
        Library(
            name=f"Perpustakaan {code}",
            level=Library.Level.VILLAGE,
            province_id=code[:2],
            regency_id=code[:5],
            village_id=code,
            cohort_year=randomiser.choice([2019, 2021, 2022, 2023, 2024]),
            support_tier=Library.SupportTier.FULL,
        )
        for code in codes
    )
    library_ids = list(Library.objects.values_list("pk", flat=True))
    strategies = [Strategy.ENGAGEMENT] * 6 + [Strategy.INFORMATION] * 3 + [Strategy.ADVOCACY]

    def activities():
        start = datetime.date(BENCH_YEAR, 1, 1)
        for _number in range(NATIONAL_ACTIVITIES):
            male = randomiser.randint(0, 20)
            female = randomiser.randint(0, 30)
            ages = randomiser.random() < 0.3
            yield Activity(
                library_id=randomiser.choice(library_ids),
                strategy=randomiser.choice(strategies),
                kind=Activity.Kind.TRAINING,
                title="Pelatihan",
                date=start + datetime.timedelta(days=randomiser.randrange(366)),
                participants_male=male,
                participants_female=female,
                age_children=0 if ages else None,
                age_youth=0 if ages else None,
                age_adults=male + female if ages else None,
                age_elderly=0 if ages else None,
                idempotency_key=uuid.uuid4(),
            )

    def generate():
        Activity.objects.bulk_create(activities(), batch_size=5000)
        VisitorCount.objects.bulk_create(
            (
                VisitorCount(
                    library_id=library_id,
                    month=datetime.date(BENCH_YEAR, month, 1),
                    visitors=randomiser.randint(20, 400),
                )
                for library_id in library_ids
                for month in range(1, 13)
            ),
            batch_size=5000,
        )
        Target.objects.bulk_create(
            [
                Target(
                    indicator=Indicator.ACTIVITIES, level="village", year=BENCH_YEAR, per_month=2
                ),
                Target(
                    indicator=Indicator.PARTICIPANTS, level="village", year=BENCH_YEAR, per_month=30
                ),
                Target(
                    indicator=Indicator.ACTIVITIES,
                    level="village",
                    cohort_year=2024,
                    year=BENCH_YEAR,
                    per_month=1,
                ),
            ]
        )

    bench.once(
        f"generate {NATIONAL_ACTIVITIES:,} activities for {len(library_ids):,} libraries",
        generate,
    )
    period = Period.for_year(BENCH_YEAR)
    province = Province.objects.get(code="33")
    nation = Area.nation()
    bench.timed(
        "indicators of the nation, one year",
        lambda: area_indicators(nation, period),
        repeat=5,
        queries=True,
    )
    bench.timed(
        "indicators of the nation by province, one year",
        lambda: indicator_breakdown(nation, period),
        repeat=5,
        queries=True,
    )
    bench.timed(
        "indicators of Jawa Tengah by kab/kota, one year",
        lambda: indicator_breakdown(Area.for_province(province), period),
        repeat=5,
        queries=True,
    )
    bench.timed(
        "ranking of Jawa Tengah's village libraries, one year",
        lambda: library_ranking(province=province, period=period),
        repeat=5,
        queries=True,
    )
    year = f"?tahun={BENCH_YEAR}"
    bench.page(
        "national indicator page, one year", client, f"/laporan/indikator/nasional/{year}", repeat=5
    )
    bench.page(
        "province indicator page (Jawa Tengah), one year",
        client,
        f"/laporan/indikator/provinsi/33/{year}",
        repeat=5,
    )
    bench.page(
        "province ranking page (Jawa Tengah), one year",
        client,
        f"/laporan/peringkat/33/{year}",
        repeat=5,
    )

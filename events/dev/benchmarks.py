"""Benchmarks of the attendance page, one mark and the participant import
(see tpbis_portal/bench.py)."""

import datetime
import itertools
import uuid
import zoneinfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from events.services import event_create, participant_find_or_create, registration_ensure
from libraries.models import District, Library, Province, Regency, User, Village

ROSTER = 60
IMPORT_ROWS = 500


def _region():
    """Kota Samarinda with one kelurahan, whether or not the full register is loaded."""
    province, _ = Province.objects.get_or_create(
        code="64", defaults={"name": "Kalimantan Timur", "time_zone": "Asia/Makassar"}
    )
    regency, _ = Regency.objects.get_or_create(
        code="64.72", defaults={"name": "Kota Samarinda", "kind": "kota", "province": province}
    )
    district, _ = District.objects.get_or_create(
        code="64.72.01", defaults={"name": "Palaran", "regency": regency}
    )
    village, _ = Village.objects.get_or_create(
        code="64.72.01.1001",
        defaults={"name": "Rawa Makmur", "kind": "kelurahan", "district": district},
    )
    return province, regency, village


def run(bench) -> None:
    province, regency, village = _region()
    library = Library.objects.filter(village=village).first() or Library.objects.create(
        name="Perpustakaan Kelurahan Rawa Makmur",
        level=Library.Level.VILLAGE,
        province=province,
        regency=regency,
        village=village,
        cohort_year=2022,
        support_tier=Library.SupportTier.FULL,
    )
    # Made once: a database kept with --keepdb has it already.
    consultant = User.objects.filter(username="bench-konsultan").first()
    consultant = consultant or User.objects.create_user(
        "bench-konsultan", role=User.Role.CONSULTANT
    )
    consultant.provinces.set([province])
    tz = zoneinfo.ZoneInfo(province.time_zone)
    event = event_create(
        actor=consultant,
        kind="plm_province",
        title="PLM Provinsi Kalimantan Timur (benchmark)",
        province=province,
        venue="Hotel Harris Samarinda",
        starts_at=datetime.datetime(2022, 7, 4, 8, tzinfo=tz),
        ends_at=datetime.datetime(2022, 7, 6, 16, tzinfo=tz),
    )
    people = []
    for number in range(ROSTER):
        person, _ = participant_find_or_create(
            name=f"Peserta Benchmark {number:02d}",
            gender="F" if number % 2 else "M",
            province=province,
            library=library,
        )
        registration_ensure(event=event, participant=person)
        people.append(person)
    session = event.sessions.order_by("date").first()
    client = Client()
    client.force_login(consultant)

    attendance = reverse("events:attendance", args=[session.pk])
    bench.page(f"attendance page, {ROSTER}-person roster", client, attendance, target=10)
    # As a browser asks for it: compressed (targets: <= 20 KB on the wire, <= 10x trivial).
    gzip = {"Accept-Encoding": "gzip, deflate, br"}
    wire = client.get(attendance, headers=gzip)
    if wire.get("Content-Encoding") != "gzip":
        raise RuntimeError("The attendance page was not compressed")
    bench.page(
        f"attendance page, {ROSTER}-person roster, gzip",
        client,
        attendance,
        headers=gzip,
        target=10,
        note=f"{len(wire.content) / 1024:.1f} KB on the wire (target <= 20 KB), "
        f"{len(client.get(attendance).content) / 1024:.1f} KB uncompressed",
    )

    mark_url = reverse("events:mark", args=[session.pk])
    unmarked = itertools.cycle(people)

    def mark_one():
        response = client.post(
            mark_url,
            {"participant": next(unmarked).pk, "client_id": uuid.uuid4(), "action": "mark"},
            HTTP_ACCEPT="application/json",
        )
        if response.status_code != 200:
            raise RuntimeError(f"mark answered {response.status_code}")

    bench.timed("one mark (fetch, JSON answer)", mark_one, repeat=40, queries=True)

    lines = ["Nama,Jenis kelamin,Perpustakaan,Instansi,Jabatan,Hadir"]
    for number in range(IMPORT_ROWS):
        if number % 3:
            lines.append(f'Peserta Impor {number},P,{library.name},,Pengelola,"1,2"')
        else:
            lines.append(f"Tamu Impor {number},L,,Dinas Kominfo,Staf,1")
    sheet = ("\n".join(lines) + "\n").encode()
    import_url = reverse("events:import", args=[event.pk])
    state = {}

    def preview():
        upload = SimpleUploadedFile("peserta.csv", sheet, content_type="text/csv")
        response = client.post(import_url, {"file": upload})
        state["token"] = response.context["token"] if response.context else None
        if not state["token"]:
            raise RuntimeError("the preview did not accept the sheet")

    def confirm():
        response = client.post(
            reverse("events:import-confirm", args=[event.pk]), {"token": state["token"]}
        )
        if response.status_code != 302:
            raise RuntimeError(f"confirm answered {response.status_code}")

    bench.once(f"import preview of a {IMPORT_ROWS}-row CSV (nothing saved)", preview)
    bench.once(f"import confirm of {IMPORT_ROWS} rows (people, list, 833 marks)", confirm)

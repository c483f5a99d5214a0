"""Demo community products in Kalimantan Timur: recorded by the Samarinda librarian, exhibited
at the PLM Kalimantan Timur, given stakeholders' offers at an SHM two months later. Told through
the real services, like the stories."""

import datetime
import uuid
import zoneinfo

from events.models import Event
from events.services import event_create
from impact.dev.demo import _demo_photo
from impact.models import Product, ProductConsent, ProductOffer
from impact.products import services
from libraries.models import Library, Province, User

SHM_TITLE = "Stakeholder Meeting Provinsi Kalimantan Timur"

# (name, kind, producer, group, where to buy, prices, consent, offers)
PRODUCTS = [
    (
        "Amplang ikan pipih Rawa Makmur",
        Product.Kind.FOOD,
        "Ibu Rahmah",
        False,
        "Shopee, toko oleh-oleh Samarinda",
        (15_000, 35_000),
        True,
        [
            (
                ProductOffer.Kind.LOAN,
                "KUR mikro sampai Rp 25 juta",
                "Bapak Hendra, kepala cabang",
                "Bank Kaltimtara",
                ProductOffer.Status.IN_PROGRESS,
                "Berkas pengajuan sudah diterima cabang Samarinda Seberang.",
            ),
            (
                ProductOffer.Kind.CERTIFICATION,
                "Pendampingan sertifikasi halal gratis",
                "Ibu Sari",
                "Kantor Kemenag Kota Samarinda",
                ProductOffer.Status.DONE,
                "Sertifikat halal terbit Desember 2022.",
            ),
        ],
    ),
    (
        "Sarung tenun Samarinda KWT Melati",
        Product.Kind.TEXTILE,
        "KWT Melati",
        True,
        "Galeri tenun Samarinda Seberang, Instagram",
        (350_000, 1_200_000),
        True,
        [
            (
                ProductOffer.Kind.PROMOTION,
                "Stan gratis di pameran UMKM HUT Kota Samarinda",
                "Ibu Dewi",
                "Dinas Koperasi dan UKM Kota Samarinda",
                ProductOffer.Status.OFFERED,
                "",
            ),
        ],
    ),
    (
        "Kerupuk ikan haruan",
        Product.Kind.FOOD,
        "Kelompok UMKM Sungai Kapih",
        True,
        "Warung kelurahan",
        (10_000, 10_000),
        False,
        [
            (
                ProductOffer.Kind.PACKAGING,
                "Desain label dan kemasan standing pouch",
                "Bapak Yusuf",
                "Rumah Kemasan Dinas Perindustrian Kaltim",
                ProductOffer.Status.IN_PROGRESS,
                "Contoh kemasan dikirim Januari 2023.",
            ),
        ],
    ),
]


def _demo_shm(actor: User) -> Event:
    event = Event.objects.filter(title=SHM_TITLE).first()
    if event is not None:
        return event
    province = Province.objects.get(code="64")
    tz = zoneinfo.ZoneInfo(province.time_zone)
    return event_create(
        actor=actor,
        kind=Event.Kind.SHM_PROVINCE,
        title=SHM_TITLE,
        province=province,
        venue="Hotel Mercure Samarinda",
        starts_at=datetime.datetime(2022, 9, 13, 8, tzinfo=tz),
        ends_at=datetime.datetime(2022, 9, 14, 16, tzinfo=tz),
        status=Event.Status.HELD,
    )


def create_demo_products() -> int:
    """Create the demo products that do not exist yet; returns how many were made."""
    author = User.objects.filter(username="pustakawan.samarinda").first()
    consultant = User.objects.filter(username="konsultan.kaltim").first()
    staff = User.objects.filter(username="admin").first()
    plm = Event.objects.filter(title="PLM Provinsi Kalimantan Timur").first()
    if not (author and consultant and staff and plm):
        return 0
    villages = list(
        Library.objects.filter(level=Library.Level.VILLAGE, regency="64.72").order_by("village")
    )
    if not villages:
        return 0
    shm = _demo_shm(staff)
    created = 0
    for index, (name, kind, producer, group, sold, prices, consent, offers) in enumerate(PRODUCTS):
        product = Product.objects.filter(name=name).first()
        if product is not None:
            continue
        library = villages[index % len(villages)]
        product = services.product_create(
            actor=author,
            library=library,
            create_key=uuid.uuid5(uuid.NAMESPACE_URL, f"tpbis-demo-product-{name}"),
            photo=_demo_photo((120, 72, 20), "produk"),
            photo_alt=f"{name} di meja pameran",
            name=name,
            kind=kind,
            producer_name=producer,
            producer_is_group=group,
            training_detail="Pelatihan pengemasan dan pemasaran daring di perpustakaan",
            sold_where=sold,
            price_min=prices[0],
            price_max=prices[1],
        )
        created += 1
        if consent:
            services.product_consent_record(
                product=product,
                actor=author,
                given_by=producer,
                method=ProductConsent.Method.VERBAL,
                witness="Lurah setempat",
                given_on=datetime.date(2022, 6, 20),
            )
        services.exhibitions_set(actor=consultant, event=plm, products=[product], shown=[])
        for offer_kind, detail, person, organisation, status, follow_up in offers:
            services.offer_record(
                actor=consultant,
                event=shm,
                product=product,
                kind=offer_kind,
                detail=detail,
                stakeholder=person,
                organisation=organisation,
                status=status,
                follow_up=follow_up,
            )
    return created

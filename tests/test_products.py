"""Community products: who records and reaches what, consent on the public pages, PLM
exhibition, SHM offers, lists, exports and figures."""

import datetime
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from events.models import Event
from impact.models import Product, ProductConsent, ProductExhibition, ProductOffer, Story
from impact.products import services
from tests import factories, hostile_files
from tpbis_portal.overview.addresses import province_products_url, province_url

KALTIM = "/provinsi/64-kalimantan-timur/"
KALTIM_PRODUCTS = "/provinsi/64-kalimantan-timur/produk/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def product(village_library, village_librarian):
    return factories.product(village_library, author=village_librarian)


@pytest.fixture
def public_product(village_library, village_librarian):
    return factories.product(
        village_library,
        author=village_librarian,
        consent=True,
        name="Amplang ikan belida",
        producer_name="Ibu Rahmawati",
    )


@pytest.fixture
def kepri_product(kepri_library):
    return factories.product(kepri_library, name="Otak-otak Tanjungpinang")


@pytest.fixture
def shm(perpusnas):
    return factories.event(
        actor=perpusnas,
        kind=Event.Kind.SHM_PROVINCE,
        title="SHM Provinsi Kalimantan Timur",
        first_day=datetime.date(2022, 9, 12),
        days=1,
    )


@pytest.fixture
def exhibited(product, plm, consultant):
    services.exhibitions_set(actor=consultant, event=plm, products=[product], shown=[product])
    return product


def _photo_upload(name="keripik.jpg"):
    return SimpleUploadedFile(name, hostile_files.jpeg((800, 600)), content_type="image/jpeg")


def _product_post(library, **overrides):
    data = {
        "library": library.pk,
        "name": "Keripik singkong balado",
        "kind": Product.Kind.FOOD,
        "description": "Keripik singkong pedas dalam kemasan 200 g.",
        "producer_name": "KWT Sekar Arum",
        "producer_is_group": "on",
        "training_detail": "Pelatihan pengemasan di perpustakaan, Maret 2024",
        "sold_where": "Warung desa, Shopee",
        "price_min": "12000",
        "price_max": "20000",
        "income_before": "500000",
        "income_after": "1500000",
        "create_key": str(uuid.uuid4()),
        "photo_alt": "Tiga bungkus keripik di meja",
    }
    data.update(overrides)
    return data


# Recording a product ---------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_sign_in_from_every_product_page(client, product, plm):
    for url in [
        reverse("products:list"),
        reverse("products:create"),
        reverse("products:detail", args=[product.pk]),
        reverse("products:edit", args=[product.pk]),
        reverse("products:consent-add", args=[product.pk]),
        reverse("products:event", args=[plm.pk]),
        reverse("products:offers"),
        reverse("products:export", args=["csv"]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_librarian_records_a_product_with_a_photo(client_for, village_librarian, village_library):
    client = client_for(village_librarian)
    data = _product_post(village_library)
    data["photo"] = _photo_upload()

    response = client.post(reverse("products:create"), data)

    product = Product.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("products:detail", args=[product.pk])
    assert product.library == village_library
    assert product.producer_name == "KWT Sekar Arum"
    assert product.photo and product.thumbnail
    photo = client.get(reverse("products:photo-file", args=[product.pk, "thumb"]))
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    page = client.get(reverse("products:detail", args=[product.pk]))
    assert "Keripik singkong balado" in page.content.decode()


def test_double_submit_of_a_new_product_creates_one(client_for, village_librarian, village_library):
    client = client_for(village_librarian)
    data = _product_post(village_library)

    first = client.post(reverse("products:create"), data)
    second = client.post(reverse("products:create"), data)

    assert Product.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_village_librarian_cannot_record_for_another_library(
    client_for, village_librarian, berau_village_library
):
    client = client_for(village_librarian)

    response = client.post(reverse("products:create"), _product_post(berau_village_library))

    assert response.status_code == 200
    assert "library" in response.context["form"].errors
    assert not Product.objects.exists()


def test_service_refuses_a_librarian_writing_for_another_library(
    village_librarian, berau_village_library
):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.product_create(
            actor=village_librarian,
            library=berau_village_library,
            name="Kopi",
            kind=Product.Kind.FOOD,
            producer_name="Pak Usman",
        )


def test_bad_input_is_explained_and_nothing_is_saved(
    client_for, village_librarian, village_library
):
    client = client_for(village_librarian)
    data = _product_post(village_library, name="", price_min="30000", price_max="10000")
    data["photo"] = SimpleUploadedFile("x.jpg", b"<html>not a photo</html>", "image/jpeg")

    response = client.post(reverse("products:create"), data)

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "name" in errors and "photo" in errors
    assert not Product.objects.exists()


def test_price_range_upside_down_is_refused(client_for, village_librarian, village_library):
    client = client_for(village_librarian)

    response = client.post(
        reverse("products:create"),
        _product_post(village_library, price_min="30000", price_max="10000"),
    )

    assert response.status_code == 200
    assert not Product.objects.exists()
    assert "price_max" in response.context["form"].errors


def test_photo_without_description_is_refused(client_for, village_librarian, village_library):
    client = client_for(village_librarian)
    data = _product_post(village_library, photo_alt="")
    data["photo"] = _photo_upload()

    response = client.post(reverse("products:create"), data)

    assert response.status_code == 200
    assert "photo_alt" in response.context["form"].errors
    assert not Product.objects.exists()


def test_consultant_may_read_a_product_but_not_change_it(client_for, consultant, product):
    client = client_for(consultant)

    assert client.get(reverse("products:detail", args=[product.pk])).status_code == 200
    assert client.get(reverse("products:edit", args=[product.pk])).status_code == 403
    assert client.post(reverse("products:create"), {}).status_code == 403
    assert client.post(reverse("products:photo-remove", args=[product.pk])).status_code == 403


def test_another_provinces_product_is_not_found(client_for, outsider, product):
    client = client_for(outsider)

    for url in [
        reverse("products:detail", args=[product.pk]),
        reverse("products:edit", args=[product.pk]),
        reverse("products:consent-add", args=[product.pk]),
        reverse("products:photo-file", args=[product.pk, "thumb"]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("products:photo-remove", args=[product.pk])).status_code == 404


def test_librarian_of_another_kab_kota_does_not_see_the_product(client_for, berau_library, product):
    berau = factories.librarian("pustakawan.berau", berau_library)

    response = client_for(berau).get(reverse("products:detail", args=[product.pk]))

    assert response.status_code == 404


def test_librarian_edits_the_product_and_a_stale_edit_is_refused(
    client_for, village_librarian, product
):
    client = client_for(village_librarian)
    url = reverse("products:edit", args=[product.pk])
    data = _product_post(product.library, name="Keripik pisang cokelat", version="1")
    del data["library"], data["create_key"]

    assert client.post(url, data)["Location"] == reverse("products:detail", args=[product.pk])
    stale = client.post(url, {**data, "name": "Nama lama"})

    product.refresh_from_db()
    assert product.name == "Keripik pisang cokelat"
    assert stale.status_code == 200
    assert "disimpan oleh orang lain" in stale.content.decode() or stale.context["form"].errors


def test_wrong_method_is_refused(client_for, village_librarian, product):
    client = client_for(village_librarian)

    assert client.get(reverse("products:photo-set", args=[product.pk])).status_code == 405
    assert client.post(reverse("products:list")).status_code == 405


# Consent and the public pages ------------------------------------------------------------


def test_unconsented_producer_is_never_shown_publicly(client, product, public_product):
    product.producer_name = "Ibu Tanpa Persetujuan"
    product.save()

    page = client.get(KALTIM_PRODUCTS).content.decode()
    province_page = client.get(KALTIM).content.decode()
    photo = client.get(reverse("products:photo-file", args=[product.pk, "thumb"]))

    assert "Amplang ikan belida" in page and "Ibu Rahmawati" in page
    assert "Keripik pisang Rawa Makmur" not in page
    assert "Ibu Tanpa Persetujuan" not in page
    assert "Keripik pisang Rawa Makmur" not in province_page
    assert "Ibu Tanpa Persetujuan" not in province_page
    assert photo.status_code == 404


def test_province_page_shows_and_links_the_consented_products(client, public_product):
    page = client.get(KALTIM).content.decode()

    assert "Amplang ikan belida" in page
    assert province_products_url(public_product.library.province) in page
    assert "Pasar Segiri, Shopee" in page


def test_recording_consent_puts_the_product_on_the_public_page_at_once(
    client, client_for, village_librarian, product
):
    assert "Keripik pisang Rawa Makmur" not in client.get(KALTIM_PRODUCTS).content.decode()

    response = client_for(village_librarian).post(
        reverse("products:consent-add", args=[product.pk]),
        {
            "given_by": "Ibu Ketua KWT Melati",
            "method": ProductConsent.Method.VERBAL,
            "witness": "Kepala perpustakaan",
            "given_on": "2024-05-02",
        },
    )

    assert response.status_code == 302
    assert "Keripik pisang Rawa Makmur" in client.get(KALTIM_PRODUCTS).content.decode()


def test_withdrawal_removes_the_product_from_public_pages_in_the_same_request(
    client, client_for, village_librarian, public_product
):
    # Cached pages first, as a visitor would have seen them.
    assert "Amplang ikan belida" in client.get(KALTIM_PRODUCTS).content.decode()
    assert "Amplang ikan belida" in client.get(KALTIM).content.decode()
    consent = public_product.consents.get()

    response = client_for(village_librarian).post(
        reverse("products:consent-withdraw", args=[consent.pk]),
        {"reason": "Produsen tidak ingin lagi ditampilkan."},
    )

    assert response.status_code == 302
    assert "Amplang ikan belida" not in client.get(KALTIM_PRODUCTS).content.decode()
    assert "Ibu Rahmawati" not in client.get(KALTIM).content.decode()
    photo = client.get(reverse("products:photo-file", args=[public_product.pk, "thumb"]))
    assert photo.status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_reason == "Produsen tidak ingin lagi ditampilkan."


def test_withdrawal_without_a_reason_changes_nothing(client_for, village_librarian, public_product):
    consent = public_product.consents.get()

    client_for(village_librarian).post(
        reverse("products:consent-withdraw", args=[consent.pk]), {"reason": " "}
    )

    consent.refresh_from_db()
    assert consent.is_active


def test_outsider_cannot_withdraw_a_consent(client_for, outsider, public_product):
    consent = public_product.consents.get()

    response = client_for(outsider).post(
        reverse("products:consent-withdraw", args=[consent.pk]), {"reason": "x"}
    )

    assert response.status_code == 404
    consent.refresh_from_db()
    assert consent.is_active


def test_consent_in_the_future_or_without_witness_is_refused(
    client_for, village_librarian, product
):
    client = client_for(village_librarian)
    url = reverse("products:consent-add", args=[product.pk])

    future = client.post(
        url,
        {
            "given_by": "Ibu Ketua",
            "method": "verbal",
            "witness": "Kepala",
            "given_on": "2099-01-01",
        },
    )
    no_witness = client.post(
        url, {"given_by": "Ibu Ketua", "method": "verbal", "given_on": "2024-05-02"}
    )

    assert future.status_code == 200 and "given_on" in future.context["form"].errors
    assert no_witness.status_code == 200 and "witness" in no_witness.context["form"].errors
    assert not ProductConsent.objects.exists()


def test_public_photo_of_a_consented_product_is_served(client, public_product, village_librarian):
    from libraries.uploads import process_image

    processed = process_image(_photo_upload())
    services.product_photo_set(
        product=public_product, actor=village_librarian, photo=processed, photo_alt="Amplang"
    )

    response = client.get(reverse("products:photo-file", args=[public_product.pk, "thumb"]))

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    assert (
        client.get(reverse("products:photo-file", args=[public_product.pk, "huge"])).status_code
        == 404
    )


def test_public_product_list_has_a_pinned_query_count(
    client, django_assert_num_queries, village_library, village_librarian
):
    from django.core.cache import cache

    for more in (15, 30):
        while Product.objects.count() < more:
            n = Product.objects.count()
            factories.product(
                village_library, author=village_librarian, consent=True, name=f"Produk {n}"
            )
        cache.clear()
        # The province, the count of its public products, one page of them.
        with django_assert_num_queries(3):
            first = client.get(KALTIM_PRODUCTS)
        with django_assert_num_queries(3):
            second = client.get(KALTIM_PRODUCTS + "?page=2")
        # Cached for visitors until the province's data change.
        with django_assert_num_queries(0):
            client.get(KALTIM_PRODUCTS)

    assert first.status_code == 200 and second.status_code == 200
    assert first.content.decode().count("<article") == 12
    assert second.content.decode().count("<article") == 12


def test_province_page_query_count_with_products(
    client, django_assert_max_num_queries, village_library, village_librarian
):
    for n in range(8):
        factories.product(village_library, author=village_librarian, consent=n % 2 == 0)
    client.get(KALTIM)  # warm the figures' cache, as on a live site

    with django_assert_max_num_queries(12):
        response = client.get(province_url(village_library.province) + "?page=1")

    assert response.status_code == 200


def test_public_product_page_of_an_unknown_province_is_not_found(client, regions):
    assert client.get("/provinsi/99-tidak-ada/produk/").status_code == 404


def test_public_product_page_with_an_outdated_name_redirects(client, public_product):
    response = client.get("/provinsi/64-kaltim/produk/")

    assert response.status_code == 301
    assert response["Location"] == KALTIM_PRODUCTS


# PLM exhibition and SHM offers -----------------------------------------------------------


def test_consultant_marks_products_exhibited_at_the_plm(client_for, consultant, product, plm):
    client = client_for(consultant)
    page = client.get(reverse("products:event", args=[plm.pk]))
    assert product.name in page.content.decode()

    data = {"products": [product.pk], "shown": [product.pk]}
    client.post(reverse("products:exhibitions", args=[plm.pk]), data)
    client.post(reverse("products:exhibitions", args=[plm.pk]), data)

    assert ProductExhibition.objects.filter(event=plm, product=product).count() == 1
    client.post(reverse("products:exhibitions", args=[plm.pk]), {"shown": [product.pk]})
    assert not ProductExhibition.objects.exists()


def test_exhibition_refuses_another_provinces_product(client_for, consultant, plm, kepri_product):
    client = client_for(consultant)

    client.post(
        reverse("products:exhibitions", args=[plm.pk]),
        {"products": [kepri_product.pk], "shown": [kepri_product.pk]},
    )

    assert not ProductExhibition.objects.exists()


def test_librarian_cannot_mark_an_exhibition(client_for, village_librarian, product, plm):
    from events.models import Invitation

    Invitation.objects.create(event=plm, library=product.library)
    client = client_for(village_librarian)

    response = client.post(
        reverse("products:exhibitions", args=[plm.pk]),
        {"products": [product.pk], "shown": [product.pk]},
    )

    assert response.status_code == 403
    assert not ProductExhibition.objects.exists()


def test_outsider_cannot_reach_the_events_product_pages(client_for, outsider, plm, shm, exhibited):
    client = client_for(outsider)

    assert client.get(reverse("products:event", args=[plm.pk])).status_code == 404
    assert client.get(reverse("products:event", args=[shm.pk])).status_code == 404
    response = client.post(
        reverse("products:offer-add", args=[shm.pk, exhibited.pk]),
        {f"n{exhibited.pk}-kind": "loan"},
    )
    assert response.status_code == 404


def _offer_data(product, **overrides):
    prefix = f"n{product.pk}-"
    data = {
        "kind": ProductOffer.Kind.LOAN,
        "detail": "KUR mikro sampai Rp 10 juta",
        "stakeholder": "Bapak Hendra, kepala cabang",
        "organisation": "Bank Kaltimtara",
        "status": ProductOffer.Status.OFFERED,
        "follow_up": "",
        "create_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {prefix + key: value for key, value in data.items()}


def test_shm_lists_the_provinces_exhibited_products_and_records_offers(
    client_for, consultant, shm, exhibited, product, village_library, village_librarian
):
    never_exhibited = factories.product(
        village_library, author=village_librarian, name="Batik tulis belum dipamerkan"
    )
    client = client_for(consultant)

    page = client.get(reverse("products:event", args=[shm.pk])).content.decode()
    assert exhibited.name in page
    assert never_exhibited.name not in page

    data = _offer_data(exhibited)
    client.post(reverse("products:offer-add", args=[shm.pk, exhibited.pk]), data)
    client.post(reverse("products:offer-add", args=[shm.pk, exhibited.pk]), data)

    offer = ProductOffer.objects.get()
    assert (offer.organisation, offer.kind, offer.event) == ("Bank Kaltimtara", "loan", shm)
    page = client.get(reverse("products:event", args=[shm.pk])).content.decode()
    assert "Bank Kaltimtara" in page
    listed = client.get(reverse("products:offers"), {"province": "64"}).content.decode()
    assert "Bank Kaltimtara" in listed and exhibited.name in listed


def test_offer_for_a_product_not_taken_to_the_shm_is_not_found(
    client_for, consultant, shm, product
):
    response = client_for(consultant).post(
        reverse("products:offer-add", args=[shm.pk, product.pk]), _offer_data(product)
    )

    assert response.status_code == 404
    assert not ProductOffer.objects.exists()


def test_offer_without_stakeholder_is_explained_and_not_saved(
    client_for, consultant, shm, exhibited
):
    client = client_for(consultant)

    response = client.post(
        reverse("products:offer-add", args=[shm.pk, exhibited.pk]),
        _offer_data(exhibited, organisation="", kind="bribe"),
        follow=True,
    )

    assert not ProductOffer.objects.exists()
    assert "tidak disimpan" in response.content.decode()


def test_offer_follow_up_is_saved_and_a_stale_one_refused(client_for, consultant, shm, exhibited):
    offer = services.offer_record(
        actor=consultant,
        event=shm,
        product=exhibited,
        kind="certification",
        stakeholder="Ibu Sari",
        organisation="Dinas Kesehatan (PIRT)",
    )
    client = client_for(consultant)
    url = reverse("products:offer-follow-up", args=[offer.pk])
    prefix = f"o{offer.pk}-"

    client.post(
        url,
        {
            prefix + "status": "in_progress",
            prefix + "follow_up": "Berkas PIRT diajukan",
            prefix + "version": "1",
        },
    )
    client.post(url, {prefix + "status": "done", prefix + "follow_up": "", prefix + "version": "1"})

    offer.refresh_from_db()
    assert (offer.status, offer.follow_up, offer.version) == (
        "in_progress",
        "Berkas PIRT diajukan",
        2,
    )


def test_offer_is_refused_at_a_plm(consultant, plm, exhibited):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.offer_record(
            actor=consultant,
            event=plm,
            product=exhibited,
            kind="loan",
            stakeholder="x",
            organisation="Bank",
        )


def test_shm_offers_are_listed_for_the_provinces_products_only(
    client_for, consultant, outsider, shm, exhibited
):
    services.offer_record(
        actor=consultant,
        event=shm,
        product=exhibited,
        kind="packaging",
        stakeholder="Ibu Dewi",
        organisation="Rumah Kemasan Kaltim",
    )

    mine = client_for(consultant).get(reverse("products:offers")).content.decode()
    theirs = client_for(outsider).get(reverse("products:offers")).content.decode()

    assert "Rumah Kemasan Kaltim" in mine
    assert "Rumah Kemasan Kaltim" not in theirs


# Lists, exports, figures, stories ---------------------------------------------------------


def test_product_list_filters_by_province_kab_kota_and_offers(
    client_for, perpusnas, product, kepri_product, shm, exhibited, consultant
):
    services.offer_record(
        actor=consultant,
        event=shm,
        product=exhibited,
        kind="market",
        stakeholder="a",
        organisation="Koperasi",
    )
    client = client_for(perpusnas)

    everything = client.get(reverse("products:list")).content.decode()
    kaltim = client.get(reverse("products:list"), {"province": "64"}).content.decode()
    samarinda = client.get(
        reverse("products:list"), {"province": "64", "regency": "64.72"}
    ).content.decode()
    no_offer = client.get(reverse("products:list"), {"offers": "no"}).content.decode()

    assert product.name in everything and kepri_product.name in everything
    assert kepri_product.name not in kaltim
    assert product.name in samarinda
    assert product.name not in no_offer and kepri_product.name in no_offer


def test_product_list_bad_filter_shows_nothing_rather_than_failing(client_for, perpusnas, product):
    response = client_for(perpusnas).get(
        reverse("products:list"), {"province": "zz", "q": "x" * 500}
    )

    assert response.status_code == 200
    assert product.name not in response.content.decode()


def test_consultant_list_and_export_are_limited_to_their_province(
    client_for, consultant, product, kepri_product
):
    client = client_for(consultant)

    listed = client.get(reverse("products:list")).content.decode()
    csv = b"".join(client.get(reverse("products:export", args=["csv"])).streaming_content)
    xlsx = client.get(reverse("products:export", args=["xlsx"]))

    assert product.name in listed and kepri_product.name not in listed
    assert product.name.encode() in csv and kepri_product.name.encode() not in csv
    rows = list(load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert [row[1] for row in rows[1:]] == [product.name]
    assert client.get(reverse("products:export", args=["pdf"])).status_code == 404


def test_offer_export_in_scope(client_for, consultant, outsider, shm, exhibited):
    services.offer_record(
        actor=consultant,
        event=shm,
        product=exhibited,
        kind="promotion",
        stakeholder="a",
        organisation="PKK Kaltim",
    )

    mine = b"".join(
        client_for(consultant).get(reverse("products:offer-export", args=["csv"])).streaming_content
    )
    theirs = b"".join(
        client_for(outsider).get(reverse("products:offer-export", args=["csv"])).streaming_content
    )

    assert b"PKK Kaltim" in mine and b"PKK Kaltim" not in theirs


def test_dashboard_counts_products_and_products_with_an_offer(
    client_for, consultant, perpusnas, shm, exhibited, village_library, village_librarian
):
    factories.product(village_library, author=village_librarian, name="Tanpa tawaran")
    services.offer_record(
        actor=consultant,
        event=shm,
        product=exhibited,
        kind="loan",
        stakeholder="a",
        organisation="BRI",
    )

    page = client_for(perpusnas).get(reverse("dashboard:province", args=["64"]))

    section = next(s for s in page.context["sections"] if s.slug == "produk")
    figures = section.context["figures"]
    assert (figures.products, figures.with_offer, figures.exhibited) == (2, 1, 1)


def test_a_story_points_at_the_product_it_is_about(client_for, village_librarian, product):
    story = factories.StoryFactory(library=product.library, author=village_librarian)
    client = client_for(village_librarian)
    form = client.get(reverse("impact:edit", args=[story.pk])).context["form"]
    data = {
        name: form.initial.get(name, getattr(story, name, "")) or ""
        for name in Story.CONTENT_FIELDS
    }
    data.update(
        {
            "version": story.version,
            "community_product": product.pk,
            "village": story.village_id or "",
            "event": "",
        }
    )

    client.post(reverse("impact:edit", args=[story.pk]), data)

    story.refresh_from_db()
    assert story.community_product == product
    detail = client.get(reverse("products:detail", args=[product.pk])).content.decode()
    assert story.title in detail
    story_page = client.get(reverse("impact:detail", args=[story.pk])).content.decode()
    assert reverse("products:detail", args=[product.pk]) in story_page


def test_a_story_cannot_point_at_another_librarys_product(village_librarian, berau_village_library):
    from django.core.exceptions import ValidationError

    other = factories.product(berau_village_library)
    story = factories.StoryFactory(library=village_librarian.library, author=village_librarian)
    story.community_product = other

    with pytest.raises(ValidationError):
        story.full_clean()


def test_sitemap_lists_the_product_page_of_a_province_with_consented_products_only(
    client, product, kepri_product, public_product
):
    body = client.get("/sitemap-products.xml").content.decode()

    assert KALTIM_PRODUCTS in body
    assert "/provinsi/21-" not in body


def test_librarian_deletes_a_product_recorded_by_mistake(client_for, village_librarian, product):
    client = client_for(village_librarian)

    response = client.post(reverse("products:delete", args=[product.pk]))

    assert response["Location"] == reverse("products:list")
    assert not Product.objects.exists()


def test_a_product_with_a_consent_or_an_offer_on_record_is_kept(
    client_for, village_librarian, consultant, public_product, exhibited
):
    client = client_for(village_librarian)

    for kept in (public_product, exhibited):
        response = client.post(reverse("products:delete", args=[kept.pk]), follow=True)
        assert "tidak dapat dihapus" in response.content.decode()
    assert Product.objects.count() == 2
    assert (
        client_for(consultant).post(reverse("products:delete", args=[exhibited.pk])).status_code
        == 403
    )


def test_national_plm_lists_the_products_the_provincial_plms_exhibited(
    client_for, perpusnas, exhibited, kepri_product
):
    national = factories.event(
        actor=perpusnas,
        kind=Event.Kind.PLM_NATIONAL,
        title="PLM Nasional",
        first_day=datetime.date(2022, 11, 21),
    )

    page = client_for(perpusnas).get(reverse("products:event", args=[national.pk]))

    shown = list(page.context["exhibition_form"].fields["products"].queryset)
    assert shown == [exhibited]


def test_a_form_key_used_by_someone_else_is_refused_not_a_server_error(
    client_for, village_librarian, district_librarian, village_library
):
    data = _product_post(village_library)
    client_for(village_librarian).post(reverse("products:create"), data)

    response = client_for(district_librarian).post(reverse("products:create"), data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Product.objects.count() == 1


def test_the_same_offer_form_for_another_product_is_refused(
    consultant, shm, exhibited, village_library, village_librarian, plm
):
    from django.core.exceptions import ValidationError

    other = factories.product(village_library, author=village_librarian, name="Batik")
    services.exhibitions_set(actor=consultant, event=plm, products=[other], shown=[])
    key = uuid.uuid4()
    fields = {"kind": "loan", "stakeholder": "a", "organisation": "BRI", "create_key": key}
    services.offer_record(actor=consultant, event=shm, product=exhibited, **fields)

    with pytest.raises(ValidationError):
        services.offer_record(actor=consultant, event=shm, product=other, **fields)
    assert ProductOffer.objects.count() == 1


def test_an_invited_librarian_sees_only_their_own_products_at_the_event(
    client_for, consultant, plm, shm, exhibited, berau_village_library
):
    from events.models import Invitation

    berau = factories.product(berau_village_library, name="Kopi Berau")
    services.exhibitions_set(actor=consultant, event=plm, products=[berau], shown=[])
    Invitation.objects.create(event=plm, library=exhibited.library)
    Invitation.objects.create(event=shm, library=exhibited.library)
    librarian = factories.librarian("pustakawan.rawamakmur2", exhibited.library)
    client = client_for(librarian)

    for event in (plm, shm):
        page = client.get(reverse("products:event", args=[event.pk])).content.decode()
        assert exhibited.name in page, event
        assert "Kopi Berau" not in page, event

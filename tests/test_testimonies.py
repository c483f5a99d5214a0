"""Testimonies: short quotes under the consent rules of stories, public only with consent,
withdrawn from the public pages in the same request, and promotable to a story draft."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from impact import models as impact_models
from impact.models import Consent, Story
from impact.testimonies import services
from tests import factories

QUOTE = "Sejak ikut pelatihan di perpustakaan, keripik saya laku di pasar desa."
LIST = reverse("impact:testimony-list")
CREATE = reverse("impact:testimony-create")


def _testimony(library, author, **content):
    values = {
        "quote": QUOTE,
        "speaker_name": "Ibu Sumiati",
        "speaker_description": "pembuat keripik",
        "age_group": Story.AgeGroup.ADULT,
        "given_on": datetime.date(2024, 5, 2),
    }
    values.update(content)
    testimony, _created = services.testimony_create(actor=author, library=library, **values)
    return testimony


def _consent(testimony, author, kind=Consent.Kind.STORY_USE, **extra):
    values = {
        "given_by": "Ibu Sumiati",
        "method": Consent.Method.VERBAL,
        "witness": "Kepala perpustakaan",
        "given_on": datetime.date(2024, 5, 2),
    }
    values.update(extra)
    return services.testimony_consent_record(testimony=testimony, actor=author, kind=kind, **values)


@pytest.fixture
def testimony(village_librarian, village_library):
    return _testimony(village_library, village_librarian)


@pytest.fixture
def published(testimony, village_librarian, consultant):
    _consent(testimony, village_librarian)
    _consent(testimony, village_librarian, Consent.Kind.NAMING)
    return services.testimony_publish(actor=consultant, testimony=testimony)


def _library_page(client, library):
    return client.get(
        reverse("public:library", kwargs={"code": library.province_id, "pk": library.pk}),
        follow=True,
    )


# The consent rules


def test_a_testimony_cannot_be_published_without_consent_to_use_it(testimony, consultant):
    with pytest.raises(ValidationError, match="Belum ada persetujuan penggunaan testimoni"):
        services.testimony_publish(actor=consultant, testimony=testimony)

    testimony.refresh_from_db()
    assert testimony.status == impact_models.Testimony.Status.DRAFT


def test_a_named_speaker_needs_the_consent_to_be_named(testimony, village_librarian, consultant):
    _consent(testimony, village_librarian)

    problems = services.publish_blockers(testimony)

    assert len(problems) == 1 and "disebutkan namanya" in problems[0]


def test_a_minor_consents_through_a_parent_or_guardian(village_librarian, village_library):
    child = _testimony(
        village_library, village_librarian, age_group=Story.AgeGroup.TEEN, speaker_name=""
    )

    with pytest.raises(ValidationError) as error:
        _consent(child, village_librarian, given_by="Rudi")
    consent = _consent(child, village_librarian, given_by="Ibu Rudi", guardian_relation="ibu")

    assert "guardian_relation" in error.value.message_dict
    assert consent.by_guardian
    assert services.publish_blockers(child) == []


def test_a_testimony_takes_only_the_consents_a_quote_needs(testimony, village_librarian):
    with pytest.raises(ValidationError):
        _consent(testimony, village_librarian, kind=Consent.Kind.VIDEO)
    with pytest.raises(IntegrityError), transaction.atomic():
        Consent.objects.create(
            testimony=testimony,
            kind=Consent.Kind.VIDEO,
            given_by="x",
            method=Consent.Method.VERBAL,
            witness="y",
            given_on=datetime.date(2024, 5, 2),
            recorded_by=village_librarian,
        )


def test_recording_the_same_consent_again_needs_a_reason_and_keeps_the_first(
    testimony, village_librarian
):
    first = _consent(testimony, village_librarian)

    with pytest.raises(ValidationError):
        _consent(testimony, village_librarian)
    second = _consent(testimony, village_librarian, replaces_reason="Tanggal salah")

    first.refresh_from_db()
    assert first.superseded_by == second
    assert list(testimony.consents.active()) == [second]


def test_a_testimony_is_about_an_activity_of_its_own_library(
    village_librarian, village_library, berau_village_library
):
    elsewhere = factories.ActivityFactory(library=berau_village_library)

    with pytest.raises(ValidationError) as error:
        _testimony(village_library, village_librarian, activity=elsewhere)

    assert "activity" in error.value.message_dict


def test_a_retried_create_records_one_testimony(village_librarian, village_library):
    key = uuid.uuid4()

    for _attempt in range(2):
        services.testimony_create(
            actor=village_librarian,
            library=village_library,
            idempotency_key=key,
            quote=QUOTE,
            age_group=Story.AgeGroup.ADULT,
            given_on=datetime.date(2024, 5, 2),
        )

    assert impact_models.Testimony.objects.count() == 1


# Public pages and withdrawal


def test_published_testimony_shows_on_the_library_page_with_the_consented_name(
    client, published, village_library
):
    page = _library_page(client, village_library)

    assert QUOTE in page.text
    assert "Ibu Sumiati" in page.text


def test_unpublished_or_unconsented_testimonies_are_not_public(
    client, testimony, village_librarian, village_library
):
    _consent(testimony, village_librarian)  # consent, but not published

    assert QUOTE not in _library_page(client, village_library).text


def test_speaker_is_not_named_in_public_without_the_consent_to_be_named(
    client, village_librarian, village_library, consultant
):
    anonymous = _testimony(village_library, village_librarian, anonymous=True, speaker_name="")
    _consent(anonymous, village_librarian)
    services.testimony_publish(actor=consultant, testimony=anonymous)

    page = _library_page(client, village_library)

    assert QUOTE in page.text
    assert "Ibu Sumiati" not in page.text
    assert "Anggota masyarakat" in page.text


def test_withdrawing_consent_removes_it_from_the_cached_public_page_at_once(
    client, client_for, published, village_librarian, village_library
):
    assert QUOTE in _library_page(client, village_library).text  # now cached
    use = published.consents.active().get(kind=Consent.Kind.STORY_USE)

    response = client_for(village_librarian).post(
        reverse("impact:consent-withdraw", args=[use.pk]), {"reason": "Tidak ingin dipublikasikan"}
    )

    assert response.status_code == 302
    assert QUOTE not in _library_page(client, village_library).text
    published.refresh_from_db()
    assert published.status == impact_models.Testimony.Status.WITHDRAWN
    use.refresh_from_db()
    assert use.withdrawn_reason == "Tidak ingin dipublikasikan"  # the proof stays
    with pytest.raises(ValidationError):
        services.testimony_update(actor=village_librarian, testimony=published, quote="Baru")


def test_withdrawing_the_naming_consent_takes_it_back_to_staff(
    client, client_for, published, village_librarian, village_library
):
    naming = published.consents.active().get(kind=Consent.Kind.NAMING)
    _library_page(client, village_library)

    client_for(village_librarian).post(
        reverse("impact:consent-withdraw", args=[naming.pk]), {"reason": "Ganti pikiran"}
    )

    published.refresh_from_db()
    assert published.status == impact_models.Testimony.Status.DRAFT
    assert "Ibu Sumiati" not in _library_page(client, village_library).text


def test_withdrawal_without_a_reason_changes_nothing(client_for, published, village_librarian):
    use = published.consents.active().get(kind=Consent.Kind.STORY_USE)

    client_for(village_librarian).post(reverse("impact:consent-withdraw", args=[use.pk]), {})

    use.refresh_from_db()
    assert use.is_active


def test_outsider_cannot_withdraw_a_testimony_consent(client_for, published, outsider):
    use = published.consents.active().get(kind=Consent.Kind.STORY_USE)

    response = client_for(outsider).post(
        reverse("impact:consent-withdraw", args=[use.pk]), {"reason": "x"}
    )

    assert response.status_code == 404
    use.refresh_from_db()
    assert use.is_active


# Promotion to a story


def test_a_testimony_is_promoted_to_a_story_draft_once(
    client_for, village_librarian, village_library
):
    activity = factories.ActivityFactory(library=village_library, title="Pelatihan keripik")
    testimony = _testimony(village_library, village_librarian, activity=activity)
    client = client_for(village_librarian)
    url = reverse("impact:testimony-promote", args=[testimony.pk])

    first = client.post(url)
    second = client.post(url)

    story = Story.objects.get()
    assert first["Location"] == second["Location"] == reverse("impact:edit", args=[story.pk])
    assert story.status == Story.Status.DRAFT
    assert story.why_it_matters == QUOTE
    assert story.storyteller_name == "Ibu Sumiati"
    assert story.involvement == Story.Involvement.ACTIVITY
    assert "Pelatihan keripik" in story.involvement_detail
    assert story.library == village_library and story.author == village_librarian
    assert not story.consents.exists()  # a full story is another use: its own consent
    testimony.refresh_from_db()
    assert testimony.story == story


def test_consultant_cannot_promote_and_outsider_sees_nothing(
    client_for, consultant, outsider, testimony
):
    url = reverse("impact:testimony-promote", args=[testimony.pk])

    assert client_for(consultant).post(url).status_code == 403
    assert client_for(outsider).post(url).status_code == 404
    assert not Story.objects.exists()


# The pages


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in (LIST, CREATE):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_librarian_records_a_testimony_and_its_consent(
    client_for, village_librarian, village_library
):
    client = client_for(village_librarian)
    form = client.get(CREATE)
    data = {
        "library": village_library.pk,
        "idempotency_key": form.context["form"].initial["idempotency_key"],
        "quote": QUOTE,
        "speaker_name": "Ibu Sumiati",
        "age_group": "adult",
        "given_on": "2024-05-02",
    }

    created = client.post(CREATE, data)
    again = client.post(CREATE, data)

    testimony = impact_models.Testimony.objects.get()
    assert created["Location"] == again["Location"]
    consent = client.post(
        reverse("impact:testimony-consent-add", args=[testimony.pk]),
        {
            "kind": "story_use",
            "given_by": "Ibu Sumiati",
            "method": "verbal",
            "witness": "Kepala perpustakaan",
            "given_on": "2024-05-02",
        },
    )
    assert consent.status_code == 302
    detail = client.get(reverse("impact:testimony-detail", args=[testimony.pk]))
    assert QUOTE in detail.text
    assert "Penggunaan cerita atau testimoni" in detail.text
    assert QUOTE[:20] in client.get(LIST).text


def test_bad_input_is_explained_and_nothing_is_saved(
    client_for, village_librarian, village_library, testimony
):
    client = client_for(village_librarian)

    empty = client.post(CREATE, {"library": village_library.pk, "idempotency_key": uuid.uuid4()})
    too_long = client.post(
        CREATE,
        {
            "library": village_library.pk,
            "idempotency_key": uuid.uuid4(),
            "quote": "kata " * 200,
            "age_group": "adult",
            "given_on": "2024-05-02",
        },
    )
    future = client.post(
        reverse("impact:testimony-consent-add", args=[testimony.pk]),
        {
            "kind": "story_use",
            "given_by": "Ibu Sumiati",
            "method": "verbal",
            "witness": "Saksi",
            "given_on": "2999-01-01",
        },
    )
    no_witness = client.post(
        reverse("impact:testimony-consent-add", args=[testimony.pk]),
        {"kind": "naming", "given_by": "Ibu Sumiati", "method": "verbal", "given_on": "2024-05-02"},
    )

    assert empty.status_code == too_long.status_code == 400
    assert "Bidang ini tidak boleh kosong" in empty.text
    assert "600" in too_long.text
    assert future.status_code == no_witness.status_code == 400
    assert impact_models.Testimony.objects.count() == 1
    assert not Consent.objects.exists()


def test_consultant_reads_and_publishes_but_cannot_record(
    client_for, consultant, testimony, village_librarian
):
    client = client_for(consultant)
    detail = reverse("impact:testimony-detail", args=[testimony.pk])
    publish = reverse("impact:testimony-publish", args=[testimony.pk])

    assert client.get(detail).status_code == 200
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, {"quote": QUOTE}).status_code == 403
    consent_page = reverse("impact:testimony-consent-add", args=[testimony.pk])
    assert client.get(consent_page).status_code == 403
    refused = client.post(publish, {"publish": "1"}, follow=True)
    assert "Belum ada persetujuan" in refused.text
    _consent(testimony, village_librarian)
    _consent(testimony, village_librarian, Consent.Kind.NAMING)
    client.post(publish, {"publish": "1"})
    testimony.refresh_from_db()
    assert testimony.status == impact_models.Testimony.Status.PUBLISHED
    client.post(publish, {"publish": "bogus"})
    testimony.refresh_from_db()
    assert testimony.status == impact_models.Testimony.Status.PUBLISHED


def test_librarian_cannot_publish(client_for, village_librarian, testimony):
    response = client_for(village_librarian).post(
        reverse("impact:testimony-publish", args=[testimony.pk]), {"publish": "1"}
    )

    assert response.status_code == 403


def test_outsider_and_other_libraries_get_not_found(
    client_for, outsider, testimony, berau_village_library, tbm_manager
):
    other = factories.librarian("pustakawan.merabu", berau_village_library)
    for user in (outsider, other, tbm_manager):
        client = client_for(user)
        for name in ("testimony-detail", "testimony-consent-add"):
            assert client.get(reverse(f"impact:{name}", args=[testimony.pk])).status_code == 404
        assert (
            client.post(
                reverse("impact:testimony-publish", args=[testimony.pk]), {"publish": "1"}
            ).status_code
            == 404
        )
        assert QUOTE[:20] not in client.get(LIST).text


def test_testimony_pages_refuse_other_methods(client_for, village_librarian, testimony):
    client = client_for(village_librarian)

    assert client.get(reverse("impact:testimony-promote", args=[testimony.pk])).status_code == 405
    assert client.post(reverse("impact:testimony-detail", args=[testimony.pk])).status_code == 405
    assert client.post(LIST).status_code == 405


def test_public_library_page_keeps_its_queries_with_testimonies(
    client, village_librarian, village_library, consultant, django_assert_max_num_queries
):
    def publish_one(number):
        item = _testimony(
            village_library, village_librarian, quote=f"{QUOTE} ({number})", speaker_name=""
        )
        _consent(item, village_librarian)
        services.testimony_publish(actor=consultant, testimony=item)

    url = client.get(
        reverse("public:library", kwargs={"code": "64", "pk": village_library.pk}), follow=True
    ).request["PATH_INFO"]
    publish_one(0)  # a new data version: the next visit renders the page afresh
    with django_assert_max_num_queries(40) as first:
        client.get(url)
    for number in range(1, 9):
        publish_one(number)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count(QUOTE) == 6


def test_services_refuse_people_outside_the_library(testimony, outsider, district_librarian):
    with pytest.raises(PermissionDenied):
        services.testimony_promote(actor=outsider, testimony=testimony)
    with pytest.raises(PermissionDenied):
        services.testimony_publish(actor=district_librarian, testimony=testimony)


def test_editing_a_published_testimony_takes_it_off_until_published_again(
    client, client_for, published, village_librarian, village_library, consultant, outsider
):
    url = reverse("impact:testimony-edit", args=[published.pk])
    assert QUOTE in _library_page(client, village_library).text
    editor = client_for(village_librarian)
    data = {
        "quote": "Keripik saya kini dijual di toko oleh-oleh Samarinda.",
        "speaker_name": "Ibu Sumiati",
        "age_group": "adult",
        "given_on": "2024-05-02",
    }

    assert client_for(consultant).post(url, data).status_code == 403
    assert client_for(outsider).get(url).status_code == 404
    bad = editor.post(url, {**data, "quote": ""})
    saved = editor.post(url, data)

    assert bad.status_code == 400
    assert saved.status_code == 302
    published.refresh_from_db()
    assert published.quote.startswith("Keripik saya kini")
    assert published.status == impact_models.Testimony.Status.DRAFT
    assert "toko oleh-oleh" not in _library_page(client, village_library).text

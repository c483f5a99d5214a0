"""Recording a library's publicity: posts, news articles, village-website pages."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse

from libraries.models import Publication
from libraries.reporting.services import publication_record
from tests import factories

LIST = reverse("reporting:publications")
CREATE = reverse("reporting:publication-create")


def _data(library, **overrides):
    data = {
        "library": library.pk,
        "idempotency_key": str(uuid.uuid4()),
        "url": "https://www.instagram.com/p/perpus-rawa-makmur/",
        "channel": "social_media",
        "published_on": "2024-03-05",
        "title": "Pelatihan keripik pisang di perpustakaan",
    }
    data.update(overrides)
    return data


@pytest.fixture
def publication(village_librarian, village_library):
    record, _created = publication_record(
        actor=village_librarian,
        library=village_library,
        idempotency_key=uuid.uuid4(),
        channel="news",
        url="https://kaltim.example.id/berita/rawa-makmur",
        published_on=datetime.date(2024, 2, 1),
        title="Perpustakaan Rawa Makmur di koran",
    )
    return record


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_sign_in(client):
    for url in (LIST, CREATE):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_librarian_records_a_publication_and_sees_it_listed(client_for, village_librarian):
    client = client_for(village_librarian)

    response = client.post(CREATE, _data(village_librarian.library))

    assert response.status_code == 302
    publication = Publication.objects.get()
    assert publication.recorded_by == village_librarian
    assert publication.channel == "social_media"
    page = client.get(LIST).content.decode()
    assert "Pelatihan keripik pisang di perpustakaan" in page
    assert 'href="https://www.instagram.com/p/perpus-rawa-makmur/"' in page
    assert 'rel="noopener noreferrer nofollow ugc"' in page


def test_double_submit_records_once(client_for, village_librarian):
    client = client_for(village_librarian)
    data = _data(village_librarian.library)

    client.post(CREATE, data)
    again = client.post(CREATE, data, follow=True)

    assert Publication.objects.count() == 1
    assert "sudah dicatat" in again.content.decode() or "already" in again.content.decode()


def test_the_same_link_twice_is_refused_with_a_message(client_for, village_librarian):
    client = client_for(village_librarian)
    client.post(CREATE, _data(village_librarian.library))

    response = client.post(CREATE, _data(village_librarian.library))

    assert response.status_code == 400
    assert Publication.objects.count() == 1
    assert response.context["form"].non_field_errors() or response.context["form"].errors


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "ftp://desa.example.id/berita",
        "https://",
        "bukan alamat",
        "https://" + "a" * 600 + ".id/",
    ],
)
def test_a_link_that_is_not_a_web_page_is_refused(client_for, village_librarian, url):
    response = client_for(village_librarian).post(CREATE, _data(village_librarian.library, url=url))

    assert response.status_code == 400
    assert "url" in response.context["form"].errors
    assert not Publication.objects.exists()


def test_a_link_without_scheme_is_taken_as_https(client_for, village_librarian):
    client_for(village_librarian).post(
        CREATE, _data(village_librarian.library, url="desa-rawamakmur.id/berita/1")
    )

    assert Publication.objects.get().url == "https://desa-rawamakmur.id/berita/1"


def test_a_future_date_is_refused(client_for, village_librarian):
    future = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()

    response = client_for(village_librarian).post(
        CREATE, _data(village_librarian.library, published_on=future)
    )

    assert response.status_code == 400
    assert "published_on" in response.context["form"].errors
    assert not Publication.objects.exists()


def test_librarian_cannot_record_for_a_library_outside_their_own(
    client_for, village_librarian, kepri_library
):
    response = client_for(village_librarian).post(CREATE, _data(kepri_library))

    assert response.status_code == 400
    assert not Publication.objects.exists()


def test_consultant_reads_but_cannot_write(client_for, consultant, publication):
    client = client_for(consultant)
    edit = reverse("reporting:publication-edit", args=[publication.pk])
    delete = reverse("reporting:publication-delete", args=[publication.pk])

    assert "Perpustakaan Rawa Makmur di koran" in client.get(LIST).content.decode()
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _data(publication.library)).status_code == 403
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"url": "https://x.id/"}).status_code == 403
    assert client.post(delete).status_code == 403
    assert Publication.objects.get().url == publication.url


def test_another_province_gets_404_and_sees_nothing(client_for, outsider, publication):
    client = client_for(outsider)

    assert "Rawa Makmur" not in client.get(LIST).content.decode()
    assert client.get(reverse("reporting:publication-edit", args=[publication.pk])).status_code == (
        404
    )
    assert (
        client.post(reverse("reporting:publication-delete", args=[publication.pk])).status_code
        == 404
    )
    assert Publication.objects.exists()


def test_other_librarian_of_another_kab_kota_gets_404(client_for, publication, regions):
    berau = factories.district_library("64.03")
    other = factories.librarian("pustakawan.berau", berau)

    response = client_for(other).get(reverse("reporting:publication-edit", args=[publication.pk]))

    assert response.status_code == 404


def test_librarian_edits_and_a_stale_edit_is_refused(client_for, village_librarian, publication):
    client = client_for(village_librarian)
    edit = reverse("reporting:publication-edit", args=[publication.pk])
    data = {
        "version": 1,
        "url": "https://kaltim.example.id/berita/rawa-makmur-2",
        "channel": "news",
        "published_on": "2024-02-02",
        "title": "Judul baru",
    }

    assert client.post(edit, data).status_code == 302
    stale = client.post(edit, {**data, "title": "Judul lama"})

    assert stale.status_code == 400
    publication.refresh_from_db()
    assert (publication.title, publication.version) == ("Judul baru", 2)


def test_librarian_deletes_with_post_only(client_for, village_librarian, publication):
    client = client_for(village_librarian)
    delete = reverse("reporting:publication-delete", args=[publication.pk])

    assert client.get(delete).status_code == 405
    assert client.post(delete).status_code == 302
    assert not Publication.objects.exists()


def test_publications_count_as_an_indicator(publication, village_library):
    from libraries.models import Indicator
    from libraries.reporting.indicators import Area, Period, area_indicators

    report = area_indicators(Area.for_library(village_library), Period.for_year(2024))

    assert report[Indicator.PUBLICATIONS].actual == 1


def test_list_keeps_its_query_count_as_data_grows(
    client_for, village_librarian, publication, django_assert_num_queries
):
    client = client_for(village_librarian)
    client.get(LIST)
    # session, user and the page (one row more than it shows: no COUNT)
    with django_assert_num_queries(3) as first:
        client.get(LIST)
    for number in range(10):
        publication_record(
            actor=village_librarian,
            library=publication.library,
            idempotency_key=uuid.uuid4(),
            channel="social_media",
            url=f"https://facebook.com/perpus/{number}",
            published_on=datetime.date(2024, 3, 1),
        )
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 11


def test_list_filters_by_channel_and_library_and_refuses_unreadable_filters(
    client_for, consultant, publication, kepri_library
):
    client = client_for(consultant)
    library = publication.library.pk

    assert "rawa-makmur" in client.get(LIST, {"saluran": "news"}).content.decode()
    assert "rawa-makmur" not in client.get(LIST, {"saluran": "video"}).content.decode()
    assert "rawa-makmur" in client.get(LIST, {"perpustakaan": library}).content.decode()
    # A channel that does not exist, or a library outside the scope, shows an empty list with
    # the form's message, never every publication and never a 500.
    for bad in ({"saluran": "fax"}, {"perpustakaan": kepri_library.pk}, {"perpustakaan": "x"}):
        response = client.get(LIST, bad)
        assert response.status_code == 200
        assert "rawa-makmur" not in response.content.decode()
        assert response.context["form"].errors

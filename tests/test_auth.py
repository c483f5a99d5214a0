import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

LOGIN = reverse("login")


def test_sign_in_leads_to_the_dashboard(client, district_librarian):
    response = client.post(LOGIN, {"username": "pustakawan.samarinda", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")
    dashboard = client.get(reverse("dashboard"))
    assert "Pustakawan kabupaten/kota" in dashboard.text


def test_wrong_password_is_explained_in_indonesian(client, district_librarian):
    response = client.post(LOGIN, {"username": "pustakawan.samarinda", "password": "salah"})

    assert response.status_code == 200
    assert "nama pengguna dan sandi" in response.text.lower()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_lock_the_account_for_a_while(client, district_librarian):
    for _attempt in range(5):
        client.post(LOGIN, {"username": "pustakawan.samarinda", "password": "salah"})

    response = client.post(LOGIN, {"username": "pustakawan.samarinda", "password": PASSWORD})

    assert response.status_code == 429
    assert "diblokir sementara" in response.text
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_post_and_ends_the_session(client_for, district_librarian):
    client = client_for(district_librarian)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302


def test_dashboard_asks_anonymous_visitors_to_sign_in(client, regions):
    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_dashboard_counts_only_the_libraries_in_scope(
    client_for, district_librarian, village_library, kepri_library
):
    response = client_for(district_librarian).get(reverse("dashboard"))

    assert response.context["library_total"] == 2


def test_unassigned_account_is_told_to_ask_for_an_assignment(client_for, regions):
    from tests.factories import consultant

    response = client_for(consultant("baru")).get(reverse("dashboard"))

    assert "belum ditugaskan" in response.text


def test_password_change_with_a_wrong_old_password_changes_nothing(client_for, district_librarian):
    client = client_for(district_librarian)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "salah",
            "new_password1": "Perpus-Baru-2024",
            "new_password2": "Perpus-Baru-2024",
        },
    )

    assert response.status_code == 200
    district_librarian.refresh_from_db()
    assert district_librarian.check_password(PASSWORD)


def test_password_change(client_for, district_librarian):
    client = client_for(district_librarian)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Perpus-Baru-2024",
            "new_password2": "Perpus-Baru-2024",
        },
    )

    assert response.status_code == 302
    district_librarian.refresh_from_db()
    assert district_librarian.check_password("Perpus-Baru-2024")


@pytest.mark.django_db
def test_password_reset_sends_a_working_link(
    client, district_librarian, django_capture_on_commit_callbacks
):
    # The e-mail is a background task queued when the request's transaction commits.
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(reverse("password_reset"), {"email": district_librarian.email})
    assert response.status_code == 302
    assert mail.outbox == []  # not sent inside the request
    for callback in queued:
        callback()

    assert len(mail.outbox) == 1
    assert "atur ulang kata sandi" in mail.outbox[0].subject.lower()
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Perpus-Baru-2024", "new_password2": "Perpus-Baru-2024"},
    )
    assert done.status_code == 302
    district_librarian.refresh_from_db()
    assert district_librarian.check_password("Perpus-Baru-2024")


@pytest.mark.django_db
def test_password_reset_for_an_unknown_address_reveals_nothing(client, regions):
    response = client.post(reverse("password_reset"), {"email": "siapa@example.org"})

    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_health_page_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("health"))

    assert response.status_code == 200
    assert "OK" in response.text

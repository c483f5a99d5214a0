import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from events.models import Attendance, Event
from impact import models as impact_models
from libraries.models import Activity, Library, Skill, User
from libraries.regions_loader import DEFAULT_REGISTER, load_regions
from libraries.scope import Scope


@pytest.mark.slow
@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_demo_data_gives_one_login_per_role_in_the_documented_provinces(capsys):
    load_regions(path=DEFAULT_REGISTER)

    call_command("load_demo_data")
    first_count = Library.objects.count()
    call_command("load_demo_data")

    out = capsys.readouterr().out
    assert Library.objects.count() == first_count > 60
    assert set(Library.objects.values_list("province", flat=True)) == {"12", "21", "33", "64"}
    for username in [
        "admin",
        "konsultan.kaltim",
        "konsultan.kepri",
        "pustakawan.samarinda",
        "pustakawan.desa",
        "pengelola.tbm",
    ]:
        assert username in out
        user = User.objects.get(username=username)
        assert user.check_password("tpbis-demo-2024")
        user.full_clean()
    samarinda = User.objects.get(username="pustakawan.samarinda")
    assert Scope.for_user(samarinda).regency_codes == {"64.72"}
    assert Library.objects.get(village__isnull=False, librarians__username="pustakawan.desa")
    tbm = Library.objects.get(librarians__username="pengelola.tbm")
    assert tbm.level == Library.Level.TBM and tbm.regency_id == "64.72"
    tbm_provinces = Library.objects.filter(level=Library.Level.TBM).values("province")
    assert set(tbm_provinces.values_list("province", flat=True)) == {"12", "21", "33", "64"}
    # Testimonies of a village library and of the TBM, published with consent.
    assert impact_models.Testimony.objects.public().filter(library=tbm).count() == 1
    assert impact_models.Testimony.objects.count() == 3
    # Activities name skills from the catalogue.
    assert Skill.objects.count() == 6
    assert Activity.objects.filter(catalogue_skills__isnull=False).exists()
    # Most demo libraries have an NPP, each its own.
    numbers = list(Library.objects.exclude(npp="").values_list("npp", flat=True))
    assert len(numbers) == len(set(numbers)) > first_count / 2
    plm = Event.objects.get(title="PLM Provinsi Kalimantan Timur")
    present = Attendance.objects.active().filter(session__event=plm)
    assert plm.certificates.valid().count() == present.values("participant").distinct().count()
    assert plm.certificates.count() == plm.certificates.valid().count() > 0  # no duplicates
    from impact.models import Product, ProductOffer

    products = Product.objects.filter(library__province="64")
    assert products.count() == 3  # none duplicated by the second run
    assert products.with_offers().count() == 3
    assert products.public().count() == 2
    assert set(ProductOffer.objects.values_list("event__kind", flat=True)) == {"shm_province"}
    assert products.filter(exhibitions__event=plm).count() == 3


@pytest.mark.django_db
def test_demo_data_is_refused_in_production():
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("load_demo_data")

import datetime

import pytest
from django.db import transaction

from legalops import seed
from legalops.accounts.models import Role, User
from legalops.audit.models import AuditEvent
from legalops.organization.models import FxRate
from legalops.seed.scales import SCALES
from legalops.vendors.models import LawFirm

TODAY = datetime.date(2026, 11, 28)


def snapshot():
    return (
        list(
            LawFirm.objects.order_by("law_firm_id").values_list(
                "law_firm_id", "name", "status", "currency"
            )
        ),
        list(FxRate.objects.order_by("quote", "date").values_list("quote", "date", "rate")),
        list(User.objects.order_by("username").values_list("username", "first_name", "role")),
    )


@pytest.mark.django_db
def test_small_seed_fills_every_model_with_the_scale_sizes():
    report = seed.run(scale="small", seed=7, today=TODAY)
    scale = SCALES["small"]
    assert LawFirm.objects.count() == scale.firms
    assert User.objects.filter(role=Role.ATTORNEY).count() == scale.attorneys + 1
    for role in Role.values:
        assert User.objects.filter(role=role).exists(), role
    assert report.counts["law firms"] == scale.firms
    assert FxRate.objects.filter(quote="EUR").count() == scale.years_of_history * 12 + 1


@pytest.mark.django_db
def test_personas_include_two_firm_users_of_two_firms():
    seed.run(scale="small", seed=1, today=TODAY)
    a, b = User.objects.get(username="firm-a"), User.objects.get(username="firm-b")
    assert a.firm != b.firm and a.role == b.role == Role.FIRM
    assert User.objects.get(username="admin").role == Role.ADMIN
    assert not User.objects.get(username="admin").has_usable_password()


def seeded_snapshot(seed_value):
    """Seed inside a savepoint, read everything, roll back: each run starts empty."""
    savepoint = transaction.savepoint_create()
    seed.run(scale="small", seed=seed_value, today=TODAY)
    data = snapshot()
    transaction.savepoint_rollback(savepoint)
    return data


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    first = seeded_snapshot(3)
    assert LawFirm.objects.count() == 0  # rolled back
    assert seeded_snapshot(3) == first
    other = seeded_snapshot(4)
    assert other[0] != first[0] and other[1] != first[1]


@pytest.mark.django_db
def test_one_audit_event_per_run_and_no_second_run():
    seed.run(scale="small", seed=1, today=TODAY)
    events = AuditEvent.objects.all()
    assert [e.event_type for e in events] == ["seed.loaded"]
    assert events[0].payload["scale"] == "small"
    with pytest.raises(seed.AlreadySeeded):
        seed.run(scale="small", seed=1, today=TODAY)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_after_a_bulk_load_postgresql_has_planner_statistics() -> None:
    from django.db import connection
    from tests.factories import LawFirmFactory

    from legalops.core.maintenance import refresh_planner_statistics

    LawFirmFactory.create_batch(7)
    refresh_planner_statistics()  # VACUUM ANALYZE: outside any transaction here
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'vendors_lawfirm'")
        assert cursor.fetchone() == (7,)

"""factory-boy factories for the platform models (bulk data comes from `legalops.seed`)."""

from __future__ import annotations

from typing import Any

import factory

from legalops.accounts.models import Role, User
from legalops.organization.models import BusinessUnit, PracticeArea
from legalops.vendors.models import LawFirm

PASSWORD = "correct-horse-battery-9"


class LawFirmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LawFirm

    law_firm_id = factory.Sequence(lambda n: f"{10 + n % 89}-{1000000 + n}")
    name = factory.Sequence(lambda n: f"Firm {n} LLP")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    role = Role.ATTORNEY
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")

    @factory.post_generation
    def password(obj: User, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save(update_fields=["password"])


class BusinessUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BusinessUnit

    code = factory.Sequence(lambda n: f"BU{n}")
    name = factory.Sequence(lambda n: f"Unit {n}")


class PracticeAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeArea

    code = factory.Sequence(lambda n: f"PA{n}")
    name = factory.Sequence(lambda n: f"Area {n}")


class TimekeeperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "vendors.Timekeeper"

    firm = factory.SubFactory(LawFirmFactory)
    timekeeper_id = factory.Sequence(lambda n: f"TK{n:04d}")
    name = factory.Sequence(lambda n: f"Keeper{n}, Pat")
    classification = "ASSOC"


class MatterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "matters.Matter"
        skip_postgeneration_save = True

    number = factory.Sequence(lambda n: f"M-{n:05d}")
    name = factory.Sequence(lambda n: f"Matter {n}")
    matter_type = "litigation"
    opened_on = factory.LazyFunction(lambda: __import__("datetime").date(2026, 1, 15))

    @factory.post_generation
    def firms(obj: Any, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        from legalops.matters.models import MatterFirm

        for firm in extracted or ():
            MatterFirm.objects.create(matter=obj, firm=firm)

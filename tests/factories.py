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

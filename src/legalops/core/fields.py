"""Model fields that keep numbers exact on SQLite as well as PostgreSQL.

SQLite stores `DecimalField` values as REAL and sums them as floats (measured in
reference/stack-and-style.md). Rates, units, hours and FX rates are therefore stored as integers
scaled by 10**places, which both databases sum exactly, and read back as `Decimal`.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import Combinable


class ScaledDecimalField(models.Field):
    """A `Decimal` with at most `places` decimal places, stored as a scaled integer.

    `ScaledDecimalField(places=4)` stores Decimal("450.1250") as 4501250. Values with more places
    than allowed are refused rather than silently rounded: a billed rate is kept as billed.
    """

    description = "Exact decimal stored as a scaled integer"
    # For django-stubs: what the field accepts and what it gives back.
    _pyi_private_set_type: Decimal | int | str | Combinable
    _pyi_private_get_type: Decimal

    def __init__(self, *args: Any, places: int = 4, **kwargs: Any) -> None:
        self.places = places
        super().__init__(*args, **kwargs)

    def get_internal_type(self) -> str:
        return "BigIntegerField"

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["places"] = self.places
        return name, path, args, kwargs

    def to_python(self, value: Any) -> Decimal | None:
        if value is None or isinstance(value, Decimal):
            return value
        try:
            return Decimal(str(value).strip())
        except InvalidOperation:
            raise ValidationError(f"{value!r} is not a number", code="invalid") from None

    def from_db_value(self, value: int | None, expression: Any, connection: Any) -> Decimal | None:
        return None if value is None else Decimal(value).scaleb(-self.places)

    def get_prep_value(self, value: Any) -> int | None:
        number = self.to_python(value)
        if number is None:
            return None
        scaled = number.scaleb(self.places)
        if scaled != scaled.to_integral_value():
            raise ValidationError(
                f"{number} has more than {self.places} decimal places", code="precision"
            )
        return int(scaled)

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        options: dict[str, Any] = {"form_class": forms.DecimalField, "decimal_places": self.places}
        options.update(kwargs)
        return models.Field.formfield(self, **options)

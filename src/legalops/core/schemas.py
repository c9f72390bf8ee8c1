"""Shared API schema pieces."""

from __future__ import annotations

from ninja import Schema


class ErrorItem(Schema):
    loc: list[str | int]
    msg: str
    code: str


class ErrorOut(Schema):
    """Every error response of the API has this shape."""

    detail: str
    errors: list[ErrorItem]


ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

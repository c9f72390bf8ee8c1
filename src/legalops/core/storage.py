"""Static files storage: hashed and compressed after `collectstatic`, plain names before it."""

from __future__ import annotations

from django.contrib.staticfiles.storage import StaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Before `collectstatic` has run (tests, a first start) there is no manifest and no copy in
    STATIC_ROOT: give the unhashed URL, which whitenoise serves from the app's static directory
    (WHITENOISE_USE_FINDERS). After it, names are hashed and cached far into the future."""

    manifest_strict = False

    def url(self, name: str | None, force: bool = False) -> str:
        try:
            return super().url(name, force)
        except ValueError:
            return StaticFilesStorage.url(self, name)

from pathlib import Path

from legalops.core import staticfiles


def test_static_files_are_collected_once_then_only_after_a_change(settings, tmp_path, monkeypatch):
    settings.STATIC_ROOT = tmp_path / "static"
    Path(settings.STATIC_ROOT).mkdir()
    runs = []
    monkeypatch.setattr(staticfiles, "call_command", lambda *a, **k: runs.append(a))
    assert staticfiles.collect_if_changed() is True
    assert staticfiles.collect_if_changed() is False
    assert len(runs) == 1
    monkeypatch.setattr(staticfiles, "source_fingerprint", lambda: "something else")
    assert staticfiles.collect_if_changed() is True
    assert len(runs) == 2


def test_the_fingerprint_follows_the_source_files(settings, tmp_path):
    source = tmp_path / "assets"
    source.mkdir()
    (source / "a.css").write_text("body{}")
    settings.STATICFILES_DIRS = [source]
    before = staticfiles.source_fingerprint()
    (source / "a.css").write_text("body{color:red}")
    assert staticfiles.source_fingerprint() != before

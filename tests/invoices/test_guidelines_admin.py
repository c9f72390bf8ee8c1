"""Guidelines management services: drafts (copy, upload, save), publishing with an effective
date, immutability, the engine's errors with line and key, audit events, and the diff."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from tests.invoices.guidelines_samples import ACME, june_15_2026  # noqa: F401

from legalops.audit.models import AuditEvent
from legalops.guidelines.config import parse_guidelines
from legalops.invoices.guidelines_admin import (
    guidelines_draft_create,
    guidelines_draft_save,
    guidelines_version_list,
    published_for_firms,
)
from legalops.invoices.guidelines_diff import Change, Side, guidelines_diff
from legalops.invoices.models import GuidelinesVersion
from legalops.invoices.rulebook import guidelines_in_force, guidelines_load, guidelines_publish

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("june_15_2026")]

TODAY = datetime.date(2026, 6, 15)

BASE = ACME

# By hand from BASE: daily-hours-cap hold/10 -> reduce/12, long-entry switched off, an
# override for firm A added, version label 2026.1 -> 2026.2.
CHANGED = """[guidelines]
name = "Acme OCG"
version = "2026.2"
effective = 2026-01-01

[rules.daily-hours-cap]
action = "reduce"
max_hours = 12

[rules.long-entry]
enabled = false

[[overrides]]
match = { law_firm_id = "36-1234567" }
rules.daily-hours-cap = { max_hours = 14 }
"""


def events(name: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=name).order_by("id"))


def test_a_draft_is_created_from_an_upload_and_audited(admin):
    draft = guidelines_draft_create(actor=admin, data=BASE.encode(), filename="acme.toml")
    assert (draft.status, draft.version, draft.effective) == (
        "draft",
        "2026.1",
        datetime.date(2026, 1, 1),
    )
    assert draft.source == BASE and draft.created_by == admin
    [event] = events("guidelines.draft_created")
    assert event.actor == admin and event.payload["new"]["uploaded"] == "acme.toml"


def test_a_copy_of_the_version_in_force_is_a_draft_with_the_same_bytes(admin):
    published = guidelines_load(actor=admin, data=BASE.encode(), filename="acme.toml")
    draft = guidelines_draft_create(
        actor=admin, data=published.source.encode(), filename="copy", copied_from=published
    )
    assert draft.pk != published.pk and draft.status == "draft"
    assert draft.source == published.source
    assert events("guidelines.draft_created")[0].payload["new"]["copied_from"] == published.pk
    # The same bytes again: the open draft, not a second one.
    again = guidelines_draft_create(actor=admin, data=BASE.encode(), filename="again")
    assert again.pk == draft.pk


def test_an_invalid_file_is_refused_with_its_line_and_key(admin):
    bad = BASE.replace("max_hours = 10", 'max_hours = "ten"')
    with pytest.raises(ValidationError) as caught:
        guidelines_draft_create(actor=admin, data=bad.encode(), filename="acme.toml")
    [message] = caught.value.messages
    # max_hours is on line 8 of the file.
    assert message.startswith("acme.toml:8: rules.daily-hours-cap.max_hours: expected a number")
    assert not GuidelinesVersion.objects.exists()


def test_unknown_rule_and_broken_toml_name_their_line(admin):
    draft = guidelines_draft_create(actor=admin, data=BASE.encode(), filename="acme.toml")
    unknown = BASE + '\n[rules.no-such-rule]\naction = "warn"\n'
    with pytest.raises(ValidationError) as caught:
        guidelines_draft_save(actor=admin, version=draft, source=unknown)
    assert ":10: rules.no-such-rule: unknown rule id" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        guidelines_draft_save(actor=admin, version=draft, source=BASE + "oops = = 1\n")
    assert ":9: invalid TOML" in caught.value.messages[0]
    draft.refresh_from_db()
    assert draft.source == BASE  # nothing half-written


def test_saving_a_draft_replaces_its_content_and_audits_old_and_new(admin):
    draft = guidelines_draft_create(actor=admin, data=BASE.encode(), filename="acme.toml")
    old_sha = draft.sha256
    saved = guidelines_draft_save(actor=admin, version=draft, source=CHANGED, via="form")
    saved.refresh_from_db()
    assert (saved.source, saved.version) == (CHANGED, "2026.2")
    assert saved.sha256 == parse_guidelines(CHANGED.encode()).sha256 != old_sha
    [event] = events("guidelines.draft_saved")
    assert event.payload["old"]["sha256"] == old_sha
    assert event.payload["new"]["version"] == "2026.2" and event.payload["via"] == "form"


def test_published_versions_never_change(admin):
    published = guidelines_load(actor=admin, data=BASE.encode(), filename="acme.toml")
    with pytest.raises(ValidationError, match="never change"):
        guidelines_draft_save(actor=admin, version=published, source=CHANGED)
    with pytest.raises(ValidationError, match="already published"):
        guidelines_publish(actor=admin, version=published, reason="again")
    published.refresh_from_db()
    assert published.source == BASE


def test_publish_writes_the_effective_date_into_the_file_and_audits_the_reason(admin):
    draft = guidelines_draft_create(actor=admin, data=CHANGED.encode(), filename="acme.toml")
    version = guidelines_publish(
        actor=admin, version=draft, effective=datetime.date(2026, 7, 1), reason="new year cap"
    )
    version.refresh_from_db()
    assert version.status == "published" and version.effective == datetime.date(2026, 7, 1)
    assert "effective = 2026-07-01\n" in version.source
    assert version.source.replace("2026-07-01", "2026-01-01") == CHANGED  # nothing else moved
    assert version.sha256 == parse_guidelines(version.source.encode()).sha256
    [event] = events("guidelines.published")
    assert event.reason == "new year cap"
    assert event.payload["effective"] == "2026-07-01" and event.payload["backdated"] is False


def test_the_version_in_force_is_the_latest_effective_on_or_before_the_day(admin):
    first = guidelines_load(actor=admin, data=BASE.encode(), filename="acme.toml")
    draft = guidelines_draft_create(actor=admin, data=CHANGED.encode(), filename="b.toml")
    second = guidelines_publish(
        actor=admin, version=draft, effective=datetime.date(2026, 7, 1), reason="cap"
    )
    assert guidelines_in_force(datetime.date(2026, 6, 30)) == first
    assert guidelines_in_force(datetime.date(2026, 7, 1)) == second
    rows = {row.version.pk: row for row in guidelines_version_list(user=admin)}
    assert rows[first.pk].standing == "in force"
    assert rows[first.pk].until == datetime.date(2026, 6, 30)
    assert rows[second.pk].standing == "scheduled"
    assert [row.version for row in published_for_firms()] == [second, first]


def test_a_published_day_cannot_be_shared_and_backdating_must_be_confirmed(admin):
    guidelines_load(actor=admin, data=BASE.encode(), filename="acme.toml")  # from 2026-01-01
    draft = guidelines_draft_create(actor=admin, data=CHANGED.encode(), filename="b.toml")
    with pytest.raises(ValidationError, match="already takes effect on 2026-01-01"):
        guidelines_publish(actor=admin, version=draft, reason="same day")
    with pytest.raises(ValidationError, match="2026-03-01 is in the past"):
        guidelines_publish(
            actor=admin, version=draft, effective=datetime.date(2026, 3, 1), reason="late"
        )
    with pytest.raises(ValidationError, match="reason"):
        guidelines_publish(
            actor=admin, version=draft, effective=datetime.date(2026, 9, 1), reason=" "
        )
    assert GuidelinesVersion.objects.get(pk=draft.pk).status == "draft"
    version = guidelines_publish(
        actor=admin,
        version=draft,
        effective=datetime.date(2026, 3, 1),
        reason="agreed with the panel in February",
        backdate=True,
    )
    assert guidelines_in_force(datetime.date(2026, 3, 31)) == version
    assert events("guidelines.published")[0].payload["backdated"] is True


def test_loading_a_different_published_file_on_a_taken_day_is_refused(admin, tmp_path):
    first = guidelines_load(actor=admin, data=BASE.encode(), filename="acme.toml")
    # The same bytes again are the stored version, not a clash.
    assert guidelines_load(actor=admin, data=BASE.encode(), filename="acme.toml") == first
    with pytest.raises(ValidationError, match="Acme OCG 2026.1 already takes effect on 2026-01-01"):
        guidelines_load(actor=admin, data=CHANGED.encode(), filename="b.toml")
    # As a draft it is stored: the date is chosen when it is published.
    draft = guidelines_load(actor=admin, data=CHANGED.encode(), filename="b.toml", publish=False)
    assert draft.status == "draft"
    path = tmp_path / "b.toml"
    path.write_text(CHANGED)
    with pytest.raises(CommandError, match="already takes effect on 2026-01-01") as refused:
        call_command("guidelines", "load", str(path))
    assert refused.value.returncode == 2
    assert list(GuidelinesVersion.objects.filter(status="published")) == [first]


@pytest.mark.parametrize("role", ["attorney", "approver", "requester", "firm_a"])
def test_only_admins_manage_guidelines(personas, role):
    user = personas[role]
    with pytest.raises(PermissionDenied):
        guidelines_draft_create(actor=user, data=BASE.encode(), filename="x.toml")
    draft = guidelines_draft_create(actor=personas["admin"], data=BASE.encode(), filename="x")
    with pytest.raises(PermissionDenied):
        guidelines_draft_save(actor=user, version=draft, source=CHANGED)
    with pytest.raises(PermissionDenied):
        guidelines_publish(actor=user, version=draft, reason="x")
    with pytest.raises(PermissionDenied):
        guidelines_version_list(user=user)


def test_the_diff_lists_rule_and_override_changes_as_computed_by_hand():
    old = Side(parse_guidelines(BASE.encode()), BASE, "2026.1")
    new = Side(parse_guidelines(CHANGED.encode()), CHANGED, "2026.2")
    diff = guidelines_diff(old, new)
    assert diff.header == [Change("version", "2026.1", "2026.2")]
    assert [(r.rule_id, r.changes) for r in diff.rules] == [
        (
            "daily-hours-cap",
            (Change("action", "hold", "reduce"), Change("max_hours", "10", "12")),
        ),
        ("long-entry", (Change("enabled", "on", "off"),)),
    ]
    [override] = diff.overrides
    assert (override.match, override.status) == ("law_firm_id = 36-1234567", "added")
    assert override.changes[0].changes == (Change("max_hours", "—", "14"),)
    assert "-max_hours = 10" in diff.text and "+max_hours = 12" in diff.text
    assert '+action = "reduce"' in diff.text and "+enabled = false" in diff.text


def test_a_file_spelling_out_a_default_diffs_as_no_change():
    spelled = BASE + '\n[rules.long-entry]\naction = "warn"\nmax_hours = 8\n'
    diff = guidelines_diff(
        Side(parse_guidelines(BASE.encode()), BASE, "a"),
        Side(parse_guidelines(spelled.encode()), spelled, "b"),
    )
    assert diff.empty and diff.text  # the text differs, the rules do not


SCOPED = """[guidelines]
name = "Acme OCG"
version = "2026.1"
effective = 2026-01-01

[rules.luxury-travel]
enabled = false

[[overrides]]
match = { law_firm_id = ["36-1234567", "94-7654321"] }
rules.luxury-travel = { enabled = true, action = "warn" }

[[overrides]]
match = { law_firm_id = "11-1111111" }
rules.long-entry = { max_hours = 4 }
"""


def test_a_firm_reads_its_override_without_the_other_firms_named():
    from legalops.invoices.rulebook_text import Audience, rulebook_entries

    entries = {
        e.rule_id: e
        for e in rulebook_entries(parse_guidelines(SCOPED.encode()), Audience("36-1234567"))
    }
    luxury = entries["luxury-travel"]  # off in the base, on for the two firms
    assert luxury.text == "Not applied, except as below." and luxury.consequence == ""
    [note] = luxury.notes
    assert note.condition == "For your firm"
    assert note.text == (
        "No first- or business-class fares, alcohol, minibar or entertainment. "
        "If not, a warning is shown to the reviewer (no effect on the amount)."
    )
    assert entries["long-entry"].notes == ()  # the third firm's override is not shown
    assert "94-7654321" not in repr(entries) and "11-1111111" not in repr(entries)


def test_a_firm_no_override_concerns_sees_no_switched_off_rule():
    from legalops.invoices.rulebook_text import Audience, rulebook_entries

    entries = rulebook_entries(parse_guidelines(SCOPED.encode()), Audience("55-5555555"))
    ids = [e.rule_id for e in entries]
    assert "luxury-travel" not in ids and len(ids) == 30  # 31 rules in the catalogue, one off
    daily = next(e for e in entries if e.rule_id == "daily-hours-cap")
    assert daily.text == "One timekeeper may bill at most 10 hours a day (across invoices)."
    assert daily.consequence == "the invoice is held until a reviewer clears the flag"
    assert daily.parameters == (("max_hours", "10"),)


def test_staff_preview_names_every_override():
    from legalops.invoices.rulebook_text import Audience, rulebook_entries

    entries = {
        e.rule_id: e for e in rulebook_entries(parse_guidelines(SCOPED.encode()), Audience(None))
    }
    assert entries["luxury-travel"].notes[0].condition == "For firm 36-1234567, 94-7654321"
    assert entries["long-entry"].notes[0].condition == "For firm 11-1111111"
    assert "at most 4 hours" not in entries["long-entry"].text  # the base still says 8
    assert (
        entries["long-entry"]
        .notes[0]
        .text.startswith("A single time entry may not exceed 4 hours.")
    )

"""The account and data commands, run in-process against the test database."""

import io

import pytest
from django.core.management import CommandError, call_command

from legalops.accounts.models import Role, User


def run(*args, stdin=None, monkeypatch=None):
    out, err = io.StringIO(), io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_createuser_for_a_firm_reads_the_password_from_stdin(firm_a, monkeypatch):
    out, _ = run(
        "createuser",
        "--username",
        "clerk",
        "--role",
        "firm",
        "--firm",
        firm_a.law_firm_id,
        "--password-stdin",
        stdin="a-long-passphrase-1\n",
        monkeypatch=monkeypatch,
    )
    assert "created firm clerk of Hale & Whitmore LLP" in out
    user = User.objects.get(username="clerk")
    assert user.firm == firm_a and user.check_password("a-long-passphrase-1")


def test_createuser_names_an_unknown_firm(db, monkeypatch):
    with pytest.raises(CommandError, match="no law firm with LAW_FIRM_ID '00-0'"):
        run("createuser", "--username", "x", "--role", "firm", "--firm", "00-0", "--no-password")


def test_createuser_reports_a_refusal_on_one_line(db, monkeypatch):
    with pytest.raises(CommandError, match="firm: a firm user must belong to a law firm"):
        run("createuser", "--username", "x", "--role", "firm", "--no-password")
    with pytest.raises(CommandError, match="too common|too short"):
        run(
            "createuser",
            "--username",
            "y",
            "--role",
            "attorney",
            "--password-stdin",
            stdin="password\n",
            monkeypatch=monkeypatch,
        )


def test_createadmin(db, monkeypatch):
    run(
        "createadmin",
        "--username",
        "boss",
        "--password-stdin",
        stdin="boss-passphrase-77\n",
        monkeypatch=monkeypatch,
    )
    assert User.objects.get(username="boss").role == Role.ADMIN


def test_token_create_prints_the_token_alone_on_its_last_line(client, attorney):
    out, err = run("token", "create", "--user", attorney.username)
    token = out.strip().splitlines()[-1]
    assert " " not in token and "shown only once" in err
    me = client.get("/api/v1/me", headers={"authorization": f"Bearer {token}"})
    assert me.json()["username"] == attorney.username
    listing, _ = run("token", "list", "--user", attorney.username)
    assert token[:10] in listing and "active" in listing
    run("token", "revoke", token[:10])
    assert client.get("/api/v1/me", headers={"authorization": f"Bearer {token}"}).status_code == 401


def test_token_for_an_unknown_user(db):
    with pytest.raises(CommandError, match="no user named 'ghost'"):
        run("token", "create", "--user", "ghost")


def test_seed_command_refuses_a_second_run(db):
    out, _ = run("seed", "--scale", "small", "--seed", "2", "--today", "2026-11-28")
    assert "seeded small (seed 2)" in out and "8 law firms" in out
    with pytest.raises(CommandError, match="already holds seeded data"):
        run("seed", "--scale", "small")
    with pytest.raises(CommandError, match="not a date"):
        run("seed", "--today", "28/11/2026")


@pytest.mark.django_db(transaction=True)  # the task worker closes and reopens connections
def test_worker_once_runs_the_schedule_and_the_queue(settings, mailoutbox):
    from legalops.core.tasks import send_mail_task

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }
    result = send_mail_task.enqueue(subject="Hello", message="queued", recipients=["a@b.c"])
    assert mailoutbox == []  # queued, not sent
    out, _ = run("worker", "--once")
    assert "clear-expired-sessions" in out
    assert [m.subject for m in mailoutbox] == ["Hello"]
    result.refresh()
    assert result.status == "SUCCESSFUL"
    listed, _ = run("worker", "--list")
    assert "prune-task-results" in listed

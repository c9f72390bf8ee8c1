from __future__ import annotations

import secrets
import subprocess
import sys
import time
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from legalops import seed
from legalops.accounts.models import User
from legalops.core.maintenance import refresh_planner_statistics
from legalops.seed.accounts import PERSONAS
from legalops.seed.progress import Progress
from legalops.seed.scales import SCALES


class Command(BaseCommand):
    help = (
        "One command for a newcomer: create (or reuse) the embedded database, migrate, load "
        "demo data, print the demo logins and serve the web UI."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--scale", choices=list(SCALES), default="small")
        parser.add_argument("--no-serve", action="store_true", help="stop after loading")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        if seed.already_seeded():
            self.stdout.write("demo data already loaded; reusing it")
        else:
            report = seed.run(
                scale=options["scale"], seed=1, today=timezone.localdate(), progress=Progress()
            )
            refresh_planner_statistics()
            self.stdout.write(
                f"loaded {report.scale} demo data: "
                + ", ".join(f"{n} {k}" for k, n in report.counts.items())
            )
        self._print_logins(options)
        self.stdout.write(f"ready in {time.monotonic() - started:.1f}s")
        if not options["no_serve"]:
            self._serve_with_worker(options)

    def _serve_with_worker(self, options: dict[str, Any]) -> None:
        """The all-in-one demo: the web server plus a task worker beside it (in production they
        are two services, see the README)."""
        worker = subprocess.Popen([sys.executable, "-m", "legalops.cli", "worker"])
        try:
            call_command("serve", port=options["port"], host=options["host"])
        finally:
            worker.terminate()
            worker.wait(timeout=10)

    def _print_logins(self, options: dict[str, Any]) -> None:
        """A fresh password for the demo personas at each run (never a fixed, known one)."""
        password = "demo-" + secrets.token_urlsafe(9)
        hashed = make_password(password)
        usernames = [p[0] for p in PERSONAS]
        User.objects.filter(username__in=usernames).update(password=hashed, is_active=True)
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write("")
        self.stdout.write(f"  open {url} and sign in as the demo admin:")
        self.stdout.write(f"    username: admin    password: {password}")
        self.stdout.write("  the same password works for attorney, approver, requester, and for")
        self.stdout.write("  firm-a and firm-b (law-firm users: they set up two-factor sign-in")
        self.stdout.write("  with an authenticator app on first login).")
        self.stdout.write("")

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from legalops.core.staticfiles import collect_if_changed


class Command(BaseCommand):
    help = "Serve the web UI and API with gunicorn (a production server)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--workers",
            type=int,
            default=min(4, (os.cpu_count() or 1) * 2),
            help="worker processes (default: 2 per CPU, at most 4)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Hashed, compressed copies for whitenoise, made again only when a file changed.
        if collect_if_changed():
            self.stdout.write("static files collected")
        from gunicorn.app.base import BaseApplication

        from legalops.wsgi import application

        class Server(BaseApplication):
            def load_config(self) -> None:
                self.cfg.set("bind", f"{options['host']}:{options['port']}")
                self.cfg.set("workers", options["workers"])
                self.cfg.set("threads", 2)
                self.cfg.set("accesslog", "-")
                self.cfg.set("timeout", 120)
                # One shared control socket in $HOME would clash between two servers.
                self.cfg.set("control_socket_disable", True)

            def load(self) -> Any:
                return application

        self.stdout.write(f"serving http://{options['host']}:{options['port']}/ (Ctrl+C to stop)")
        self.stdout.flush()
        Server().run()

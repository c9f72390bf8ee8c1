"""Time to build and mail one month's scheduled report pack (issue 7 item 6) on a seeded
database: every dashboard as PDF and Excel, to one administrator (the whole department's
build) and to each of `--attorneys` attorneys (one build each, limited to their matters).

    python bench/report_packs_bench.py [--scale small] [--data-dir DIR] [--attorneys 2]
                                       [--month YYYY-MM]

Without --data-dir, seeds a fresh temporary data directory (SQLite) or, with DATABASE_URL set,
that PostgreSQL database (flushed first). Mail goes to Django's in-memory backend; the
subscription and its send records are deleted afterwards. Reports wall and CPU time of the
whole send and the bytes attached.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import insight_bench  # noqa: E402  (seeding, shared with the KPI benchmark)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default="small")
    parser.add_argument("--data-dir")
    parser.add_argument("--attorneys", type=int, default=2)
    parser.add_argument("--month", help="default: the previous month")
    options = parser.parse_args()
    data_dir = options.data_dir or tempfile.mkdtemp(prefix="packs-bench-")
    if not options.data_dir:
        seconds = insight_bench.seed(data_dir, options.scale)
        print(f"seed --scale {options.scale}: {seconds:.1f} s", flush=True)
    os.environ["LEGALOPS_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "legalops.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core import mail
    from django.utils import timezone

    from legalops.accounts.models import Role, User
    from legalops.reports.packs_mail import packs_send, previous_month, summary
    from legalops.reports.subscriptions import report_subscription_create
    from legalops.reports.views_pages import PAGES

    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    mail.outbox = []
    staff = User.objects.filter(is_active=True).exclude(email="").order_by("pk")
    admin = staff.filter(role=Role.ADMIN).first()
    assert admin is not None, "the seeded database has no administrator with an email"
    attorneys = list(staff.filter(role=Role.ATTORNEY)[: options.attorneys])
    month = (
        datetime.date.fromisoformat(f"{options.month}-01")
        if options.month
        else previous_month(timezone.localdate())
    )
    subscription = report_subscription_create(
        actor=None,
        recipients=[admin, *attorneys],
        name="Benchmark pack",
        pages=list(PAGES),
        pdf=True,
        xlsx=True,
    )
    try:
        wall, cpu = time.perf_counter(), time.process_time()
        outcomes = packs_send(actor=None, month=month, subscriptions=[subscription])
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        size = sum(len(c) for m in mail.outbox for _, c, _ in m.attachments)
        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        print(f"database: {engine}; month {month:%Y-%m}; 6 dashboards, PDF + Excel")
        print(f"recipients: 1 admin + {len(attorneys)} attorneys -> {summary(outcomes)}")
        print(f"send: {wall:.1f} s wall, {cpu:.1f} s CPU; {size:,} bytes attached in total")
    finally:
        subscription.delete()


if __name__ == "__main__":
    main()

"""Platform bookkeeping: which periodic job ran for which time slot."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class ScheduledRun(models.Model):
    """One row per (job, slot). The unique constraint is the lock that lets several workers
    share one schedule without running a job twice for the same slot."""

    job = models.CharField(max_length=100)
    slot = models.CharField(max_length=32, help_text="The period this run covers, e.g. 2026-11-28")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=16, default="running")
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_once")]

    def __str__(self) -> str:
        return f"{self.job} {self.slot} ({self.outcome})"


class StoredDocument(models.Model):
    """A file kept with a record (an engagement letter with a firm, a pleading with a matter):
    the concrete models add the owner and where files go (`file` with its `upload_to`)."""

    title = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title

"""What the apps' models share: records that, once written, are never changed or deleted."""

from django.db import models

from .protection import PERMANENT


class RecordIsPermanent(Exception):
    """Evidence (signatures, declines, certificates, a case's chronology) is never edited or deleted."""


class PermanentQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise RecordIsPermanent("Evidence is never changed.")

    def delete(self):
        raise RecordIsPermanent("Evidence is never deleted.")


class PermanentRecord(models.Model):
    # The database refuses too (glenwood.protection): each subclass lists these in Meta.triggers.
    REFUSALS = PERMANENT

    objects = PermanentQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RecordIsPermanent(f"A {self._meta.verbose_name} is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RecordIsPermanent(f"A {self._meta.verbose_name} is never deleted.")


class OutboxMessage(models.Model):
    """Background work a state change asked for, written in the same transaction as the change.

    See glenwood/outbox.py: the row is handed to the broker after commit, and again by the sweep
    until a worker has run it, so a broker that is down delays the work but never loses it.
    """

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    handed_at = models.DateTimeField(null=True, blank=True, help_text="When it last reached the broker.")
    handed_count = models.PositiveIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True, db_index=True, help_text="When a worker ran it.")
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["done_at", "handed_at"], name="outbox_waiting")]

    def __str__(self):
        return f"{self.task}{tuple(self.args)}"

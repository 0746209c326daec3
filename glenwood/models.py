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

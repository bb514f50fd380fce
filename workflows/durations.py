"""Time norms with an explicit unit. ``days`` are working days and ``weeks`` five working days;
``minutes`` and ``hours`` are office time. A day is never 24 hours: deadline arithmetic belongs
to the working calendar, not here."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class TimeUnit(models.TextChoices):
    MINUTES = "minutes", _("minutes")
    HOURS = "hours", _("hours")
    DAYS = "days", _("working days")
    WEEKS = "weeks", _("weeks")


@dataclass(frozen=True)
class Duration:
    value: int
    unit: str

    def __str__(self) -> str:
        n = self.value
        if self.unit == TimeUnit.MINUTES:
            return ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}
        if self.unit == TimeUnit.HOURS:
            return ngettext("%(n)d hour", "%(n)d hours", n) % {"n": n}
        if self.unit == TimeUnit.DAYS:
            return ngettext("%(n)d working day", "%(n)d working days", n) % {"n": n}
        return ngettext("%(n)d week", "%(n)d weeks", n) % {"n": n}

    def as_dict(self) -> dict:
        return {"value": self.value, "unit": str(self.unit)}

"""The small typed checks of the ``sop-portal/1`` interchange format (SOP_FORMAT.md): a
:class:`Problem` with its JSON path, :class:`InvalidSop` carrying them, and the
:class:`Checker` that collects them without ever raising on a malformed value. Shared by the
SOP's rules (:mod:`workflows.validation`) and the service part (``permits.interchange``)."""

import datetime
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .durations import TimeUnit

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_INT = 2147483647  # time norms are PositiveIntegerField

DURATION_KEYS = frozenset({"value", "unit"})


@dataclass(frozen=True)
class Problem:
    """One reason a document is refused: where (JSON path, step number) and why."""

    path: str
    message: str
    step: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.step is not None:
            where = f"{where} ({_('step %(no)s') % {'no': self.step}})".strip()
        return f"{where}: {self.message}" if where else str(self.message)


class InvalidSop(ValidationError):
    """An SOP version whose content breaks the format's rules; ``problems`` lists them all."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__([str(p) for p in self.problems] or [_("The SOP is not valid.")])


class Checker:
    """Collects problems; its ``check_*`` methods return the value when it is valid, else
    ``None`` (after recording why)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, message: str, step: int | None = None) -> None:
        self.problems.append(Problem(path, message, step))

    def check_object(
        self,
        value: Any,
        path: str,
        *,
        allowed: Collection[str],
        required: Iterable[str] = (),
        step: int | None = None,
    ) -> dict | None:
        """An object with no unknown keys and every required key present and not null."""
        if not isinstance(value, dict):
            self.add(path, _("Must be an object ({...})."), step)
            return None
        for key in value:
            if key not in allowed:
                self.add(
                    join(path, key),
                    _("Unknown key %(key)s; allowed keys: %(allowed)s.")
                    % {"key": _quote(key), "allowed": ", ".join(sorted(allowed))},
                    step,
                )
        for key in required:
            if key not in value:
                self.add(join(path, key), _("This key is required."), step)
            elif value[key] is None:
                self.add(join(path, key), _("Required: must not be null."), step)
        return value

    def check_text(
        self,
        value: Any,
        path: str,
        *,
        max_length: int,
        required: bool = False,
        step: int | None = None,
    ) -> str | None:
        """A string (non-blank if required) of at most ``max_length`` characters."""
        if value is None:
            return None  # absence of a required key is reported by check_object
        if not isinstance(value, str):
            self.add(path, _("Must be a text (a string in quotes)."), step)
            return None
        if required and not value.strip():
            self.add(path, _("Must not be empty."), step)
            return None
        if len(value) > max_length:
            self.add(
                path,
                _("Too long: at most %(max)d characters (this one has %(n)d).")
                % {"max": max_length, "n": len(value)},
                step,
            )
            return None
        return value

    def check_text_list(
        self, value: Any, path: str, *, step: int | None = None
    ) -> list[str] | None:
        """A list of non-empty strings."""
        if value is None:
            return None
        if not isinstance(value, list):
            self.add(path, _("Must be a list of texts ([...])."), step)
            return None
        ok = True
        for i, item in enumerate(value):
            if not isinstance(item, str):
                self.add(f"{path}[{i}]", _("Must be a text (a string in quotes)."), step)
                ok = False
            elif not item.strip():
                self.add(f"{path}[{i}]", _("Must not be empty."), step)
                ok = False
        return value if ok else None

    def check_int(
        self,
        value: Any,
        path: str,
        *,
        minimum: int,
        maximum: int = MAX_INT,
        step: int | None = None,
    ) -> int | None:
        """A JSON integer (not a boolean, a float or a numeric string) within bounds."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(path, _("Must be a whole number written without quotes."), step)
            return None
        if value < minimum:
            message = (
                _("Must be a positive whole number.")
                if minimum == 1
                else _("Must not be negative.")
                if minimum == 0
                else _("Must be at least %(min)d.") % {"min": minimum}
            )
            self.add(path, message, step)
            return None
        if value > maximum:
            self.add(path, _("Must be at most %(max)d.") % {"max": maximum}, step)
            return None
        return value

    def check_bool(self, value: Any, path: str, *, step: int | None = None) -> bool | None:
        if value is None:
            return None
        if not isinstance(value, bool):
            self.add(path, _("Must be true or false."), step)
            return None
        return value

    def check_choice(
        self, value: Any, path: str, choices: Collection[str], *, step: int | None = None
    ) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or value not in choices:
            self.add(
                path,
                _("Unknown value %(value)s; use one of: %(choices)s.")
                % {"value": _quote(value), "choices": ", ".join(choices)},
                step,
            )
            return None
        return value

    def check_date(self, value: Any, path: str) -> datetime.date | None:
        """An ISO date ``YYYY-MM-DD`` that exists in the calendar."""
        if value is None:
            return None
        if not isinstance(value, str) or not ISO_DATE.match(value):
            self.add(path, _("Must be a date written YYYY-MM-DD (e.g. 2026-02-02)."))
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.add(path, _("%(value)s is not a real date.") % {"value": value})
            return None

    def check_duration(self, value: Any, path: str, *, step: int | None = None) -> dict | None:
        """``{"value": positive integer, "unit": minutes|hours|days|weeks}``."""
        if value is None:
            return None
        obj = self.check_object(
            value, path, allowed=DURATION_KEYS, required=("value", "unit"), step=step
        )
        if obj is None:
            return None
        before = len(self.problems)
        self.check_int(obj.get("value"), join(path, "value"), minimum=1, step=step)
        self.check_choice(obj.get("unit"), join(path, "unit"), TimeUnit.values, step=step)
        return obj if len(self.problems) == before else None

    def check_agency(
        self, value: Any, path: str, known_agencies: Collection[str], *, step: int | None = None
    ) -> str | None:
        """The code of an agency the portal knows."""
        if value is None:
            return None
        if not isinstance(value, str):
            self.add(path, _("Must be an agency code (a string in quotes)."), step)
            return None
        if value not in known_agencies:
            self.add(
                path,
                _("Unknown agency code %(code)s: no such agency in the portal.")
                % {"code": _quote(value)},
                step,
            )
            return None
        return value


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _quote(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 60 else text[:57] + "..."

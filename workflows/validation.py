"""The rules of the ``sop`` object of the ``sop-portal/1`` interchange format (SOP_FORMAT.md).

Every check reports a :class:`Problem` with its JSON path (``sop.steps[2].on_yes``, list indices
from 0) and, inside a step, the step's number. Validation never raises on a malformed value: a
string where a list belongs, ``null``, numbers written as strings, a list instead of an object all
become problems. ``null`` counts as "absent" for an optional key; a required key may not be null.

The checks are split into small helpers (``check_*``) that the service part of the format
(``permits.interchange``) reuses, so one rule lives in one place.
"""

import datetime
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .durations import TimeUnit
from .models import DECISION_ONLY_ACTIONS, PerformerRole, StepAction, Symbol

TECHNICAL = "*technical*"
"""A performer's ``agency`` meaning "the service's technical agencies"."""

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PERFORMER_KEY = re.compile(r"^[-a-zA-Z0-9_]+$")

MAX_SMALL_INT = 32767  # step numbers are PositiveSmallIntegerField
MAX_INT = 2147483647  # time norms are PositiveIntegerField

SOP_KEYS = frozenset(
    {
        "number",
        "name",
        "made_on",
        "revised_on",
        "effective_on",
        "approved_by",
        "legal_basis",
        "related",
        "warnings",
        "qualifications",
        "equipment",
        "records",
        "performers",
        "steps",
    }
)
SOP_LIST_KEYS = ("legal_basis", "related", "warnings", "qualifications", "equipment", "records")
SOP_DATE_KEYS = ("made_on", "revised_on", "effective_on")
APPROVED_BY_KEYS = {"position": 200, "name": 150, "nip": 30}  # key -> max length
PERFORMER_KEYS = frozenset({"key", "title", "short", "role", "agency"})
STEP_KEYS = frozenset(
    {
        "no",
        "symbol",
        "activity",
        "performer",
        "requirements",
        "duration",
        "output",
        "notes",
        "next",
        "on_yes",
        "on_no",
        "action",
    }
)
DURATION_KEYS = frozenset({"value", "unit"})
EXIT_KEYS = ("next", "on_yes", "on_no")


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


# --- small typed checks, shared with the service part of the format -------------------------


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


# --- the flowchart rules ---------------------------------------------------------------------


def resolved_next(step: Mapping[str, Any]) -> int | None:
    """Where a step goes when it has one exit: its ``next``, or by default the following step
    for a process or the first terminator (SOP_FORMAT.md, *steps*). ``None`` for a decision or a
    final terminator."""
    if step.get("next") is not None:
        return step["next"]
    symbol, no = step.get("symbol"), step.get("no")
    if not isinstance(no, int) or isinstance(no, bool):
        return None
    if symbol == Symbol.PROCESS or (symbol == Symbol.TERMINATOR and no == 1):
        return no + 1
    return None


def is_final_terminator(step: Mapping[str, Any]) -> bool:
    """A terminator other than the first step: the SOP ends there (it has no exit)."""
    return step.get("symbol") == Symbol.TERMINATOR and step.get("no") != 1


def validate_sop(
    data: Any,
    *,
    technical_agencies: Sequence[str],
    known_agencies: Collection[str],
    path: str = "sop",
) -> list[Problem]:
    """Every problem of an ``sop`` object, in document order; an empty list means valid."""
    c = Checker()
    sop = c.check_object(data, path, allowed=SOP_KEYS, required=("name", "performers", "steps"))
    if sop is None:
        return c.problems
    c.check_text(sop.get("number"), join(path, "number"), max_length=100)
    c.check_text(sop.get("name"), join(path, "name"), max_length=255, required=True)
    for key in SOP_DATE_KEYS:
        c.check_date(sop.get(key), join(path, key))
    approved = sop.get("approved_by")
    if approved is not None:
        approved_path = join(path, "approved_by")
        if c.check_object(approved, approved_path, allowed=APPROVED_BY_KEYS) is not None:
            for key, max_length in APPROVED_BY_KEYS.items():
                c.check_text(approved.get(key), join(approved_path, key), max_length=max_length)
    for key in SOP_LIST_KEYS:
        c.check_text_list(sop.get(key), join(path, key))

    performers_path = join(path, "performers")
    performer_keys = _check_performers(
        c, sop.get("performers"), performers_path, technical_agencies, known_agencies
    )
    _check_steps(c, sop.get("steps"), join(path, "steps"), performer_keys, performers_path)
    return c.problems


def _check_performers(
    c: Checker,
    performers: Any,
    path: str,
    technical_agencies: Sequence[str],
    known_agencies: Collection[str],
) -> dict[str, int] | None:
    """Check the performers; return ``{key: index}`` of the declared ones (``None`` when the
    list itself is unusable, so that steps are not blamed for it)."""
    if performers is None:
        return None
    if not isinstance(performers, list):
        c.add(path, _("Must be a list of performers ([...])."))
        return None
    if not performers:
        c.add(path, _("Declare at least one performer."))
    declared: dict[str, int] = {}
    for i, performer in enumerate(performers):
        p_path = f"{path}[{i}]"
        obj = c.check_object(
            performer, p_path, allowed=PERFORMER_KEYS, required=("key", "title", "role")
        )
        if obj is None:
            continue
        key = obj.get("key")
        if key is not None:
            if not isinstance(key, str) or not PERFORMER_KEY.match(key) or len(key) > 40:
                c.add(
                    join(p_path, "key"),
                    _(
                        "A performer key is a short name of letters, digits, hyphens or "
                        "underscores (at most 40), e.g. fo."
                    ),
                )
            elif key in declared:
                c.add(
                    join(p_path, "key"),
                    _("Performer key %(key)s is declared more than once.") % {"key": _quote(key)},
                )
            else:
                declared[key] = i
        c.check_text(obj.get("title"), join(p_path, "title"), max_length=150, required=True)
        # An optional short label printed in the flowchart's header (the title goes to the key).
        c.check_text(obj.get("short"), join(p_path, "short"), max_length=30)
        c.check_choice(obj.get("role"), join(p_path, "role"), PerformerRole.values)
        agency = obj.get("agency")
        if agency == TECHNICAL:
            if not technical_agencies:
                c.add(
                    join(p_path, "agency"),
                    _(
                        "%(technical)s stands for the service's technical agencies, but the "
                        "service lists none (service.technical_agencies)."
                    )
                    % {"technical": TECHNICAL},
                )
        else:
            c.check_agency(agency, join(p_path, "agency"), known_agencies)
    return declared


def _check_steps(
    c: Checker,
    steps: Any,
    path: str,
    performer_keys: dict[str, int] | None,
    performers_path: str,
) -> None:
    if steps is None:
        return
    if not isinstance(steps, list):
        c.add(path, _("Must be a list of steps ([...])."))
        return
    if not steps:
        c.add(path, _("An SOP needs at least two steps: a start and an end terminator."))
        return

    before = len(c.problems)
    valid_nos = _check_numbering(c, steps, path)
    count = len(steps)
    numbering_ok = len(c.problems) == before and len(valid_nos) == count
    used_performers: set[str] = set()
    graph_ok = True  # symbols and exits all usable for the reachability checks

    for i, step in enumerate(steps):
        s_path = f"{path}[{i}]"
        no = valid_nos.get(i)
        obj = c.check_object(
            step,
            s_path,
            allowed=STEP_KEYS,
            required=("no", "symbol", "activity", "performer"),
            step=no,
        )
        if obj is None:
            graph_ok = False
            continue
        symbol = c.check_choice(obj.get("symbol"), join(s_path, "symbol"), Symbol.values, step=no)
        if symbol is None:
            graph_ok = False
        c.check_text(
            obj.get("activity"), join(s_path, "activity"), max_length=500, required=True, step=no
        )
        performer = obj.get("performer")
        if performer is not None:
            # One performer key, or a list of keys for a step carried out together (the first
            # is the one the task goes to); one key stays a plain string (backward compatible).
            keys = performer if isinstance(performer, list) else [performer]
            if not keys or not all(isinstance(k, str) for k in keys):
                c.add(
                    join(s_path, "performer"),
                    _("Must be a performer key (a text) or a list of performer keys."),
                    no,
                )
            elif len(set(keys)) != len(keys):
                c.add(join(s_path, "performer"), _("A performer is listed twice."), no)
            else:
                used_performers.update(keys)
                for key in keys:
                    if performer_keys is not None and key not in performer_keys:
                        c.add(
                            join(s_path, "performer"),
                            _("Performer %(key)s is not declared in sop.performers.")
                            % {"key": _quote(key)},
                            no,
                        )
        c.check_text_list(obj.get("requirements"), join(s_path, "requirements"), step=no)
        c.check_duration(obj.get("duration"), join(s_path, "duration"), step=no)
        _check_output(c, obj.get("output"), join(s_path, "output"), no)
        c.check_text(obj.get("notes"), join(s_path, "notes"), max_length=5000, step=no)
        action = c.check_choice(
            obj.get("action"), join(s_path, "action"), StepAction.values, step=no
        )
        if action in DECISION_ONLY_ACTIONS and symbol is not None and symbol != Symbol.DECISION:
            c.add(
                join(s_path, "action"),
                _("The action %(action)s belongs on a decision step (symbol decision).")
                % {"action": _quote(action)},
                no,
            )
        if i == 0 and symbol is not None and symbol != Symbol.TERMINATOR:
            c.add(join(s_path, "symbol"), _("The first step must be a terminator (start)."), no)
        if not _check_exits(c, obj, s_path, no, symbol, count):
            graph_ok = False

    if performer_keys is not None:
        for key, index in performer_keys.items():
            if key not in used_performers:
                c.add(
                    f"{performers_path}[{index}].key",
                    _("Performer %(key)s is declared but no step uses it.") % {"key": _quote(key)},
                )

    final = [s for s in steps if isinstance(s, dict) and is_final_terminator(s)]
    if numbering_ok and not final:
        c.add(path, _("The SOP needs at least one final terminator (an end step with no exit)."))
    if numbering_ok and graph_ok and final:
        _check_reachability(c, steps, path)


def _check_numbering(c: Checker, steps: list, path: str) -> dict[int, int]:
    """Step numbers: integers 1..N, unique, listed in order. Returns ``{index: no}`` for the
    steps whose number is at least a valid integer (for the step labels of later problems)."""
    nos: dict[int, int] = {}
    seen: dict[int, int] = {}
    for i, step in enumerate(steps):
        if not isinstance(step, dict) or step.get("no") is None:
            continue
        no = c.check_int(step["no"], f"{path}[{i}].no", minimum=1, maximum=MAX_SMALL_INT)
        if no is None:
            continue
        nos[i] = no
        if no in seen:
            c.add(
                f"{path}[{i}].no",
                _("Step number %(no)d is used more than once (also steps[%(other)d]).")
                % {"no": no, "other": seen[no]},
                no,
            )
        else:
            seen[no] = i
    count = len(steps)
    if len(nos) == count:
        missing = sorted(set(range(1, count + 1)) - set(seen))
        if missing:
            c.add(
                path,
                _("Steps must be numbered 1 to %(n)d without gaps; missing: %(missing)s.")
                % {"n": count, "missing": ", ".join(str(m) for m in missing)},
            )
        elif any(no != i + 1 for i, no in nos.items()):
            c.add(path, _("Steps must be listed in the order of their numbers (1, 2, 3, ...)."))
    return nos


def _check_output(c: Checker, value: Any, path: str, no: int | None) -> None:
    """``output`` is a text or a list of texts (stored as a list)."""
    if value is None or isinstance(value, str):
        return
    if not isinstance(value, list):
        c.add(path, _("Must be a text or a list of texts."), no)
        return
    c.check_text_list(value, path, step=no)


def _check_exits(
    c: Checker, step: dict, s_path: str, no: int | None, symbol: str | None, count: int
) -> bool:
    """``next`` / ``on_yes`` / ``on_no``: the right ones for the symbol, naming existing steps.
    Returns False when the step's exits cannot be used for the reachability checks."""
    ok = True
    targets: dict[str, int] = {}
    for key in EXIT_KEYS:
        value = step.get(key)
        if value is None:
            continue
        target = c.check_int(value, join(s_path, key), minimum=1, maximum=MAX_SMALL_INT, step=no)
        if target is None:
            ok = False
        elif target > count:
            c.add(
                join(s_path, key),
                _("Step %(target)d does not exist (the SOP has %(n)d steps).")
                % {"target": target, "n": count},
                no,
            )
            ok = False
        else:
            targets[key] = target

    if symbol == Symbol.DECISION:
        if step.get("next") is not None:
            c.add(
                join(s_path, "next"),
                _("A decision has no next; it goes to on_yes and on_no."),
                no,
            )
            ok = False
        for key in ("on_yes", "on_no"):
            if step.get(key) is None:
                c.add(
                    join(s_path, key),
                    _("A decision needs both on_yes and on_no."),
                    no,
                )
                ok = False
        if "on_yes" in targets and targets.get("on_yes") == targets.get("on_no"):
            c.add(
                join(s_path, "on_no"),
                _("on_yes and on_no of a decision must lead to different steps."),
                no,
            )
    elif symbol in (Symbol.PROCESS, Symbol.TERMINATOR):
        for key in ("on_yes", "on_no"):
            if step.get(key) is not None:
                c.add(
                    join(s_path, key),
                    _("Only a decision has on_yes and on_no."),
                    no,
                )
                ok = False
        if symbol == Symbol.TERMINATOR and no not in (1, None) and step.get("next") is not None:
            c.add(
                join(s_path, "next"),
                _("Only the first step's terminator has a next; a later terminator ends the SOP."),
                no,
            )
            ok = False
        elif (
            isinstance(no, int)
            and step.get("next") is None
            and no >= count
            and (symbol == Symbol.PROCESS or no == 1)
        ):
            c.add(
                join(s_path, "next"),
                _("This step has no next and no following step to go to."),
                no,
            )
            ok = False
    return ok


def _edges(step: Mapping[str, Any]) -> list[int]:
    if step.get("symbol") == Symbol.DECISION:
        return [step["on_yes"], step["on_no"]]
    nxt = resolved_next(step)
    return [nxt] if nxt is not None else []


def _check_reachability(c: Checker, steps: list, path: str) -> None:
    """Every step reachable from step 1; a final terminator reachable from every step. Runs only
    on a well-formed graph (numbering and exits valid), so its findings are not follow-ons."""
    by_no = {s["no"]: s for s in steps}
    forward = {no: _edges(s) for no, s in by_no.items()}
    backward: dict[int, list[int]] = {no: [] for no in by_no}
    for no, targets in forward.items():
        for t in targets:
            backward[t].append(no)

    reached = _walk([1], forward)
    ends = [no for no, s in by_no.items() if is_final_terminator(s)]
    finishing = _walk(ends, backward)
    for i, step in enumerate(steps):
        no = step["no"]
        if no not in reached:
            c.add(
                f"{path}[{i}]",
                _("No path from step 1 leads to this step."),
                no,
            )
        elif no not in finishing:
            c.add(
                f"{path}[{i}]",
                _("From this step no path leads to a final terminator (the SOP never ends)."),
                no,
            )


def _walk(start: Iterable[int], graph: Mapping[int, list[int]]) -> set[int]:
    seen = set(start)
    todo = list(seen)
    while todo:
        for nxt in graph.get(todo.pop(), []):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen

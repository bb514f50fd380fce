"""The rules of the ``sop`` object of the ``sop-portal/1`` interchange format (SOP_FORMAT.md).

Every check reports a :class:`Problem` with its JSON path (``sop.steps[2].on_yes``, list indices
from 0) and, inside a step, the step's number. Validation never raises on a malformed value: a
string where a list belongs, ``null``, numbers written as strings, a list instead of an object all
become problems. ``null`` counts as "absent" for an optional key; a required key may not be null.

The small typed checks (``check_*``, :class:`Problem`, :class:`InvalidSop`) are
:mod:`workflows.validation_checks`, which the service part of the format
(``permits.interchange``) reuses, so one rule lives in one place.
"""

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from .models import DECISION_ONLY_ACTIONS, PerformerRole, StepAction, Symbol
from .validation_checks import (  # noqa: F401 (the format's checks, reachable from here too)
    DURATION_KEYS,
    ISO_DATE,
    MAX_INT,
    Checker,
    InvalidSop,
    Problem,
    _quote,
    join,
)

TECHNICAL = "*technical*"
"""A performer's ``agency`` meaning "the service's technical agencies"."""

PERFORMER_KEY = re.compile(r"^[-a-zA-Z0-9_]+$")

MAX_SMALL_INT = 32767  # step numbers are PositiveSmallIntegerField

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
EXIT_KEYS = ("next", "on_yes", "on_no")


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

"""State machines: the declared transition table of a stateful object and the one function that
moves it (guard, lock, write, audit, follow-ups after commit).

Each app that owns an object with a status declares its machine next to its domain functions
(``permits.states``, ``workflows.states``, ``feedback.states``)::

    APPLICATION = StateMachine(
        "permits.application",
        Application,
        [
            Transition("submit", {DRAFT}, SUBMITTED, who="the applicant", guard=_submit_guard),
            ...
        ],
    )
    APPLICATION.move(application, SUBMITTED, by=user, name="submit", fields={...})

``move`` is the only writer of the status field: a test (``tests/test_status_writers.py``) reads
the source tree and fails on any other assignment to a status field. A domain function that does
more than change the status (open tasks, store a file) does that work around ``move`` inside the
same transaction; ``move`` refuses a pair the table does not declare, whatever door it came from.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from . import audit


class TransitionRefused(Exception):
    """The table does not allow this move, or its guard said no; ``message`` is shown to the
    person who tried it. Domain errors of the apps (``workflows.engine.InvalidState``...) are
    raised by guards as they are, so callers keep handling one family of errors."""

    def __init__(self, message: str):
        self.message = str(message)
        super().__init__(self.message)


#: guard(obj, by, **context): raise a domain error to refuse; return nothing to allow.
Guard = Callable[..., None]


@dataclass(frozen=True)
class Transition:
    """One allowed move: by ``name``, from any of ``sources`` to ``target``. ``who`` says in
    words who may make it (shown in the table's documentation and tests); ``guard`` checks the
    actor and the object's data and raises to refuse."""

    name: str
    sources: frozenset[str]
    target: str
    who: str = ""
    guard: Guard | None = None

    def __init__(self, name, sources, target, who="", guard=None):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "sources", frozenset(str(s) for s in sources))
        object.__setattr__(self, "target", str(target))
        object.__setattr__(self, "who", who)
        object.__setattr__(self, "guard", guard)


@dataclass
class StateMachine:
    """The transition table of ``model.<field>`` and its one writer, ``move``."""

    label: str  # dotted audit prefix, e.g. "permits.application"
    model: type[models.Model]
    transitions: list[Transition]
    field: str = "status"
    #: the object the audit entry is written on (default: the object itself), e.g. a task's
    #: moves are recorded on its application so the file's history reads in one place.
    audit_on: Callable[[Any], models.Model] | None = None
    #: the exception raised for a pair the table does not declare (e.g. an app's own domain
    #: error, so that its doors keep catching one family of errors).
    refusal: Callable[[str], Exception] = TransitionRefused
    _by_name: dict[str, Transition] = dataclasses.field(init=False, repr=False)

    def __post_init__(self):
        self._by_name = {}
        for t in self.transitions:
            if t.name in self._by_name:
                raise ValueError(f"{self.label}: two transitions named {t.name!r}")
            self._by_name[t.name] = t
        states = {str(v) for v in self.states}
        for t in self.transitions:
            unknown = (t.sources | {t.target}) - states
            if unknown:
                raise ValueError(f"{self.label}.{t.name}: unknown states {sorted(unknown)}")

    # --- reading the table -------------------------------------------------------------------

    @property
    def states(self) -> list[str]:
        return [str(value) for value, _label in self.model._meta.get_field(self.field).choices]

    def pairs(self) -> set[tuple[str, str]]:
        """Every allowed (from, to) pair."""
        return {(s, t.target) for t in self.transitions for s in t.sources}

    def find(self, source: str, target: str, name: str | None = None) -> Transition | None:
        """The declared transition from ``source`` to ``target`` (named ``name`` if given)."""
        candidates = [self._by_name[name]] if name else self.transitions
        for t in candidates:
            if str(source) in t.sources and t.target == str(target):
                return t
        return None

    def can(self, obj, target: str, by=None, name: str | None = None, **context) -> bool:
        """Whether ``move`` would allow this (the guard included), without writing."""
        t = self.find(getattr(obj, self.field), target, name)
        if t is None:
            return False
        try:
            if t.guard:
                t.guard(obj, by, **context)
        except Exception:  # noqa: BLE001 - any refusal means "no"
            return False
        return True

    # --- the one writer ------------------------------------------------------------------------

    def lock(self, obj):
        """A fresh, row-locked copy of ``obj`` (call inside ``transaction.atomic``)."""
        return type(obj)._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)

    def move(
        self,
        obj,
        target: str,
        *,
        by=None,
        name: str | None = None,
        fields: dict[str, Any] | None = None,
        reason: str = "",
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
        action: str | None = None,
        follow_ups: Iterable[Callable[[], None]] = (),
        locked: bool = False,
        record: bool = True,
        **context,
    ):
        """Move ``obj`` to ``target``: find the declared transition from its current state
        (refuse otherwise), run its guard, lock and re-read the row unless ``locked`` says the
        caller holds the lock, set the status and ``fields``, save just those, write one audit
        entry (``<label>.<transition name>`` unless ``action``) and run ``follow_ups`` after
        commit. Returns the saved object (the caller's, updated in place).

        ``record=False``: this move is one part of a larger transition (a task's completion
        moving its application along) whose one audit entry another ``move`` of the same
        transaction writes; nothing is recorded here."""
        with transaction.atomic():
            current = obj if locked else self.lock(obj)
            source = getattr(current, self.field)
            t = self.find(source, target, name)
            if t is None:
                raise self.refusal(
                    _("This cannot happen now: %(source)s cannot become %(target)s.")
                    % {"source": self.display(source), "target": self.display(target)}
                )
            if t.guard:
                t.guard(current, by, **context)
            changes = {self.field: t.target, **(fields or {})}
            for key, value in changes.items():
                setattr(current, key, value)
                if current is not obj:
                    setattr(obj, key, value)
            current.save(update_fields=list(changes))
            if record:
                audit.record(
                    action or f"{self.label}.{t.name}",
                    self.audit_on(current) if self.audit_on else current,
                    actor=by,
                    before={self.field: source, **(before or {})},
                    after={self.field: t.target, **(after or {})},
                    reason=reason,
                )
            for follow_up in follow_ups:
                transaction.on_commit(follow_up)
        return obj

    def place(self, obj, *path: str):
        """Walk an unsaved object along declared transitions without writing, guards or audit
        (history built in bulk, e.g. the demo seed, which then ``bulk_create``s it): each step
        of ``path`` must be a declared move from the state before. Returns ``obj``."""
        if obj.pk is not None and not obj._state.adding:
            raise ValueError(f"{self.label}: place() is for unsaved objects only")
        for target in path:
            source = getattr(obj, self.field)
            if self.find(source, target) is None:
                raise self.refusal(
                    _("This cannot happen now: %(source)s cannot become %(target)s.")
                    % {"source": self.display(source), "target": self.display(target)}
                )
            setattr(obj, self.field, str(target))
        return obj

    def display(self, value: str) -> str:
        return str(dict(self.model._meta.get_field(self.field).flatchoices).get(value, value))

"""The registry through which apps above ``workflows`` plug into the engine: a handler per step
``action``, named providers (e.g. a service's technical agencies) and listeners of engine
events. ``workflows`` never imports those apps; they register here when they load."""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

YES = "yes"
NO = "no"
DONE = "done"


class ActionHandler:
    """What a step's ``action`` does. The default is a generic task: done, or *Ya*/*Tidak* for a
    decision. Handlers run inside the engine's transaction, with the application locked; they
    write their own records but never the audit log (the transition writes its one entry)."""

    def on_open(self, task) -> None:
        """A task of this step was just created."""

    def complete(self, task, by, outcome: str | None, data: dict[str, Any]) -> str | None:
        """Validate the input, write the step's records and return the outcome (``yes``/``no``
        for a decision, anything falsy otherwise). Raise an engine error to refuse."""
        return outcome


_handlers: dict[str, ActionHandler] = {}
_providers: dict[str, Callable[..., Any]] = {}
_listeners: dict[str, list[Callable[..., None]]] = defaultdict(list)
_default = ActionHandler()


def register(action: str, handler: ActionHandler) -> None:
    """Make ``handler`` run the steps whose ``action`` is ``action`` (the last one wins)."""
    _handlers[action] = handler


def handler_for(action: str) -> ActionHandler:
    return _handlers.get(action, _default) if action else _default


def provide(name: str, function: Callable[..., Any]) -> None:
    """Register the function the engine calls for ``name`` (e.g. ``technical_agencies``)."""
    _providers[name] = function


def provider(name: str) -> Callable[..., Any]:
    try:
        return _providers[name]
    except KeyError:
        raise LookupError(f"No provider registered for {name!r}") from None


def connect(event: str, listener: Callable[..., None]) -> None:
    """Call ``listener(**kwargs)`` on each ``event``: ``step_opened`` (application, step,
    tasks, by), ``application_returned`` (application, task, reason, documents, by),
    ``application_resumed`` and ``application_finished`` (application, [task,] by),
    ``task_reassigned`` (task, by, to_user), ``application_deemed_approved`` (application,
    clock: the sweep recorded a deemed approval); permits adds its own
    (``application_submitted``…). The engine never writes an application's status: permits'
    listeners of these events move it with permits' own state machine.
    Listeners run inside the transaction (one that does slow I/O defers it with
    ``transaction.on_commit``). Connecting twice is a no-op."""
    if listener not in _listeners[event]:
        _listeners[event].append(listener)


def emit(event: str, **kwargs: Any) -> None:
    for listener in list(_listeners[event]):
        listener(**kwargs)

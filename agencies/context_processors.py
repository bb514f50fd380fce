"""Template context: what the signed-in person may reach, for the navigation."""

from collections.abc import Callable

from .access import active_roles, can_monitor, is_administrator, serves_at_counter


class Flag:
    """A yes/no a page may ask: computed at its first use, once. Lazy, so pages that never
    ask (most public ones) cost nothing; a plain object rather than ``SimpleLazyObject``,
    whose proxying cost ~200 attribute look-ups a page (each template read, each ``{% memo %}``
    key, each ``{% if %}``)."""

    __slots__ = ("_ask", "_value")

    def __init__(self, ask: Callable[[], bool]) -> None:
        self._ask, self._value = ask, None

    def __bool__(self) -> bool:
        if self._value is None:
            self._value = bool(self._ask())
        return self._value

    def __str__(self) -> str:  # the {% memo %} keys: "True" / "False", as before
        return str(bool(self))

    def __eq__(self, other) -> bool:
        return bool(self) == other

    def __hash__(self) -> int:
        return hash(bool(self))


def staff(request) -> dict:
    return {
        "is_portal_administrator": Flag(lambda: is_administrator(request.user)),
        "has_staff_role": Flag(lambda: bool(active_roles(request.user))),
        "can_monitor": Flag(lambda: can_monitor(request.user)),
        "serves_at_counter": Flag(lambda: serves_at_counter(request.user)),
    }

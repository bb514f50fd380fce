"""How a route is classified for the access walk (tests/test_access_walk.py); apps' own
route tables (``tests/<app>/routes.py``) use these too."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rule:
    """How a route is checked. ``owner``: which object it serves (``application``, ``task``,
    ``document``, ``issued``), ``admin`` (administrators / Django staff only), ``list``
    (a list of the signed-in user's own things) or ``public`` (nothing personal)."""

    owner: str
    why: str = ""
    kwargs: dict = field(default_factory=dict)
    owner_check: bool = True


APPLICATION = Rule("application")
TASK = Rule("task")
ADMIN = Rule("admin")
LIST = Rule("list")


def public(why: str) -> Rule:
    return Rule("public", why)

"""Access-walk classification of the feedback app's routes (merged into
``tests/test_access_walk.py`` ROUTES)."""

from tests.access_rules import ADMIN, APPLICATION, LIST, Rule, public  # noqa: F401

ROUTES: dict[str, Rule] = {}

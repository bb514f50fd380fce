"""The steps of an SOP version as the read-only pages walk them, kept in the process per
catalogue version (``permits.public_cache.local``).

An application's timeline, upcoming steps and predicted completion walk its SOP version's
steps (``workflows.engine.exit_of``): two queries per page (the version, then its steps with
their performers and agencies) for data that changes only when the catalogue does. Every write
of a version, step, performer or agency replaces the catalogue's version token, which is part of
the key, so a change is seen by the next request of every process. Only for reading: the
engine's writing paths read the steps themselves.
"""

from __future__ import annotations

from workflows.models import SopStep

from . import public_cache


def steps_of(version_id: int) -> dict[int, SopStep]:
    """The steps of SOP version ``version_id`` by number, with performers and agencies."""

    def build() -> dict[int, SopStep]:
        query = SopStep.objects.filter(version_id=version_id).select_related("performer__agency")
        return {step.no: step for step in query}

    return public_cache.local(("sop-steps", version_id), build)


def attach(application) -> None:
    """Give ``application`` its version's steps for ``workflows.engine`` to walk."""
    if getattr(application, "_engine_steps", None) is None and application.sop_version_id:
        application._engine_steps = steps_of(application.sop_version_id)

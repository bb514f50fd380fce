"""The ``sop`` part (identity, performers, steps) of the ``sop-portal/1`` format <-> SopVersion.

Knows nothing of services: the whole document lives in ``permits.interchange``.

Normal form written by :func:`sop_to_dict` (so that export -> import -> export is stable):
every key of the format is present; absent texts are ``""``, absent lists ``[]``, absent dates,
durations, agencies and actions ``null``; ``approved_by`` always has its three keys; a
performer's ``agency`` is an agency code, ``"*technical*"`` or ``null``; a step's ``output`` is
``[]`` when empty, a string when there is one and a list when there are several; exits are
explicit: ``next`` on a process and on the first terminator (an absent ``next`` is stored as the
following step on import), ``on_yes``/``on_no`` on a decision, none on a final terminator.
"""

from typing import Any

from django.db import transaction

from agencies.models import Agency
from sop_portal import audit

from .models import Sop, SopPerformer, SopStep, SopVersion
from .validation import SOP_DATE_KEYS, SOP_LIST_KEYS, TECHNICAL, resolved_next


def sop_to_dict(version: SopVersion) -> dict:
    """The ``sop`` object of the format for ``version``, in normal form."""
    performers = list(version.performers.select_related("agency").order_by("position", "id"))
    steps = list(version.steps.select_related("performer").order_by("no"))
    data: dict[str, Any] = {"number": version.number, "name": version.name}
    for key in SOP_DATE_KEYS:
        value = getattr(version, key)
        data[key] = value.isoformat() if value else None
    data["approved_by"] = {
        "position": version.approved_by_position,
        "name": version.approved_by_name,
        "nip": version.approved_by_nip,
    }
    for key in SOP_LIST_KEYS:
        data[key] = _as_list(getattr(version, key))
    data["performers"] = [_performer_to_dict(p) for p in performers]
    data["steps"] = [_step_to_dict(s) for s in steps]
    return data


def _as_list(value: Any) -> Any:
    """A stored list field as a list (a draft edited by hand may hold a bare string); any other
    odd value is passed through for validation to report."""
    if value in (None, "", []):
        return []
    if isinstance(value, str):
        return [value]
    return list(value) if isinstance(value, list) else value


def _performer_to_dict(performer: SopPerformer) -> dict:
    if performer.for_technical:
        agency = TECHNICAL
    else:
        agency = performer.agency.code if performer.agency_id else None
    data = {"key": performer.key, "title": performer.title}
    if performer.short_title:  # optional: absent when the header prints the title
        data["short"] = performer.short_title
    return {**data, "role": performer.role, "agency": agency}


def _step_to_dict(step: SopStep) -> dict:
    output = _as_list(step.output)
    data: dict[str, Any] = {
        "no": step.no,
        "symbol": step.symbol,
        "activity": step.activity,
        # A step of several performers lists their keys, the task's performer first.
        "performer": [step.performer.key, *step.also_performers]
        if step.also_performers
        else step.performer.key,
        "requirements": _as_list(step.requirements),
        "duration": step.duration.as_dict() if step.duration else None,
        "output": output[0] if isinstance(output, list) and len(output) == 1 else output,
        "notes": step.notes,
    }
    # Exits as stored: a valid version has exactly the ones its symbol needs; an invalid draft
    # (edited by hand) shows what it has, so that validation on publishing sees it.
    for key, field in (("next", "next_no"), ("on_yes", "yes_no"), ("on_no", "no_no")):
        value = getattr(step, field)
        if value is not None:
            data[key] = value
    data["action"] = step.action or None
    return data


def create_version_from_dict(
    sop: Sop,
    data: dict,
    *,
    actor=None,
    audit_action: str = "workflows.sop_version.created",
) -> SopVersion:
    """A new draft version N+1 of ``sop`` from an ``sop`` object that has already passed
    :func:`workflows.validation.validate_sop`."""
    with transaction.atomic():
        Sop.objects.select_for_update().filter(pk=sop.pk).first()  # serialise version numbers
        last = sop.versions.order_by("-version").values_list("version", flat=True).first()
        approved = data.get("approved_by") or {}
        version = SopVersion.objects.create(
            sop=sop,
            version=(last or 0) + 1,  # a draft: the model's default status
            number=data.get("number") or "",
            name=data["name"],
            made_on=data.get("made_on"),
            revised_on=data.get("revised_on"),
            effective_on=data.get("effective_on"),
            approved_by_position=approved.get("position") or "",
            approved_by_name=approved.get("name") or "",
            approved_by_nip=approved.get("nip") or "",
            created_by=actor if actor is not None and actor.is_authenticated else None,
            **{key: list(data.get(key) or []) for key in SOP_LIST_KEYS},
        )
        agencies = {a.code: a for a in Agency.objects.all()}
        performers: dict[str, SopPerformer] = {}
        for position, p in enumerate(data["performers"], start=1):
            code = p.get("agency")
            performers[p["key"]] = SopPerformer.objects.create(
                version=version,
                position=position,
                key=p["key"],
                title=p["title"],
                short_title=p.get("short") or "",
                role=p["role"],
                agency=agencies[code] if code and code != TECHNICAL else None,
                for_technical=code == TECHNICAL,
            )
        SopStep.objects.bulk_create(
            [_step_from_dict(version, performers, s) for s in data["steps"]]
        )
        version.refresh_from_db()  # dates back as date objects, not the document's strings
        audit.record(
            audit_action,
            version,
            actor=actor,
            after={"version": version.version, "steps": len(data["steps"])},
        )
    return version


def _step_from_dict(version: SopVersion, performers: dict[str, SopPerformer], s: dict) -> SopStep:
    output = s.get("output")
    if isinstance(output, str):
        output = [output] if output else []
    duration = s.get("duration") or {}
    keys = s["performer"] if isinstance(s["performer"], list) else [s["performer"]]
    return SopStep(
        version=version,
        no=s["no"],
        symbol=s["symbol"],
        activity=s["activity"],
        performer=performers[keys[0]],
        also_performers=list(keys[1:]),
        requirements=list(s.get("requirements") or []),
        duration_value=duration.get("value"),
        duration_unit=duration.get("unit") or "",
        output=list(output or []),
        notes=s.get("notes") or "",
        next_no=resolved_next(s),
        yes_no=s.get("on_yes"),
        no_no=s.get("on_no"),
        action=s.get("action") or "",
    )

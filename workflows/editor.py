"""Writes of the SOP editor on a draft version: identity fields, performers (the flowchart's
columns) and steps. Each write locks the version, refuses anything but a draft
(:class:`SopVersionLocked`), keeps step numbers 1..N and the exits that point to them consistent,
and records an audit entry in the same transaction."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from agencies.models import Agency
from sop_portal import audit

from .durations import TimeUnit
from .models import PerformerRole, SopPerformer, SopStep, SopVersion, SopVersionLocked, StepAction
from .models import Symbol as StepSymbol
from .validation import MAX_SMALL_INT, PERFORMER_KEY

IDENTITY_TEXTS = ("number", "name", "approved_by_position", "approved_by_name", "approved_by_nip")
IDENTITY_DATES = ("made_on", "revised_on", "effective_on")
IDENTITY_LISTS = ("legal_basis", "related", "warnings", "qualifications", "equipment", "records")
PERFORMER_FIELDS = ("key", "title", "short_title", "role", "agency", "for_technical")
STEP_FIELDS = (
    "symbol",
    "activity",
    "performer",
    "also_performers",
    "requirements",
    "duration_value",
    "duration_unit",
    "output",
    "notes",
    "next_no",
    "yes_no",
    "no_no",
    "action",
)
EXIT_FIELDS = ("next_no", "yes_no", "no_no")
PARK = 10000  # steps are moved out of the way of the unique (version, no) constraint


# --- guards and helpers ----------------------------------------------------------------------


def _lock_draft(version_id: int) -> SopVersion:
    """Lock the version row (serialising the editor's writes on it) and check it is a draft."""
    version = SopVersion.objects.select_for_update().get(pk=version_id)
    if version.status != SopVersion.Status.DRAFT:
        raise SopVersionLocked()
    return version


def _clean_list(value: Any) -> list[str]:
    """A list of texts from a list or from one-item-per-line text; blank items dropped."""
    if value is None:
        return []
    items = value.splitlines() if isinstance(value, str) else list(value)
    return [str(item).strip() for item in items if str(item).strip()]


def _json(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, SopPerformer):
        return value.key
    if isinstance(value, Agency):
        return value.code
    return value


def _performer_snapshot(performer: SopPerformer) -> dict:
    return {
        "key": performer.key,
        "title": performer.title,
        "short_title": performer.short_title,
        "role": performer.role,
        "agency": performer.agency.code if performer.agency_id else None,
        "for_technical": performer.for_technical,
        "position": performer.position,
    }


def _step_snapshot(step: SopStep) -> dict:
    data = {"no": step.no}
    data.update({f: _json(getattr(step, f)) for f in STEP_FIELDS})
    return data


# --- identity --------------------------------------------------------------------------------


def update_identity(version: SopVersion, changes: Mapping[str, Any], *, by=None) -> SopVersion:
    """Change identity fields of a draft (number, name, dates, approved by, the six lists; a
    list may be given as one-item-per-line text). Unknown fields are refused."""
    unknown = set(changes) - set(SopVersion.CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"not identity fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock_draft(version.pk)
        before, after = {}, {}
        for field, value in changes.items():
            if field in IDENTITY_LISTS:
                value = _clean_list(value)
            elif field in IDENTITY_TEXTS:
                value = (value or "").strip()
            elif value is not None and not isinstance(value, datetime.date):
                raise ValidationError({field: _("Enter a valid date.")})
            if field == "name" and not value:
                raise ValidationError({"name": _("The SOP needs a name.")})
            if getattr(locked, field) != value:
                before[field] = _json(getattr(locked, field))
                after[field] = _json(value)
                setattr(locked, field, value)
        if after:
            locked.save(update_fields=list(after))
            audit.record(
                "workflows.sop_version.identity_updated",
                locked,
                actor=by,
                before=before,
                after=after,
            )
    for field in after:
        setattr(version, field, getattr(locked, field))
    return version


# --- performers ------------------------------------------------------------------------------


def _check_performer(version: SopVersion, values: dict, *, exclude_pk: int | None = None) -> None:
    errors: dict[str, str] = {}
    key = values["key"]
    if not key or not PERFORMER_KEY.match(key) or len(key) > 40:
        errors["key"] = _(
            "A performer key is a short name of letters, digits, hyphens or underscores "
            "(at most 40), e.g. fo."
        )
    elif SopPerformer.objects.filter(version=version, key=key).exclude(pk=exclude_pk).exists():
        errors["key"] = _("Performer key %(key)s is declared more than once.") % {"key": key}
    if not values["title"].strip():
        errors["title"] = _("Must not be empty.")
    if len(values.get("short_title") or "") > 30:
        errors["short_title"] = _("A short label has at most 30 characters.")
    if values["role"] not in PerformerRole.values:
        errors["role"] = _("Choose a role.")
    if values["for_technical"] and values["agency"] is not None:
        errors["agency"] = _(
            "Choose either an agency or the service's technical agencies, not both."
        )
    if errors:
        raise ValidationError(errors)


def add_performer(
    version: SopVersion,
    *,
    key: str,
    title: str,
    role: str,
    agency: Agency | None = None,
    for_technical: bool = False,
    short_title: str = "",
    by=None,
) -> SopPerformer:
    """Add a performer as the last column of the flowchart."""
    values = {
        "key": (key or "").strip(),
        "title": (title or "").strip(),
        "short_title": (short_title or "").strip(),
        "role": role,
        "agency": agency,
        "for_technical": bool(for_technical),
    }
    with transaction.atomic():
        locked = _lock_draft(version.pk)
        _check_performer(locked, values)
        last = locked.performers.aggregate(m=Max("position"))["m"] or 0
        performer = SopPerformer.objects.create(version=locked, position=last + 1, **values)
        audit.record(
            "workflows.sop_performer.added",
            performer,
            actor=by,
            after=_performer_snapshot(performer),
        )
    return performer


def update_performer(performer: SopPerformer, *, by=None, **changes: Any) -> SopPerformer:
    """Change a performer's key, title, role or agency (steps follow it: they point to it)."""
    unknown = set(changes) - set(PERFORMER_FIELDS)
    if unknown:
        raise ValueError(f"not performer fields: {sorted(unknown)}")
    with transaction.atomic():
        _lock_draft(performer.version_id)
        current = SopPerformer.objects.select_related("agency").get(pk=performer.pk)
        before = _performer_snapshot(current)
        values = {f: getattr(current, f) for f in PERFORMER_FIELDS}
        values.update(changes)
        values["key"] = (values["key"] or "").strip()
        values["title"] = (values["title"] or "").strip()
        values["short_title"] = (values["short_title"] or "").strip()
        values["for_technical"] = bool(values["for_technical"])
        _check_performer(current.version, values, exclude_pk=current.pk)
        for field, value in values.items():
            setattr(current, field, value)
        current.save()
        after = _performer_snapshot(current)
        if after != before:
            audit.record(
                "workflows.sop_performer.updated", current, actor=by, before=before, after=after
            )
    return current


def move_performer(performer: SopPerformer, offset: int, *, by=None) -> SopPerformer:
    """Move a performer one column left (``offset=-1``) or right (``+1``); at an end, nothing
    changes."""
    if offset not in (-1, 1):
        raise ValueError("offset must be -1 or 1")
    with transaction.atomic():
        version = _lock_draft(performer.version_id)
        columns = list(version.performers.order_by("position", "id"))
        index = next(i for i, p in enumerate(columns) if p.pk == performer.pk)
        other = index + offset
        if not 0 <= other < len(columns):
            return columns[index]
        columns[index], columns[other] = columns[other], columns[index]
        for position, column in enumerate(columns, start=1):
            if column.position != position:
                SopPerformer.objects.filter(pk=column.pk).update(position=position)
                column.position = position
        moved = columns[other]
        audit.record(
            "workflows.sop_performer.moved",
            moved,
            actor=by,
            before={"position": index + 1},
            after={"position": other + 1},
        )
    return moved


def delete_performer(performer: SopPerformer, *, by=None) -> None:
    """Delete a performer no step uses (a used one is refused, naming the steps)."""
    with transaction.atomic():
        version = _lock_draft(performer.version_id)
        current = SopPerformer.objects.select_related("agency").get(pk=performer.pk)
        used = list(current.steps.order_by("no").values_list("no", flat=True))
        if used:
            raise ValidationError(
                _("Steps %(steps)s are done by this performer: give them another one first.")
                % {"steps": ", ".join(str(n) for n in used)}
            )
        audit.record(
            "workflows.sop_performer.deleted",
            current,
            actor=by,
            before=_performer_snapshot(current),
        )
        current.delete()
        for position, column in enumerate(version.performers.order_by("position", "id"), 1):
            if column.position != position:
                SopPerformer.objects.filter(pk=column.pk).update(position=position)


# --- steps -----------------------------------------------------------------------------------


def _step_values(version: SopVersion, values: dict) -> dict:
    """Check and normalise a step's fields; raise ValidationError keyed by field. Exits that do
    not belong to the symbol are dropped (the form shows all three)."""
    errors: dict[str, str] = {}
    if values.get("symbol") not in StepSymbol.values:
        errors["symbol"] = _("Choose a symbol.")
    values["activity"] = (values.get("activity") or "").strip()
    if not values["activity"]:
        errors["activity"] = _("Describe the activity, verb first.")
    performer = values.get("performer")
    if not isinstance(performer, SopPerformer) or performer.version_id != version.pk:
        errors["performer"] = _("Choose one of this SOP's performers.")
    # Further performers of a shared step, as keys in column order; the task still goes to
    # ``performer`` (workflows.engine).
    also = values.get("also_performers") or []
    keys = list(version.performers.order_by("position").values_list("key", flat=True))
    if isinstance(also, str) or any(k not in keys for k in also):
        errors["also_performers"] = _("Choose among this SOP's performers.")
    else:
        main = performer.key if isinstance(performer, SopPerformer) else None
        values["also_performers"] = [k for k in keys if k in set(also) and k != main]
    values["requirements"] = _clean_list(values.get("requirements"))
    values["output"] = _clean_list(values.get("output"))
    values["notes"] = (values.get("notes") or "").strip()
    value, unit = values.get("duration_value"), values.get("duration_unit") or ""
    values["duration_unit"] = unit
    if (value is None) != (not unit):
        errors["duration_value"] = _("Give both the time norm and its unit, or neither.")
    elif value is not None and (not isinstance(value, int) or value < 1):
        errors["duration_value"] = _("Must be a positive whole number.")
    elif unit and unit not in TimeUnit.values:
        errors["duration_unit"] = _("Choose a time unit.")
    # An exit may name a step not written yet (the flowchart is drawn in any order): whether it
    # exists is one of the version's content problems, shown next to the step.
    for field in EXIT_FIELDS:
        target = values.get(field)
        if target is not None and (
            isinstance(target, bool)
            or not isinstance(target, int)
            or not 1 <= target <= MAX_SMALL_INT
        ):
            errors[field] = _("Must be a step number (a positive whole number).")
    values["action"] = values.get("action") or ""
    if values["action"] and values["action"] not in StepAction.values:
        errors["action"] = _("Choose an action.")
    if errors:
        raise ValidationError(errors)
    if values["symbol"] == StepSymbol.DECISION:
        values["next_no"] = None
    else:
        values["yes_no"] = values["no_no"] = None
    return values


def _renumber(version: SopVersion, mapping: Mapping[int, int]) -> None:
    """Give steps new numbers (``{old: new}``) and rewrite every exit that points to a
    renumbered step, so that each exit still names the same step."""
    if not mapping:
        return
    steps = list(version.steps.all())
    version.steps.filter(no__in=list(mapping)).update(no=F("no") + PARK)
    for step in steps:
        updates = {}
        if step.no in mapping:
            updates["no"] = mapping[step.no]
        for field in EXIT_FIELDS:
            target = getattr(step, field)
            if target in mapping:
                updates[field] = mapping[target]
        if updates:
            SopStep.objects.filter(pk=step.pk).update(**updates)


def add_step(version: SopVersion, *, at: int | None = None, by=None, **fields: Any) -> SopStep:
    """Insert a step as number ``at`` (default: at the end); later steps move down one number
    and exits that pointed to them follow. Blank ``next_no`` means "the following step"."""
    unknown = set(fields) - set(STEP_FIELDS)
    if unknown:
        raise ValueError(f"not step fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock_draft(version.pk)
        count = locked.steps.count()
        at = count + 1 if at is None else at
        if not 1 <= at <= count + 1:
            raise ValidationError(_("A new step can be number 1 to %(n)d.") % {"n": count + 1})
        values = _step_values(locked, dict(fields))
        # Exits given by the caller name steps as they will be numbered after the insertion.
        _renumber(locked, {no: no + 1 for no in range(at, count + 1)})
        step = SopStep.objects.create(version=locked, no=at, **values)
        audit.record("workflows.sop_step.added", step, actor=by, after=_step_snapshot(step))
    return step


def update_step(step: SopStep, *, by=None, **changes: Any) -> SopStep:
    """Change a step's fields (not its number: see :func:`move_step`)."""
    unknown = set(changes) - set(STEP_FIELDS)
    if unknown:
        raise ValueError(f"not step fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = _lock_draft(step.version_id)
        current = SopStep.objects.select_related("performer").get(pk=step.pk)
        before = _step_snapshot(current)
        values = {f: getattr(current, f) for f in STEP_FIELDS}
        values.update(changes)
        values = _step_values(locked, values)
        for field, value in values.items():
            setattr(current, field, value)
        current.save()
        after = _step_snapshot(current)
        if after != before:
            changed = [k for k in after if after[k] != before[k]]
            audit.record(
                "workflows.sop_step.updated",
                current,
                actor=by,
                before={k: before[k] for k in changed},
                after={k: after[k] for k in changed},
            )
    return current


def move_step(step: SopStep, offset: int, *, by=None) -> SopStep:
    """Swap a step with the one above (``offset=-1``) or below (``+1``): both are renumbered and
    every exit keeps naming the same step. At an end, nothing changes."""
    if offset not in (-1, 1):
        raise ValueError("offset must be -1 or 1")
    with transaction.atomic():
        locked = _lock_draft(step.version_id)
        current = SopStep.objects.get(pk=step.pk)
        old, new = current.no, current.no + offset
        if not 1 <= new <= locked.steps.count():
            return current
        _renumber(locked, {old: new, new: old})
        current.refresh_from_db()
        audit.record(
            "workflows.sop_step.moved", current, actor=by, before={"no": old}, after={"no": new}
        )
    return current


def _single_exit(step: SopStep, count: int) -> int | None:
    """Where a step with one exit goes (its ``next``, by default the following step)."""
    if step.next_no is not None:
        return step.next_no
    if step.symbol == StepSymbol.PROCESS or (step.symbol == StepSymbol.TERMINATOR and step.no == 1):
        return step.no + 1 if step.no < count else None
    return None


def delete_step(step: SopStep, *, by=None) -> None:
    """Delete a step. Exits that led to it are sent where it led (its one exit); when it has no
    single exit (a decision or an end) and other steps lead to it, it is refused. Later steps
    move up one number and their exits follow."""
    with transaction.atomic():
        locked = _lock_draft(step.version_id)
        current = SopStep.objects.select_related("performer").get(pk=step.pk)
        steps = list(locked.steps.order_by("no"))
        count, gone = len(steps), current.no
        target = _single_exit(current, count)
        if target == gone:
            target = None
        referrers = []  # (step, exit field) pairs that lead to the deleted step
        for other in steps:
            if other.pk == current.pk:
                continue
            for field in EXIT_FIELDS:
                if getattr(other, field) == gone:
                    referrers.append((other, field))
            if other.no == gone - 1 and other.next_no is None and _single_exit(other, count):
                referrers.append((other, "next_no"))  # "the following step" is the deleted one
        if referrers and target is None:
            raise ValidationError(
                _(
                    "Steps %(steps)s lead to this step, and it has no single exit to send them "
                    "to instead: change their exits first."
                )
                % {"steps": ", ".join(sorted({str(s.no) for s, _f in referrers}, key=int))}
            )
        audit.record(
            "workflows.sop_step.deleted",
            current,
            actor=by,
            before=_step_snapshot(current),
            after={"redirected": sorted({s.no for s, _f in referrers}), "to": target},
        )
        for other, field in referrers:
            SopStep.objects.filter(pk=other.pk).update(**{field: target})
        current.delete()
        _renumber(locked, {no: no - 1 for no in range(gone + 1, count + 1)})


def service_time_warning(version: SopVersion) -> str:
    """A warning for the editor, before publishing, when the SOP's service time (the longest
    path of office steps, ``SopVersion.service_time``) is longer than the service standard
    promises (Permenpan RB 15/2014: *jangka waktu penyelesaian*); empty when it is not or
    when the service has no standard. A warning, not a problem: an SOP that really takes
    longer may be published, knowingly."""
    service = getattr(version.sop, "service", None)
    standard = service.service_time if service is not None else None
    timing = version.service_time()
    if standard is None or not timing.exceeds(standard):
        return ""
    return _(
        "The service time of this SOP (%(total)s, the longest path of office steps) is longer "
        "than the service standard (%(standard)s). Shorten the steps' time norms or change "
        "the standard before publishing."
    ) % {"total": " + ".join(str(d) for d in timing.office), "standard": standard}

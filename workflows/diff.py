"""The difference between two versions of an SOP: identity fields, performers and steps added,
removed or changed (field by field), with changed time norms flagged."""

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from .durations import Duration
from .interchange import sop_to_dict
from .models import SopVersion

IDENTITY_LABELS = {
    "number": _("SOP number"),
    "name": _("SOP name"),
    "made_on": _("date made"),
    "revised_on": _("date revised"),
    "effective_on": _("effective date"),
    "approved_by.position": _("approved by (position)"),
    "approved_by.name": _("approved by (name)"),
    "approved_by.nip": _("approved by (NIP)"),
    "legal_basis": _("legal basis"),
    "related": _("related SOPs"),
    "warnings": _("warnings"),
    "qualifications": _("performer qualifications"),
    "equipment": _("equipment"),
    "records": _("records and data"),
}
PERFORMER_LABELS = {"title": _("title"), "role": _("role"), "agency": _("agency")}
STEP_LABELS = {
    "no": _("no."),
    "symbol": _("symbol"),
    "activity": _("activity"),
    "performer": _("performer"),
    "requirements": _("requirements"),
    "duration": _("time norm"),
    "output": _("output"),
    "notes": _("notes"),
    "next": _("next step"),
    "on_yes": _("if yes, step"),
    "on_no": _("if no, step"),
    "action": _("action"),
}


def as_text(value: Any) -> str:
    """A compared value as people read it: a time norm in words, a list one item after
    another, nothing as a dash."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, dict) and set(value) == {"value", "unit"}:
        return str(Duration(value["value"], value["unit"]))
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: Any
    after: Any

    @property
    def before_text(self) -> str:
        return as_text(self.before)

    @property
    def after_text(self) -> str:
        return as_text(self.after)


@dataclass
class StepChange:
    """A step present in both versions (matched by its activity, else by its number)."""

    before: dict
    after: dict
    changes: list[FieldChange]

    @property
    def duration_before(self) -> str:
        return as_text(self.before.get("duration"))

    @property
    def duration_after(self) -> str:
        return as_text(self.after.get("duration"))

    @property
    def time_norm_changed(self) -> bool:
        return any(c.field == "duration" for c in self.changes)


@dataclass
class VersionDiff:
    a: int
    b: int
    identity: list[FieldChange] = field(default_factory=list)
    performers_added: list[dict] = field(default_factory=list)
    performers_removed: list[dict] = field(default_factory=list)
    performers_changed: list[tuple[str, list[FieldChange]]] = field(default_factory=list)
    steps_added: list[dict] = field(default_factory=list)
    steps_removed: list[dict] = field(default_factory=list)
    steps_changed: list[StepChange] = field(default_factory=list)
    steps_unchanged: int = 0

    @property
    def time_norms_changed(self) -> list[StepChange]:
        return [c for c in self.steps_changed if c.time_norm_changed]

    @property
    def is_empty(self) -> bool:
        return not (
            self.identity
            or self.performers_added
            or self.performers_removed
            or self.performers_changed
            or self.steps_added
            or self.steps_removed
            or self.steps_changed
        )


def diff_versions(a: SopVersion, b: SopVersion) -> VersionDiff:
    """What changed from version ``a`` to version ``b`` (usually ``a`` the older)."""
    return diff_sops(sop_to_dict(a), sop_to_dict(b), a=a.version, b=b.version)


def _compare(before: dict, after: dict, labels: dict) -> list[FieldChange]:
    return [
        FieldChange(key, str(label), before.get(key), after.get(key))
        for key, label in labels.items()
        if _normal(before.get(key)) != _normal(after.get(key))
    ]


def _normal(value: Any) -> Any:
    """One output is a string in normal form, several a list: compare them alike."""
    if isinstance(value, str) and value == "":
        return None
    if isinstance(value, list) and not value:
        return None
    if isinstance(value, list) and len(value) == 1:
        return value[0]
    return value


def _flatten_identity(sop: dict) -> dict:
    flat = {k: v for k, v in sop.items() if k not in ("performers", "steps", "approved_by")}
    for key, value in (sop.get("approved_by") or {}).items():
        flat[f"approved_by.{key}"] = value
    return flat


def diff_sops(before: dict, after: dict, *, a: int = 0, b: int = 0) -> VersionDiff:
    """The difference between two ``sop`` objects in the interchange normal form."""
    result = VersionDiff(a=a, b=b)
    result.identity = _compare(_flatten_identity(before), _flatten_identity(after), IDENTITY_LABELS)

    old_performers = {p["key"]: p for p in before.get("performers", [])}
    new_performers = {p["key"]: p for p in after.get("performers", [])}
    result.performers_added = [p for k, p in new_performers.items() if k not in old_performers]
    result.performers_removed = [p for k, p in old_performers.items() if k not in new_performers]
    for key, old in old_performers.items():
        if key in new_performers:
            changes = _compare(old, new_performers[key], PERFORMER_LABELS)
            if changes:
                result.performers_changed.append((key, changes))

    old_steps, new_steps = list(before.get("steps", [])), list(after.get("steps", []))
    pairs = _match_steps(old_steps, new_steps)
    matched_old = {id(o) for o, _n in pairs}
    matched_new = {id(n) for _o, n in pairs}
    result.steps_removed = [s for s in old_steps if id(s) not in matched_old]
    result.steps_added = [s for s in new_steps if id(s) not in matched_new]
    for old, new in sorted(pairs, key=lambda pair: pair[1]["no"]):
        changes = _compare(old, new, STEP_LABELS)
        if changes:
            result.steps_changed.append(StepChange(old, new, changes))
        else:
            result.steps_unchanged += 1
    return result


def _match_steps(old: list[dict], new: list[dict]) -> list[tuple[dict, dict]]:
    """Pair the steps of two versions: first those with the same activity (in order), then the
    rest by equal number, so a renumbered step is "changed", not "removed and added"."""
    pairs: list[tuple[dict, dict]] = []
    free_new = list(new)
    rest_old = []
    for step in old:
        match = next((s for s in free_new if s.get("activity") == step.get("activity")), None)
        if match is None:
            rest_old.append(step)
        else:
            free_new.remove(match)
            pairs.append((step, match))
    for step in rest_old:
        match = next((s for s in free_new if s.get("no") == step.get("no")), None)
        if match is not None:
            free_new.remove(match)
            pairs.append((step, match))
    return pairs

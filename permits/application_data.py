"""What an application says besides its files: each service declares the fields it asks for
(``Service.application_fields``, a list in the interchange format), the application keeps the
answers (``Application.data``, a JSON object), and :func:`clean` is the one validator of both
the declaration and the answers, used by the form, the API, the submit guard and the importer.

A declared field is ``{"code": "nib", "required": true}`` for a standard field (the catalogue
below gives its label, type and format) or, for a service's own detail, ``{"code": "capacity",
"label": "Kapasitas produksi", "type": "text", "required": false}`` (types ``text``,
``textarea``, ``integer``, ``date``, ``choice`` with ``choices``). Why a JSON list rather than
concrete models: the fields differ per service and travel with the SOP document between
offices; the permit prints a snapshot of the answers, never joins them.

Business fields (NIB, company name and address) apply only when the applicant is a company:
with ``applicant_kind`` declared and answered ``person``, they are neither required nor kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TYPES = ("text", "textarea", "integer", "date", "choice")
DECLARATION_KEYS = frozenset({"code", "label", "type", "required", "choices", "help"})
CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
PERSON, COMPANY = "person", "company"


@dataclass(frozen=True)
class Spec:
    """A standard field: its label, type and, for identity numbers, the exact format."""

    code: str
    label: str | Promise
    type: str = "text"
    group: str = "activity"
    pattern: str = ""
    pattern_message: str | Promise = ""
    max_length: int = 255
    choices: tuple[tuple[str, str | Promise], ...] = ()


DIGITS_16 = gettext_lazy("A NIK has exactly 16 digits.")
DIGITS_13 = gettext_lazy("A NIB has exactly 13 digits.")

STANDARD: dict[str, Spec] = {
    s.code: s
    for s in (
        Spec(
            "applicant_kind",
            gettext_lazy("Applying as"),
            "choice",
            "applicant",
            choices=(
                (PERSON, gettext_lazy("An individual")),
                (COMPANY, gettext_lazy("A company or business entity")),
            ),
        ),
        Spec(
            "nik",
            gettext_lazy("NIK of the person responsible"),
            group="applicant",
            pattern=r"^\d{16}$",
            pattern_message=DIGITS_16,
            max_length=16,
        ),
        Spec(
            "nib",
            gettext_lazy("NIB (business identification number)"),
            group="business",
            pattern=r"^\d{13}$",
            pattern_message=DIGITS_13,
            max_length=13,
        ),
        Spec("company_name", gettext_lazy("Company name"), group="business"),
        Spec(
            "company_address",
            gettext_lazy("Company address"),
            "textarea",
            "business",
            max_length=1000,
        ),
        Spec("province", gettext_lazy("Province"), group="location", max_length=100),
        Spec("regency", gettext_lazy("Regency / city"), group="location", max_length=100),
        Spec("district", gettext_lazy("District (kecamatan)"), group="location", max_length=100),
        Spec(
            "village", gettext_lazy("Village (desa / kelurahan)"), group="location", max_length=100
        ),
        Spec(
            "site_address",
            gettext_lazy("Address of the site"),
            "textarea",
            "location",
            max_length=1000,
        ),
        Spec(
            "kbli",
            gettext_lazy("KBLI code"),
            group="activity",
            pattern=r"^\d{5}$",
            pattern_message=gettext_lazy("A KBLI code has exactly 5 digits."),
            max_length=5,
        ),
        Spec("activity", gettext_lazy("Activity"), "textarea", "activity", max_length=2000),
        Spec("worker_name", gettext_lazy("Foreign worker's name"), group="worker"),
        Spec(
            "worker_passport",
            gettext_lazy("Passport number"),
            group="worker",
            pattern=r"^[A-Z0-9]{6,12}$",
            pattern_message=gettext_lazy("A passport number has 6 to 12 letters or digits."),
            max_length=12,
        ),
        Spec("worker_nationality", gettext_lazy("Nationality"), group="worker", max_length=100),
        Spec("worker_position", gettext_lazy("Position held"), group="worker"),
    )
}
GROUPS = {
    "applicant": gettext_lazy("Applicant"),
    "business": gettext_lazy("Business identity"),
    "location": gettext_lazy("Location"),
    "activity": gettext_lazy("Activity"),
    "worker": gettext_lazy("Foreign worker"),
}


@dataclass(frozen=True)
class Field:
    """A declared field as the form, the pages and the PDF use it."""

    code: str
    label: str
    type: str
    group: str
    required: bool
    help: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    spec: Spec | None = None


def fields_of(declared: list[dict]) -> list[Field]:
    """The declared fields of a service (assumed valid: :func:`declaration_problems`)."""
    out = []
    for item in declared or []:
        spec = STANDARD.get(item["code"])
        choices = tuple((c, c) for c in item.get("choices") or ())
        out.append(
            Field(
                code=item["code"],
                label=item.get("label") or (str(spec.label) if spec else item["code"]),
                type=item.get("type") or (spec.type if spec else "text"),
                group=spec.group if spec else "activity",
                required=bool(item.get("required")),
                help=item.get("help") or "",
                choices=tuple((c, str(label)) for c, label in spec.choices)
                if spec and spec.choices
                else choices,
                spec=spec,
            )
        )
    return out


# --- the declaration (the importer's check) ----------------------------------------------------


def declaration_problems(declared: Any) -> list[tuple[str, str]]:
    """(path suffix, message) for everything wrong with a service's ``application_fields``."""
    if declared is None:
        return []
    if not isinstance(declared, list):
        return [("", _("Must be a list of fields ([...])."))]
    problems, seen = [], set()
    for i, item in enumerate(declared):
        at = f"[{i}]"
        if not isinstance(item, dict):
            problems.append((at, _("Must be an object with at least a code.")))
            continue
        for key in sorted(set(item) - DECLARATION_KEYS):
            problems.append((f"{at}.{key}", _("Unknown key.")))
        code = item.get("code")
        if not isinstance(code, str) or not CODE.match(code):
            problems.append(
                (f"{at}.code", _("A field code is lower-case letters, digits and _ (e.g. nib)."))
            )
            continue
        if code in seen:
            problems.append((f"{at}.code", _("Declared more than once.")))
        seen.add(code)
        kind = item.get("type")
        if code not in STANDARD:
            if not isinstance(item.get("label"), str) or not item["label"].strip():
                problems.append((f"{at}.label", _("A field of the service's own needs a label.")))
            if kind not in TYPES:
                problems.append(
                    (f"{at}.type", _("One of: %(types)s.") % {"types": ", ".join(TYPES)})
                )
        elif kind is not None and kind != STANDARD[code].type:
            problems.append((f"{at}.type", _("A standard field keeps its own type.")))
        if "required" in item and not isinstance(item["required"], bool):
            problems.append((f"{at}.required", _("Must be true or false.")))
        for key in ("label", "help"):
            if key in item and not isinstance(item[key], str):
                problems.append((f"{at}.{key}", _("Must be a text.")))
        choices = item.get("choices")
        if kind == "choice" and code not in STANDARD:
            if not (
                isinstance(choices, list)
                and choices
                and all(isinstance(c, str) and c.strip() for c in choices)
            ):
                problems.append((f"{at}.choices", _("A choice field lists its choices as texts.")))
        elif choices is not None and code not in STANDARD:
            problems.append((f"{at}.choices", _("Only a choice field has choices.")))
    return problems


def normal_declaration(declared: list[dict] | None) -> list[dict]:
    """The export's normal form: ``code`` and ``required`` always, the rest when given."""
    out = []
    for item in declared or []:
        entry = {"code": item["code"], "required": bool(item.get("required"))}
        for key in ("label", "type", "help", "choices"):
            if item.get(key) not in (None, "", []):
                entry[key] = item[key]
        out.append(entry)
    return out


# --- the answers --------------------------------------------------------------------------------


def _applies(field: Field, answers: dict) -> bool:
    """Business fields apply only to a company (when the service asks who applies)."""
    return not (field.group == "business" and answers.get("applicant_kind") == PERSON)


def _clean_value(field: Field, raw: Any) -> tuple[Any, str]:
    """(value, error) of one answer; ``None`` value = left empty."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, ""
    if field.type == "integer":
        try:
            value = int(str(raw).replace(".", "").strip())
        except ValueError:
            return None, _("Type a whole number.")
        return (value, "") if value >= 0 else (None, _("Type a whole number."))
    if field.type == "date":
        try:
            return date.fromisoformat(str(raw).strip()).isoformat(), ""
        except ValueError:
            return None, _("Type a date as YYYY-MM-DD.")
    if not isinstance(raw, str | int):
        return None, _("Type a text.")
    value = " ".join(str(raw).split()) if field.type != "textarea" else str(raw).strip()
    spec = field.spec
    if spec and spec.pattern:
        value = re.sub(r"[\s.-]", "", value).upper()
        if not re.match(spec.pattern, value):
            return None, str(spec.pattern_message)
    limit = spec.max_length if spec else 2000
    if len(value) > limit:
        return None, _("At most %(n)d characters.") % {"n": limit}
    if field.type == "choice" and value not in {c for c, _label in field.choices}:
        return None, _("Choose one of the options.")
    return value, ""


def clean(declared: list[dict], answers: Any, *, complete: bool) -> tuple[dict, dict[str, str]]:
    """The answers to a service's fields, cleaned, and the errors by field code. ``complete``:
    every required field that applies must be answered (the submit guard); a draft may be
    partial. Unknown codes are an error, not dropped."""
    fields = fields_of(declared)
    if not isinstance(answers, dict):
        return {}, {"": _("The application data must be an object of field code -> value.")}
    errors: dict[str, str] = {}
    known = {f.code for f in fields}
    for code in sorted(set(answers) - known):
        errors[code] = _("This service does not ask for %(code)s.") % {"code": code}
    cleaned: dict[str, Any] = {}
    for field in fields:  # applicant_kind first when declared first; order-independent below
        value, error = _clean_value(field, answers.get(field.code))
        if error:
            errors[field.code] = error
        elif value is not None:
            cleaned[field.code] = value
    for field in fields:
        if not _applies(field, cleaned):
            cleaned.pop(field.code, None)
            errors.pop(field.code, None)
        elif complete and field.required and field.code not in cleaned:
            errors.setdefault(field.code, _("This field is required."))
    return cleaned, errors


def rows(declared: list[dict], answers: dict) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group label, [(label, shown value)]) of the answered fields, for pages and PDFs."""
    out: dict[str, list[tuple[str, str]]] = {}
    for field in fields_of(declared):
        if field.code not in (answers or {}) or not _applies(field, answers):
            continue
        value = answers[field.code]
        shown = dict(field.choices).get(value, value) if field.type == "choice" else value
        if field.type == "integer":
            shown = f"{int(value):,}".replace(",", ".")
        out.setdefault(str(GROUPS[field.group]), []).append((field.label, str(shown)))
    return list(out.items())


def holder_name(answers: dict, fallback: str) -> str:
    """Whom the permit names: the company when a company applied, else the person."""
    if answers.get("applicant_kind", COMPANY) == COMPANY and answers.get("company_name"):
        return answers["company_name"]
    return fallback

"""The whole ``sop-portal/1`` document (service + SOP): parse, validate, import, export.

The ``sop`` part is handled by ``workflows.interchange`` / ``workflows.validation``; this module
adds the ``service`` part and the transaction around both.

Normal form written by :func:`export_document` (export -> import -> export gives an equal
document): every key of the format is present; absent texts are ``""``, absent lists ``[]``,
absent dates and durations ``null``; ``technical_agencies`` sorted; ``fee`` always
``{"amount", "currency", "basis"}`` (amount 0 = free); ``standard`` always has its nine keys
(``permits.standard.FREE_TEXT_KEYS``); a requirement always has ``code``, ``name``,
``mandatory``, ``formats``; ``validity``, ``renewal_required`` and ``application_fields`` (the
form's declared fields, ``permits.application_data``) only when set. The ``sop`` part's normal
form is described in ``workflows.interchange``. On import the document is the whole truth
about the service's fields it covers: a key left out resets that field (``description`` and
``is_active`` are not part of the format and stay as they are). The service part exported is
the service as it is now, with any version of its SOP.
"""

import json
import re
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError, Q, RestrictedError
from django.utils.translation import gettext as _

from agencies.models import Agency
from sop_portal import audit
from workflows import versions
from workflows.interchange import create_version_from_dict, sop_to_dict
from workflows.models import Sop, SopVersion
from workflows.validation import Checker, InvalidSop, Problem, join, validate_sop

from . import application_data
from .models import Requirement, Service, ServiceKind, ValidityUnit
from .standard import FREE_TEXT_KEYS

FORMAT = "sop-portal/1"

DOCUMENT_KEYS = frozenset({"format", "service", "sop", "purpose"})
#: ``purpose``: which of the service's SOPs the document's ``sop`` is (default ``new``).
PURPOSES = ("new", "renewal", "amendment")
VALIDITY_KEYS = frozenset({"value", "unit"})
SERVICE_KEYS = frozenset(
    {
        "code",
        "name",
        "kind",
        "sector",
        "technical_agencies",
        "requirements",
        "service_time",
        "fee",
        "product",
        "legal_basis",
        "standard",
        "validity",
        "renewal_required",
        "application_fields",
    }
)
REQUIREMENT_KEYS = frozenset({"code", "name", "mandatory", "formats"})
FEE_KEYS = frozenset({"amount", "currency", "basis"})
SERVICE_CODE = re.compile(r"^[A-Z][A-Z0-9-]{1,59}$")
REQUIREMENT_CODE = re.compile(r"^[-a-zA-Z0-9_]{1,40}$")
FILE_EXTENSION = re.compile(r"^[a-z0-9]{1,10}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_FEE = 10**14 - 1  # DecimalField(max_digits=14)


class InvalidDocument(Exception):
    """A document refused as a whole; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


# --- parsing and validation ------------------------------------------------------------------


def load_document(raw: str | bytes) -> dict:
    """Parse JSON text (UTF-8 bytes, a BOM tolerated). Bad JSON -> :class:`InvalidDocument`
    naming the line and column. The result is not validated yet (it may not even be a dict)."""
    if isinstance(raw, bytes | bytearray):
        try:
            raw = bytes(raw).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidDocument(
                [
                    Problem(
                        "",
                        _("The file is not UTF-8 text (byte %(pos)d).") % {"pos": exc.start + 1},
                    )
                ]
            ) from exc
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidDocument(
            [
                Problem(
                    "",
                    _("Not valid JSON: %(error)s at line %(line)d, column %(column)d.")
                    % {"error": exc.msg, "line": exc.lineno, "column": exc.colno},
                )
            ]
        ) from exc


def validate_document(doc: Any) -> list[Problem]:
    """Every problem of a whole document, in document order; an empty list means valid."""
    c = Checker()
    if not isinstance(doc, dict):
        c.add("", _("The document must be a JSON object ({...}) with format, service and sop."))
        return c.problems
    c.check_object(doc, "", allowed=DOCUMENT_KEYS, required=("format", "service", "sop"))
    fmt = doc.get("format")
    if fmt is not None and fmt != FORMAT:
        c.add(
            "format",
            _("Unknown format %(found)s; this portal reads %(expected)s.")
            % {"found": json.dumps(fmt, ensure_ascii=False)[:60], "expected": f'"{FORMAT}"'},
        )
    c.check_choice(doc.get("purpose"), "purpose", PURPOSES)
    known = set(Agency.objects.values_list("code", flat=True))
    technical = _check_service(c, doc.get("service"), known)
    problems = c.problems
    if doc.get("sop") is not None:
        problems += validate_sop(
            doc["sop"], technical_agencies=technical, known_agencies=known, path="sop"
        )
    return problems


def _check_service(c: Checker, service: Any, known: set[str]) -> list[str]:
    """Check the ``service`` object; return its technical agency codes (as far as usable)."""
    if service is None:
        return []
    s = c.check_object(service, "service", allowed=SERVICE_KEYS, required=("code", "name", "kind"))
    if s is None:
        return []
    code = s.get("code")
    if code is not None and (not isinstance(code, str) or not SERVICE_CODE.match(code)):
        c.add(
            "service.code",
            _(
                "A service code uses capital letters, digits and hyphens, starts with a letter "
                "and has 2 to 60 characters (e.g. DISHUB-AKDP)."
            ),
        )
    c.check_text(s.get("name"), "service.name", max_length=255, required=True)
    c.check_choice(s.get("kind"), "service.kind", ServiceKind.values)
    c.check_text(s.get("sector"), "service.sector", max_length=100)
    c.check_text(s.get("product"), "service.product", max_length=255)
    c.check_text_list(s.get("legal_basis"), "service.legal_basis")
    c.check_duration(s.get("service_time"), "service.service_time")

    technical: list[str] = []
    agencies = s.get("technical_agencies")
    if agencies is not None:
        if c.check_text_list(agencies, "service.technical_agencies") is not None:
            for i, agency in enumerate(agencies):
                path = f"service.technical_agencies[{i}]"
                if agency in technical:
                    c.add(path, _("Listed more than once."))
                elif c.check_agency(agency, path, known) is not None:
                    technical.append(agency)
        elif isinstance(agencies, list):
            technical = [a for a in agencies if isinstance(a, str) and a]

    _check_requirements(c, s.get("requirements"))
    _check_fee(c, s.get("fee"))
    _check_validity(c, s.get("validity"))
    c.check_bool(s.get("renewal_required"), "service.renewal_required")
    for suffix, message in application_data.declaration_problems(s.get("application_fields")):
        c.add(f"service.application_fields{suffix}", message)
    standard = s.get("standard")
    if standard is not None and (
        c.check_object(standard, "service.standard", allowed=FREE_TEXT_KEYS) is not None
    ):
        for key in FREE_TEXT_KEYS:
            c.check_text(standard.get(key), f"service.standard.{key}", max_length=20000)
    return technical


def _check_validity(c: Checker, validity: Any) -> None:
    """``validity``: how long a permit is valid, ``{"value": 5, "unit": "years"}`` (or
    ``months``); null or absent: no time limit."""
    if validity is None:
        return
    v = c.check_object(
        validity, "service.validity", allowed=VALIDITY_KEYS, required=("value", "unit")
    )
    if v is None:
        return
    c.check_int(v.get("value"), "service.validity.value", minimum=1, maximum=100)
    c.check_choice(v.get("unit"), "service.validity.unit", ValidityUnit.values)


def _check_requirements(c: Checker, requirements: Any) -> None:
    if requirements is None:
        return
    if not isinstance(requirements, list):
        c.add("service.requirements", _("Must be a list of requirements ([...])."))
        return
    codes: set[str] = set()
    for i, requirement in enumerate(requirements):
        path = f"service.requirements[{i}]"
        r = c.check_object(requirement, path, allowed=REQUIREMENT_KEYS, required=("code", "name"))
        if r is None:
            continue
        code = r.get("code")
        if code is not None:
            if not isinstance(code, str) or not REQUIREMENT_CODE.match(code):
                c.add(
                    join(path, "code"),
                    _(
                        "A requirement code is a short name of letters, digits, hyphens or "
                        "underscores (at most 40), e.g. ktp."
                    ),
                )
            elif code in codes:
                c.add(
                    join(path, "code"),
                    _("Requirement code %(code)s is used more than once.") % {"code": code},
                )
            else:
                codes.add(code)
        c.check_text(r.get("name"), join(path, "name"), max_length=255, required=True)
        c.check_bool(r.get("mandatory"), join(path, "mandatory"))
        formats = r.get("formats")
        if formats is None:
            continue
        if not isinstance(formats, list):
            c.add(join(path, "formats"), _('Must be a list of file extensions, e.g. ["pdf"].'))
            continue
        seen: set[str] = set()
        for j, ext in enumerate(formats):
            if not isinstance(ext, str) or not FILE_EXTENSION.match(ext):
                c.add(
                    f"{path}.formats[{j}]",
                    _('A file extension in lower case without the dot, e.g. "pdf".'),
                )
            elif ext in seen:
                c.add(f"{path}.formats[{j}]", _("Listed more than once."))
            else:
                seen.add(ext)


def _check_fee(c: Checker, fee: Any) -> None:
    if fee is None:
        return
    f = c.check_object(fee, "service.fee", allowed=FEE_KEYS, required=("amount",))
    if f is None:
        return
    c.check_int(f.get("amount"), "service.fee.amount", minimum=0, maximum=MAX_FEE)
    currency = f.get("currency")
    if currency is not None and (not isinstance(currency, str) or not CURRENCY.match(currency)):
        c.add("service.fee.currency", _("A currency code of three capital letters, e.g. IDR."))
    c.check_text(f.get("basis"), "service.fee.basis", max_length=5000)


# --- import ------------------------------------------------------------------------------------


def _service_fields(s: dict) -> dict[str, Any]:
    """The Service model fields a (valid) ``service`` object sets; absent keys reset."""
    duration = s.get("service_time") or {}
    fee = s.get("fee") or {}
    standard = s.get("standard") or {}
    validity = s.get("validity") or {}
    return {
        "validity_value": validity.get("value"),
        "validity_unit": validity.get("unit") or "",
        "renewal_required": bool(s.get("renewal_required")),
        "application_fields": application_data.normal_declaration(s.get("application_fields")),
        "name": s["name"],
        "kind": s["kind"],
        "sector": s.get("sector") or "",
        "service_time_value": duration.get("value"),
        "service_time_unit": duration.get("unit") or "",
        "fee_amount": fee.get("amount") or 0,
        "fee_currency": fee.get("currency") or "IDR",
        "fee_basis": fee.get("basis") or "",
        "product": s.get("product") or "",
        "legal_basis": list(s.get("legal_basis") or []),
        **{f"standard_{key}": standard.get(key) or "" for key in FREE_TEXT_KEYS},
    }


def _snapshot(service: Service) -> dict[str, Any]:
    """The service as the format sees it (for the audit log's before/after)."""
    return _service_to_dict(service)


def import_document(doc: Any, *, actor=None, publish: bool = False) -> SopVersion:
    """Import a whole document: validate it (raising :class:`InvalidDocument` with every
    problem), then in one transaction create or update the service, replace its requirements,
    add a new draft SOP version and, if asked, publish it. Nothing is written on any error."""
    problems = validate_document(doc)
    if problems:
        raise InvalidDocument(problems)
    s = doc["service"]
    with transaction.atomic():
        service = Service.objects.select_for_update().filter(code=s["code"]).first()
        before = _snapshot(service) if service else None
        fields = _service_fields(s)
        if service is None:
            service = Service.objects.create(code=s["code"], **fields)
        else:
            for name, value in fields.items():
                setattr(service, name, value)
            service.save()
        service.technical_agencies.set(
            Agency.objects.filter(code__in=s.get("technical_agencies") or [])
        )
        _replace_requirements(service, s.get("requirements") or [])
        sop = _sop_for_purpose(service, doc.get("purpose") or "new")
        after = _snapshot(service)
        if before is None:
            audit.record("permits.service.created", service, actor=actor, after=after)
        elif before != after:
            changed = [k for k in after if before.get(k) != after[k]]
            audit.record(
                "permits.service.updated",
                service,
                actor=actor,
                before={k: before.get(k) for k in changed},
                after={k: after[k] for k in changed},
            )
        version = create_version_from_dict(
            sop, doc["sop"], actor=actor, audit_action="workflows.sop_version.imported"
        )
        if publish:
            try:
                versions.publish(version, by=actor)
            except InvalidSop as exc:  # validated above; kept for safety, still all-or-nothing
                raise InvalidDocument(exc.problems) from exc
    return version


def _replace_requirements(service: Service, requirements: list[dict]) -> None:
    """Make the service's requirements exactly the document's, keeping the rows (and anything
    that points to them) of the codes that stay."""
    existing = {r.code: r for r in service.requirements.all()}
    wanted = {r["code"] for r in requirements}
    gone = [r.pk for code, r in existing.items() if code not in wanted]
    try:
        Requirement.objects.filter(pk__in=gone).delete()
    except (ProtectedError, RestrictedError) as exc:
        raise InvalidDocument(
            [
                Problem(
                    "service.requirements",
                    _(
                        "A requirement left out of the document is still used by applications "
                        "and cannot be removed: %(codes)s."
                    )
                    % {"codes": ", ".join(c for c, r in existing.items() if r.pk in gone)},
                )
            ]
        ) from exc
    for position, r in enumerate(requirements, start=1):
        values = {
            "position": position,
            "name": r["name"],
            "mandatory": r.get("mandatory", True) is not False,
            "formats": list(r.get("formats") or []),
        }
        current = existing.get(r["code"])
        if current is None:
            Requirement.objects.create(service=service, code=r["code"], **values)
        elif any(getattr(current, k) != v for k, v in values.items()):
            for k, v in values.items():
                setattr(current, k, v)
            current.save()


# --- export ------------------------------------------------------------------------------------


#: The Service field holding the SOP of each purpose, and the suffix of that SOP's code.
PURPOSE_FIELDS = {
    "new": ("sop", ""),
    "renewal": ("renewal_sop", ":renewal"),
    "amendment": ("amendment_sop", ":amendment"),
}


def _sop_for_purpose(service: Service, purpose: str) -> Sop:
    """The service's SOP for ``purpose``, made on first import (a renewal or amendment SOP is
    a SOP of its own, with its own versions)."""
    field, suffix = PURPOSE_FIELDS[purpose]
    sop = getattr(service, field)
    if sop is None:
        sop, _created = Sop.objects.get_or_create(code=service.code[: 60 - len(suffix)] + suffix)
        setattr(service, field, sop)
        service.save(update_fields=[field])
    return sop


def _service_to_dict(service: Service) -> dict:
    duration = service.service_time
    extra = {}
    if service.validity_value and service.validity_unit:
        extra["validity"] = {"value": service.validity_value, "unit": service.validity_unit}
    if service.renewal_required:
        extra["renewal_required"] = True
    if service.application_fields:
        extra["application_fields"] = application_data.normal_declaration(
            service.application_fields
        )
    return {
        "code": service.code,
        "name": service.name,
        "kind": service.kind,
        "sector": service.sector,
        "technical_agencies": sorted(service.technical_agencies.values_list("code", flat=True)),
        "requirements": [
            {"code": r.code, "name": r.name, "mandatory": r.mandatory, "formats": list(r.formats)}
            for r in service.requirements.order_by("position", "id")
        ],
        "service_time": duration.as_dict() if duration else None,
        "fee": {
            "amount": int(service.fee_amount or 0),
            "currency": service.fee_currency,
            "basis": service.fee_basis,
        },
        "product": service.product,
        "legal_basis": list(service.legal_basis or []),
        "standard": {key: service.standard_text(key) for key in FREE_TEXT_KEYS},
        **extra,
    }


def export_document(version: SopVersion) -> dict:
    """The whole document for ``version`` of a service's SOP, in normal form."""
    sop_id = version.sop_id
    service = Service.objects.get(
        Q(sop_id=sop_id) | Q(renewal_sop_id=sop_id) | Q(amendment_sop_id=sop_id)
    )
    doc = {"format": FORMAT, "service": _service_to_dict(service), "sop": sop_to_dict(version)}
    purpose = next(
        (
            p
            for p, (field, _s) in PURPOSE_FIELDS.items()
            if getattr(service, f"{field}_id") == sop_id
        ),
        "new",
    )
    if purpose != "new":
        doc["purpose"] = purpose
    return doc


def export_service(code: str, version: int | None = None) -> dict:
    """The document of service ``code`` with its newest SOP version (or version ``version``).
    Raises ``Service.DoesNotExist`` or ``SopVersion.DoesNotExist``."""
    service = Service.objects.get(code=code)
    versions_qs = SopVersion.objects.filter(sop_id=service.sop_id).order_by("-version")
    if service.sop_id is None:
        raise SopVersion.DoesNotExist(f"Service {code} has no SOP.")
    found = (versions_qs if version is None else versions_qs.filter(version=version)).first()
    if found is None:
        raise SopVersion.DoesNotExist(
            f"Service {code} has no SOP version {version}."
            if version is not None
            else f"Service {code} has no SOP version."
        )
    return export_document(found)

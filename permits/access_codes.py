"""The access code (*kode akses*) of a submitted application after its submission: read again by
its owner (and the front office at the counter) and re-issued. Who may: :func:`permits.access
.may_read_access_code`. The code is kept twice: hashed for the public tracking lookup and
encrypted so that it can be shown again (:func:`permits.numbering.seal_access_code` says why)."""

from django.db import transaction
from django.utils.translation import gettext as _

from sop_portal import audit
from workflows.engine import InvalidState, NotAllowed

from . import numbering
from .access import may_read_access_code
from .models import Application


def readable_code(application: Application, viewer) -> str | None:
    """The current access code for ``viewer``, or None when they may not read it, the file is
    a draft, or the code cannot be decrypted any more (the owner re-issues it then)."""
    if not application.tracking_number or not may_read_access_code(viewer, application):
        return None
    return numbering.unseal_access_code(application.access_code_sealed)


def reissue(application: Application, by, reason: str = "") -> str:
    """A new access code for a submitted application; the old one stops working at once (the
    hash is replaced in the same write). Audited without the code itself. Returns the new code;
    ``application`` is updated in place."""
    if not may_read_access_code(by, application):
        raise NotAllowed(_("Only the applicant or the front office can issue a new access code."))
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).get(pk=application.pk)
        if not locked.tracking_number:
            raise InvalidState(_("A draft has no access code yet; submit it first."))
        code = numbering.new_access_code()
        locked.access_code_hash = numbering.hash_access_code(locked.tracking_number, code)
        locked.access_code_sealed = numbering.seal_access_code(code)
        locked.save(update_fields=["access_code_hash", "access_code_sealed"])
        audit.record(
            "permits.application.access_code_reissued",
            locked,
            actor=by,
            after={"by_applicant": by.pk == locked.applicant_id},
            reason=reason,
        )
    application.access_code_hash = locked.access_code_hash
    application.access_code_sealed = locked.access_code_sealed
    return code

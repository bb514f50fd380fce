"""The Governor's decree (*Keputusan Gubernur*) on SOPs: creating and editing it, its annexes
(published SOP versions only), the context it prints from, its HTML preview and its one PDF.
Its Indonesian texts and numbering are :mod:`workflows.decree_texts`; its background rendering
is :mod:`workflows.decree_rendering`."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from sop_portal import audit
from sop_portal.pdf import render_html

from .decree_texts import (
    DEFAULT_MENGINGAT,
    DEFAULT_TITLE,
    ORDINALS,
    ROMAN,
    annex_wording,
    default_texts,
    dictum_label,
    letter,
    roman,
)
from .documents import (
    PRINTABLE_STATUSES,
    SOP_TEMPLATE,
    AnnexHeader,
    logo_src,
    sop_context,
    tanggal,
)
from .models import Decree, DecreeAnnex, DocumentSettings, SopVersion
from .states.decrees import DECREE

DECREE_TEMPLATE = "workflows/decrees/decree_document.html"

#: The fields of a decree a person edits (page form and API); ``status`` moves through
#: :data:`workflows.states.decrees.DECREE`, the annexes through :func:`set_annexes`.
EDITABLE_FIELDS = (
    "number",
    "year",
    "title",
    "menimbang",
    "mengingat",
    "dictums",
    "place",
    "signed_on",
    "signatory_position",
    "signatory_name",
    "tembusan",
    "copy_mark",
)


def new_decree(*, year: int, by=None, annexes=None, status: str | None = None, **fields) -> Decree:
    """A draft decree with the starting texts for any text left out, recorded in the audit
    trail (``decree.create``); ``status`` final finalizes it, ``annexes`` sets its annexes,
    each its own audited change."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not decree fields: {sorted(unknown)}")
    texts = default_texts(fields.pop("title", None) or DEFAULT_TITLE)
    texts.update(fields)
    with transaction.atomic():
        decree = Decree.objects.create(year=year, created_by=by, updated_by=by, **texts)
        audit.record(
            "decree.create",
            decree,
            actor=by,
            after={"title": decree.title, **{f: fields[f] for f in fields if f != "title"}},
        )
        if status and status != decree.status:
            DECREE.move(decree, status, by=by, locked=True)
        if annexes is not None:
            set_annexes(decree, annexes, by=by)
    return decree


def update_decree(decree: Decree, changes: dict, *, by=None, reason: str = "") -> Decree:
    """Change ``decree`` whichever door it came through (the page form, the API): its texts and
    fields (one ``decree.update`` entry with what changed, before and after), its status
    (through :data:`DECREE`: ``decree.finalize`` / ``decree.reopen``) and its annexes
    (``decree.annexes``). Unchanged values write nothing."""
    changes = dict(changes)
    status = changes.pop("status", None)
    annexes = changes.pop("annexes", None)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not decree fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = Decree.objects.select_for_update().get(pk=decree.pk)
        changed = [f for f, value in changes.items() if getattr(locked, f) != value]
        if changed:
            before = {f: getattr(locked, f) for f in changed}
            for f in changed:
                setattr(locked, f, changes[f])
            locked.updated_by = by if by is not None and by.is_authenticated else None
            locked.save(update_fields=[*changed, "updated_by", "updated_at"])
            audit.record(
                "decree.update",
                locked,
                actor=by,
                before=before,
                after={f: changes[f] for f in changed},
                reason=reason,
            )
        if status and status != locked.status:
            DECREE.move(locked, status, by=by, reason=reason, locked=True)
        if annexes is not None:
            set_annexes(locked, annexes, by=by)
        if changed and annexes is None:  # set_annexes queues the preparation itself
            prepare_parts_on_commit(locked)
    for f in (*EDITABLE_FIELDS, "status", "updated_by", "updated_by_id", "updated_at"):
        setattr(decree, f, getattr(locked, f))
    return decree


def prepare_parts_on_commit(decree: Decree) -> None:
    """Once the change commits, render the decree's annex parts ahead in the worker(s)
    (:func:`workflows.decree_print.prepare_parts`): its texts or annexes changed, so the
    parts' numbering or header may have too. Not when tasks run eagerly (no worker): the
    request itself would render every part, which is what preparing ahead is to spare."""
    from sop_portal import tasking
    from sop_portal.celery import app

    from .tasks import prepare_decree_parts

    if not app.conf.task_always_eager:
        tasking.enqueue_on_commit(prepare_decree_parts, decree.pk)


def delete_decree(decree: Decree, *, by=None) -> None:
    """Delete a draft decree (a final one is a legal record: reopen it first), audited with
    what it was."""
    with transaction.atomic():
        locked = Decree.objects.select_for_update().get(pk=decree.pk)
        if locked.status != Decree.Status.DRAFT:
            raise ValidationError(_("Only a draft decree can be deleted; reopen it first."))
        audit.record(
            "decree.delete",
            locked,
            actor=by,
            before={"number": locked.number, "year": locked.year, "title": locked.title},
        )
        locked.delete()


def check_annex(version: SopVersion) -> None:
    """Only published or superseded SOP versions can be annexed: a draft is not law."""
    if version.status not in PRINTABLE_STATUSES:
        raise ValidationError(
            _("Only published SOP versions can be annexed to a decree (%(version)s is %(status)s).")
            % {"version": version, "status": version.get_status_display()}
        )


@transaction.atomic
def set_annexes(decree: Decree, versions: Iterable[SopVersion], *, by=None) -> None:
    """Replace the annexes of ``decree`` with ``versions``, in that order."""
    versions = list(versions)
    for version in versions:
        check_annex(version)
    before = list(decree.annexes.values_list("version_id", flat=True))
    decree.annexes.all().delete()
    DecreeAnnex.objects.bulk_create(
        DecreeAnnex(decree=decree, version=v, position=i) for i, v in enumerate(versions, 1)
    )
    decree.updated_by = by
    decree.save(update_fields=["updated_by", "updated_at"])
    audit.record(
        "decree.annexes",
        decree,
        actor=by,
        before={"versions": before},
        after={"versions": [v.pk for v in versions]},
    )
    if versions:
        prepare_parts_on_commit(decree)


def annexed_versions(decree: Decree) -> list[SopVersion]:
    return [a.version for a in decree.annexes.select_related("version__sop").order_by("position")]


def decree_context(decree: Decree, annex_count: int | None = None) -> dict:
    doc = DocumentSettings.load()
    count = decree.annexes.count() if annex_count is None else annex_count
    return {
        "decree": decree,
        "doc": doc,
        "logo_src": logo_src(doc),
        "decree_logo_src": logo_src(doc, "decree"),
        "date": tanggal(decree.signed_on),
        "menimbang": [(letter(i), text) for i, text in enumerate(decree.menimbang)],
        "mengingat": [(str(i + 1), text) for i, text in enumerate(decree.mengingat)],
        "dictums": [
            (dictum_label(i), annex_wording(text, count) if i == 0 else text)
            for i, text in enumerate(decree.dictums)
        ],
        "tembusan": decree.tembusan,
    }


def _annex_header(decree: Decree, index: int | None) -> AnnexHeader:
    return AnnexHeader(
        number=decree.number,
        year=decree.year,
        date=tanggal(decree.signed_on),
        title=decree.title,
        index=roman(index) if index else None,
    )


def annex_context(decree: Decree, version: SopVersion, index: int, count: int, **extra) -> dict:
    """The context of annex ``index`` (1-based) of ``count``: the SOP with the annex block, the
    Governor's signature closing the last one."""
    doc = extra.pop("doc", None) or DocumentSettings.load()
    anchor = f"lampiran-{index}"
    sop = sop_context(
        version,
        annex=_annex_header(decree, index if count > 1 else None),
        doc=doc,
        anchor=anchor,
        closing=index == count,
        **extra,
    )
    sop["closing"] = index == count
    sop["decree"] = decree
    return sop


def decree_html(
    decree: Decree, request=None, *, progress: Callable[[int, int], None] | None = None
) -> str:
    """The whole decree as one HTML document (the preview): decree, table of contents,
    annexes, the Governor's signature after the last annex."""
    versions = annexed_versions(decree)
    context = decree_context(decree, len(versions))
    annexes = []
    for i, version in enumerate(versions, 1):
        sop = annex_context(decree, version, i, len(versions), doc=context["doc"])
        annexes.append(
            {
                "index": roman(i),
                "anchor": sop["anchor"],
                "version": version,
                "html": render_html("workflows/documents/_sop_body.html", sop),
            }
        )
        if progress:
            progress(i, len(versions))
    context["annexes"] = annexes
    return render_html(DECREE_TEMPLATE, context, request=request)


def decree_pdf(decree: Decree, *, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The decree's final PDF: the decree and each annex rendered apart (bounded memory) and
    joined, pages numbered as one document (:mod:`workflows.decree_print`)."""
    from .decree_print import render_decree

    with translation.override("id"):
        return render_decree(decree, progress=progress)


#: Background rendering lives in :mod:`workflows.decree_rendering`; its names are reachable
#: here too (``decrees.request_rendering``) for the views, the API and the task.
_RENDERING_NAMES = (
    "LAYOUT_REVISION",
    "STALE_RENDERING",
    "inputs_hash",
    "latest_rendering",
    "request_rendering",
    "requeue_stale_renderings",
    "run_rendering",
)


def __getattr__(name: str):
    if name in _RENDERING_NAMES:
        from . import decree_rendering

        return getattr(decree_rendering, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "DEFAULT_MENGINGAT",
    "DEFAULT_TITLE",
    "ORDINALS",
    "ROMAN",
    "SOP_TEMPLATE",
    "annex_wording",
    "check_annex",
    "decree_html",
    "decree_pdf",
    "default_texts",
    "delete_decree",
    "dictum_label",
    "letter",
    "new_decree",
    "roman",
    "set_annexes",
    "update_decree",
]

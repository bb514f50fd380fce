"""The Governor's decree (*Keputusan Gubernur*) on SOPs: its Indonesian starting texts, its
annexes (published SOP versions only), its one PDF and the background rendering of that PDF
(stored, re-rendered only when the inputs change)."""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sop_portal import audit, tasking
from sop_portal.pdf import render_html

from .documents import (
    PRINTABLE_STATUSES,
    SOP_TEMPLATE,
    AnnexHeader,
    logo_src,
    sop_context,
    tanggal,
)
from .models import Decree, DecreeAnnex, DocumentSettings, RenderedDocument, SopVersion
from .states.decrees import DECREE, RENDERING, claim

DECREE_TEMPLATE = "workflows/decrees/decree_document.html"

ORDINALS = [
    "KESATU",
    "KEDUA",
    "KETIGA",
    "KEEMPAT",
    "KELIMA",
    "KEENAM",
    "KETUJUH",
    "KEDELAPAN",
    "KESEMBILAN",
    "KESEPULUH",
]
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def dictum_label(index: int) -> str:
    """KESATU, KEDUA, … for the dictum at ``index`` (0-based); past ten, "KE-11" and so on."""
    return ORDINALS[index] if index < len(ORDINALS) else f"KE-{index + 1}"


def roman(number: int) -> str:
    """Roman numerals for annex numbers (LAMPIRAN I, II, …)."""
    if number <= len(ROMAN):
        return ROMAN[number - 1]
    values = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC")]
    values += [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, numeral in values:
        while number >= value:
            out += numeral
            number -= value
    return out


def letter(index: int) -> str:
    """a, b, c … for the Menimbang items."""
    return chr(ord("a") + index) if index < 26 else f"a{index}"


DEFAULT_TITLE = (
    "Standar Operasional Prosedur Pelayanan Perizinan dan Nonperizinan pada Dinas Penanaman "
    "Modal dan Pelayanan Terpadu Satu Pintu Provinsi Sulawesi Tenggara"
)

# Gazette references only where they are well known; the rest cite the act alone, for the
# legal drafter to complete: nothing here is an invented number.
DEFAULT_MENGINGAT = [
    "Undang-Undang Nomor 13 Tahun 1964 tentang Penetapan Peraturan Pemerintah Pengganti "
    "Undang-Undang Nomor 2 Tahun 1964 tentang Pembentukan Daerah Tingkat I Sulawesi Tengah dan "
    "Daerah Tingkat I Sulawesi Tenggara dengan mengubah Undang-Undang Nomor 47 Prp. Tahun 1960 "
    "tentang Pembentukan Daerah Tingkat I Sulawesi Utara-Tengah dan Daerah Tingkat I Sulawesi "
    "Selatan-Tenggara menjadi Undang-Undang;",
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik (Lembaran Negara Republik "
    "Indonesia Tahun 2009 Nomor 112, Tambahan Lembaran Negara Republik Indonesia Nomor 5038);",
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah (Lembaran Negara Republik "
    "Indonesia Tahun 2014 Nomor 244, Tambahan Lembaran Negara Republik Indonesia Nomor 5587) "
    "sebagaimana telah beberapa kali diubah, terakhir dengan Undang-Undang Nomor 6 Tahun 2023 "
    "tentang Penetapan Peraturan Pemerintah Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang "
    "Cipta Kerja menjadi Undang-Undang;",
    "Undang-Undang Nomor 30 Tahun 2014 tentang Administrasi Pemerintahan (Lembaran Negara "
    "Republik Indonesia Tahun 2014 Nomor 292, Tambahan Lembaran Negara Republik Indonesia Nomor "
    "5601) sebagaimana telah diubah dengan Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan "
    "Peraturan Pemerintah Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi "
    "Undang-Undang;",
    "Undang-Undang Nomor 6 Tahun 2023 tentang Penetapan Peraturan Pemerintah Pengganti "
    "Undang-Undang Nomor 2 Tahun 2022 tentang Cipta Kerja menjadi Undang-Undang (Lembaran Negara "
    "Republik Indonesia Tahun 2023 Nomor 41, Tambahan Lembaran Negara Republik Indonesia Nomor "
    "6856);",
    "Peraturan Pemerintah Nomor 28 Tahun 2025 tentang Penyelenggaraan Perizinan Berusaha "
    "Berbasis Risiko;",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 35 Tahun 2012 "
    "tentang Pedoman Penyusunan Standar Operasional Prosedur Administrasi Pemerintahan;",
]


def default_texts(title: str = DEFAULT_TITLE) -> dict:
    """The starting texts of a new decree, in Indonesian; every one stays editable."""
    return {
        "title": title,
        "menimbang": [
            "bahwa dalam rangka meningkatkan kualitas pelayanan publik di bidang perizinan dan "
            "nonperizinan yang cepat, mudah, transparan, pasti dan terjangkau, perlu disusun "
            "standar operasional prosedur pelayanan;",
            "bahwa standar operasional prosedur sebagaimana dimaksud dalam huruf a menjadi "
            "pedoman bagi Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu dan perangkat "
            "daerah teknis dalam melaksanakan pelayanan perizinan dan nonperizinan;",
            "bahwa berdasarkan pertimbangan sebagaimana dimaksud dalam huruf a dan huruf b, perlu "
            f"menetapkan Keputusan Gubernur tentang {title};",
        ],
        "mengingat": list(DEFAULT_MENGINGAT),
        "dictums": [
            f"Menetapkan {title} sebagaimana tercantum dalam Lampiran yang merupakan bagian tidak "
            "terpisahkan dari Keputusan Gubernur ini.",
            "Standar Operasional Prosedur sebagaimana dimaksud dalam Diktum KESATU menjadi "
            "pedoman dalam penyelenggaraan pelayanan perizinan dan nonperizinan oleh Dinas "
            "Penanaman Modal dan Pelayanan Terpadu Satu Pintu dan perangkat daerah teknis.",
            "Pelaksanaan Standar Operasional Prosedur dipantau paling sedikit sekali dalam 6 "
            "(enam) bulan dan dievaluasi secara berkala.",
            "Keputusan Gubernur ini mulai berlaku pada tanggal ditetapkan.",
        ],
        "tembusan": [
            "Menteri Dalam Negeri di Jakarta;",
            "Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi di Jakarta;",
            "Ketua DPRD Provinsi Sulawesi Tenggara di Kendari;",
            "Inspektur Provinsi Sulawesi Tenggara di Kendari;",
            "Kepala Perangkat Daerah terkait lingkup Pemerintah Provinsi Sulawesi Tenggara.",
        ],
    }


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
    for f in (*EDITABLE_FIELDS, "status", "updated_by", "updated_by_id", "updated_at"):
        setattr(decree, f, getattr(locked, f))
    return decree


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


def annexed_versions(decree: Decree) -> list[SopVersion]:
    return [a.version for a in decree.annexes.select_related("version__sop").order_by("position")]


def annex_wording(text: str, count: int) -> str:
    """The dictum's reference to its annexes in the plural when there are several: "sebagaimana
    tercantum dalam Lampiran I sampai dengan Lampiran XL" (Permendagri 80/2015 as amended,
    Lampiran: a decree with several annexes names them by Roman numeral). Stored texts keep
    the editable singular; the count is known only when printing."""
    if count < 2:
        return text
    several = (
        "Lampiran I dan Lampiran II"
        if count == 2
        else f"Lampiran I sampai dengan Lampiran {roman(count)}"
    )
    return re.sub(r"\bLampiran(?= yang merupakan)", several, text)


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


# --- background rendering ------------------------------------------------------------------

# What a rendering of the decree depends on: the edited fields.
_DECREE_FIELDS = EDITABLE_FIELDS
# Bump when the templates or the layout change so stored files are rendered again.
LAYOUT_REVISION = "2"  # h6: measured flowchart layout, decree rendered in parts


def _settings_inputs() -> dict:
    doc = DocumentSettings.load()
    return {
        "logo": doc.logo.name if doc.logo else "",
        "government": doc.government,
        "unit": doc.unit_name,
        "rows": doc.rows_per_page,
        "decree_logo": doc.decree_logo.name if doc.decree_logo else "",
        "certifier": [doc.certifier_position, doc.certifier_name, doc.certifier_nip],
        "orientation": doc.orientation,
        "updated": doc.updated_at.isoformat() if doc.updated_at else "",
    }


def _version_inputs(version: SopVersion) -> dict:
    # Published versions never change, but drafts do: hash their content, not only their id.
    from .interchange import sop_to_dict

    return {"id": version.pk, "status": version.status, "content": sop_to_dict(version)}


def inputs_hash(*, decree: Decree | None = None, version: SopVersion | None = None) -> str:
    """A fingerprint of everything the PDF prints: same hash, same file."""
    data: dict = {"layout": LAYOUT_REVISION, "settings": _settings_inputs()}
    if decree is not None:
        data["decree"] = {f: getattr(decree, f) for f in _DECREE_FIELDS}
        data["annexes"] = [_version_inputs(v) for v in annexed_versions(decree)]
    if version is not None:
        data["version"] = _version_inputs(version)
    raw = json.dumps(data, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()


def request_rendering(
    *, decree: Decree | None = None, version: SopVersion | None = None, by=None
) -> RenderedDocument:
    """The rendering of the current inputs: the existing job (queued, running or done) when the
    inputs have not changed, otherwise a new job, queued after the transaction commits."""
    digest = inputs_hash(decree=decree, version=version)
    existing = (
        RenderedDocument.objects.filter(decree=decree, version=version, inputs_hash=digest)
        .exclude(status=RenderedDocument.Status.FAILED)
        .first()
    )
    if existing:
        return existing
    total = len(annexed_versions(decree)) if decree else 1
    job = RenderedDocument.objects.create(
        decree=decree, version=version, inputs_hash=digest, total=total, requested_by=by
    )
    from .tasks import render_document

    # Queued after commit; a broker that is down then is logged, not a 500 (the job stands,
    # and requeue_stale_renderings hands it to the worker once the broker is back).
    tasking.enqueue_on_commit(render_document, job.pk)
    return job


#: A queued job older than this is handed to the worker again (its first message was lost).
STALE_RENDERING = timedelta(minutes=2)


def requeue_stale_renderings(now=None) -> int:
    """Queue again the renderings still waiting after :data:`STALE_RENDERING` (the broker was
    down when they were requested, or their message was lost). Safe when the first message
    does arrive after all: :func:`run_rendering` claims a job once. Returns how many."""
    from .tasks import render_document

    cutoff = (now or timezone.now()) - STALE_RENDERING
    stale = RenderedDocument.objects.filter(
        status=RenderedDocument.Status.QUEUED, created_at__lt=cutoff
    ).values_list("pk", flat=True)
    return tasking.enqueue_many(render_document, [(pk,) for pk in stale])


def latest_rendering(
    *, decree: Decree | None = None, version: SopVersion | None = None
) -> RenderedDocument | None:
    return RenderedDocument.objects.filter(decree=decree, version=version).first()


def run_rendering(job_id: int) -> RenderedDocument | None:
    """Render job ``job_id`` (the Celery task calls this). Idempotent: a job already done or
    taken by another worker is left alone (:func:`workflows.states.decrees.claim`)."""
    job = claim(job_id)
    if job is None:
        return RenderedDocument.objects.filter(pk=job_id).first()
    job = RenderedDocument.objects.select_related("decree", "version__sop").get(pk=job_id)

    def progress(done: int, total: int) -> None:
        RenderedDocument.objects.filter(pk=job_id).update(done=done, total=total)

    try:
        if job.decree_id:
            pdf = decree_pdf(job.decree, progress=progress)
            name = f"keputusan-{job.decree.year}-{job.decree_id}.pdf"
        else:
            from .documents import sop_pdf

            pdf = sop_pdf(job.version)
            name = f"sop-{job.version.sop.code}-v{job.version.version}.pdf"
    except Exception as exc:  # recorded for the page to show, then re-raised to the worker log
        RENDERING.move(
            job,
            RenderedDocument.Status.FAILED,
            name="fail",
            fields={"error": str(exc)[:2000], "finished_at": timezone.now()},
            after={"error": str(exc)[:200]},
        )
        raise
    from pypdf import PdfReader

    job.refresh_from_db()
    job.file.save(name, ContentFile(pdf), save=False)
    RENDERING.move(
        job,
        RenderedDocument.Status.DONE,
        name="finish",
        fields={
            "file": job.file.name,
            "pages": len(PdfReader(io.BytesIO(pdf)).pages),
            "done": job.total,
            "finished_at": timezone.now(),
        },
    )
    return job


__all__ = [
    "SOP_TEMPLATE",
    "check_annex",
    "decree_html",
    "decree_pdf",
    "default_texts",
    "delete_decree",
    "dictum_label",
    "inputs_hash",
    "latest_rendering",
    "new_decree",
    "request_rendering",
    "run_rendering",
    "set_annexes",
    "update_decree",
]

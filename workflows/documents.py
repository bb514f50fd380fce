"""The SOP document (Permenpan RB 35/2012): the context its template prints from, in Indonesian,
and its HTML preview and PDF through the portal's one renderer."""

from __future__ import annotations

import base64
import datetime
import mimetypes
from dataclasses import dataclass

from django.templatetags.static import static
from django.utils import translation

from sop_portal.formatting import format_day
from sop_portal.pdf import render_html, write_pdf

from .flowchart import FlowPerformer, FlowStep, LayoutSettings, Measured, layout
from .legal_basis import full_text
from .models import DocumentSettings, SopVersion

SOP_TEMPLATE = "workflows/documents/sop_document.html"
PRINTABLE_STATUSES = (SopVersion.Status.PUBLISHED, SopVersion.Status.SUPERSEDED)


def tanggal(value: datetime.date | None) -> str:
    """A date the Indonesian way, "2 Februari 2026"; empty for none."""
    if not value:
        return ""
    with translation.override("id"):
        return format_day(value)


def duration_text(value: int | None, unit: str) -> str:
    """A time norm in Indonesian ("15 menit", "3 hari kerja")."""
    from .durations import Duration

    if not value or not unit:
        return ""
    with translation.override("id"):
        return str(Duration(value, unit))


def joined(durations) -> str:
    with translation.override("id"):
        return " + ".join(str(d) for d in durations) or "—"


def total_time_text(version: SopVersion) -> str:
    """The printed "Jumlah waktu": the office's service time (see ``SopVersion.service_time``)."""
    return joined(version.total_time_norm())


# Room for the Governor's signature (and a SALINAN's certification) after the last annex.
CLOSING_BLOCK = 200.0


def layout_settings(
    *, annex: bool = False, doc: DocumentSettings | None = None, closing: bool = False
) -> LayoutSettings:
    doc = doc or DocumentSettings.load()
    return LayoutSettings(
        rows_per_page=doc.rows_per_page,
        orientation=doc.orientation,
        annex=annex,
        reserve_last=CLOSING_BLOCK if closing else 0.0,
    )


def flowchart_of(version: SopVersion, settings: LayoutSettings, measured: Measured | None = None):
    """The laid-out flowchart of ``version`` (``measured``: heights fed back from a rendering)."""
    performers = list(version.performers.order_by("position"))
    flow_performers = [
        FlowPerformer(key=p.key, title=p.title, short=p.short_title) for p in performers
    ]
    key_of = {p.pk: p.key for p in performers}
    steps = [
        FlowStep(
            no=s.no,
            symbol=s.symbol,
            performer=key_of.get(s.performer_id, ""),
            also=tuple(s.also_performers or ()),
            activity=s.activity,
            next_no=s.next_no,
            yes_no=s.yes_no,
            no_no=s.no_no,
            requirements=tuple(s.requirements or ()),
            time=duration_text(s.duration_value, s.duration_unit),
            output=tuple(s.output or ()),
            notes=s.notes,
        )
        for s in version.steps.order_by("no")
    ]
    return layout(flow_performers, steps, settings, measured)


@dataclass
class AnnexHeader:
    """The block "LAMPIRAN KEPUTUSAN GUBERNUR … NOMOR … TANGGAL … TENTANG …" of annex pages."""

    number: str
    year: int
    date: str
    title: str
    index: int | None = None  # "LAMPIRAN I", "II" … when a decree has several annexes


def logo_src(doc: DocumentSettings, kind: str = "sop") -> str:
    """The logo of a document kind (``sop``: the unit's logo; ``decree``: the province's
    emblem, falling back to the logo) as a URL both the browser and the PDF renderer can load:
    the uploaded one inline (media is private), else the portal's neutral mark (not the
    official emblem)."""
    files = [doc.decree_logo, doc.logo] if kind == "decree" else [doc.logo]
    for image in files:
        if not image:
            continue
        try:
            data = image.read()
        except OSError:
            data = b""
        finally:
            image.close()
        if data:
            mime = mimetypes.guess_type(image.name)[0] or "image/png"
            return f"data:{mime};base64,{base64.b64encode(data).decode()}"
    return static("img/mark.svg")


def sop_context(
    version: SopVersion,
    *,
    annex: AnnexHeader | None = None,
    doc: DocumentSettings | None = None,
    anchor: str = "",
    measured: Measured | None = None,
    closing: bool = False,
) -> dict:
    """Everything the SOP document template prints, for one version (``closing``: the last
    annex of a decree, followed by the Governor's signature)."""
    doc = doc or DocumentSettings.load()
    settings = layout_settings(annex=annex is not None, doc=doc, closing=closing)
    chart = flowchart_of(version, settings, measured)
    timing = version.service_time()
    return {
        "version": version,
        "doc": doc,
        "logo_src": logo_src(doc),
        "annex": annex,
        "anchor": anchor or f"sop-{version.pk}",
        "orientation": settings.orientation,
        "identity": {
            "number": version.number or "—",
            "made_on": tanggal(version.made_on) or "—",
            "revised_on": tanggal(version.revised_on) or "—",
            "effective_on": tanggal(version.effective_on) or "—",
            "position": version.approved_by_position,
            "name": version.approved_by_name,
            "nip": version.approved_by_nip,
            "sections": [
                (
                    "Dasar Hukum",
                    [full_text(item) for item in version.legal_basis or ()],
                    "Kualifikasi Pelaksana",
                    version.qualifications,
                ),
                ("Keterkaitan", version.related, "Peralatan/Perlengkapan", version.equipment),
                ("Peringatan", version.warnings, "Pencatatan dan Pendataan", version.records),
            ],
        },
        "chart": chart,
        "columns": chart.columns,
        "total_time": joined(timing.office),
        "applicant_time": joined(timing.applicant) if timing.applicant else "",
    }


def identity_pages(context: dict) -> int:
    """How many pages the identity table takes (print.css: 8 pt text, 1.3 line height, lists
    in two half-width columns): the decree numbers its pages before drawing them
    (:mod:`workflows.decree_print`), so an identity page that runs over must be foreseen.
    A wrong guess costs a second rendering of the parts, never a wrong page number."""
    import math

    from .flowchart.metrics import wrap

    settings = layout_settings(annex=context["annex"] is not None, doc=context["doc"])
    size, line = 8 * 96 / 72, 8 * 96 / 72 * 1.3
    half = settings.body_width / 2 - 14 - 16
    height = 230.0 + 60.0  # the organisation and facts block, the SOP's name
    name_lines = len(wrap(context["version"].name.upper(), settings.body_width - 20, 11 * 96 / 72))
    height += (name_lines - 1) * 11 * 96 / 72 * 1.3
    for _, left, _, right in context["identity"]["sections"]:
        lines = [
            sum(len(wrap(item, half, size)) for item in items or ["—"]) for items in (left, right)
        ]
        height += 20 + max(max(lines) * line + 9, 12 * 96 / 25.4)  # a pair row is 12 mm or more
    # Calibrated on the 21 demo SOPs as annexes (estimated 654 px: one page, 682 px: two).
    return max(1, math.ceil(height / (settings.identity_body_height * 1.07)))


def sop_html(version: SopVersion, request=None, *, preview: bool = False) -> str:
    """The SOP document as HTML: the same template as the PDF."""
    context = sop_context(version)
    context["preview"] = preview
    return render_html(SOP_TEMPLATE, context, request=request)


def fitted_sop(version: SopVersion, **context) -> tuple[object, dict]:
    """The laid-out SOP document (WeasyPrint) with its drawing fitted to the rows as laid out,
    and the context it was last drawn from."""
    from .printing import fitted_document

    drawn: list[dict] = []

    def build(measured: Measured | None) -> str:
        drawn.append(sop_context(version, measured=measured, **context))
        return render_html(SOP_TEMPLATE, drawn[-1])

    with translation.override("id"):
        document = fitted_document(build)
    return document, drawn[-1]


def sop_pdf(version: SopVersion) -> bytes:
    """The SOP document as PDF."""
    document, _ = fitted_sop(version)
    return write_pdf(document)

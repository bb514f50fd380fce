"""Staff pages for printed documents: SOP previews and PDFs, decrees (texts, annexes, rendering
with progress, download). Thin callers of ``workflows.documents`` and ``workflows.decrees``."""

from functools import wraps

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.access import is_administrator
from permits.storage import open_stored

from . import access, decree_signing, decrees, documents
from .models import Decree, RenderedDocument, SopVersion


def administrators_only(view):
    """Anonymous visitors go to the login page; signed-in non-administrators get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_administrator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@administrators_only
def sop_preview(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(SopVersion.objects.select_related("sop"), pk=pk)
    body = documents.sop_html(version, request, preview=True)
    return render(
        request, "workflows/documents/preview.html", {"version": version, "document": body}
    )


def sop_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PDF of an SOP version: public for the published and superseded versions (the rule
    of :func:`workflows.access.may_see_version`), administrators only for the others."""
    version = get_object_or_404(SopVersion.objects.select_related("sop"), pk=pk)
    if not access.may_see_version(request.user, version):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    name = f"SOP-{version.sop.code}-v{version.version}.pdf"
    return _pdf_response(documents.sop_pdf(version), name)


# --- decrees ---------------------------------------------------------------------------------


class LinesField(forms.CharField):
    """A list edited as a textarea, one item per line."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class DecreeForm(forms.ModelForm):
    menimbang = LinesField(
        label=gettext_lazy("Considering (Menimbang)"),
        required=False,
        help_text=gettext_lazy('One "bahwa …" item per line; lettered a, b, c … when printed.'),
    )
    mengingat = LinesField(
        label=gettext_lazy("Bearing in mind (Mengingat)"),
        required=False,
        help_text=gettext_lazy("One law per line, in order of rank; numbered when printed."),
    )
    dictums = LinesField(
        label=gettext_lazy("Dictums"),
        required=False,
        help_text=gettext_lazy("One dictum per line; labelled KESATU, KEDUA … when printed."),
    )
    tembusan = LinesField(label=gettext_lazy("Copies to (Tembusan)"), required=False)

    class Meta:
        model = Decree
        fields = [*decrees.EDITABLE_FIELDS, "status"]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}),
            "title": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-check-input" if isinstance(field.widget, forms.CheckboxInput) else None
            field.widget.attrs.setdefault("class", css or "form-control")


@administrators_only
def decree_list(request: HttpRequest) -> HttpResponse:
    items = Decree.objects.all()
    return render(request, "workflows/decrees/list.html", {"decrees": items})


@administrators_only
def decree_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    decree = get_object_or_404(Decree, pk=pk) if pk else None
    if decree is None:
        initial = {**decrees.default_texts(), "year": timezone.localdate().year}
        form = DecreeForm(request.POST or None, initial=initial)
    else:
        form = DecreeForm(request.POST or None, instance=decree)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if decree is None:
            saved = decrees.new_decree(by=request.user, **data)
        else:
            saved = decrees.update_decree(
                decree, {f: data[f] for f in form.changed_data}, by=request.user
            )
        return redirect("workflows:decree_detail", pk=saved.pk)
    context = {"form": form, "decree": decree}
    status = 400 if form.errors else 200
    return render(request, "workflows/decrees/form.html", context, status=status)


@administrators_only
def decree_detail(request: HttpRequest, pk: int, sign_error: str = "") -> HttpResponse:
    decree = get_object_or_404(Decree, pk=pk)
    job = decrees.latest_rendering(decree=decree)
    return render(
        request,
        "workflows/decrees/detail.html",
        {
            "decree": decree,
            "annexes": decrees.annexed_versions(decree),
            "job": job,
            "current_hash": decrees.inputs_hash(decree=decree),
            "may_sign": decree_signing.may_sign(job),
            "sign_error": sign_error,
        },
        status=400 if sign_error else 200,
    )


@administrators_only
def decree_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """Sign the final decree's current rendering with the passphrase typed here."""
    decree = get_object_or_404(Decree, pk=pk)
    if request.method != "POST":
        return redirect("workflows:decree_detail", pk=pk)
    job = decrees.latest_rendering(decree=decree)
    if job is None:
        return decree_detail(request, pk, sign_error=_("Render the PDF first."))
    try:
        decree_signing.sign_rendering(
            job, by=request.user, passphrase=request.POST.get("passphrase", "")
        )
    except ValidationError as error:
        return decree_detail(request, pk, sign_error=" ".join(error.messages))
    return redirect("workflows:decree_detail", pk=pk)


@administrators_only
def decree_annexes(request: HttpRequest, pk: int) -> HttpResponse:
    decree = get_object_or_404(Decree, pk=pk)
    available = SopVersion.objects.filter(status=SopVersion.Status.PUBLISHED).select_related("sop")
    chosen = [a.pk for a in decrees.annexed_versions(decree)]
    error = ""
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("versions") if i.isdigit()]
        versions = {v.pk: v for v in SopVersion.objects.filter(pk__in=ids)}
        try:
            decrees.set_annexes(
                decree, [versions[i] for i in ids if i in versions], by=request.user
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            return redirect("workflows:decree_detail", pk=decree.pk)
    return render(
        request,
        "workflows/decrees/annexes.html",
        {"decree": decree, "available": available, "chosen": chosen, "error": error},
    )


@administrators_only
def decree_render(request: HttpRequest, pk: int) -> HttpResponse:
    decree = get_object_or_404(Decree, pk=pk)
    if request.method != "POST":
        return redirect("workflows:decree_detail", pk=pk)
    decrees.request_rendering(decree=decree, by=request.user)
    return redirect("workflows:decree_detail", pk=pk)


@administrators_only
def decree_preview(request: HttpRequest, pk: int) -> HttpResponse:
    decree = get_object_or_404(Decree, pk=pk)
    body = decrees.decree_html(decree, request)
    return render(request, "workflows/decrees/preview.html", {"decree": decree, "document": body})


@administrators_only
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment, polled by htmx while the job runs."""
    job = get_object_or_404(RenderedDocument, pk=pk)
    return render(request, "workflows/decrees/_job.html", {"job": job})


@administrators_only
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(RenderedDocument, pk=pk, status=RenderedDocument.Status.DONE)
    handle, size = open_stored(job.file)  # a 404 when there is none
    name = job.file.name.rsplit("/", 1)[-1]
    response = FileResponse(handle, content_type="application/pdf", filename=name)
    if size is not None:
        response["Content-Length"] = str(size)
    return response

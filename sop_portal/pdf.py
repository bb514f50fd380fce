"""The one PDF renderer of the portal: HTML from a template, then WeasyPrint, static files and
media read from disk so rendering needs neither a running server nor the network."""

import io
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

# A base URL of our own: every relative ``/static/…`` or ``/media/…`` reference resolves against
# it and the fetcher below maps it to a file; nothing else is fetched.
BASE_URL = "https://sop-portal.invalid/"


def render_html(template: str, context: dict, request=None) -> str:
    """The HTML of a document: the browser preview and the input of :func:`render_pdf`."""
    return render_to_string(template, context, request=request)


def _local_path(url: str) -> Path | None:
    """The file on disk that a static or media URL stands for, or None."""
    path = unquote(urlparse(url).path)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    media_prefix = "/" + (settings.MEDIA_URL or "media/").strip("/") + "/"
    if path.startswith(static_prefix):
        found = finders.find(path[len(static_prefix) :])
        if found:
            return Path(found)
        candidate = Path(settings.STATIC_ROOT) / path[len(static_prefix) :]
        return candidate if candidate.is_file() else None
    if path.startswith(media_prefix):
        root = Path(settings.MEDIA_ROOT).resolve()
        candidate = (root / path[len(media_prefix) :]).resolve()
        # Applicants' private documents are never pulled into a rendered PDF by a URL.
        private_root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
        if (
            candidate.is_relative_to(root)
            and not candidate.is_relative_to(private_root)
            and candidate.is_file()
        ):
            return candidate
    return None


def _stored_bytes(url: str) -> bytes | None:
    """A public media file's bytes from the default storage when it is not a folder on this
    machine (object storage); None for anything else, private documents above all."""
    from django.core.exceptions import SuspiciousOperation
    from django.core.files.storage import FileSystemStorage, default_storage

    path = unquote(urlparse(url).path)
    media_prefix = "/" + (settings.MEDIA_URL or "media/").strip("/") + "/"
    name = path[len(media_prefix) :] if path.startswith(media_prefix) else ""
    if not name or ".." in name.split("/") or isinstance(default_storage, FileSystemStorage):
        return None
    from permits.storage import private_storage

    key = default_storage.key(name) if hasattr(default_storage, "key") else name
    private_prefix = getattr(private_storage, "location", "").strip("/") + "/"
    if getattr(private_storage, "bucket_name", None) == getattr(
        default_storage, "bucket_name", ""
    ) and key.startswith(private_prefix):
        return None  # an applicant's document, reached through a media location of ""
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, SuspiciousOperation, OSError):
        return None


MIME_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ttf": "font/ttf",
}


def _fetcher():
    """WeasyPrint's fetcher: static and media files from disk, inline ``data:`` URLs, nothing
    from the network (a document must render the same offline)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _local_path(url)
            data = path.read_bytes() if path is not None else _stored_bytes(url)
            if data is None:
                raise ValueError(f"Refusing to fetch {url!r} while rendering a PDF")
            suffix = Path(urlparse(url).path).suffix.lower()
            mime = MIME_TYPES.get(suffix, "application/octet-stream")
            return URLFetcherResponse(url, data, {"Content-Type": mime})

    return LocalFetcher(allowed_protocols=("https", "data"))


# Every PDF is tagged (a structure tree a screen reader can walk: headings, paragraphs, tables,
# lists) and declared PDF/UA-1, whose rules WeasyPrint applies: the document's /Lang from
# <html lang="id">, its title from <title>, shown in the window bar (DisplayDocTitle).
# WeasyPrint >= 63 (https://doc.courtbouillon.org/weasyprint/stable/api_reference.html,
# "pdf_variant" and "pdf_tags"); the documents stay Indonesian, they are legal texts.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


def write_pdf(document) -> bytes:
    """The bytes of a laid-out WeasyPrint document: the one place PDFs are written."""
    return document.write_pdf(**PDF_OPTIONS)


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """WeasyPrint on ready HTML (for callers that assemble several templates)."""
    return write_pdf(html_to_document(html, base_url=base_url))


def html_to_document(html: str, *, base_url: str | None = None):
    """WeasyPrint's laid-out document of ready HTML, for callers that measure the layout before
    writing it (:func:`write_pdf`)."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=base_url or BASE_URL, url_fetcher=_fetcher())
    # Presentational hints: column widths travel as <col width>, which a strict CSP allows in
    # the browser preview where inline styles are refused.
    return document.render(presentational_hints=True, pdf_tags=True)


def render_pdf(template: str, context: dict, *, base_url: str | None = None) -> bytes:
    """The PDF of ``template`` rendered with ``context``."""
    return html_to_pdf(render_html(template, context), base_url=base_url)


def _copied(target, obj):
    """``obj`` of another PDF as an object of ``target`` (indirect objects copied once)."""
    import pikepdf

    if obj.is_indirect:
        return target.copy_foreign(obj)
    if isinstance(obj, pikepdf.Array):
        return pikepdf.Array([_copied(target, item) for item in obj])
    if isinstance(obj, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copied(target, value) for key, value in obj.items()})
    return obj


def _top(tree):
    """The element the top-level structure hangs from (the ``Document`` element, or the
    tree's root when there is none) and the array of its children."""
    import pikepdf

    def kids_of(node):
        if not isinstance(node.get("/K"), pikepdf.Array):
            node.K = pikepdf.Array([node.K] if "/K" in node else [])
        return node.K

    kids = kids_of(tree)
    if (
        len(kids) == 1
        and isinstance(kids[0], pikepdf.Dictionary)
        and kids[0].get("/S") == "/Document"
    ):
        return kids[0], kids_of(kids[0])
    return tree, kids


def join_pdfs(parts: list[bytes], outline: list[tuple[str, int]] = ()) -> bytes:
    """One PDF of tagged ``parts`` (each written by :func:`write_pdf`), in order, that stays a
    tagged PDF/UA document: the first part gives the catalogue (language, title, metadata,
    ``/MarkInfo``), every later part's ``Document`` element goes under its own as a ``Part``
    and its parent-tree entries are renumbered after the ones before (ISO 32000-1, 14.7.4.4:
    a page's ``/StructParents`` and an annotation's ``/StructParent`` are keys of the one
    ``/ParentTree``). ``outline``: (title, first page index) bookmarks added at the top level.
    qpdf (pikepdf) copies the objects: pages, fonts and structure elements are copied once
    and point at each other as in their part."""
    import pikepdf

    out = pikepdf.open(io.BytesIO(parts[0]))
    tree = out.Root.StructTreeRoot
    document, children = _top(tree)
    nums = tree.ParentTree.Nums
    next_key = max((int(k) for k in list(nums)[::2]), default=-1) + 1
    for data in parts[1:]:
        with pikepdf.open(io.BytesIO(data)) as part:
            first = len(out.pages)
            out.pages.extend(part.pages)
            part_tree = part.Root.StructTreeRoot
            part_document, part_children = _top(part_tree)
            # A part's Document element becomes a Part of the whole (ISO 32000-1, 14.8.4.2).
            elements = [part_document] if part_document.is_indirect else list(part_children)
            for element in elements:
                copy = _copied(out, element)
                if isinstance(copy, pikepdf.Dictionary):
                    copy.P = document
                    if copy.get("/S") == "/Document":
                        copy.S = pikepdf.Name.Part
                children.append(copy)
            part_nums = list(part_tree.ParentTree.Nums)
            for key, value in zip(part_nums[::2], part_nums[1::2], strict=True):
                nums.append(int(key) + next_key)
                nums.append(_copied(out, value))
            for page in out.pages[first:]:
                if "/StructParents" in page.obj:
                    page.obj.StructParents = int(page.obj.StructParents) + next_key
                for annot in page.obj.get("/Annots", ()):
                    if "/StructParent" in annot:
                        annot.StructParent = int(annot.StructParent) + next_key
            next_key += max((int(k) for k in part_nums[::2]), default=-1) + 1
    if "/ParentTreeNextKey" in tree:
        tree.ParentTreeNextKey = next_key
    if outline:
        with out.open_outline() as bookmarks:
            for title, page in outline:
                bookmarks.root.append(pikepdf.OutlineItem(title, page))
    buffer = io.BytesIO()
    out.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()

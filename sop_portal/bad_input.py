"""Bad input is a 400 with a message, never a 500: requests with a NUL byte in the path or
the query string are refused before any view runs (PostgreSQL cannot store a NUL in text and
raised deep inside a query; form fields already refuse NULs through Django's CharField), and
JSON bodies nested deeper than ``JSON_MAX_DEPTH`` or holding a NUL are refused by the API's
parser. API routes match numeric ids only: ``sop_portal.routers``."""

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def _has_nul(raw: str) -> bool:
    return "\x00" in raw or b"\x00" in unquote_to_bytes(raw)


class RefuseNulBytesMiddleware:
    """Answer 400 to a request whose path or query string holds a NUL byte (``%00``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request.path_info) or _has_nul(request.META.get("QUERY_STRING", "")):
            message = _("The address contains a character that is not allowed (NUL).")
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def inspect(value, limit: int) -> tuple[int, bool]:
    """How deeply ``value`` nests lists and objects (stopping past ``limit``), and whether a
    string or key in it holds a NUL; without recursion, so any depth is safe to inspect."""
    deepest, nul, stack = 0, False, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, str):
            nul = nul or "\x00" in item
        elif isinstance(item, dict | list):
            deepest = max(deepest, level)
            if deepest > limit:
                break
            if isinstance(item, dict):
                stack.extend((key, level) for key in item)
                stack.extend((child, level + 1) for child in item.values())
            else:
                stack.extend((child, level + 1) for child in item)
    return deepest, nul


class SafeJSONParser(JSONParser):
    """DRF's JSON parser with a nesting limit: a body such as ``[[[[…]]]]`` thousands deep
    made the decoder raise RecursionError (a 500); now it is a 400 that says why."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("The JSON document is nested too deeply.")) from exc
        deepest, nul = inspect(data, settings.JSON_MAX_DEPTH)
        if deepest > settings.JSON_MAX_DEPTH:
            raise ParseError(
                _("The JSON document is nested deeper than %(limit)s levels.")
                % {"limit": settings.JSON_MAX_DEPTH}
            )
        if nul:
            raise ParseError(_("The JSON document contains a character that is not allowed (NUL)."))
        return data


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 404 of an address no route matches: JSON under ``/api/`` (an API client, e.g.
    ``/api/v1/tasks/abc/``, gets the media type the schema promises), the portal's page
    elsewhere."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)

"""The reader's language: kept on the account when a signed-in person switches it, so that what
is sent to them later (notices, e-mails) is written in it (issue 15 item 4)."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from .models import User
from .registration import preferred_language


def remember_language(user: User, code: str) -> None:
    """Keep ``code`` as ``user``'s language (a language the portal does not speak is ignored)."""
    code = preferred_language(code)
    if user.language != code:
        user.language = code
        user.save(update_fields=["language"])


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (cookie, redirect to ``next``), remembered on the account."""
    response = django_set_language(request)
    code = request.POST.get("language", "")
    if request.user.is_authenticated and code in dict(User._meta.get_field("language").choices):
        remember_language(request.user, code)
    return response

"""The error summary and the title prefix of a page whose form came back with errors."""

from django import template
from django.forms import BaseForm
from django.utils.translation import gettext

from sop_portal.form_rendering import forms_with_errors, summary_items

register = template.Library()


def _context_forms(context, forms) -> list[BaseForm]:
    if forms:
        return forms_with_errors(forms)
    return forms_with_errors(context.flatten().values())


@register.inclusion_tag("forms/error_summary.html", takes_context=True)
def error_summary(context, *forms: BaseForm) -> dict:
    """The summary of the named forms' errors, or of every bound form with errors in the page's
    context. Rendered once by base.html at the top of <main>; htmx fragments include it."""
    items = [item for form in _context_forms(context, forms) for item in summary_items(form)]
    return {"items": items}


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """``"Error: "`` ("Kesalahan: ") when a form on the page has errors, else nothing."""
    return gettext("Error:") + " " if _context_forms(context, ()) else ""

"""The one way the portal renders a form: Django's form renderer pointed at templates/forms/
(field, label, help text, error and fieldset markup), and the lookup of the forms with errors
that a page's error summary and title announce.

The pattern is GOV.UK's (https://design-system.service.gov.uk/components/error-summary/): a
summary at the top of the page that takes focus and links to each field, "Error: " before the
page title, and each message tied to its field by ``aria-describedby`` (WCAG 2.2 SC 3.3.1, 1.3.1).
"""

from collections.abc import Iterable

from django import forms
from django.forms import BaseForm, BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.functional import LazyObject, empty


def _css_class(widget: forms.Widget) -> str:
    if isinstance(widget, forms.RadioSelect | forms.CheckboxInput | forms.CheckboxSelectMultiple):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class PortalBoundField(BoundField):
    """Bootstrap's class on every widget that has none, and ``is-invalid`` on one with errors:
    no form has to add them (the CSP forbids inline styles, so classes it is)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.is_hidden:
            return attrs
        css = attrs.get("class") or widget.attrs.get("class") or _css_class(widget)
        if self.errors and "is-invalid" not in css.split():
            css += " is-invalid"
        attrs["class"] = css
        return attrs


class PortalFormRenderer(TemplatesSetting):
    """``{{ form }}`` and ``{{ field.as_field_group }}`` render with the portal's Bootstrap markup;
    the ids it writes (``<id>_helptext``, ``<id>_error``) are the ones Django's
    ``BoundField.aria_describedby`` points at, so every reference resolves."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = PortalBoundField


def forms_with_errors(values: Iterable[object]) -> list[BaseForm]:
    """The bound forms with errors among ``values`` (a template context's values), in order."""
    found: list[BaseForm] = []
    for value in values:
        # isinstance() on a lazy object evaluates it (its __class__ is the wrapped one's): the
        # dashboard's cached figures, the CSRF token, the user would all be computed for
        # nothing. A form is never put in a context lazily, so an unevaluated one is skipped.
        if isinstance(value, LazyObject) and value._wrapped is empty:
            continue
        if isinstance(value, BaseForm) and value.is_bound and value.errors and value not in found:
            found.append(value)
    return found


def _anchor(bound: BoundField) -> str:
    """The input a summary link moves to: the field's own, or the first option of a radio or
    checkbox group (whose ``id_for_label`` is empty since Django 4.0)."""
    if bound.use_fieldset and bound.auto_id:
        return f"#{bound.auto_id}_0"
    return f"#{bound.id_for_label}" if bound.id_for_label else ""


def summary_items(form: BaseForm) -> list[tuple[str, str]]:
    """(anchor, message) per error: non-field errors point at the form's first field, field
    errors at the field's input (the first radio of a group, as GOV.UK links it)."""
    visible = [bound for bound in form if not bound.is_hidden]
    first = _anchor(visible[0]) if visible else ""
    items: list[tuple[str, str]] = [(first, message) for message in form.non_field_errors()]
    for bound in form:
        anchor = first if bound.is_hidden else (_anchor(bound) or first)
        items.extend((anchor, message) for message in bound.errors)
    return items


class InvalidFormIs400:
    """A class-based form view whose form comes back with errors answers 400 (bad input),
    like the portal's function views; Django's own views answer 200."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class AccessCodeInput(forms.PasswordInput):
    """A visible text box that is never filled back in: a refused access code is not echoed
    into the page (it would sit in the browser's cache and history)."""

    input_type = "text"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, render_value=False)

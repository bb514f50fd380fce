"""``{% memo "name" vary… %}…{% endmemo %}``: a template fragment rendered once per process.

For the parts of every page that depend on nothing but the language, the year and the values
named after the fragment's name (base.html's footer, brand and public menu): the rendered HTML
is kept in this process's memory under (name, language, year, vary…), so a hit costs no
rendering, no cache round trip and no query. Never put a CSRF token, a user's data or anything
read from the database inside one (they are outside by construction in base.html). Cleared
when a setting changes (tests) and when it holds ``LIMIT`` fragments.
"""

from django import template
from django.core.signals import setting_changed
from django.forms import BoundField
from django.template.loader_tags import BlockNode
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

LIMIT = 2000
_kept: dict[tuple, str] = {}


def clear(**kwargs) -> None:
    _kept.clear()


setting_changed.connect(clear, dispatch_uid="sop_portal.memo.clear")


class MemoNode(template.Node):
    # Its content is rendered once, so no {% block %} may sit inside (checked when parsed); the
    # walk every {% extends %} makes for blocks (``get_nodes_by_type``) need not enter it.
    child_nodelists = ()

    def __init__(self, nodelist, name, vary):
        self.nodelist, self.name, self.vary = nodelist, name, vary

    def render(self, context):
        key = (
            self.name,
            get_language(),
            timezone.localdate().year,
            *(str(value.resolve(context)) for value in self.vary),
        )
        html = _kept.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(_kept) >= LIMIT:
                _kept.clear()
            _kept[key] = html
        return mark_safe(html)  # noqa: S308 (our own rendering)


@register.tag
def memo(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% memo %} needs a fragment name")
    name = bits[1].strip("\"'")
    vary = [parser.compile_filter(bit) for bit in bits[2:]]
    nodelist = parser.parse(("endmemo",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% block %} cannot sit inside {% memo %}")
    return MemoNode(nodelist, name, vary)


# A value no one types: the memoised field is rendered holding it, then it is replaced by the
# escaped value of the request (the widget escapes it the same way, conditional_escape).
_VALUE = "memo-field-value-7f3a9c"


@register.simple_tag
def memo_field(field: BoundField) -> SafeString:
    """``{{ field.as_field_group }}``, rendered once per process for a field without errors:
    such a field's markup (label, widget, ids, aria) differs from request to request only in
    the value, put in afterwards. A field with errors is rendered each time, as it is. Only for
    forms whose fields are fixed by their class (built from ``initial`` alone, like the
    tracking form): the field is rendered from a fresh form of that class."""
    form = field.form
    if form.is_bound and field.errors:
        return field.as_field_group()
    value = field.value()
    filled = value not in (None, "")
    key = (
        "field",
        type(form).__module__,
        type(form).__qualname__,
        form.prefix,
        str(form.auto_id),
        field.name,
        filled,
        get_language(),
    )
    html = _kept.get(key)
    if html is None:
        initial = {field.name: _VALUE} if filled else {}
        blank = type(form)(initial=initial, prefix=form.prefix, auto_id=form.auto_id)
        html = str(blank[field.name].as_field_group())
        if len(_kept) >= LIMIT:
            _kept.clear()
        _kept[key] = html
    if filled:
        html = html.replace(_VALUE, escape(str(value)))
    return mark_safe(html)  # noqa: S308 (the form renderer's output, the value escaped)

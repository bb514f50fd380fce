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
from django.template.loader_tags import BlockNode
from django.utils import timezone
from django.utils.safestring import mark_safe
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

"""``{% data_lang %}``: ` lang="id"` on an element holding the office's Indonesian data (service
names, requirements, SOP text) when the page around it is in another language, so a screen
reader pronounces it as Indonesian (WCAG 2.2 SC 3.1.2, Language of Parts)."""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

#: The language the catalogue, the SOPs and the decrees are written in.
DATA_LANGUAGE = "id"


@register.simple_tag
def data_lang() -> SafeString:
    if (get_language() or DATA_LANGUAGE).split("-")[0] == DATA_LANGUAGE:
        return mark_safe("")
    return mark_safe(f' lang="{DATA_LANGUAGE}"')

"""Template helpers other apps' pages may use to point at the survey."""

from django import template

from feedback import surveys

register = template.Library()


@register.simple_tag
def survey_url(application) -> str:
    """The survey link of a finished, not yet answered application (else ""). One query:
    for a detail page, not for lists."""
    if application is None or not surveys.can_answer(application):
        return ""
    return surveys.survey_link(application)


@register.filter
def enters_paper_surveys(user) -> bool:
    """Whether ``user`` may type in walk-in paper survey forms (for navigation links)."""
    return surveys.can_enter_paper(user)

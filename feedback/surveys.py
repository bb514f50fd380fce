"""Taking survey answers: the invitation of an applicant whose application is finished (a
signed link), the online answer (once per application) and the paper form typed in at the
counter. Each write is one function that checks who may do it and records an audit entry."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sop_portal import audit, links, outbox

from . import access, skm
from .models import SurveyResponse

SALT = "feedback.survey"
# How long an invitation link stays valid: setting SKM_LINK_DAYS.
FINISHED_STATUSES = ("completed", "rejected", "issued")


class SurveyError(ValidationError):
    """A survey answer that cannot be taken, with a message for the respondent."""


def survey_token(application) -> str:
    return signing.dumps({"a": application.pk}, salt=SALT, compress=True)


def survey_link(application) -> str:
    return reverse("feedback:survey_answer", args=[survey_token(application)])


def application_from_token(token: str):
    """The application a survey link is for, or None when the link is forged or expired."""
    from permits.models import Application

    max_age = settings.SKM_LINK_DAYS * 24 * 3600
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return Application.objects.select_related("service").filter(pk=data.get("a")).first()


def can_answer(application) -> bool:
    """A finished application without an answer yet."""
    return (
        application.status in FINISHED_STATUSES
        and not SurveyResponse.objects.filter(application=application).exists()
    )


def invite(application, **kwargs) -> None:
    """Invite the applicant to the survey: a portal notice and an email in the applicant's
    language (listener of ``permits.signals.application_finished``, called after commit)."""
    from permits.models import Notification

    if application.status not in FINISHED_STATUSES or not application.applicant.is_active:
        return
    language = application.applicant.language or settings.LANGUAGE_CODE
    with transaction.atomic():
        with translation.override(language):
            text = _(
                "Your application %(number)s is finished. Please tell us how we served you: "
                "the satisfaction survey takes two minutes."
            ) % {"number": application.tracking_number}
        link = survey_link(application)
        # Its own mail (the survey template) through the outbox; the notice points to it and
        # is not mailed a second time.
        mail = None
        if application.applicant.email:
            mail = outbox.queue_templated_mail(
                application.applicant.email,
                "feedback/email/survey_invitation",
                {"application": application, "link": links.absolute(link)},
                kind="survey_invitation",
                language=language,
            )
        Notification.objects.create(
            recipient=application.applicant,
            application=application,
            text=text,
            link=link,
            mail=mail,
        )


def _answers(data: dict) -> list[int]:
    try:
        answers = [int(data[f]) for f in skm.ELEMENT_FIELDS]
        skm.validate_answers(answers)
    except (KeyError, TypeError, ValueError):
        raise SurveyError(
            _("Please answer all nine questions with a value from 1 to 4."), code="answers"
        ) from None
    return answers


def _profile(data: dict) -> dict:
    profile = {}
    for name, choices in (
        ("gender", skm.GENDERS),
        ("education", skm.EDUCATION),
        ("occupation", skm.OCCUPATIONS),
    ):
        value = (data.get(name) or "").strip()
        if value and value not in dict(choices):
            raise SurveyError(_("Choose a listed value for %(field)s.") % {"field": name})
        profile[name] = value
    profile["suggestions"] = (data.get("suggestions") or "").strip()[:4000]
    return profile


def answer_online(application, data: dict, *, user=None) -> SurveyResponse:
    """Record the applicant's answer for ``application`` (reached by a signed link, or by the
    signed-in applicant). Refused when the application is not finished or already answered."""
    from permits.models import Application

    answers = _answers(data)
    profile = _profile(data)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in FINISHED_STATUSES:
            raise SurveyError(_("The survey opens when the application is finished."))
        if SurveyResponse.objects.filter(application=locked).exists():
            raise SurveyError(
                _("This application's survey has already been answered. Thank you!"),
                code="answered",
            )
        try:
            with transaction.atomic():
                response = SurveyResponse.objects.create(
                    service_id=locked.service_id,
                    application=locked,
                    channel=SurveyResponse.Channel.ONLINE,
                    respondent=user if user is not None and user.is_authenticated else None,
                    answered_on=timezone.localdate(),
                    **dict(zip(skm.ELEMENT_FIELDS, answers, strict=True)),
                    **profile,
                )
        except IntegrityError:
            raise SurveyError(
                _("This application's survey has already been answered. Thank you!"),
                code="answered",
            ) from None
        audit.record(
            "feedback.survey.answered",
            response,
            actor=user,
            after={"application": locked.tracking_number, "answers": answers},
        )
    return response


def can_enter_paper(user) -> bool:
    """The front office and the complaints unit type in paper forms (the rule is
    :func:`feedback.access.may_enter_paper_surveys`)."""
    return access.may_enter_paper_surveys(user)


def enter_paper(service, data: dict, *, by, answered_on=None) -> SurveyResponse:
    """Record a walk-in respondent's paper form for ``service``."""
    if not can_enter_paper(by):
        raise PermissionDenied
    answers = _answers(data)
    profile = _profile(data)
    answered_on = answered_on or timezone.localdate()
    if answered_on > timezone.localdate():
        raise SurveyError(_("The survey date cannot be in the future."), code="date")
    with transaction.atomic():
        response = SurveyResponse.objects.create(
            service=service,
            channel=SurveyResponse.Channel.PAPER,
            entered_by=by,
            answered_on=answered_on,
            **dict(zip(skm.ELEMENT_FIELDS, answers, strict=True)),
            **profile,
        )
        audit.record(
            "feedback.survey.entered",
            response,
            actor=by,
            after={"service": service.code, "answers": answers, "date": str(answered_on)},
        )
    return response

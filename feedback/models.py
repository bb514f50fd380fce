"""Survey responses (SKM) and complaints (*pengaduan*) with their replies."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import skm

SCORE_VALIDATORS = [MinValueValidator(skm.MIN_SCORE), MaxValueValidator(skm.MAX_SCORE)]


def _private_storage():
    # Callable, so the migration records no machine path (see permits.models).
    from permits.storage import private_storage

    return private_storage


def _complaint_upload_to(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"complaints/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


class SurveyResponse(models.Model):
    """One respondent's answers to the nine elements (U1…U9, 1–4) for one service. Online
    answers belong to one finished application (at most one per application); paper forms
    filled in at the counter are typed in by the front office, without an application."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper form")

    service = models.ForeignKey(
        "permits.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    application = models.OneToOneField(
        "permits.Application",
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_response",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    u1 = models.PositiveSmallIntegerField("U1", validators=SCORE_VALIDATORS)
    u2 = models.PositiveSmallIntegerField("U2", validators=SCORE_VALIDATORS)
    u3 = models.PositiveSmallIntegerField("U3", validators=SCORE_VALIDATORS)
    u4 = models.PositiveSmallIntegerField("U4", validators=SCORE_VALIDATORS)
    u5 = models.PositiveSmallIntegerField("U5", validators=SCORE_VALIDATORS)
    u6 = models.PositiveSmallIntegerField("U6", validators=SCORE_VALIDATORS)
    u7 = models.PositiveSmallIntegerField("U7", validators=SCORE_VALIDATORS)
    u8 = models.PositiveSmallIntegerField("U8", validators=SCORE_VALIDATORS)
    u9 = models.PositiveSmallIntegerField("U9", validators=SCORE_VALIDATORS)
    gender = models.CharField(_("gender"), max_length=1, choices=skm.GENDERS, blank=True)
    education = models.CharField(_("education"), max_length=10, choices=skm.EDUCATION, blank=True)
    occupation = models.CharField(
        _("occupation"), max_length=10, choices=skm.OCCUPATIONS, blank=True
    )
    suggestions = models.TextField(_("suggestions"), blank=True)
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_on = models.DateField(_("survey date"), default=timezone.localdate)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-answered_on", "-id"]
        indexes = [models.Index(fields=["service", "answered_on"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    **{f"{f}__gte": skm.MIN_SCORE for f in skm.ELEMENT_FIELDS},
                    **{f"{f}__lte": skm.MAX_SCORE for f in skm.ELEMENT_FIELDS},
                ),
                name="survey_answers_1_to_4",
            )
        ]

    def __str__(self) -> str:
        return f"SKM #{self.pk} · {self.service_id}"

    @property
    def answers(self) -> list[int]:
        return [getattr(self, f) for f in skm.ELEMENT_FIELDS]


class ComplaintQuerySet(models.QuerySet):
    """The one access rule for complaints (staff side; the public reaches a complaint only by
    its number and access code, see ``complaints.find_tracked``)."""

    def handled_by(self, user):
        """See :func:`feedback.access.complaints_handled_by`."""
        from .access import complaints_handled_by

        return complaints_handled_by(user, self)


class Complaint(models.Model):
    """A complaint (*pengaduan*) from anyone, signed in or not, about a service or an
    application. Found again by its number and access code; answered within the response
    norm (``COMPLAINT_RESPONSE_TIME``, working days) by the complaints unit or the agency it is
    assigned to."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        IN_PROGRESS = "in_progress", _("In progress")
        ANSWERED = "answered", _("Answered")
        CLOSED = "closed", _("Closed")

    class Category(models.TextChoices):
        SERVICE_TIME = "service_time", _("Service time")
        REQUIREMENTS = "requirements", _("Requirements and procedure")
        FEES = "fees", _("Fees")
        STAFF_CONDUCT = "staff_conduct", _("Staff conduct")
        FACILITIES = "facilities", _("Facilities and online system")
        INFORMATION = "information", _("Information")
        OTHER = "other", _("Other")

    #: Statuses that still wait for the office.
    OPEN_STATES = (Status.RECEIVED, Status.IN_PROGRESS)

    number = models.CharField(_("complaint number"), max_length=30, unique=True)
    access_code_hash = models.CharField(_("access code (hashed)"), max_length=64)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    text = models.TextField(_("complaint"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # The language the complaint was filed in: the replies mailed to an anonymous address
    # are written in it (a signed-in complainant's own language wins).
    language = models.CharField(_("language"), max_length=8, blank=True, default="")
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    complainant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("complainant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    service = models.ForeignKey(
        "permits.Service",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    application = models.ForeignKey(
        "permits.Application",
        verbose_name=_("application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
    )
    attachment = models.FileField(
        _("attachment"), storage=_private_storage, upload_to=_complaint_upload_to, blank=True
    )
    attachment_name = models.CharField(_("attachment name"), max_length=255, blank=True)
    attachment_type = models.CharField(_("attachment type"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    assigned_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("responsible unit or agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    due_at = models.DateTimeField(_("response due"), db_index=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["received_at"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES

    def is_overdue(self, now=None) -> bool:
        """Still waiting for its first answer after the response norm ran out."""
        return self.is_open and (now or timezone.now()) > self.due_at

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_at is None:
            return None
        return self.answered_at <= self.due_at


class ComplaintReply(models.Model):
    """A reply to a complaint: public (the complainant reads it on the tracking page and by
    email) or an internal note (staff only). The author's unit and role are kept as they were,
    so the public page names a unit, never a person."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="replies"
    )
    text = models.TextField(_("reply"))
    is_public = models.BooleanField(
        _("visible to the complainant"),
        default=True,
        help_text=_("Untick for an internal note that only staff see."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_unit = models.CharField(_("unit"), max_length=255, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("complaint reply")
        verbose_name_plural = _("complaint replies")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.complaint} · {self.created_at:%Y-%m-%d}"

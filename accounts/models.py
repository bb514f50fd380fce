"""The portal's user: signs in with an email address; an applicant's NIK, email verification and
recorded consent to the privacy notice."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class EmailUserManager(UserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """An applicant (*pemohon*) or a member of staff; staff roles come from
    :class:`agencies.models.Membership`."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    nip = models.CharField(
        _("NIP"),
        max_length=18,
        blank=True,
        help_text=_("Civil servant number (Nomor Induk Pegawai), for staff."),
    )
    nik = models.CharField(
        _("NIK"),
        max_length=16,
        blank=True,
        help_text=_("National identity number (Nomor Induk Kependudukan), for applicants."),
    )
    # Accounts made by the office (admin, seed data) are trusted; only a self-registered account
    # starts unverified and cannot submit applications until its email link is opened.
    email_verified = models.BooleanField(_("email verified"), default=True)
    # The language the person reads the portal in: their notices and e-mails are written in it
    # when sent. Set at sign-up and each time they switch (accounts.language); empty: the
    # portal's language (settings.LANGUAGE_CODE), e.g. for accounts made by the office.
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        default="",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name"]
        indexes = [
            # The staff search (``permits.search``): a part of a name (``icontains`` is
            # ``UPPER(full_name) LIKE``, hence the index on the upper-cased name), a NIK exactly.
            # (and ``user_full_name_trgm``, a trigram index on the upper-cased name, made by
            # migration 0003 where the server has pg_trgm: ``sop_portal.trigram``)
            models.Index(fields=["nik"], name="user_nik"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def save(self, *args, **kwargs) -> None:
        # ``set_password`` keeps the raw password in ``_password`` until the save (Django's
        # own hook for validators); a hash upgrade at sign-in clears it first, so this sees
        # only real changes: a password change, a reset, the admin's form.
        password_changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if password_changed:
            from .tokens import password_changed as signal

            signal.send(sender=type(self), user=self)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Consent(models.Model):
    """A person's consent to a version of the privacy notice (UU 27/2022), with its time."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="consents"
    )

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online registration")
        COUNTER = "counter", _("At the counter")

    notice_version = models.CharField(_("notice version"), max_length=20)
    given_at = models.DateTimeField(_("given"), auto_now_add=True)
    #: A walk-in applicant consents at the counter: the front-office member who recorded it
    #: (UU 27/2022 art. 20 and 22: consent given in writing or recorded, and provable).
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.notice_version}"

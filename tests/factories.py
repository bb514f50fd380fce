"""factory_boy factories for the domain, and a small valid SOP built straight from models."""

import factory
from django.utils import timezone

from accounts.models import User
from agencies.models import Agency, Membership, Role
from permits.models import Requirement, Service, ServiceKind
from workflows.models import (
    PerformerRole,
    Sop,
    SopPerformer,
    SopStep,
    SopVersion,
    StepAction,
    Symbol,
)

PASSWORD = "sandi-uji-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@contoh.go.id")
    full_name = factory.Sequence(lambda n: f"Pengguna {n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"OPD{n}")
    name = factory.Sequence(lambda n: f"Dinas Contoh {n}")
    kind = Agency.Kind.TECHNICAL


def office() -> Agency:
    return AgencyFactory(
        code="DPMPTSP",
        name="Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi Sulawesi Tenggara",
        kind=Agency.Kind.ONE_STOP_OFFICE,
    )


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.TECHNICAL_OFFICER


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"SVC-{n}")
    name = factory.Sequence(lambda n: f"Izin Contoh {n}")
    kind = ServiceKind.PERMIT
    sector = "Perhubungan"
    service_time_value = 10
    service_time_unit = "days"
    product = "Keputusan izin"
    legal_basis = ["UU 25/2009 tentang Pelayanan Publik"]


class RequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Requirement

    service = factory.SubFactory(ServiceFactory)
    position = factory.Sequence(lambda n: n)
    code = factory.Sequence(lambda n: f"dok{n}")
    name = factory.Sequence(lambda n: f"Dokumen {n}")
    formats = ["pdf"]


def build_sop_version(
    service: Service, *, publish: bool = True, version: int | None = None
) -> SopVersion:
    """A small valid SOP for ``service``: submit, completeness check (loop back), technical
    recommendation by the service's technical agencies, sign. Built straight from the models."""
    sop = service.sop
    if sop is None:
        sop = Sop.objects.create(code=service.code)
        service.sop = sop
        service.save(update_fields=["sop"])
    if version is None:
        version = (
            sop.versions.order_by("-version").values_list("version", flat=True).first() or 0
        ) + 1
    sv = SopVersion.objects.create(
        sop=sop,
        version=version,
        name=f"Pelayanan {service.name}",
        number=f"SOP/{service.code}/{version}",
    )
    dpmptsp = office()
    applicant = SopPerformer.objects.create(
        version=sv, position=1, key="applicant", title="Pemohon", role=PerformerRole.APPLICANT
    )
    fo = SopPerformer.objects.create(
        version=sv,
        position=2,
        key="fo",
        title="Petugas Front Office",
        role=PerformerRole.FRONT_OFFICE,
        agency=dpmptsp,
    )
    opd = SopPerformer.objects.create(
        version=sv,
        position=3,
        key="opd",
        title="Tim Teknis OPD",
        role=PerformerRole.TECHNICAL_OFFICER,
        for_technical=True,
    )
    head = SopPerformer.objects.create(
        version=sv,
        position=4,
        key="head",
        title="Kepala DPMPTSP",
        role=PerformerRole.HEAD,
        agency=dpmptsp,
    )
    steps = [
        (
            1,
            Symbol.TERMINATOR,
            "Mengajukan permohonan",
            applicant,
            15,
            "minutes",
            StepAction.SUBMIT,
            {"next_no": 2},
        ),
        (
            2,
            Symbol.DECISION,
            "Memeriksa kelengkapan berkas",
            fo,
            30,
            "minutes",
            StepAction.CHECK,
            {"yes_no": 3, "no_no": 1},
        ),
        (
            3,
            Symbol.PROCESS,
            "Memberikan rekomendasi teknis",
            opd,
            3,
            "days",
            StepAction.RECOMMEND,
            {"next_no": 4},
        ),
        (
            4,
            Symbol.TERMINATOR,
            "Menandatangani keputusan izin",
            head,
            1,
            "days",
            StepAction.ISSUE_PERMIT,
            {},
        ),
    ]
    for no, symbol, activity, performer, value, unit, action, exits in steps:
        SopStep.objects.create(
            version=sv,
            no=no,
            symbol=symbol,
            activity=activity,
            performer=performer,
            duration_value=value,
            duration_unit=unit,
            action=action,
            output=["Hasil"],
            **exits,
        )
    if publish:
        SopVersion.objects.filter(sop=sop, status=SopVersion.Status.PUBLISHED).update(
            status=SopVersion.Status.SUPERSEDED, superseded_at=timezone.now()
        )
        sv.status = SopVersion.Status.PUBLISHED
        sv.published_at = timezone.now()
        sv.save()
    return sv

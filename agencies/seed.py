"""Reference data: the one-stop office (DPMPTSP) and the 17 technical agencies, and their loader."""

from dataclasses import asdict, dataclass

from django.db import transaction

from sop_portal import audit

from .models import Agency

# Emails are on the reserved ``.invalid`` domain (RFC 2606) so that a demo never writes to a
# real mailbox; addresses and phone numbers stay blank until an administrator fills them in.
DEMO_EMAIL_DOMAIN = "demo.sultraprov.invalid"
OFFICE_CODE = "DPMPTSP"


@dataclass(frozen=True)
class AgencySeed:
    code: str
    name: str
    kind: str = Agency.Kind.TECHNICAL
    city: str = "Kendari"
    address: str = ""
    phone: str = ""

    @property
    def email(self) -> str:
        return f"{self.code.lower()}@{DEMO_EMAIL_DOMAIN}"

    def fields(self) -> dict[str, str]:
        """The model fields this seed sets (everything but the code)."""
        values = asdict(self)
        del values["code"]
        values["kind"] = str(values["kind"])
        values["email"] = self.email
        return values


OFFICE = AgencySeed(
    OFFICE_CODE,
    "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Provinsi Sulawesi Tenggara",
    kind=Agency.Kind.ONE_STOP_OFFICE,
)

# No official list of "the 17 OPD teknis" was found: these follow the province's usual
# nomenclature and are meant to be edited by administrators.
TECHNICAL_AGENCIES = (
    AgencySeed("ESDM", "Dinas Energi dan Sumber Daya Mineral"),
    AgencySeed("DISHUB", "Dinas Perhubungan"),
    AgencySeed("DKP", "Dinas Kelautan dan Perikanan"),
    AgencySeed("DINKES", "Dinas Kesehatan"),
    AgencySeed("DLH", "Dinas Lingkungan Hidup"),
    AgencySeed("DISHUT", "Dinas Kehutanan"),
    AgencySeed("DIKBUD", "Dinas Pendidikan dan Kebudayaan"),
    AgencySeed("DISNAKERTRANS", "Dinas Tenaga Kerja dan Transmigrasi"),
    AgencySeed("DISPAR", "Dinas Pariwisata"),
    AgencySeed("DISPERINDAG", "Dinas Perindustrian dan Perdagangan"),
    AgencySeed("DISKOP", "Dinas Koperasi dan Usaha Kecil Menengah"),
    AgencySeed("DTPHP", "Dinas Tanaman Pangan dan Peternakan"),
    AgencySeed("DISBUNHORTI", "Dinas Perkebunan dan Hortikultura"),
    AgencySeed("DSDA", "Dinas Sumber Daya Air dan Bina Marga"),
    AgencySeed("DINSOS", "Dinas Sosial"),
    AgencySeed("DISKOMINFO", "Dinas Komunikasi dan Informatika"),
    AgencySeed("KESBANGPOL", "Badan Kesatuan Bangsa dan Politik"),
)

AGENCIES = (OFFICE, *TECHNICAL_AGENCIES)


# Identity fields are brought back to the seed on every run; contact fields are only filled in
# when blank, so an address or email an administrator has entered survives a re-run.
IDENTITY_FIELDS = ("name", "kind")


def _changes(agency: Agency, wanted: dict[str, str]) -> dict[str, str]:
    """The fields of ``agency`` to set to reach the seed, with their new values."""
    return {
        key: value
        for key, value in wanted.items()
        if getattr(agency, key) != value and (key in IDENTITY_FIELDS or not getattr(agency, key))
    }


def seed_agencies(seeds: tuple[AgencySeed, ...] = AGENCIES) -> dict[str, int]:
    """Create the missing agencies (by code) and bring the others' name and kind back to the
    seed, filling blank contact fields. Returns ``{"created", "updated", "unchanged"}`` counts;
    writes (and audits) only what changes, so a second run writes nothing."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        existing = {a.code: a for a in Agency.objects.select_for_update()}
        for seed in seeds:
            wanted = seed.fields()
            agency = existing.get(seed.code)
            if agency is None:
                agency = Agency.objects.create(code=seed.code, **wanted)
                audit.record("agencies.agency.created", agency, after=wanted, reason="seed_demo")
                counts["created"] += 1
                continue
            changes = _changes(agency, wanted)
            if not changes:
                counts["unchanged"] += 1
                continue
            before = {key: getattr(agency, key) for key in changes}
            for key, value in changes.items():
                setattr(agency, key, value)
            agency.save(update_fields=list(changes))
            audit.record(
                "agencies.agency.updated", agency, before=before, after=changes, reason="seed_demo"
            )
            counts["updated"] += 1
    return counts

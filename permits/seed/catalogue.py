"""The demo service catalogue: the SOP documents in ``sops/`` and their idempotent loading."""

from pathlib import Path

from django.db import transaction

from permits.interchange import (
    InvalidDocument,
    export_document,
    import_document,
    load_document,
    validate_document,
)
from permits.models import Service
from workflows.validation import Problem

SOPS_DIR = Path(__file__).resolve().parent / "sops"


class InvalidSeedFile(Exception):
    """A seed document that cannot be loaded; ``problems`` lists every reason."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path = path
        self.problems = list(problems)
        super().__init__("\n".join(f"{path.name}: {p}" for p in self.problems))


def seed_files() -> list[Path]:
    """The seed documents, one per service, in file-name order."""
    return sorted(SOPS_DIR.glob("*.json"))


def read_document(path: Path) -> dict:
    """A seed document as a dict (not validated yet)."""
    return load_document(path.read_bytes())


def is_current(doc: dict) -> bool:
    """Whether the (valid) document's service already has a published SOP version whose
    export is exactly ``doc``, service fields included. Seed files are kept in export normal
    form, so equality is the test; a file not in normal form would be imported again on every
    run, which ``tests/permits/test_seed_demo.py`` guards against."""
    service = Service.objects.select_related("sop").filter(code=doc["service"]["code"]).first()
    if service is None or service.sop is None:
        return False
    published = service.sop.published_version
    return published is not None and export_document(published) == doc


def seed_services(paths: list[Path] | None = None, *, actor=None) -> dict[str, int]:
    """Import and publish each seed document whose service does not already have it published.
    Returns ``{"created", "updated", "unchanged"}`` counts (services created, services that got
    a new published SOP version, services left alone). All or nothing: the first refused
    document raises :class:`InvalidSeedFile` and rolls the whole run back."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        for path in seed_files() if paths is None else paths:
            try:
                outcome = _seed_one(read_document(path), actor=actor)
            except InvalidDocument as exc:
                raise InvalidSeedFile(path, exc.problems) from exc
            counts[outcome] += 1
    return counts


def _seed_one(doc, *, actor) -> str:
    """Load one document unless already current; say which count it adds to."""
    problems = validate_document(doc)
    if problems:
        raise InvalidDocument(problems)
    if is_current(doc):
        return "unchanged"
    existed = Service.objects.filter(code=doc["service"]["code"]).exists()
    import_document(doc, actor=actor, publish=True)
    return "updated" if existed else "created"


#: The demo bill's payment channels (an office edits its own in the admin).
DEMO_PAYMENT_CHANNELS = (
    (
        "Bank Sultra (teller atau ATM)",
        "Rekening Kas Umum Daerah Provinsi Sulawesi Tenggara",
        "Bayar di teller atau ATM Bank Sultra dengan menyebutkan kode bayar; simpan bukti "
        "setor dan unggah di halaman permohonan.",
    ),
    (
        "Kasir DPMPTSP",
        "Loket kasir, Kantor DPMPTSP Provinsi Sulawesi Tenggara, Kendari",
        "Senin–Jumat 08.00–15.00 WITA; tunjukkan kode bayar kepada kasir.",
    ),
)


def seed_payment_channels() -> int:
    """The demo payment channels, added once (by name); returns how many were created."""
    from permits.models import PaymentChannel

    created = 0
    for position, (name, account, instructions) in enumerate(DEMO_PAYMENT_CHANNELS, 1):
        _channel, made = PaymentChannel.objects.get_or_create(
            name=name,
            defaults={"account": account, "instructions": instructions, "position": position},
        )
        created += made
    return created

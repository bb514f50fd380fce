"""How the portal writes a moment, a day and an amount of money, everywhere (pages, notices,
PDFs, exports): "2 Desember 2026, 08.00 WITA", "2 Desember 2026", "Rp 1.200.000". The one
place these formats are decided; the templates reach it through the ``when``, ``day`` and
``rupiah`` filters (``sop_portal.templatetags.formatting``, a template builtin).

Why these forms: the Indonesian official writing convention (*Pedoman Umum Ejaan Bahasa
Indonesia*, PUEBI/EYD V) writes the day before the month in words, and the hour with a dot
("pukul 08.00"); the time zone is named because the province runs on WITA (UTC+8). The
English pages use the same order and the same dot, with English month names, so that one
printed file reads alike in both languages."""

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import dateformat
from django.utils.dates import MONTHS

#: The abbreviation of the portal's time zone (Asia/Makassar), shown after every time.
ZONE_LABEL = "WITA"


def portal_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def in_portal_zone(value: datetime) -> datetime:
    """``value`` as a wall-clock time in WITA (a naive value is taken as UTC, how the database
    stores it)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo("UTC"))
    return value.astimezone(portal_zone())


def format_day(value: date | datetime | None) -> str:
    """ "2 Desember 2026" (English: "2 December 2026"); a datetime is first taken to WITA."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = in_portal_zone(value).date()
    return f"{value.day} {MONTHS[value.month]} {value.year}"


def format_moment(value: datetime | date | None) -> str:
    """ "2 Desember 2026, 08.00 WITA" (English: "2 December 2026, 08.00 WITA"); a plain date
    is written as :func:`format_day`."""
    if value is None or value == "":
        return ""
    if not isinstance(value, datetime):
        return format_day(value)
    local = in_portal_zone(value)
    return f"{format_day(local)}, {dateformat.format(local, 'H.i')} {ZONE_LABEL}"


def month_names() -> list[str]:
    """The twelve month names in the active language (for SQL that writes dates itself)."""
    return [str(MONTHS[i]) for i in range(1, 13)]


def format_rupiah(amount: Decimal | int | float | str | None, currency: str = "IDR") -> str:
    """ "Rp 1.200.000": dots between thousands, a decimal comma only when there are cents
    ("Rp 1.200.000,50"), a minus before "Rp" for a negative amount. The same in both
    languages: it is how the currency is written on Indonesian documents. Another currency
    keeps its code in front ("USD 1.200")."""
    if amount is None or amount == "":
        return ""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, cents = f"{abs(value):.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    text = f"{grouped},{cents}" if cents != "00" else grouped
    symbol = "Rp" if currency in ("", "IDR", None) else currency
    return f"{sign}{symbol} {text}"


def format_decimal(value: Decimal | int | float | None, places: int = 1) -> str:
    """A number the Indonesian way for text exports: "79,6", "1.234,5"."""
    if value is None or value == "":
        return ""
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{number:,.{places}f}" if places else f"{number:,.0f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")

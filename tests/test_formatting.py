"""The portal's one way to write a moment, a day and an amount (``sop_portal.formatting``),
in both languages, on a page and in text."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from sop_portal.formatting import format_day, format_decimal, format_moment, format_rupiah

# 00.00 UTC is 08.00 in Kendari (WITA, UTC+8).
MORNING = datetime(2026, 12, 2, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "moment", "day"),
    [
        ("id", "2 Desember 2026, 08.00 WITA", "2 Desember 2026"),
        ("en", "2 December 2026, 08.00 WITA", "2 December 2026"),
    ],
)
def test_a_moment_and_a_day_read_the_same_way_in_both_languages(language, moment, day):
    with translation.override(language):
        assert format_moment(MORNING) == moment
        assert format_day(MORNING) == day
        assert format_day(date(2026, 12, 2)) == day
        assert format_moment(date(2026, 12, 2)) == day  # a date has no hour to show


def test_the_day_is_the_day_in_kendari_not_in_utc():
    late_evening_utc = datetime(2026, 12, 1, 17, 5, tzinfo=UTC)
    with translation.override("id"):
        assert format_moment(late_evening_utc) == "2 Desember 2026, 01.05 WITA"


def test_nothing_is_written_as_nothing():
    assert format_moment(None) == format_day(None) == format_rupiah(None) == ""


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (1200000, "Rp 1.200.000"),
        (Decimal("150000.00"), "Rp 150.000"),
        (Decimal("1200000.5"), "Rp 1.200.000,50"),
        (0, "Rp 0"),
        (-2500, "-Rp 2.500"),
    ],
)
def test_rupiah_are_written_as_indonesians_write_them(amount, text):
    assert format_rupiah(amount) == text


def test_another_currency_keeps_its_code():
    assert format_rupiah(1200, "USD") == "USD 1.200"


def test_a_decimal_for_text_exports_has_a_decimal_comma():
    assert format_decimal(79.6) == "79,6"
    assert format_decimal(Decimal("1234.55"), 2) == "1.234,55"


def test_the_filters_are_on_every_template_without_loading():
    template = Template("{{ at|when }} · {{ at|day }} · {{ fee|rupiah }}")
    with translation.override("id"):
        text = template.render(Context({"at": MORNING, "fee": 1200000}))
    assert text == "2 Desember 2026, 08.00 WITA · 2 Desember 2026 · Rp 1.200.000"

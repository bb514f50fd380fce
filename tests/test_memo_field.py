"""``{% memo_field %}`` (sop_portal/templatetags/memo.py): a field rendered once per process
gives exactly the markup of ``as_field_group`` for every value, language and error state, the
value escaped, so the error summaries and their aria links stay as they are."""

import pytest
from django.utils import translation

from permits.applicant_forms import TrackForm
from sop_portal.templatetags import memo


@pytest.fixture(autouse=True)
def fresh_memo():
    memo.clear()
    yield
    memo.clear()


def both(form, name: str) -> tuple[str, str]:
    # Twice through the memo: the second is the hit.
    memo.memo_field(form[name])
    return str(memo.memo_field(form[name])), str(form[name].as_field_group())


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize(
    "data",
    [
        None,
        {"nomor": "SOP-2026-000001", "kode": "ABCD2345"},
        {"nomor": '"><script>alert(1)</script>&', "kode": "x"},
        {"nomor": "", "kode": ""},  # both required: with errors
        {"nomor": "X" * 41, "kode": "ABCD2345"},  # too long: an error on the number only
    ],
)
def test_it_renders_what_the_form_renderer_renders(data, language):
    with translation.override(language):
        for name in ("nomor", "kode"):
            memoised, rendered = both(TrackForm(data), name)
            assert memoised == rendered


def test_it_never_shows_one_visitors_number_to_the_next():
    memo.memo_field(TrackForm({"nomor": "SOP-2026-000101", "kode": "A"})["nomor"])
    later = str(memo.memo_field(TrackForm({"nomor": "SOP-2026-000102", "kode": "A"})["nomor"]))
    assert "SOP-2026-000102" in later and "SOP-2026-000101" not in later


def test_a_form_given_an_initial_number_renders_it():
    memoised, rendered = both(TrackForm(initial={"nomor": "SOP-2026-000003"}), "nomor")
    assert memoised == rendered and "SOP-2026-000003" in memoised

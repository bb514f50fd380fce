"""The public service catalogue: what the public finds, filters and reads, in Indonesian first."""

import datetime
import re

import pytest
from django.db import connection
from django.urls import reverse

from permits.models import ServiceKind
from tests.queries import AppQueries
from workflows.models import SopStep, SopVersion, Symbol

from ..factories import (
    PASSWORD,
    AgencyFactory,
    RequirementFactory,
    ServiceFactory,
    build_sop_version,
)

# The public catalogue is checked as its visitors see it: in Indonesian, the default.
pytestmark = pytest.mark.indonesian

CATALOGUE = reverse("permits:catalogue")


def public_service(**fields):
    """A service with a published SOP, so the public sees it."""
    agencies = fields.pop("technical_agencies", [])
    service = ServiceFactory(**fields)
    service.technical_agencies.set(agencies)
    build_sop_version(service)
    return service


def detail_url(service) -> str:
    return reverse("permits:service_detail", args=[service.code])


def names_on(response) -> list[str]:
    return [service.name for service in response.context["page"].object_list]


@pytest.fixture
def catalogue(db, dishub):
    """Four public services across sectors, kinds and agencies, and three that are not public."""
    dinkes = AgencyFactory(code="DINKES", name="Dinas Kesehatan")
    services = {
        "akdp": public_service(
            code="DISHUB-AKDP",
            name="Izin Penyelenggaraan Angkutan AKDP",
            sector="Perhubungan",
            technical_agencies=[dishub],
        ),
        "trayek": public_service(
            code="DISHUB-REK-TRAYEK",
            name="Rekomendasi Trayek Angkutan",
            sector="Perhubungan",
            kind=ServiceKind.NON_PERMIT,
            technical_agencies=[dishub],
        ),
        "rs": public_service(
            code="DINKES-RS-B",
            name="Izin Operasional Rumah Sakit Kelas B",
            sector="Kesehatan",
            technical_agencies=[dinkes],
        ),
        "rek_rs": public_service(
            code="DINKES-REK-RS",
            name="Rekomendasi Izin Mendirikan Rumah Sakit",
            sector="Kesehatan",
            kind=ServiceKind.NON_PERMIT,
            technical_agencies=[dinkes],
        ),
    }
    inactive = public_service(code="ESDM-SIPA", name="Surat Izin Air Tanah", is_active=False)
    draft_only = ServiceFactory(code="DLH-PERTEK", name="Persetujuan Teknis Limbah")
    build_sop_version(draft_only, publish=False)
    ServiceFactory(code="DIKBUD-SMA", name="Izin Pendirian SMA Swasta")  # no SOP at all
    services["hidden"] = [inactive, draft_only]
    return services


def test_it_lists_only_public_services(client, catalogue):
    response = client.get(CATALOGUE)

    assert response.status_code == 200
    assert sorted(names_on(response)) == sorted(
        s.name for key, s in catalogue.items() if key != "hidden"
    )
    content = response.content.decode()
    assert "4 layanan ditemukan" in content
    assert "Surat Izin Air Tanah" not in content
    assert "Persetujuan Teknis Limbah" not in content
    assert "Izin Pendirian SMA Swasta" not in content
    assert detail_url(catalogue["akdp"]) in content


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("rumah sakit", {"rs", "rek_rs"}),  # words of the name, any case
        ("dishub-akdp", {"akdp"}),  # the code
        ("kesehatan", {"rs", "rek_rs"}),  # the sector
        ("rekomendasi sakit", {"rek_rs"}),  # every word must match
        ("  ", {"akdp", "trayek", "rs", "rek_rs"}),
    ],
)
def test_it_searches_name_code_and_sector(client, catalogue, q, expected):
    response = client.get(CATALOGUE, {"q": q})

    assert sorted(names_on(response)) == sorted(catalogue[key].name for key in expected)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sector": "Kesehatan"}, {"rs", "rek_rs"}),
        ({"kind": "non_permit"}, {"trayek", "rek_rs"}),
        ({"kind": "permit"}, {"akdp", "rs"}),
        ({"agency": "DISHUB"}, {"akdp", "trayek"}),
        ({"sector": "Kesehatan", "kind": "permit"}, {"rs"}),
        ({"agency": "DISHUB", "kind": "non_permit", "q": "trayek"}, {"trayek"}),
        ({"agency": "DINKES", "sector": "Perhubungan"}, set()),
        ({"kind": "nonsense"}, {"akdp", "trayek", "rs", "rek_rs"}),
    ],
)
def test_it_narrows_by_each_filter_and_their_combinations(client, catalogue, params, expected):
    response = client.get(CATALOGUE, params)

    assert sorted(names_on(response)) == sorted(catalogue[key].name for key in expected)


def test_it_offers_filter_choices_from_public_services_only(client, catalogue):
    content = client.get(CATALOGUE).content.decode()

    assert '<option value="Kesehatan">Kesehatan</option>' in content
    assert '<option value="DISHUB">Dinas Perhubungan</option>' in content
    assert '<option value="non_permit">Non Perizinan</option>' in content
    assert "Energi" not in content  # the sector of nothing public
    assert 'value="DPMPTSP"' not in content  # the office is not a technical agency of a service


def test_it_keeps_the_chosen_filters_in_the_form_and_lets_each_be_removed(client, catalogue):
    response = client.get(CATALOGUE, {"q": "izin", "sector": "Kesehatan", "agency": "DINKES"})
    content = response.content.decode()

    assert 'value="izin"' in content
    assert '<option value="Kesehatan" selected>' in content
    assert '<option value="DINKES" selected>' in content
    # Dropping the sector keeps the search and the agency.
    assert 'href="/?q=izin&amp;agency=DINKES"' in content
    assert 'href="/?q=izin&amp;sector=Kesehatan"' in content


def test_it_paginates_twenty_per_page_and_keeps_the_filters(client, db):
    for n in range(23):
        public_service(name=f"Izin Angkutan {n:02d}", sector="Perhubungan")
    public_service(name="Izin Kapal", sector="Kelautan dan Perikanan")

    first = client.get(CATALOGUE, {"sector": "Perhubungan"})
    second = client.get(CATALOGUE, {"sector": "Perhubungan", "page": 2})

    assert len(names_on(first)) == 20
    assert len(names_on(second)) == 3
    assert set(names_on(first)).isdisjoint(names_on(second))
    first_content = first.content.decode()
    assert "23 layanan ditemukan" in first_content
    assert "menampilkan 1–20" in first_content
    assert 'href="/?sector=Perhubungan&amp;page=2"' in first_content
    assert "Izin Kapal" not in second.content.decode()


def test_it_shows_an_empty_state_when_nothing_matches(client, catalogue):
    response = client.get(CATALOGUE, {"q": "kapal selam"})
    content = response.content.decode()

    assert names_on(response) == []
    assert "0 layanan ditemukan" in content
    assert "Tidak ada layanan yang sesuai dengan pencarian Anda" in content
    assert "Tampilkan semua layanan" in content


def test_the_catalogue_costs_the_same_queries_for_3_or_30_services(client, db, dishub):
    def queries_for_catalogue() -> int:
        with AppQueries(connection) as ctx:
            response = client.get(CATALOGUE)
        assert response.status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        public_service(technical_agencies=[dishub, AgencyFactory()])
    with_three = queries_for_catalogue()
    for _ in range(27):
        public_service(sector=f"Sektor {_}", technical_agencies=[dishub, AgencyFactory()])
    with_thirty = queries_for_catalogue()

    assert with_three == with_thirty


@pytest.fixture
def akdp(db, dishub):
    """The AKDP service with requirements, a fee and a published SOP with an effective date."""
    service = ServiceFactory(
        code="DISHUB-AKDP",
        name="Izin Penyelenggaraan Angkutan AKDP",
        product="Keputusan Izin Penyelenggaraan Angkutan AKDP",
        legal_basis=["UU 22/2009 tentang Lalu Lintas dan Angkutan Jalan"],
        standard_complaints="Loket pengaduan lantai 1, atau SP4N-LAPOR!",
        fee_basis="Tidak dipungut biaya",
    )
    service.technical_agencies.set([dishub])
    RequirementFactory(service=service, name="KTP penanggung jawab", formats=["pdf", "jpg"])
    RequirementFactory(service=service, name="Surat kuasa", formats=["pdf"], mandatory=False)
    version = build_sop_version(service, publish=False)
    version.effective_on = datetime.date(2026, 2, 2)
    version.number = "SOP/DPMPTSP/PB/07/2026"
    version.status = SopVersion.Status.PUBLISHED
    version.save()
    return service


def test_the_service_page_shows_its_service_standard(client, akdp):
    response = client.get(detail_url(akdp))
    content = response.content.decode()

    assert response.status_code == 200
    assert "<h1" in content and "Izin Penyelenggaraan Angkutan AKDP" in content
    assert "Standar Pelayanan" in content
    assert "KTP penanggung jawab" in content and "Surat kuasa" in content
    # Read aloud as a list ("PDF, JPG"), not run together.
    assert (
        '<span class="format-tag">PDF</span><span class="visually-hidden">, </span>'
        '<span class="format-tag">JPG</span>'
    ) in content
    assert "Wajib" in content and "Opsional" in content
    assert "10 hari kerja" in content
    assert "Gratis" in content and "Tidak dipungut biaya" in content
    assert "Keputusan Izin Penyelenggaraan Angkutan AKDP" in content
    assert "UU 22/2009 tentang Lalu Lintas dan Angkutan Jalan" in content
    assert "Loket pengaduan lantai 1, atau SP4N-LAPOR!" in content
    assert "SP4N-LAPOR! (lapor.go.id)" in content  # the office's channel, from settings
    for label in ("Persyaratan", "Jangka Waktu Penyelesaian", "Biaya/Tarif", "Produk Pelayanan"):
        assert label in content


def test_the_service_page_shows_a_fee_in_rupiah(client, db):
    service = public_service(fee_amount=1500000)

    content = client.get(detail_url(service)).content.decode()

    assert "Rp 1.500.000" in content
    assert "Gratis" not in content


def test_the_service_page_shows_every_sop_step_with_performer_and_time(client, akdp):
    content = client.get(detail_url(akdp)).content.decode()

    assert "SOP/DPMPTSP/PB/07/2026" in content
    assert "2 Februari 2026" in content
    for heading in ("Kegiatan", "Pelaksana", "Waktu", "Output"):
        assert f">{heading}</th>" in content
    for activity, performer, time in [
        ("Mengajukan permohonan", "Pemohon", "15 menit"),
        ("Memeriksa kelengkapan berkas", "Petugas Front Office", "30 menit"),
        ("Memberikan rekomendasi teknis", "Tim Teknis OPD", "3 hari kerja"),
        ("Menandatangani keputusan izin", "Kepala DPMPTSP", "1 hari kerja"),
    ]:
        row = content.split(activity, 1)[1].split("</tr>", 1)[0]
        assert performer in row and time in row
    # The technical performer names the service's agency; the decision shows both exits.
    assert "Dinas Perhubungan" in content.split("Tim Teknis OPD", 1)[1].split("</tr>")[0]
    assert "Ya → langkah 3" in content and "Tidak → langkah 1" in content
    assert "4 hari kerja + 30 menit" in content  # service time: the applicant's 15 min apart


@pytest.mark.parametrize("case", ["unknown", "inactive", "draft_only", "no_sop"])
def test_the_service_page_is_404_unless_the_service_is_public(client, catalogue, case):
    code = {
        "unknown": "TIDAK-ADA",
        "inactive": "ESDM-SIPA",
        "draft_only": "DLH-PERTEK",
        "no_sop": "DIKBUD-SMA",
    }[case]

    response = client.get(reverse("permits:service_detail", args=[code]))

    assert response.status_code == 404


def test_the_service_page_costs_the_same_queries_whatever_its_size(client, db, dishub):
    small = public_service(technical_agencies=[dishub])
    RequirementFactory(service=small)
    large = ServiceFactory()
    large.technical_agencies.set([dishub, *AgencyFactory.create_batch(5)])
    RequirementFactory.create_batch(12, service=large)
    version = build_sop_version(large, publish=False)
    performers = list(version.performers.all())
    for no in range(5, 25):  # more steps, by every performer, only to weigh the page
        SopStep.objects.create(
            version=version,
            no=no,
            symbol=Symbol.PROCESS,
            activity=f"Melakukan kegiatan {no}",
            performer=performers[no % len(performers)],
            duration_value=1,
            duration_unit="hours",
        )
    version.status = SopVersion.Status.PUBLISHED
    version.save()

    def queries(service) -> int:
        with AppQueries(connection) as ctx:
            assert client.get(detail_url(service)).status_code == 200
        return len(ctx.captured_queries)

    assert queries(small) == queries(large)


def test_it_speaks_indonesian_by_default(client, catalogue):
    content = client.get(CATALOGUE).content.decode()

    assert '<html lang="id">' in content
    assert "Katalog Layanan</h1>" in content
    assert "Perizinan" in content
    assert "SOP Portal · DPMPTSP Provinsi Sulawesi Tenggara" in content


def test_it_speaks_english_to_a_browser_that_asks_for_it(client, catalogue):
    content = client.get(CATALOGUE, headers={"accept-language": "en"}).content.decode()

    assert '<html lang="en">' in content
    assert "Service catalogue</h1>" in content
    assert "4 services found" in content


def test_it_switches_to_english_and_back_with_the_language_form(client, akdp):
    page = detail_url(akdp)

    response = client.post(reverse("set_language"), {"language": "en", "next": page}, follow=True)
    content = response.content.decode()

    assert response.redirect_chain[-1][0] == page
    assert '<html lang="en">' in content
    assert "Service standard" in content and "10 working days" in content
    assert "Yes → step 3" in content and "Free" in content

    client.post(reverse("set_language"), {"language": "id", "next": page})
    assert "10 hari kerja" in client.get(page).content.decode()


def test_switching_language_keeps_the_filtered_list(client, catalogue):
    page = client.get(CATALOGUE, {"q": "", "sector": "Kesehatan", "kind": ""}).content.decode()
    assert 'name="next" id="lang-next" value="/?sector=Kesehatan"' in page

    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/?sector=Kesehatan"}, follow=True
    )

    assert "2 services found" in response.content.decode()


def test_the_language_switcher_and_sign_out_are_post_forms(client, ani, catalogue):
    anonymous = client.get(CATALOGUE).content.decode()
    assert f'action="{reverse("set_language")}" method="post"' in anonymous
    assert 'name="language" value="en"' in anonymous
    assert f'href="{reverse("login")}"' in anonymous
    assert 'href="#main"' in anonymous  # the skip link

    client.force_login(ani)
    signed_in = client.get(CATALOGUE).content.decode()
    assert f'action="{reverse("logout")}" method="post"' in signed_in
    assert "Keluar" in signed_in


def test_an_htmx_request_gets_only_the_results_fragment(client, catalogue):
    response = client.get(
        CATALOGUE,
        {"q": "", "sector": "Kesehatan", "kind": "", "agency": ""},
        headers={"hx-request": "true", "hx-target": "results"},
    )
    content = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in content and "<form" not in content
    assert "2 layanan ditemukan" in content
    assert "Izin Operasional Rumah Sakit Kelas B" in content
    assert "Izin Penyelenggaraan Angkutan AKDP" not in content
    # The address bar gets the shareable address, without the empty fields.
    assert response.headers["HX-Push-Url"] == "/?sector=Kesehatan"
    assert "HX-Request" in response.headers["Vary"]


def test_a_history_restore_gets_the_whole_page(client, catalogue):
    response = client.get(
        CATALOGUE,
        headers={
            "hx-request": "true",
            "hx-target": "results",
            "hx-history-restore-request": "true",
        },
    )

    assert "<html" in response.content.decode()


def test_the_sign_in_page_signs_in_with_an_email_address(client, ani):
    page = client.get(reverse("login")).content.decode()
    assert "Masuk</h1>" in page
    assert 'type="email"' in page and "Alamat email" in page

    response = client.post(reverse("login"), {"username": "ani@contoh.id", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == CATALOGUE


def test_the_sign_in_page_explains_a_wrong_password(client, ani):
    response = client.post(reverse("login"), {"username": "ani@contoh.id", "password": "salah"})
    content = response.content.decode()

    # Refused input is a 400 on every form (tests/test_form_error_summaries.py).
    assert response.status_code == 400
    assert 'role="alert"' in content
    assert "Alamat email atau sandi salah" in content


def test_the_service_page_shows_all_14_standard_components_in_the_regulation_s_order(client, akdp):
    """Permenpan RB 15/2014: service delivery (1-6), then the office's management (7-14)."""
    akdp.standard_facilities = "Ruang tunggu ber-AC dan loket prioritas"
    akdp.standard_evaluation = "Evaluasi kinerja pelaksana setiap enam bulan"
    akdp.save()
    content = client.get(detail_url(akdp)).content.decode()
    keys = re.findall(r'class="standard-item" id="standard-([a-z_]+)"', content)
    assert keys == [
        "requirements",
        "procedure",
        "service_time",
        "fee",
        "product",
        "complaints",
        "legal_basis",
        "facilities",
        "competence",
        "supervision",
        "staffing",
        "guarantee",
        "security",
        "evaluation",
    ]
    assert "Ruang tunggu ber-AC dan loket prioritas" in content
    assert "Evaluasi kinerja pelaksana setiap enam bulan" in content

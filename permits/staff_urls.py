"""URL routes of the staff pages (under ``petugas/``) and of issued documents and their public
verification page, in the ``permits`` namespace."""

from django.urls import path

from . import issued_views, office_views, search_views
from . import staff_views as views

urlpatterns = [
    path("petugas/", views.inbox, name="staff_inbox"),
    path("petugas/cari/", search_views.search_page, name="staff_search"),
    path("petugas/permohonan/<int:pk>/", search_views.application_page, name="staff_application"),
    path("petugas/tugas/<int:pk>/", views.task_detail, name="task_detail"),
    path("petugas/tugas/<int:pk>/ambil/", views.claim, name="task_claim"),
    path("petugas/tugas/<int:pk>/lepas/", views.release, name="task_release"),
    path("petugas/tugas/<int:pk>/alihkan/", views.reassign, name="task_reassign"),
    path("petugas/loket/", office_views.counter_home, name="counter"),
    path("petugas/loket/pemohon/<int:pk>/", office_views.counter_person, name="counter_person"),
    path(
        "petugas/loket/pemohon/<int:pk>/tautan-klaim/",
        office_views.counter_claim_link,
        name="counter_claim_link",
    ),
    path(
        "petugas/loket/permohonan/<int:pk>/",
        office_views.counter_application,
        name="counter_application",
    ),
    path(
        "petugas/loket/permohonan/<int:pk>/pembayaran/",
        office_views.counter_payment,
        name="counter_payment",
    ),
    path(
        "petugas/loket/permohonan/<int:pk>/bukti/",
        office_views.counter_receipt,
        name="counter_receipt",
    ),
    path(
        "petugas/loket/permohonan/<int:pk>/kode-akses/",
        office_views.counter_reissue_code,
        name="counter_reissue_code",
    ),
    path(
        "petugas/permohonan/<int:pk>/cetak/<str:kind>/",
        office_views.print_form,
        name="office_print",
    ),
    path("petugas/berkas/<str:kind>/<int:pk>/", views.staff_file, name="staff_file"),
    path(
        "dokumen-terbit/<int:pk>/unduh/",
        views.issued_document_download,
        name="issued_document_download",
    ),
    path("petugas/tugas/<int:pk>/pratinjau/", issued_views.issue_preview, name="issue_preview"),
    path(
        "petugas/dokumen-terbit/<int:pk>/status/",
        issued_views.issued_standing,
        name="issued_standing",
    ),
    path(
        "dokumen-terbit/<int:pk>/<str:purpose>/",
        issued_views.follow_up,
        name="issued_follow_up",
    ),
    path("verifikasi/<str:token>/", views.verify, name="verify"),
]

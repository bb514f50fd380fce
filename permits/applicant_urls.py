"""Routes of the applicant's pages, account registration and public tracking (``permits``
namespace)."""

from django.urls import path

from accounts import views as accounts_views

from . import applicant_views as views
from . import office_views

urlpatterns = [
    path("akun/daftar/", accounts_views.register, name="register"),
    path("akun/verifikasi/", accounts_views.verify_sent, name="verify_sent"),
    path("akun/verifikasi/kirim-ulang/", accounts_views.resend_verification, name="verify_resend"),
    path("akun/verifikasi/<str:token>/", accounts_views.verify_email, name="verify_email"),
    path("akun/klaim/<str:uidb64>/<str:token>/", office_views.claim_account, name="claim_account"),
    path("layanan/<str:code>/ajukan/", views.apply, name="apply"),
    path("permohonan/", views.my_applications, name="my_applications"),
    path("permohonan/<int:pk>/", views.application_detail, name="application_detail"),
    path("permohonan/<int:pk>/isi/", views.application_form, name="application_form"),
    path("permohonan/<int:pk>/hapus/", views.delete_draft, name="application_delete"),
    path(
        "permohonan/<int:pk>/terkirim/", views.application_submitted, name="application_submitted"
    ),
    path("permohonan/<int:pk>/bukti/", views.application_receipt, name="application_receipt"),
    path(
        "permohonan/<int:pk>/kode-akses/",
        views.reissue_access_code,
        name="application_reissue_code",
    ),
    path("permohonan/<int:pk>/perbaikan/", views.correct, name="application_correct"),
    path("permohonan/<int:pk>/pembayaran/", views.payment_proof, name="application_payment"),
    path("permohonan/<int:pk>/tarik/", views.withdraw, name="application_withdraw"),
    path(
        "permohonan/<int:pk>/dokumen/<int:document_pk>/",
        views.applicant_document,
        name="applicant_document",
    ),
    path("notifikasi/", views.notifications, name="notifications"),
    path("notifikasi/baca/", views.notifications_read, name="notifications_read"),
    path("lacak/", views.track, name="track"),
]

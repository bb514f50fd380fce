"""URL routes of the staff pages (under ``petugas/``) and of issued documents and their public
verification page, in the ``permits`` namespace."""

from django.urls import path

from . import staff_views as views

urlpatterns = [
    path("petugas/", views.inbox, name="staff_inbox"),
    path("petugas/tugas/<int:pk>/", views.task_detail, name="task_detail"),
    path("petugas/tugas/<int:pk>/ambil/", views.claim, name="task_claim"),
    path("petugas/tugas/<int:pk>/lepas/", views.release, name="task_release"),
    path("petugas/tugas/<int:pk>/alihkan/", views.reassign, name="task_reassign"),
    path("petugas/berkas/<str:kind>/<int:pk>/", views.staff_file, name="staff_file"),
    path(
        "dokumen-terbit/<int:pk>/unduh/",
        views.issued_document_download,
        name="issued_document_download",
    ),
    path("verifikasi/<str:token>/", views.verify, name="verify"),
]

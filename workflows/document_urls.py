"""Pages for SOP documents and decrees (PDF, preview, rendering jobs)."""

from django.urls import path

from . import document_views as views

urlpatterns = [
    path("sop/versi/<int:pk>/pratinjau/", views.sop_preview, name="sop_preview"),
    # Public for published versions: the catalogue may link here.
    path("sop/versi/<int:pk>/pdf/", views.sop_pdf, name="sop_pdf"),
    path("keputusan/", views.decree_list, name="decree_list"),
    path("keputusan/baru/", views.decree_edit, name="decree_create"),
    path("keputusan/<int:pk>/", views.decree_detail, name="decree_detail"),
    path("keputusan/<int:pk>/ubah/", views.decree_edit, name="decree_edit"),
    path("keputusan/<int:pk>/lampiran/", views.decree_annexes, name="decree_annexes"),
    path("keputusan/<int:pk>/pratinjau/", views.decree_preview, name="decree_preview"),
    path("keputusan/<int:pk>/render/", views.decree_render, name="decree_render"),
    path("keputusan/<int:pk>/tandatangan/", views.decree_sign, name="decree_sign"),
    path("dokumen/<int:pk>/status/", views.job_status, name="document_job"),
    path("dokumen/<int:pk>/unduh/", views.job_download, name="document_download"),
]

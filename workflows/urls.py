"""Staff pages for SOPs, mounted at /kelola/: the SOP editor, versions and review, documents."""

from django.urls import include, path

from . import editor_views, review_views, version_views, views, workbook_views

app_name = "workflows"

VERSION = "sop/<str:code>/v<int:version>/"

urlpatterns = [
    path("sop/", views.sop_list, name="sop_list"),
    path("sop/baru/", views.sop_new, name="sop_new"),
    path("sop/templat.xlsx", workbook_views.sop_xlsx_blank, name="sop_xlsx_blank"),
    path("sop/tinjauan/", review_views.review_list, name="sop_review_list"),
    path("sop/<str:code>/", views.sop_detail, name="sop_detail"),
    path("sop/<str:code>/draf-baru/", version_views.sop_new_draft, name="sop_new_draft"),
    path("sop/<str:code>/unggah/", workbook_views.sop_upload, name="sop_upload"),
    path(
        "sop/<str:code>/unggah/<str:job>/",
        workbook_views.sop_upload_result,
        name="sop_upload_result",
    ),
    path("sop/<str:code>/beda/", version_views.sop_diff, name="sop_diff"),
    path(VERSION, views.sop_version, name="sop_version"),
    path(VERSION + "identitas/", editor_views.sop_identity, name="sop_identity"),
    path(VERSION + "pelaksana/", editor_views.sop_performer_add, name="sop_performer_add"),
    path(
        VERSION + "pelaksana/<str:key>/", editor_views.sop_performer_edit, name="sop_performer_edit"
    ),
    path(
        VERSION + "pelaksana/<str:key>/pindah/",
        editor_views.sop_performer_move,
        name="sop_performer_move",
    ),
    path(
        VERSION + "pelaksana/<str:key>/hapus/",
        editor_views.sop_performer_delete,
        name="sop_performer_delete",
    ),
    path(VERSION + "langkah/", editor_views.sop_step_add, name="sop_step_add"),
    path(VERSION + "langkah/<int:no>/", editor_views.sop_step_edit, name="sop_step_edit"),
    path(VERSION + "langkah/<int:no>/baris/", editor_views.sop_step_row, name="sop_step_row"),
    path(VERSION + "langkah/<int:no>/pindah/", editor_views.sop_step_move, name="sop_step_move"),
    path(VERSION + "langkah/<int:no>/hapus/", editor_views.sop_step_delete, name="sop_step_delete"),
    path(VERSION + "ajukan/", version_views.sop_submit, name="sop_submit"),
    path(VERSION + "tinjau/", review_views.review, name="sop_review"),
    path(VERSION + "kembalikan/", version_views.sop_return, name="sop_return"),
    path(VERSION + "terbitkan/", version_views.sop_approve, name="sop_approve"),
    path(VERSION + "hapus/", version_views.sop_delete_draft, name="sop_delete_draft"),
    path(VERSION + "templat.xlsx", workbook_views.sop_xlsx, name="sop_xlsx"),
    path("", include("workflows.document_urls")),
]

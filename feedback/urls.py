"""Pages of the feedback app, in the ``feedback`` namespace."""

from django.urls import path

from . import staff_views, views

app_name = "feedback"
urlpatterns = [
    # public
    path("pengaduan/", views.complaint_new, name="complaint_new"),
    path("pengaduan/terkirim/", views.complaint_filed, name="complaint_filed"),
    path("pengaduan/lacak/", views.complaint_track, name="complaint_track"),
    path("survei/isi/<str:token>/", views.survey_answer, name="survey_answer"),
    path("survei/terima-kasih/", views.survey_thanks, name="survey_thanks"),
    # staff
    path("pantau/pengaduan/", staff_views.complaint_inbox, name="complaint_inbox"),
    path("pantau/pengaduan/<int:pk>/", staff_views.complaint_detail, name="complaint_detail"),
    path("pantau/pengaduan/<int:pk>/balas/", staff_views.complaint_reply, name="complaint_reply"),
    path(
        "pantau/pengaduan/<int:pk>/tugaskan/",
        staff_views.complaint_assign,
        name="complaint_assign",
    ),
    path(
        "pantau/pengaduan/<int:pk>/status/", staff_views.complaint_status, name="complaint_status"
    ),
    path(
        "pantau/pengaduan/<int:pk>/lampiran/",
        staff_views.complaint_attachment,
        name="complaint_attachment",
    ),
    path("pantau/skm/", staff_views.skm_results, name="skm_results"),
    path("pantau/skm/laporan.pdf", staff_views.skm_report_pdf, name="skm_report_pdf"),
    path("pantau/skm/kertas/", staff_views.skm_paper, name="skm_paper"),
]

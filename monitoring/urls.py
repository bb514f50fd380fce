"""Pages of the monitoring app, in the ``monitoring`` namespace: staff dashboards under
``pantau/``, the public transparency pages under ``transparansi/``."""

from django.urls import path

from . import round_views, views

app_name = "monitoring"
urlpatterns = [
    path("pantau/", views.dashboard, name="dashboard"),
    path("pantau/permohonan/", views.application_list, name="applications"),
    path("pantau/ekspor/", views.export, name="export"),
    path("pantau/tabel-7/", round_views.round_list, name="round_list"),
    path("pantau/tabel-7/<int:pk>/", round_views.round_detail, name="round_detail"),
    path("pantau/tabel-7/baris/<int:pk>/", round_views.entry_edit, name="entry_edit"),
    path("pantau/tabel-7/<int:pk>/pratinjau/", round_views.round_preview, name="round_preview"),
    path("pantau/tabel-7/<int:pk>/pdf/", round_views.round_pdf, name="round_pdf"),
    path("transparansi/", views.transparency, name="transparency"),
    path("transparansi/<str:code>/", views.transparency_service, name="transparency_service"),
]

"""Pages of the permits app: the public catalogue here; applicant and staff pages in their own
URL modules, all in the ``permits`` namespace."""

from django.urls import include, path

from . import views

app_name = "permits"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("layanan/<str:code>/", views.service_detail, name="service_detail"),
    path("", include("permits.applicant_urls")),
    path("", include("permits.staff_urls")),
]

"""Public pages of the service catalogue."""

from django.urls import path

from . import views

app_name = "permits"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("layanan/<str:code>/", views.service_detail, name="service_detail"),
]

"""URLs of the agencies API, mounted under ``/api/v1/``."""

from django.urls import path

from . import api

urlpatterns = [
    path("agencies/", api.AgencyListApi.as_view(), name="api-agency-list"),
    path("agencies/<str:code>/", api.AgencyDetailApi.as_view(), name="api-agency-detail"),
]

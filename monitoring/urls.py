"""Pages of the monitoring app, in the ``monitoring`` namespace."""

from django.urls import path  # noqa: F401

app_name = "monitoring"
urlpatterns: list = []

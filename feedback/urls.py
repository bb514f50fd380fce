"""Pages of the feedback app, in the ``feedback`` namespace."""

from django.urls import path  # noqa: F401

app_name = "feedback"
urlpatterns: list = []

"""API of the monitoring app, mounted under ``/api/v1/``."""

from django.urls import path

from . import api

urlpatterns = [
    *(
        path(f"monitoring/{name}/", view.as_view(), name=f"api-monitoring-{name}")
        for name, view in api.TABLE_VIEWS.items()
    ),
    path("transparency/", api.TransparencyApi.as_view(), name="api-transparency"),
]

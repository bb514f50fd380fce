"""URLs of the services and SOP API, mounted under ``/api/v1/``."""

from django.urls import path

from . import api

urlpatterns = [
    path("services/", api.ServiceListApi.as_view(), name="api-service-list"),
    path("services/<str:code>/", api.ServiceDetailApi.as_view(), name="api-service-detail"),
    path("services/<str:code>/sop/", api.ServiceSopApi.as_view(), name="api-service-sop"),
    path(
        "services/<str:code>/sop-versions/",
        api.ServiceSopVersionListApi.as_view(),
        name="api-service-sop-versions",
    ),
    path(
        "services/<str:code>/sop-document/",
        api.ServiceSopDocumentApi.as_view(),
        name="api-service-sop-document",
    ),
    path("sop-documents/", api.SopDocumentImportApi.as_view(), name="api-sop-document-import"),
]

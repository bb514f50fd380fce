"""API routes of SOP versions and their review, mounted under ``/api/v1/``."""

from django.urls import path

from . import api

VERSION = "sops/<str:code>/versions/<int:version>/"

urlpatterns = [
    path("sops/<str:code>/versions/", api.SopVersionListApi.as_view(), name="api-sop-versions"),
    path(VERSION, api.SopVersionDetailApi.as_view(), name="api-sop-version"),
    path(VERSION + "submit/", api.SopVersionSubmitApi.as_view(), name="api-sop-version-submit"),
    path(VERSION + "return/", api.SopVersionReturnApi.as_view(), name="api-sop-version-return"),
    path(VERSION + "publish/", api.SopVersionPublishApi.as_view(), name="api-sop-version-publish"),
    path("sops/<str:code>/diff/", api.SopVersionDiffApi.as_view(), name="api-sop-diff"),
]

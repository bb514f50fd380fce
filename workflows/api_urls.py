"""API routes of SOP versions and their review, mounted under ``/api/v1/``."""

from django.urls import path

from . import api, calendar_api

VERSION = "sops/<str:code>/versions/<int:version>/"

urlpatterns = [
    path("sops/<str:code>/versions/", api.SopVersionListApi.as_view(), name="api-sop-versions"),
    path(VERSION, api.SopVersionDetailApi.as_view(), name="api-sop-version"),
    path(VERSION + "submit/", api.SopVersionSubmitApi.as_view(), name="api-sop-version-submit"),
    path(VERSION + "return/", api.SopVersionReturnApi.as_view(), name="api-sop-version-return"),
    path(VERSION + "publish/", api.SopVersionPublishApi.as_view(), name="api-sop-version-publish"),
    path("sops/<str:code>/diff/", api.SopVersionDiffApi.as_view(), name="api-sop-diff"),
]

# The working-time API (issue 4).
urlpatterns += [
    path("calendar/<int:year>/", calendar_api.CalendarApi.as_view(), name="api-calendar"),
    path("tasks/<int:pk>/clock/", calendar_api.TaskClockApi.as_view(), name="api-task-clock"),
    path(
        "applications/<int:pk>/clock/",
        calendar_api.ApplicationClockApi.as_view(),
        name="api-application-clock",
    ),
]

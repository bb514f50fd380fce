"""API of the feedback app, mounted under ``/api/v1/``."""

from django.urls import path

from . import api

urlpatterns = [
    path("survey/responses/", api.SurveySubmitApi.as_view(), name="api-survey-submit"),
    path("survey/results/", api.SkmResultsApi.as_view(), name="api-survey-results"),
    path("complaints/", api.ComplaintCreateApi.as_view(), name="api-complaint-create"),
    path("complaints/track/", api.ComplaintTrackApi.as_view(), name="api-complaint-track"),
    path("complaints/figures/", api.ComplaintFiguresApi.as_view(), name="api-complaint-figures"),
    path("complaints/staff/", api.ComplaintListApi.as_view(), name="api-complaint-list"),
    path(
        "complaints/staff/<int:id>/", api.ComplaintDetailApi.as_view(), name="api-complaint-detail"
    ),
    path(
        "complaints/staff/<int:id>/reply/",
        api.ComplaintReplyApi.as_view(),
        name="api-complaint-reply",
    ),
    path(
        "complaints/staff/<int:id>/assign/",
        api.ComplaintAssignApi.as_view(),
        name="api-complaint-assign",
    ),
    path(
        "complaints/staff/<int:id>/status/",
        api.ComplaintStatusApi.as_view(),
        name="api-complaint-status",
    ),
]

"""URLs of the lifecycle API (applications, tasks, tracking, verification, tokens), mounted
under ``/api/v1/``."""

from django.urls import path

from . import lifecycle_api as api

urlpatterns = [
    path("auth/token/", api.ObtainTokenApi.as_view(), name="api-auth-token"),
    path("applications/", api.ApplicationListApi.as_view(), name="api-application-list"),
    path(
        "applications/search/",
        api.ApplicationSearchApi.as_view(),
        name="api-application-search",
    ),
    path(
        "applications/<int:id>/",
        api.ApplicationDetailApi.as_view(),
        name="api-application-detail",
    ),
    path(
        "applications/<int:id>/documents/",
        api.DocumentUploadApi.as_view(),
        name="api-application-documents",
    ),
    path("applications/<int:id>/submit/", api.SubmitApi.as_view(), name="api-application-submit"),
    path(
        "applications/<int:id>/data/",
        api.ApplicationDataApi.as_view(),
        name="api-application-data",
    ),
    path(
        "applications/<int:id>/correct/", api.CorrectApi.as_view(), name="api-application-correct"
    ),
    path(
        "applications/<int:id>/withdraw/",
        api.WithdrawApi.as_view(),
        name="api-application-withdraw",
    ),
    path(
        "applications/<int:id>/payment-proof/",
        api.PaymentProofApi.as_view(),
        name="api-application-payment-proof",
    ),
    path(
        "applications/<int:id>/issued-documents/",
        api.IssuedDocumentListApi.as_view(),
        name="api-application-issued",
    ),
    path(
        "applications/<int:id>/document-accesses/",
        api.DocumentAccessListApi.as_view(),
        name="api-application-document-accesses",
    ),
    path("issued-documents/<int:id>/", api.IssuedDetailApi.as_view(), name="api-issued-detail"),
    path("issued-documents/<int:id>/file/", api.IssuedFileApi.as_view(), name="api-issued-file"),
    path(
        "issued-documents/<int:id>/standing/",
        api.IssuedStandingApi.as_view(),
        name="api-issued-standing",
    ),
    path(
        "issued-documents/<int:id>/<str:purpose>/",
        api.IssuedFollowUpApi.as_view(),
        name="api-issued-follow-up",
    ),
    path("tasks/", api.TaskListApi.as_view(), name="api-task-list"),
    path("tasks/<int:id>/", api.TaskDetailApi.as_view(), name="api-task-detail"),
    path("tasks/<int:id>/claim/", api.ClaimApi.as_view(), name="api-task-claim"),
    path("tasks/<int:id>/release/", api.ReleaseApi.as_view(), name="api-task-release"),
    path("tasks/<int:id>/reassign/", api.ReassignApi.as_view(), name="api-task-reassign"),
    path("tasks/<int:id>/complete/", api.CompleteApi.as_view(), name="api-task-complete"),
    path("tasks/<int:id>/return/", api.ReturnApi.as_view(), name="api-task-return"),
    path(
        "tasks/<int:id>/schedule-inspection/",
        api.ScheduleInspectionApi.as_view(),
        name="api-task-schedule-inspection",
    ),
    path("tracking/", api.TrackingApi.as_view(), name="api-lifecycle-tracking"),
    path("verify/<str:token>/", api.VerifyApi.as_view(), name="api-lifecycle-verify"),
]

"""Sign-in pages mounted at /accounts/ ahead of ``django.contrib.auth.urls``: the sign-in and
reset pages with their limits, and the second factor (names without a namespace, as Django's
own ``login`` and ``password_reset``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("password_reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("faktor-kedua/", views.second_factor_verify, name="second_factor_verify"),
    path("faktor-kedua/pasang/", views.second_factor_enrol, name="second_factor_enrol"),
]

from django.urls import path

from . import two_factor_views, views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-out/", views.SignOutView.as_view(), name="logout"),
    path("password-reset/", views.ForgottenPasswordView.as_view(), name="password-reset"),
    path("password-reset/sent/", views.ForgottenPasswordSentView.as_view(), name="password-reset-done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.ChooseNewPasswordView.as_view(),
        name="password-reset-confirm",
    ),
    path("password-reset/complete/", views.PasswordChangedView.as_view(), name="password-reset-complete"),
    path("two-factor/", two_factor_views.verify, name="two-factor-verify"),
    path("two-factor/set-up/", two_factor_views.enrol, name="two-factor-enrol"),
    path("two-factor/set-up/qr-code.svg", two_factor_views.qr_code, name="two-factor-qr-code"),
    path("two-factor/recovery-codes/", two_factor_views.recovery_codes, name="two-factor-recovery-codes"),
    path("invitation/<str:token>/", views.invitation_accept_view, name="invitation-accept"),
]

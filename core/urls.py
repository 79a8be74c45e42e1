from django.urls import path

from . import views

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
    path("invitation/<str:token>/", views.invitation_accept_view, name="invitation-accept"),
]

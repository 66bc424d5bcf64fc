"""URL configuration. Case documents have no URL of their own: views serve them."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import twofactor_views, views
from .forms import LoginForm
from .password_reset import PasswordResetView

urlpatterns = [
    path("", views.home, name="home"),
    path("policy/", views.policy, name="policy"),
    path("charter/", views.charter_page, name="charter"),
    path("staff-tools/<int:pk>/", views.staff_tool, name="staff_tool"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm,
                                                         redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("accounts/password/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/password/reset/complete/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("accounts/two-factor/setup/", twofactor_views.setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", twofactor_views.verify, name="two_factor_verify"),
    path("files/", include("beneficiaries.urls")),
    path("files/", include("aid.urls")),
    path("files/", include("programmes.urls")),
    path("files/", include("portal.staff_views")),
    path("eligibility/", include("eligibility.urls")),
    path("verify/", include("eligibility.urls_public")),
    path("complaints/", include("complaints.urls_public")),
    path("staff/complaints/", include("complaints.urls")),
    path("survey/", include("satisfaction.urls_public")),
    path("my-file/", include("portal.urls")),
    path("satisfaction/", include("satisfaction.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("privacy/", include("privacy.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler500 = "charity.views.server_error"

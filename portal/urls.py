"""«My file», mounted at /my-file/: public sign-in pages, then the signed-in family's own pages."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.sign_in, name="sign_in"),
    path("code/", views.verify, name="verify"),
    path("code/resend/", views.resend, name="resend"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("<int:pk>/", views.file_home, name="file"),
    path("<int:pk>/needed/", views.needs, name="needs"),
    path("<int:pk>/update/<int:request_pk>/", views.annual_update, name="update"),
    path("<int:pk>/researcher/", views.researcher, name="researcher"),
    path("<int:pk>/complaints/", views.complaints, name="complaints"),
    path("<int:pk>/surveys/", views.surveys, name="surveys"),
    path("<int:pk>/surveys/<int:survey_pk>/", views.survey_answer, name="survey"),
    path("<int:pk>/certificate/", views.certificate, name="certificate"),
]

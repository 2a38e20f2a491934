from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/", include("interactions.api.urls")),
    path("", include("interactions.urls")),
]

# A 503 page with Retry-After when the database is unreachable (emotioncare/errors.py).
handler500 = "emotioncare.errors.server_error"

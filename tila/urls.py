from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def healthz(request: HttpRequest) -> JsonResponse:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("", include("tila.api.urls")),
    path("healthz", healthz, name="healthz"),
    path("payments/callback/", include("tila.payments.callback_urls")),
    path("feeds/", include("tila.notifications.urls")),
    path("auth/oidc/", include("tila.accounts.urls")),
    path("gdpr-api/v1/", include("tila.accounts.gdpr_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls),
    path("staff/", include("tila.staff.urls")),
    path("feedback/", include("tila.feedback.urls")),
    path("insight/", include("tila.insight.urls")),
    path("hobbies/", include("tila.hobbies.urls")),
    path("pay/", include("tila.payments.urls")),
    path("seasons/", include("tila.seasons.urls")),
    path("", include("tila.web.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

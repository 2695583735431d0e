"""URLs follow CKAN's scheme, so that links to a portal migrated from CKAN keep working."""

from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from portal.api.api import urls as api_v1_urls

# A request Django cannot read (a Host not in ALLOWED_HOSTS, a form it cannot parse) is
# refused with 400 in the shape of the door it came to.
handler400 = "portal.ops.refusal.bad_request"

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("user/notifications/", include("portal.notifications.urls")),
    path("user/", include("portal.accounts.urls")),
    path("audit/", include("portal.audit.urls")),
    path("user/", include("portal.security.urls")),
    path("api/v1/", api_v1_urls),
    path("organization/", include("portal.accounts.member_urls")),
    path("dashboard/privacy/", include("portal.privacy.urls")),
    path("", include("portal.interop.urls")),
    path("", include("portal.agencies.urls")),
    path("", include("portal.datastore.urls")),
    path("", include("portal.openlist.urls")),
    path("", include("portal.feedback.urls")),
    path("", include("portal.follows.urls")),
    path("", include("portal.catalog.urls")),
    path("", include("portal.pages.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

"""The inbox (/user/notifications/), one message, and every message sent for supervisors."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.accounts.permissions import Action, can, role_of
from portal.agencies.models import Agency
from portal.catalog.staff_views import forbidden, staff_view
from portal.lib.errors import NotFound
from portal.notifications import kinds, selectors, services
from portal.notifications.models import Notification

PAGE_SIZE = 30


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # guaranteed by staff_view's login_required
    return request.user


@staff_view
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if request.method == "POST":
        ids = [int(pk) for pk in request.POST.getlist("id") if pk.isdigit()]
        count = services.mark_read(user=user, ids=None if "all" in request.POST else ids)
        messages.success(request, _("%(count)s messages marked as read.") % {"count": count})
        return redirect("notifications:inbox")
    page = _labelled(Paginator(selectors.inbox(user), PAGE_SIZE).get_page(
        request.GET.get("page")))
    return render(request, "notifications/inbox.html", {
        "page": page, "unread": selectors.unread_count(user),
        "sees_all": can(user, Action.VIEW_ALL_NOTIFICATIONS)})


def _labelled(page: Page[Notification]) -> Page[Notification]:
    """Each message of the page with its kind's name (`kind_label`)."""
    page.object_list = list(page.object_list)
    for item in page.object_list:
        item.kind_label = kinds.label(item.kind)  # type: ignore[attr-defined]
    return page


@staff_view
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Opening a message reads it; then its link, if it has one that stays on the portal."""
    user = _user(request)
    notification = selectors.get_own(user, pk)
    if notification is None:
        raise NotFound(_("There is no such message in your inbox."))
    services.mark_read(user=user, ids=[notification.pk])
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return render(request, "notifications/message.html", {"notification": notification})


@staff_view
def sent_all(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.VIEW_ALL_NOTIFICATIONS):
        return forbidden(request, _("Only the supervising department and the system "
                                    "administrators see every message the portal sent."))
    query = selectors.SentFilter(kind=request.GET.get("kind", "")[:50],
                                 agency=request.GET.get("agency", "")[:100],
                                 q=request.GET.get("q", "").replace("\x00", "")[:100])
    page = _labelled(Paginator(selectors.sent(query), PAGE_SIZE).get_page(
        request.GET.get("page")))
    extra = urlencode({k: v for k, v in vars(query).items() if v})
    return render(request, "notifications/sent.html", {
        "page": page, "query": query, "extra": extra,
        "kinds": [(kind, kinds.label(kind)) for kind in selectors.kinds()],
        "agencies": Agency.objects.only("slug", "name").order_by("name")})


def unread_nav(request: HttpRequest, obj: object) -> str:
    """The staff menu's link to the inbox, with the number unread (panel `staff.nav`)."""
    user = getattr(request, "user", None)
    if not isinstance(user, User) or role_of(user) is None:
        return ""
    return render_to_string("notifications/_nav.html", {
        "unread": selectors.unread_count(user)}, request=request)

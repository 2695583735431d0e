"""E-mail of follows, in the portal's language, sent by jobs: the confirmation link, and the
news (new data in a dataset, an agency's answer to public feedback) to every follower of the
dataset, its agency or its sectors, each message with its own one-click unsubscribe link.

Links are absolute with the address the request came to (the confirmation) or SITE_URL (the
news, sent from a change that has no request): set SITE_URL for working links."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from huey.contrib.djhuey import db_task

from portal.accounts.mail import deliver, in_portal_language
from portal.agencies.models import Agency, Sector
from portal.catalog.models import Dataset, Resource
from portal.feedback.models import Message, Thread
from portal.follows import tokens
from portal.follows.models import Follow
from portal.follows.selectors import followers_of
from portal.pages.context import portal_name


def _site(site_url: str) -> str:
    return (site_url or str(settings.SITE_URL)).rstrip("/")


def target_path(target: Dataset | Agency | Sector) -> str:
    if isinstance(target, Dataset):
        return reverse("catalog:dataset_detail", args=[target.slug])
    if isinstance(target, Agency):
        return reverse("agencies:agency_detail", args=[target.slug])
    return reverse("agencies:sector_detail", args=[target.code])


def target_title(target: Dataset | Agency | Sector) -> str:
    if isinstance(target, Dataset):
        return target.title
    return target.name if isinstance(target, Agency) else target.name_vi


def _links(follow: Follow, site: str) -> dict[str, Any]:
    target = follow.target
    return {
        "target": target, "target_title": target_title(target),
        "target_link": f"{site}{target_path(target)}",
        "unsubscribe_link": site + reverse("follows:unsubscribe",
                                           args=[tokens.make(follow, tokens.UNSUBSCRIBE)]),
        "portal_name": portal_name(), "site_url": site,
    }


@db_task()  # type: ignore[untyped-decorator]
def confirmation_mail(follow_id: int, site_url: str) -> None:
    follow = Follow.objects.select_related("dataset", "agency", "sector").filter(
        pk=follow_id, confirmed__isnull=True).first()
    if follow is None:
        return
    site = _site(site_url)
    with in_portal_language():
        context = _links(follow, site) | {
            "confirm_link": site + reverse("follows:confirm",
                                           args=[tokens.make(follow, tokens.CONFIRM)]),
            "days": settings.FOLLOW_CONFIRM_DAYS}
        subject = _("%(portal)s: confirm that you follow %(target)s") % {
            "portal": context["portal_name"], "target": context["target_title"]}
        body = render_to_string("follows/mail/confirm.txt", context)
    deliver([follow.email], subject, body, reason=f"The confirmation of follow #{follow.pk}")


def _news(dataset: Dataset, template: str, subject_text: str, extra: dict[str, Any],
          site: str, skip: str = "") -> int:
    sent = 0
    for follow in followers_of(dataset):
        if follow.email == skip:
            continue
        with in_portal_language():
            context = _links(follow, site) | extra | {
                "dataset": dataset,
                "dataset_link": f"{site}{target_path(dataset)}"}
            subject = subject_text % {"portal": portal_name(), "dataset": dataset.title}
            body = render_to_string(template, context)
        sent += deliver([follow.email], subject, body, reason=f"News for follow #{follow.pk}")
    return sent


@db_task()  # type: ignore[untyped-decorator]
def resource_news(resource_id: str, site_url: str) -> None:
    """New data: a resource added to a public dataset, or its file replaced."""
    resource = Resource.objects.select_related("dataset__agency").filter(pk=resource_id).first()
    if resource is None or not resource.dataset.is_public:
        return
    with in_portal_language():
        subject = _("%(portal)s: new data in %(dataset)s")
    _news(resource.dataset, "follows/mail/resource.txt", subject, {
        "resource": resource,
        "resource_link": _site(site_url) + reverse(
            "catalog:resource_detail", args=[resource.dataset.slug, resource.pk])},
        _site(site_url))


@db_task()  # type: ignore[untyped-decorator]
def answer_news(thread_id: int, message_id: int, site_url: str) -> None:
    """An agency answered public feedback on a followed dataset."""
    thread = Thread.objects.select_related("dataset__agency").filter(pk=thread_id).first()
    message = Message.objects.select_related("agency").filter(pk=message_id).first()
    if thread is None or message is None or thread.dataset is None \
            or not thread.dataset.is_public or not thread.public:
        return
    with in_portal_language():
        subject = _("%(portal)s: an answer to feedback on %(dataset)s")
    site = _site(site_url)
    _news(thread.dataset, "follows/mail/answer.txt", subject, {
        "thread": thread, "message": message,
        "signer": message.agency.name if message.agency else portal_name(),
        "thread_link": site + reverse("feedback:feedback_detail", args=[thread.pk])},
        site, skip=thread.author_email)

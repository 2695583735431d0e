"""The follows app's answers to the catalogue's and the feedback app's hooks, connected when the
app is ready (apps.py): news for followers, queued as a job once the change commits, and only
when someone follows."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from portal.catalog.models import Resource
from portal.catalog.signals import resource_changed
from portal.feedback.models import Message, Thread
from portal.feedback.signals import public_answer
from portal.follows import notify
from portal.follows.selectors import has_audience
from portal.lib.net import site_url


@receiver(resource_changed, dispatch_uid="follows.tell_of_new_data")
def tell_of_new_data(sender: type[Resource], *, resource: Resource, **kwargs: Any) -> None:
    dataset = resource.dataset
    if dataset.is_public and has_audience(dataset):
        resource_id, site = str(resource.pk), site_url()
        transaction.on_commit(lambda: notify.resource_news(resource_id, site))


@receiver(public_answer, dispatch_uid="follows.tell_of_answer")
def tell_of_answer(sender: type[Thread], *, thread: Thread, message: Message,
                   **kwargs: Any) -> None:
    dataset = thread.dataset
    if dataset is not None and dataset.is_public and has_audience(dataset):
        thread_id, message_id, site = thread.pk, message.pk, site_url()
        transaction.on_commit(lambda: notify.answer_news(thread_id, message_id, site))

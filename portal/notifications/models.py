"""Messages the portal sends staff: in the portal (the inbox) and by e-mail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One message to one account. `key` names what it is about (a reminder's period and
    stage): the same key is never sent to the same account twice."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recipient"),
                                  on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=50)
    key = models.CharField(max_length=200)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=500, blank=True)
    created = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"],
                                               name="one_notification_per_recipient_key")]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.key}"

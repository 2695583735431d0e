"""The acknowledgement form; its rules (length of the reason) are the service's."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.privacy.services import MAX_REASON_LENGTH


class AcknowledgeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why may this data be published as it is?"), max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: the work phone numbers of officials, published by law. The "
                    "reason and your name are kept in the audit trail."))

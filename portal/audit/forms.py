"""The audit page's filter: checks the shape of each value; a bad value is shown, not a 500."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.audit.models import Door
from portal.audit.selectors import AuditFilter


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Username"), required=False, max_length=150)
    action = forms.CharField(label=_("Action"), required=False, max_length=100,
                             help_text=_("For example dataset.publish, or dataset for all."))
    target = forms.CharField(label=_("Target"), required=False, max_length=300)
    door = forms.ChoiceField(label=_("Door"), required=False,
                             choices=[("", _("All doors")), *Door.choices])
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            raise ValidationError(_("The start date is after the end date."))
        return cleaned

    def to_filter(self) -> AuditFilter:
        """The filter; empty (everything) when the form is not valid."""
        if not self.is_valid():
            return AuditFilter()
        data = self.cleaned_data
        return AuditFilter(actor=data["actor"].strip(), action=data["action"].strip(),
                           target=data["target"].strip(), door=data["door"],
                           since=data["since"], until=data["until"])

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=16, strip=True,
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery "
                    "codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none",
                                      "spellcheck": "false", "class": "form-control"}))

    def clean_code(self) -> str:
        return "".join(str(self.cleaned_data["code"]).split())


class AgencyTwoFactorForm(forms.Form):
    required = forms.BooleanField(
        label=_("Every account of this agency must use two-factor authentication"),
        required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))

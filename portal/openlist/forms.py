"""Forms of the list's staff pages. They check shapes; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.agencies.models import Agency, Sector
from portal.catalog.forms import StaffForm
from portal.catalog.models import AccessLevel, Frequency
from portal.openlist import services
from portal.openlist.amendments import Proposal
from portal.openlist.models import AmendmentAction, ListItem
from portal.openlist.plans import PlanFields


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _agencies() -> forms.ModelChoiceField[Agency]:
    return forms.ModelChoiceField(label=_("Responsible agency"),
                                  queryset=Agency.objects.active().order_by("name"))


def _sectors(required: bool = True) -> forms.ModelChoiceField[Sector]:
    return forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.all(),
                                  required=required)


class ItemForm(StaffForm):
    code = forms.CharField(label=_("Code"), max_length=30,
                           help_text=_("Stays the same in every version, e.g. DM-001."))
    name = forms.CharField(label=_("Name"), max_length=300)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    agency = _agencies()
    sector = _sectors()
    frequency = forms.ChoiceField(label=_("Update frequency"), choices=Frequency.choices,
                                  initial=Frequency.ANNUAL)
    expected_format = forms.CharField(label=_("Expected format"), max_length=100,
                                      required=False, help_text=_("For example XLSX, CSV, API."))
    access_level = forms.ChoiceField(label=_("Access level"), choices=AccessLevel.choices)
    publish_by = forms.DateField(label=_("Publish by"), required=False, widget=_date())

    def __init__(self, *args: Any, item: ListItem | None = None, **kwargs: Any) -> None:
        if item is not None:
            kwargs.setdefault("initial", {name: getattr(item, name) for name in (
                "code", "name", "description", "agency", "sector", "frequency",
                "expected_format", "access_level", "publish_by")})
        super().__init__(*args, **kwargs)

    def item_fields(self) -> services.ItemFields:
        return services.ItemFields(**self.cleaned_data)


class ImportForm(StaffForm):
    file = forms.FileField(label=_("Spreadsheet (XLSX)"), help_text=_(
        "Fill in the template. The spreadsheet's rows replace the draft's items; if a row is "
        "wrong, nothing is imported."))


class IssueForm(StaffForm):
    decision_number = forms.CharField(label=_("Decision number"), max_length=100,
                                      help_text=_("For example 1049/QĐ-UBND."))
    decision_date = forms.DateField(label=_("Decision date"), widget=_date())
    signer = forms.CharField(label=_("Signed by"), max_length=200)
    decision_file = forms.FileField(label=_("Signed decision (PDF)"), required=False)
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def decision(self) -> services.Decision:
        data = self.cleaned_data
        return services.Decision(number=data["decision_number"], signed_on=data["decision_date"],
                                 signer=data["signer"], notes=data["notes"])


class DecisionFileForm(StaffForm):
    decision_file = forms.FileField(label=_("Signed decision (PDF)"))


class LinkForm(StaffForm):
    dataset = forms.ChoiceField(label=_("Dataset"))

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["dataset"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose a dataset")), *choices]


class AmendmentForm(StaffForm):
    action = forms.ChoiceField(label=_("Proposal"), choices=AmendmentAction.choices,
                               widget=forms.RadioSelect)
    code = forms.CharField(label=_("Code of the item"), max_length=30, required=False,
                           help_text=_("Required to change or remove an item; for a new item, "
                                       "leave empty and the supervising department assigns "
                                       "one."))
    name = forms.CharField(label=_("Name"), max_length=300, required=False)
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    item_agency = forms.ModelChoiceField(label=_("Responsible agency"), required=False,
                                         queryset=Agency.objects.active().order_by("name"),
                                         help_text=_("Empty: your agency."))
    sector = _sectors(required=False)
    frequency = forms.ChoiceField(label=_("Update frequency"), required=False,
                                  choices=[("", "—"), *Frequency.choices])
    expected_format = forms.CharField(label=_("Expected format"), max_length=100,
                                      required=False)
    access_level = forms.ChoiceField(label=_("Access level"), required=False,
                                     choices=[("", "—"), *AccessLevel.choices])
    publish_by = forms.DateField(label=_("Publish by"), required=False, widget=_date())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}),
                             max_length=5000)

    def proposal(self, kind: str) -> Proposal:
        return Proposal(kind=kind, **self.cleaned_data)


class DecideForm(StaffForm):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        ("accept", _("Accept into the draft")), ("reject", _("Reject"))])
    reason = forms.CharField(label=_("Reason"), required=False, max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Required to reject; the agency reads it."))


class PlanForm(StaffForm):
    name = forms.CharField(label=_("Phase"), max_length=200,
                           help_text=_("For example “2026–2027”."))
    start = forms.DateField(label=_("Start"), widget=_date())
    end = forms.DateField(label=_("End"), widget=_date())
    target_items = forms.IntegerField(label=_("Number of list items to publish"),
                                      required=False, min_value=0, max_value=100_000)
    item_codes = forms.MultipleChoiceField(
        label=_("Or: these list items"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("The agency's items in the open data list in force."))
    target_datasets = forms.IntegerField(label=_("Number of open datasets to publish"),
                                         required=False, min_value=0, max_value=1_000_000)
    target_on_time_share = forms.IntegerField(label=_("Minimum share of updates on time (%)"),
                                              required=False, min_value=0, max_value=100)
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, items: list[ListItem], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["item_codes"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(item.code, f"{item.code} — {item.name}") for item in items]

    def plan_fields(self) -> PlanFields:
        return PlanFields(**self.cleaned_data)
